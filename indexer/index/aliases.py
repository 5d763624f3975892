"""Person names the index holds in pinyin (Wu Haibo) that stand for one of its Chinese names
(吴海波), kept beside the index: the person facet counts them as that name and a filter for
either finds both.

A document's own text merges the two when it names both (entities.merge_pinyin); a text in
English alone keeps the pinyin, since pinyin cannot tell 吴海波 from 伍海波. Over the whole index
the pinyin name is the Chinese one when exactly one Chinese name of the index reads so; an
indexing run that changed something writes the table again after its commit (entities'
chinese_names over the person field's values).
"""

import sqlite3
from functools import lru_cache
from pathlib import Path

from whoosh.index import Index

FILE = "names.sqlite"
_SCHEMA = "CREATE TABLE IF NOT EXISTS pinyin_names (name TEXT PRIMARY KEY, chinese TEXT NOT NULL)"


def write_aliases(index_dir: Path, ix: Index) -> None:
    """The table for the index as committed, in one transaction (a search reads the old or the
    new one)."""
    # Here, not at import: a search reads the table without the entity extractor's modules.
    from indexer.classify.entities import chinese_names

    with ix.reader() as reader:
        names = [t.decode("utf-8") for t in reader.lexicon("person")]
    db = sqlite3.connect(index_dir / FILE)
    try:
        with db:
            db.execute(_SCHEMA)
            db.execute("DELETE FROM pinyin_names")
            db.executemany("INSERT INTO pinyin_names VALUES (?, ?)", chinese_names(names).items())
    finally:
        db.close()


def same_person(index_dir: Path, name: str) -> tuple[str, ...]:
    """Every form of the index's person name: itself, its Chinese name, and the pinyin names
    that stand for that Chinese name."""
    found = stamp(index_dir)
    if not found:
        return (name,)
    chinese = _read(index_dir / FILE, found).get(name, name)
    return (chinese, *_pinyin_of(index_dir / FILE, found).get(chinese, ()))


def read_aliases(index_dir: Path) -> dict[str, str]:
    """Pinyin name -> the Chinese name it stands for; empty for an index without the table."""
    found = stamp(index_dir)
    return _read(index_dir / FILE, found) if found else {}


def stamp(index_dir: Path) -> int:
    """When the table was last written (0: never): what a cache of it is kept by."""
    try:
        return (index_dir / FILE).stat().st_mtime_ns
    except FileNotFoundError:
        return 0


@lru_cache(maxsize=8)
def _read(path: Path, written: int) -> dict[str, str]:
    # Keyed by the file's modification time: a run that rewrites the table is read afresh.
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return dict(db.execute("SELECT name, chinese FROM pinyin_names"))
    except sqlite3.OperationalError:  # written by a run killed before its table existed
        return {}
    finally:
        db.close()


@lru_cache(maxsize=8)
def _pinyin_of(path: Path, written: int) -> dict[str, tuple[str, ...]]:
    # Chinese name -> the pinyin names that stand for it: a person filter asks once per segment.
    found: dict[str, list[str]] = {}
    for name, chinese in sorted(_read(path, written).items()):
        found.setdefault(chinese, []).append(name)
    return {chinese: tuple(names) for chinese, names in found.items()}
