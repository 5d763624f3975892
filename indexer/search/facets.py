"""Counts over a result set: facet values, every value of one facet, and a month-by-month timeline.

Counting reads each facet's posting lists once per committed index state into arrays of each
document's values (Values), kept while that state is current; a query's counts are then read,
vectorised, from its matches' values instead of a posting-list intersection per value.
"""

import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
from whoosh.collectors import TimeLimitCollector, UnsortedCollector
from whoosh.reading import IndexReader
from whoosh.searching import Searcher, TimeLimit
from whoosh.util.times import long_to_datetime

from indexer.index import aliases
from indexer.index.aliases import read_aliases
from indexer.index.lexicon import index_folder
from indexer.index.reader import read_index
from indexer.index.schema import FACETS, INDICATOR_FACETS, NAME_FACETS
from indexer.index.terms import most_frequent, term_postings
from indexer.search.filters import Filters, filtered, normalize_filters
from indexer.search.query import QueryError, parse_query
from indexer.search.translate import Options

# Indicator facets can hold a value per domain or IP in the corpus; counting the most frequent
# few hundred keeps a query fast, at the cost of missing values rare in the index.
_INDICATOR_CANDIDATES = 300
_INDICATOR_ROWS = 30
# Tables of the last few index states (a server answers from the newest; searches that opened an
# older one finish with it). Building one is the only work shared between threads, and is safe
# to repeat.
_STATES_KEPT = 3
_TABLES: dict[tuple, "FacetTable"] = {}
# An indicator facet's every value, read for its facet page (per index state and facet).
_FULL: dict[tuple, "Values"] = {}
# Timeline: the months of the 1st to 99th percentile of dated matches are drawn; beyond them, and
# beyond a gap of a year holding at most a tenth of the matches, months are counted as outliers.
_TAIL = 0.01
_GAP_MONTHS = 12
_SPARSE = 0.1


@dataclass(frozen=True)
class Values:
    """One facet's values of every document: a document's first value in `first` (-1: none),
    its other values as (document, value) pairs. Counting a query's matches reads their first
    values, and the pairs: at 100,000 documents a pass over every (document, value) pair was
    6 ms a query, at a million ten times that. A facet few documents hold (an indicator) is all
    pairs."""

    names: tuple[str, ...]
    first: np.ndarray | None  # int32 per document, or None
    docs: np.ndarray  # the other pairs: documents (int32) ...
    ids: np.ndarray  # ... and value numbers (int32)

    @classmethod
    def of(
        cls, names: tuple[str, ...], docnums: np.ndarray, value_ids: np.ndarray, doc_count: int
    ) -> "Values":
        docnums, value_ids = docnums.astype(np.int32), value_ids.astype(np.int32)
        if len(docnums) < doc_count // 8:
            return cls(names, None, docnums, value_ids)
        _, at = np.unique(docnums, return_index=True)  # each document's first pair
        first = np.full(doc_count, -1, np.int32)
        first[docnums[at]] = value_ids[at]
        others = np.ones(len(docnums), bool)
        others[at] = False
        return cls(names, first, docnums[others], value_ids[others])

    def tally(self, ids: np.ndarray, matched: np.ndarray) -> np.ndarray:
        """Each value's number of the documents ids (distinct), matched their mask."""
        found = [self.ids[matched[self.docs]]]
        if self.first is not None:
            firsts = self.first[ids]
            found.append(firsts[firsts >= 0])
        return np.bincount(np.concatenate(found), minlength=len(self.names))


@dataclass(frozen=True)
class FacetTable:
    """Every facet value's documents, and every document's month, for one index state."""

    doc_count: int  # document numbers run from 0 to doc_count - 1 (deleted ones included)
    facets: dict[str, Values]
    months: tuple[tuple[int, int], ...]  # (year, month) of every month with a dated document
    month_ids: np.ndarray  # per document: index into months, or -1 when undated

    def counts(self, ids: np.ndarray) -> dict[str, dict[str, int]]:
        """Per facet, each value's number of the documents ids (distinct), most frequent first."""
        matched = np.zeros(self.doc_count, dtype=bool)
        matched[ids] = True
        out = {}
        for facet, values in self.facets.items():
            names, n = values.names, values.tally(ids, matched)
            if facet in NAME_FACETS:
                # Values are in lexicon (code point) order: ties go by name without a sort in
                # Python over every name the matches hold.
                present = np.flatnonzero(n)
                top = present[np.lexsort((present, -n[present]))][:_INDICATOR_ROWS]
                out[facet] = {names[i]: int(n[i]) for i in top}
                continue
            ranked = sorted(
                ((names[i], int(n[i])) for i in np.flatnonzero(n)), key=lambda kv: (-kv[1], kv[0])
            )
            out[facet] = dict(ranked[:_INDICATOR_ROWS] if facet in INDICATOR_FACETS else ranked)
        return out

    def timeline(self, ids: np.ndarray) -> list[tuple[str, int]]:
        """The documents ids (distinct) per month (YYYY-MM, count), months without any included."""
        ids = self.month_ids[ids]
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


def _state(reader: IndexReader) -> tuple:
    # Segment names are unique, and a commit that deletes documents changes the deletion counts.
    return tuple(
        (r.segment().segment_id(), r.segment().deleted_count()) for r, _ in reader.leaf_readers()
    )


def facet_table(searcher: Searcher) -> FacetTable:
    """The table for the index state this searcher reads, built on first use of that state."""
    reader = searcher.reader()
    folder = index_folder(searcher)
    if reader.doc_count_all() == 0 or folder is None:
        return _build(reader, read_aliases(folder) if folder else {})
    # The names' table is written just after a commit: a table built before it is not kept.
    state = (_state(reader), aliases.stamp(folder))
    table = _TABLES.get(state)
    if table is None:
        if len(_TABLES) >= _STATES_KEPT:
            _TABLES.pop(next(iter(_TABLES)))
        table = _TABLES[state] = _build(reader, read_aliases(folder))
    return table


def _build(reader: IndexReader, pinyin_names: dict[str, str]) -> FacetTable:
    doc_count, facets = reader.doc_count_all(), {}
    for facet in (*FACETS, *INDICATOR_FACETS):
        if facet in INDICATOR_FACETS:
            terms = most_frequent(reader, facet, _INDICATOR_CANDIDATES)
        else:
            terms = list(reader.lexicon(facet))
        names, docnums, value_ids = _postings(reader, facet, terms)
        if facet == "person":
            value_ids = _same_person(names, pinyin_names)[value_ids]
        facets[facet] = Values.of(names, docnums, value_ids, doc_count)
    months, month_ids = _months(reader)
    return FacetTable(doc_count, facets, months, month_ids)


def _same_person(names: tuple[str, ...], pinyin_names: dict[str, str]) -> np.ndarray:
    """Each name's number, a pinyin name that stands for one Chinese name of the index counted
    as that name."""
    number = {v: i for i, v in enumerate(names)}
    same = np.arange(len(number))
    for name, chinese in pinyin_names.items():
        if name in number and chinese in number:
            same[number[name]] = number[chinese]
    return same


def _postings(
    reader: IndexReader, facet: str, terms: list[bytes]
) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """The values, and one (document, value number) pair per posting of those terms."""
    docnums, value_ids = term_postings(reader, facet, terms)
    return tuple(t.decode("utf-8") for t in terms), docnums, value_ids


@dataclass(frozen=True)
class FacetValues:
    """Every value of one facet among a query's matches, most frequent first."""

    facet: str
    counts: tuple[tuple[str, int], ...]
    matched: int  # documents and messages the query matched
    cut_short: bool = False  # the time limit stopped the search: counts are partial


def facet_values(
    index_dir: Path,
    text: str,
    filters: Filters | None,
    facet: str,
    time_limit: float = 10.0,
    translation: Options | None = None,
) -> FacetValues:
    """Count every value of one facet (indicators included) over a query's matches."""
    if facet not in (*FACETS, *INDICATOR_FACETS):
        raise QueryError(f"unknown facet: {facet}")
    full = filtered(parse_query(text, translation), normalize_filters(filters or Filters()))
    deadline = time.monotonic() + time_limit

    def work(searcher: Searcher) -> FacetValues:
        collector = UnsortedCollector()
        timed = TimeLimitCollector(
            collector, max(deadline - time.monotonic(), 0.0), use_alarm=False
        )
        try:
            searcher.search_with_collector(full, timed)
            cut = False
        except TimeLimit:
            cut = True
        ids = np.fromiter(collector.all_ids(), dtype=np.int64)
        values = _every_value(searcher, facet)
        matched = np.zeros(searcher.reader().doc_count_all(), dtype=bool)
        matched[ids] = True
        n = values.tally(ids, matched)
        counts = sorted(((values.names[i], int(n[i])) for i in np.flatnonzero(n)), key=_rank)
        return FacetValues(facet, tuple(counts), len(ids), cut)

    return read_index(index_dir, work)


def _rank(kv: tuple[str, int]) -> tuple[int, str]:
    return -kv[1], kv[0]


def _every_value(searcher: Searcher, facet: str) -> Values:
    table = facet_table(searcher)
    if facet not in INDICATOR_FACETS:
        return table.facets[facet]
    reader = searcher.reader()
    key = (_state(reader), facet)
    if key not in _FULL:
        if len(_FULL) >= _STATES_KEPT * len(INDICATOR_FACETS):
            _FULL.pop(next(iter(_FULL)))
        found = _postings(reader, facet, list(reader.lexicon(facet)))
        _FULL[key] = Values.of(*found, reader.doc_count_all())
    return _FULL[key]


@dataclass(frozen=True)
class Timeline:
    """The months drawn (YYYY-MM, count) and the dated matches before and after them."""

    months: tuple[tuple[str, int], ...]
    before: int = 0
    after: int = 0


def trim_timeline(months: list[tuple[str, int]]) -> Timeline:
    """Months of the bulk of the matches: one stray date must not stretch the timeline.

    Whole months are left out at either end while they hold no more than 1% of the dated matches
    (the 1st and 99th percentiles), then a run of months beyond a gap of a year or more while it
    holds at most a tenth of them (a stray date in a small result set); both are counted.
    """
    counts = [n for _, n in months]
    total = sum(counts)
    if not total:
        return Timeline(())
    lo, hi = 0, len(counts)  # the months kept: counts[lo:hi]
    cut = int(total * _TAIL)
    before = after = 0
    while lo < hi and before + counts[lo] <= cut:
        before, lo = before + counts[lo], lo + 1
    while lo < hi and after + counts[hi - 1] <= cut:
        after, hi = after + counts[hi - 1], hi - 1
    skipped, dropped = _sparse_start(counts[lo:hi], total)
    lo, before = lo + skipped, before + dropped
    skipped, dropped = _sparse_start(counts[lo:hi][::-1], total)
    hi, after = hi - skipped, after + dropped
    return Timeline(tuple(months[lo:hi]), before, after)


def _sparse_start(counts: list[int], total: int) -> tuple[int, int]:
    """(months, matches) of the runs before a gap of a year or more that hold at most a tenth."""
    lo = dropped = 0
    while True:
        gap = next(
            (
                i
                for i in range(lo + 1, len(counts) - _GAP_MONTHS)
                if not any(counts[i : i + _GAP_MONTHS])
            ),
            None,
        )
        run = sum(counts[lo:gap]) if gap is not None else 0
        if gap is None or dropped + run > total * _SPARSE:
            return lo, dropped
        dropped += run
        lo = next(i for i in range(gap, len(counts)) if counts[i])


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
