"""A whole result set as CSV or JSON Lines, and hit counts for a batch of terms."""

import csv
import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from indexer.filters import Filters
from indexer.query import QueryError
from indexer.search import MAX_PAGELEN, Hit, count, search

COLUMNS = (
    "path",
    "title",
    "kind",
    "date",
    "country",
    "target_type",
    "lang",
    "message",
    "indicators",
    "snippet",
)


def all_hits(
    index_dir: Path, text: str, filters: Filters | None = None, sort: str = "relevance"
) -> Iterator[Hit]:
    """Every hit of a query, page after page."""
    page = 1
    while True:
        results = search(index_dir, text, filters, page=page, pagelen=MAX_PAGELEN, sort=sort)
        yield from results.hits
        if page >= results.pages:
            return
        page += 1


def export_row(hit: Hit) -> dict:
    """One hit as a flat record: lists and objects as JSON where CSV needs a string."""
    return {
        "path": hit.path,
        "title": hit.title,
        "kind": hit.kind,
        "date": hit.date,
        "country": list(hit.country),
        "target_type": list(hit.target_type),
        "lang": hit.lang,
        "message": hit.message,
        "indicators": hit.indicators,
        "snippet": hit.snippet.striptags(),
    }


def to_jsonl(hits: Iterable[Hit]) -> Iterator[str]:
    """JSON Lines, one hit per line."""
    for hit in hits:
        yield json.dumps(export_row(hit), ensure_ascii=False) + "\n"


def to_csv(hits: Iterable[Hit]) -> Iterator[str]:
    """CSV with a header row; list and object columns hold JSON."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    for hit in hits:
        row = export_row(hit)
        writer.writerow(
            {
                k: v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
                for k, v in row.items()
            }
        )
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def batch_counts(
    index_dir: Path, terms: Iterable[str], filters: Filters | None = None
) -> list[tuple[str, int | None, str]]:
    """(term, hit count, error) per non-empty line; a term that cannot run gets None and why."""
    rows = []
    for term in dict.fromkeys(t.strip() for t in terms if t.strip()):
        try:
            rows.append((term, count(index_dir, term, filters), ""))
        except QueryError as e:
            rows.append((term, None, str(e)))
    return rows


def batch_csv(rows: list[tuple[str, int | None, str]]) -> str:
    """Batch counts as CSV: term, hits (empty when the term could not run), error."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["term", "hits", "error"])
    writer.writerows((t, "" if n is None else n, err) for t, n, err in rows)
    return out.getvalue()
