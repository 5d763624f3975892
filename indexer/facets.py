"""Counts over a result set: facet values and a month-by-month timeline.

Counting reads each facet's posting lists once per committed index state into flat arrays
(document number, value number), kept while that state is current; a query's counts are then one
vectorised pass over those arrays instead of a posting-list intersection per value.
"""

from dataclasses import dataclass
from datetime import datetime

import numpy as np
from whoosh.reading import IndexReader
from whoosh.searching import Searcher
from whoosh.util.times import long_to_datetime

from indexer.schema import FACETS, INDICATOR_FACETS

# Indicator facets can hold a value per domain or IP in the corpus; counting the most frequent
# few hundred keeps a query fast, at the cost of missing values rare in the index.
_INDICATOR_CANDIDATES = 300
_INDICATOR_ROWS = 30
# Tables of the last few index states (a server answers from the newest; searches that opened an
# older one finish with it). Building one is the only work shared between threads, and is safe
# to repeat.
_STATES_KEPT = 3
_TABLES: dict[tuple, "FacetTable"] = {}


@dataclass(frozen=True)
class FacetTable:
    """Every facet value's documents, and every document's month, for one index state."""

    doc_count: int  # document numbers run from 0 to doc_count - 1 (deleted ones included)
    values: dict[str, tuple[str, ...]]
    docnums: dict[str, np.ndarray]  # per facet: one entry per (document, value) pair ...
    value_ids: dict[str, np.ndarray]  # ... and the value it holds, as an index into values
    months: tuple[tuple[int, int], ...]  # (year, month) of every month with a dated document
    month_ids: np.ndarray  # per document: index into months, or -1 when undated

    def mask(self, docnums: np.ndarray) -> np.ndarray:
        """A boolean array over all documents, True for the given document numbers."""
        out = np.zeros(self.doc_count, dtype=bool)
        out[docnums] = True
        return out

    def counts(self, matched: np.ndarray) -> dict[str, dict[str, int]]:
        """Per facet, each value's number of matched documents, most frequent first."""
        out = {}
        for facet, values in self.values.items():
            hits = self.value_ids[facet][matched[self.docnums[facet]]]
            n = np.bincount(hits, minlength=len(values))
            ranked = sorted(
                ((values[i], int(n[i])) for i in np.flatnonzero(n)), key=lambda kv: (-kv[1], kv[0])
            )
            out[facet] = dict(ranked[:_INDICATOR_ROWS] if facet in INDICATOR_FACETS else ranked)
        return out

    def timeline(self, matched: np.ndarray) -> list[tuple[str, int]]:
        """Matched documents per month (YYYY-MM, count), months without any included."""
        ids = self.month_ids[matched]
        n = np.bincount(ids[ids >= 0], minlength=len(self.months))
        present = [self.months[i] for i in np.flatnonzero(n)]
        if not present:
            return []
        per_month = {self.months[i]: int(n[i]) for i in np.flatnonzero(n)}
        (y, m), last = present[0], present[-1]
        out = []
        while (y, m) <= last:
            out.append((f"{y:04d}-{m:02d}", per_month.get((y, m), 0)))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out


def facet_table(searcher: Searcher) -> FacetTable:
    """The table for the index state this searcher reads, built on first use of that state."""
    reader = searcher.reader()
    if reader.doc_count_all() == 0:
        return _build(reader)
    # Segment names are unique, and a commit that deletes documents changes the deletion counts.
    state = tuple(
        (r.segment().segment_id(), r.segment().deleted_count()) for r, _ in reader.leaf_readers()
    )
    table = _TABLES.get(state)
    if table is None:
        if len(_TABLES) >= _STATES_KEPT:
            _TABLES.pop(next(iter(_TABLES)))
        table = _TABLES[state] = _build(reader)
    return table


def _build(reader: IndexReader) -> FacetTable:
    values, docnums, value_ids = {}, {}, {}
    for facet in (*FACETS, *INDICATOR_FACETS):
        if facet in INDICATOR_FACETS:
            terms = [t for _, t in reader.most_frequent_terms(facet, _INDICATOR_CANDIDATES)]
        else:
            terms = list(reader.lexicon(facet))
        ids = [np.fromiter(reader.postings(facet, t).all_ids(), dtype=np.int64) for t in terms]
        values[facet] = tuple(t.decode("utf-8") for t in terms)
        docnums[facet] = np.concatenate(ids) if ids else np.zeros(0, dtype=np.int64)
        value_ids[facet] = np.repeat(np.arange(len(ids)), [len(a) for a in ids])
    months, month_ids = _months(reader)
    return FacetTable(reader.doc_count_all(), values, docnums, value_ids, months, month_ids)


def _months(reader: IndexReader) -> tuple[tuple[tuple[int, int], ...], np.ndarray]:
    n = reader.doc_count_all()
    if n == 0 or not reader.has_column("date"):
        return (), np.full(n, -1, dtype=np.int64)
    # Raw values: documents without a date hold the column's default, which is no datetime.
    column = reader.column_reader("date", translate=False)
    per_doc = [_month(column[d]) for d in range(n)]
    months = tuple(sorted({m for m in per_doc if m}))
    index = {m: i for i, m in enumerate(months)}
    return months, np.array([index[m] if m else -1 for m in per_doc], dtype=np.int64)


def _month(raw: int) -> tuple[int, int] | None:
    try:
        when: datetime = long_to_datetime(raw)
    except (OverflowError, ValueError):
        return None
    return (when.year, when.month) if when.year >= 1990 else None
