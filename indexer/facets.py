"""Counts over a result set: facet values and a month-by-month timeline."""

from collections import Counter

from whoosh.searching import Searcher
from whoosh.util.times import long_to_datetime

from indexer.schema import FACETS, INDICATOR_FACETS

# Indicator facets can hold a value per domain or IP in the corpus; counting the most frequent
# few hundred keeps a query fast, at the cost of missing values rare in the index.
_INDICATOR_CANDIDATES = 300
_INDICATOR_ROWS = 30


def facet_counts(searcher: Searcher, matched: set[int]) -> dict[str, dict[str, int]]:
    """Per facet, each value's number of matched documents, most frequent first."""
    reader = searcher.reader()
    counts: dict[str, dict[str, int]] = {}
    for facet in (*FACETS, *INDICATOR_FACETS):
        if facet in INDICATOR_FACETS:
            terms = [t for _, t in reader.most_frequent_terms(facet, _INDICATOR_CANDIDATES)]
        else:
            terms = list(reader.lexicon(facet))
        values = {}
        for term in terms:
            value = term.decode("utf-8")
            n = len(matched.intersection(reader.postings(facet, value).all_ids()))
            if n:
                values[value] = n
        ranked = sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))
        counts[facet] = dict(ranked[:_INDICATOR_ROWS] if facet in INDICATOR_FACETS else ranked)
    return counts


def timeline(searcher: Searcher, matched: set[int]) -> list[tuple[str, int]]:
    """Matched documents per month of their date (YYYY-MM, count), months without any included."""
    reader = searcher.reader()
    if not matched or reader.doc_count() == 0 or not reader.has_column("date"):
        return []
    # Raw values: documents without a date hold the column's default, which is no datetime.
    column = reader.column_reader("date", translate=False)
    months: Counter[tuple[int, int]] = Counter()
    for docnum in matched:
        when = _month(column[docnum])
        if when:
            months[when] += 1
    if not months:
        return []
    (y, m), last = min(months), max(months)
    out = []
    while (y, m) <= last:
        out.append((f"{y:04d}-{m:02d}", months[(y, m)]))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _month(raw: int) -> tuple[int, int] | None:
    try:
        when = long_to_datetime(raw)
    except (OverflowError, ValueError):
        return None
    return (when.year, when.month) if when.year >= 1990 else None
