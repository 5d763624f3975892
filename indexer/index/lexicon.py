"""The pinyin lexicon kept beside the index: which Chinese characters and bigrams read how.

The pinyin of a word does not depend on the document it stands in, so readings are not indexed
per document (three pinyin views were over half of an index's postings): an indexing run records
the readings of the Chinese it saw (analysis.reading_entries) in this SQLite table, and typed
pinyin is expanded when a query runs into the index's own Chinese terms that read that way
(query.ReadAs). Each entry counts the files it was seen in, to rank expansions; an incremental run
only adds (a reading of a term no longer in the index matches nothing), a rebuild starts a new
table.
"""

import os
import sqlite3
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

FILE = "readings.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS readings (
    kind TEXT NOT NULL,  -- s: a character's syllable, p: a bigram's syllable pair, i: initials
    key TEXT NOT NULL,   -- an, an_xun, ax
    term TEXT NOT NULL,  -- the Chinese term of the index that reads so: 安, 安洵
    files INTEGER NOT NULL,
    PRIMARY KEY (kind, key, term)
) WITHOUT ROWID
"""


class LexiconWriter:
    """Collects an indexing run's readings and writes them, in batches, to the lexicon.

    A rebuild writes a new file that replace() swaps in just before the index's commit, so its
    counts are not added to those of the documents it replaces.
    """

    _BATCH = 200_000  # distinct entries held in memory between writes

    def __init__(self, index_dir: Path, rebuild: bool) -> None:
        self._final = index_dir / FILE
        self._path = self._final.with_suffix(".new") if rebuild else self._final
        if rebuild:
            self._path.unlink(missing_ok=True)  # left by a rebuild that was killed
        self._db = sqlite3.connect(self._path)
        self._db.execute(_SCHEMA)
        self._pending: Counter[str] = Counter()

    def add(self, entries: Iterable[str]) -> None:
        """One file's readings, each "kind\\tkey\\tterm" (reading_entries), counted once for it."""
        self._pending.update(entries)
        if len(self._pending) >= self._BATCH:
            self.flush()

    def flush(self) -> None:
        """Write what is held; the lexicon must be complete before the index commits."""
        with self._db:
            self._db.executemany(
                "INSERT INTO readings VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE"
                " SET files = files + excluded.files",
                ((*entry.split("\t"), n) for entry, n in self._pending.items()),
            )
        self._pending.clear()

    def replace(self) -> None:
        """Flush, and put a rebuild's table in place of the old one."""
        self.flush()
        self._db.close()
        if self._path != self._final:
            os.replace(self._path, self._final)

    def close(self) -> None:
        """Close without swapping in a rebuild's table (the run was cancelled)."""
        self._db.close()
        if self._path != self._final:
            self._path.unlink(missing_ok=True)


def terms(index_dir: Path, kind: str, key: str, limit: int, prefix: bool = False) -> list[str]:
    """The index's terms that read as key (or as any key starting with it), most files first."""
    path = index_dir / FILE
    if not path.exists():
        return []
    where = "key >= ? AND key < ?" if prefix else "key = ?"
    args = (key, key + "\U0010ffff") if prefix else (key,)
    db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        rows = db.execute(
            f"SELECT term, SUM(files) FROM readings WHERE kind = ? AND {where}"
            " GROUP BY term ORDER BY SUM(files) DESC, term LIMIT ?",
            (kind, *args, limit),
        ).fetchall()
    finally:
        db.close()
    return [term for term, _ in rows]


def index_folder(searcher) -> Path | None:
    """The folder of the index a searcher (or one of its segments' searchers) reads, where the
    tables kept beside the index are; None for an index in memory."""
    top = searcher.get_parent() if searcher.has_parent() else searcher
    ix = getattr(top, "_ix", None)  # Whoosh keeps the index a searcher was opened from
    folder = getattr(getattr(ix, "storage", None), "folder", None)
    return Path(folder) if folder else None
