"""The two peers leaksearch is measured against, each what a researcher writes in an afternoon.

- whoosh-jieba: Whoosh with jieba's ChineseAnalyzer, every file read as UTF-8 text, one writer.
- fts5: SQLite FTS5 with the trigram tokenizer, every file inserted in one transaction.

Both are single process, have no pinyin, no Traditional/Simplified folding and no cross-lingual
country names; their country facet is a substring check of a few names at index time.
"""

import os
import shutil
import sqlite3
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

# The peers' facet: a few country names checked as substrings, as a quick script would.
COUNTRY_NAMES = {
    "IN": ("India", "印度"),
    "VN": ("Vietnam", "越南"),
    "TH": ("Thailand", "泰国"),
    "MY": ("Malaysia", "马来西亚"),
    "HK": ("Hong Kong", "香港"),
    "TW": ("Taiwan", "台湾"),
    "US": ("United States", "美国"),
    "JP": ("Japan", "日本"),
}
FTS5_FILE = "fts5.db"
TOP = 10  # hits fetched per query, as leaksearch's first page


@dataclass(frozen=True)
class BuildStats:
    """What a peer's build did."""

    docs: int
    seconds: float


def naive_countries(text: str) -> list[str]:
    """Codes of the countries whose English or Chinese name occurs anywhere in text."""
    return [code for code, names in COUNTRY_NAMES.items() if any(n in text for n in names)]


def corpus_files(corpus_dir: Path) -> list[tuple[Path, str]]:
    """Every file under corpus_dir with its relative path, sorted."""
    out = []
    for root, dirs, files in os.walk(corpus_dir):
        dirs.sort()
        out += [(Path(root, f), Path(root, f).relative_to(corpus_dir).as_posix()) for f in files]
    return sorted(out, key=lambda pair: pair[1])


def read_text(path: Path) -> str:
    return path.read_text("utf-8", errors="replace")


# --- whoosh-jieba ------------------------------------------------------------------------------


def whoosh_build(corpus_dir: Path, index_dir: Path) -> BuildStats:
    """Index every file with Whoosh and jieba: one writer, default settings."""
    from jieba.analyse import ChineseAnalyzer
    from whoosh import index
    from whoosh.fields import ID, KEYWORD, TEXT, Schema

    started = time.perf_counter()
    schema = Schema(
        path=ID(stored=True, unique=True),
        content=TEXT(analyzer=ChineseAnalyzer(), stored=False),
        country=KEYWORD(),
    )
    # No incremental mode: a re-run starts from an empty folder, as the script would.
    shutil.rmtree(index_dir, ignore_errors=True)
    index_dir.mkdir(parents=True)
    ix = index.create_in(index_dir, schema)
    writer = ix.writer()
    docs = 0
    for path, rel in corpus_files(corpus_dir):
        text = read_text(path)
        writer.add_document(path=rel, content=text, country=" ".join(naive_countries(text)))
        docs += 1
    writer.commit()
    return BuildStats(docs, time.perf_counter() - started)


def whoosh_search(
    index_dir: Path, query_kind: str, text: str, facet: str | None = None
) -> tuple[int, float]:
    """Hit count and seconds of one query; the index is opened per query, as a web app would."""
    from whoosh import index, sorting
    from whoosh import query as Q
    from whoosh.qparser import QueryParser

    started = time.perf_counter()
    ix = index.open_dir(index_dir)
    q = QueryParser("content", ix.schema).parse(f'"{text}"' if query_kind == "phrase" else text)
    with ix.searcher() as searcher:
        if facet:
            q = Q.And([q, Q.Term("country", facet)])
            groups = sorting.FieldFacet("country", allow_overlap=True)
            results = searcher.search(q, limit=TOP, groupedby={"country": groups})
            results.groups("country")
        else:
            results = searcher.search(q, limit=TOP)
        # With groupedby Whoosh scores every match; the page is still the first TOP.
        paths = [hit["path"] for hit in results[:TOP]]
        total = len(results)
    assert len(paths) == min(total, TOP)
    return total, time.perf_counter() - started


# --- fts5 --------------------------------------------------------------------------------------


def fts5_build(corpus_dir: Path, index_dir: Path) -> BuildStats:
    """Insert every file into an FTS5 trigram table in one transaction."""
    started = time.perf_counter()
    index_dir.mkdir(parents=True, exist_ok=True)
    db = index_dir / FTS5_FILE
    db.unlink(missing_ok=True)
    con = sqlite3.connect(db)
    try:
        con.execute(
            "CREATE VIRTUAL TABLE docs USING fts5("
            "path UNINDEXED, country UNINDEXED, content, tokenize='trigram')"
        )
        docs = 0
        with con:
            for path, rel in corpus_files(corpus_dir):
                text = read_text(path)
                con.execute(
                    "INSERT INTO docs (path, country, content) VALUES (?, ?, ?)",
                    (rel, " ".join(naive_countries(text)), text),
                )
                docs += 1
    finally:
        con.close()
    return BuildStats(docs, time.perf_counter() - started)


def fts5_search(
    index_dir: Path, query_kind: str, text: str, facet: str | None = None
) -> tuple[int, float]:
    """Hit count and seconds of one query, on a connection opened per query."""
    started = time.perf_counter()
    where, params = _fts5_where(text)
    if facet:
        # Country holds space-separated codes: pad it so "IN" cannot match inside another code.
        where += " AND (' ' || country || ' ') LIKE ?"
        params += (f"% {facet} %",)
    con = sqlite3.connect(f"file:{index_dir / FTS5_FILE}?mode=ro", uri=True)
    try:
        total = con.execute(f"SELECT count(*) FROM docs WHERE {where}", params).fetchone()[0]
        order = " ORDER BY rank" if "MATCH" in where else ""
        top = con.execute(f"SELECT path FROM docs WHERE {where}{order} LIMIT {TOP}", params)
        paths = [row[0] for row in top]
        if facet:
            combos = con.execute(
                f"SELECT country, count(*) FROM docs WHERE {where} GROUP BY country", params
            )
            _per_code(combos)
    finally:
        con.close()
    assert len(paths) == min(total, TOP)
    return total, time.perf_counter() - started


def _fts5_where(text: str) -> tuple[str, tuple[str, ...]]:
    """A MATCH for terms of 3+ characters; a substring scan for shorter ones."""
    if len(text) >= 3:
        return "docs MATCH ?", ('"' + text.replace('"', '""') + '"',)
    # Trigrams cannot match a 2-character word. FTS5's documented fallback, LIKE '%经济%', scans
    # every row anyway, and on SQLite 3.40 it returns no rows for two CJK characters (it seems to
    # count bytes, not characters, and looks for trigrams that do not exist); instr() is right.
    return "instr(content, ?) > 0", (text,)


def _per_code(combos) -> Counter:
    """Facet counts per country code from GROUP BY counts of space-separated code lists."""
    counts: Counter = Counter()
    for codes, n in combos:
        for code in (codes or "").split():
            counts[code] += n
    return counts


PEERS = {
    "whoosh-jieba": (whoosh_build, whoosh_search),
    "fts5": (fts5_build, fts5_search),
}
