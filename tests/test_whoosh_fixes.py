"""Whoosh bugs leaksearch patches (whoosh_fixes.py, schema.MultiDATETIME), on real indexes."""

import datetime as dt
import itertools
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.fields import DATETIME
from whoosh.writing import NO_MERGE

from indexer.index.schema import build_schema
from indexer.search.filters import Filters
from indexer.search.search import count, search

# Every field the index keeps a column for (sorting, the facet table's months, the build's
# table of indexed files): each must read right whichever segments lack it.
COLUMNS = tuple(n for n in build_schema().names() if build_schema()[n].column_type)
DOCS_PER_SEGMENT = 4


def _value(field: str, n: int):
    if isinstance(build_schema()[field], DATETIME):
        return dt.datetime(2019, 1, 1) + dt.timedelta(days=37 * n)
    return f"{field}-{n:03d}"


def _segmented_index(index_dir: Path, column: str, layout: tuple[bool, ...]) -> list:
    """One segment per entry of layout, its documents holding `column` or not; expected values."""
    ix = whoosh_index.create_in(index_dir, build_schema())
    expected = []
    for seg, has_column in enumerate(layout):
        with ix.writer() as w:
            w.mergetype = NO_MERGE
            for i in range(DOCS_PER_SEGMENT):
                n = seg * DOCS_PER_SEGMENT + i
                doc = {f: _value(f, n) for f in COLUMNS if f != column or has_column}
                doc |= {"kind": "document", "content": f"word{n} common", "text": "common"}
                w.add_document(**doc)
                expected.append(doc.get(column))
    return expected


LAYOUTS = [
    layout
    for size in (2, 3)
    for layout in itertools.product((True, False), repeat=size)
    if any(layout) and not all(layout)
]


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda lay: "".join("CX"[not c] for c in lay))
@pytest.mark.parametrize("column", COLUMNS)
def test_sparse_columns_across_segments(tmp_path, column, layout):
    expected = _segmented_index(tmp_path, column, layout)
    with whoosh_index.open_dir(tmp_path).searcher() as searcher:
        reader = searcher.reader()
        assert len(list(reader.leaf_readers())) == len(layout)
        values = reader.column_reader(column)
        raw = reader.column_reader(column, translate=False)
        default = build_schema()[column].column_type.default_value(False)
        for docnum, want in enumerate(expected):
            if want is None:
                assert raw[docnum] == default, docnum
            else:
                assert values[docnum] == want, docnum


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda lay: "".join("CX"[not c] for c in lay))
def test_search_over_segments_without_dates(tmp_path, layout):
    """Facets, timeline and date sort read the date column of every segment."""
    expected = _segmented_index(tmp_path, "date", layout)
    dated = sorted(d for d in expected if d)
    results = search(tmp_path, "common", pagelen=100, sort="date")
    assert results.total == len(expected)
    assert sum(n for _, n in results.timeline) == len(dated)
    assert [h.date for h in results.hits[: len(dated)]] == [d.isoformat(sep=" ") for d in dated]


def test_many_dates_per_document_post_it_once(tmp_path):
    """Dates of one month share Whoosh's coarse numeric terms: each posts a document once."""
    ix = whoosh_index.create_in(tmp_path, build_schema())
    days = [dt.datetime(2018, 1, 1) + dt.timedelta(hours=7 * i) for i in range(3000)]
    with ix.writer() as w:
        w.add_document(path="log", kind="document", content="chat", dates=days, date=days[0])
        w.add_document(path="other", kind="document", content="chat", dates=days[:5])
    with ix.searcher() as searcher:
        reader = searcher.reader()
        for term in reader.lexicon("dates"):
            ids = list(reader.postings("dates", term).all_ids())
            assert len(ids) == len(set(ids)), term
    # The crash the duplicates caused: a date range with an exclusion (AndNotMatcher asserted).
    filters = Filters(
        exclude={"kind": ("message",)}, date_from=dt.date(2018, 2, 1), date_to=dt.date(2018, 12, 31)
    )
    assert search(tmp_path, "chat", filters).total == count(tmp_path, "chat", filters) == 1
