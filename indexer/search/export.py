"""A whole result set as CSV or JSON Lines, streamed, and hit counts for a batch of terms.

An export reads each hit's stored fields once and never builds the page's hits (no context
messages, no title marking): a message's row holds its text, a document's an excerpt around its
first matches.
"""

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from whoosh import query as Q
from whoosh.index import Index

from indexer.classify.enrich import INDICATORS
from indexer.index.reader import open_index
from indexer.search.filters import Filters, filtered, normalize_filters
from indexer.search.highlight import MARKED, patterns, snippet, spans
from indexer.search.query import QueryError, parse_query, settle
from indexer.search.search import count_grouped
from indexer.search.translate import Options

MESSAGE_COLUMNS = ("message_index", "message_time", "message_from", "message_to")
LIST_COLUMNS = ("country", "target_type", *INDICATORS)
NAME_COLUMNS = ("person", "org")  # names hold spaces: the index separates them with commas
COLUMNS = (
    "path",
    "title",
    "kind",
    "date",
    *MESSAGE_COLUMNS,
    "lang",
    "filetype",
    *LIST_COLUMNS,
    *NAME_COLUMNS,
    "snippet",
    "link",
)
_CHUNK = 500  # hits whose stored fields are read between two yields
# Excel runs a cell that starts with one of these as a formula: leaked text must stay text.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"  # Excel reads a CSV as UTF-8 only when it starts with one

# A hit's document page: link(path, message index or None) -> absolute URL.
Linker = Callable[[str, int | None], str]


def export_rows(
    index_dir: Path,
    text: str,
    filters: Filters | None = None,
    sort: str = "relevance",
    link: Linker | None = None,
    translation: Options | None = None,
) -> Iterator[dict]:
    """Every hit of a query as a flat record (see COLUMNS), read while they are written out.

    The query, the filters (QueryError) and the index (EmptyIndexError, OldIndexError) are
    checked now; hits are read as rows are asked for.
    """
    q = parse_query(text, translation)
    full = filtered(q, normalize_filters(filters or Filters()))
    return _rows(open_index(index_dir), full, q, sort, link)


def _rows(ix: Index, full: Q.Query, q: Q.Query, sort: str, link: Linker | None) -> Iterator[dict]:
    # One searcher for the whole export: the files it opened stay readable if a commit lands.
    with ix.searcher() as searcher:
        pats = patterns(settle(q, searcher))
        if sort in ("date", "-date"):
            found = searcher.search(full, limit=None, sortedby="date", reverse=sort == "-date")
        else:
            found = searcher.search(full, limit=None)
        docnums = [docnum for _, docnum in found.top_n]
        for start in range(0, len(docnums), _CHUNK):
            for docnum in docnums[start : start + _CHUNK]:
                yield _row(searcher.stored_fields(docnum), pats, link)


def _row(stored: dict, pats: list, link: Linker | None) -> dict:
    is_message = stored.get("kind") == "message"
    body = stored.get("text", "")
    at = stored.get("msg_index", 0) if is_message else None
    row = {
        "path": stored["path"],
        "title": stored.get("title", ""),
        "kind": stored.get("kind", "document"),
        "date": stored["date"].isoformat(sep=" ") if stored.get("date") else "",
        "message_index": at,
        "message_time": stored.get("msg_time", "") if is_message else None,
        "message_from": stored.get("sender", "") if is_message else None,
        "message_to": stored.get("recipient", "") if is_message else None,
        "lang": stored.get("lang", ""),
        "filetype": stored.get("filetype", ""),
    }
    for name in LIST_COLUMNS:
        row[name] = stored.get(name, "").split()
    for name in NAME_COLUMNS:
        row[name] = [n for n in stored.get(name, "").split(",") if n]
    # A message is short: all of it; a document: excerpts around its first matches.
    excerpt = body if is_message else snippet(body, spans(body, pats, MARKED, 3)).striptags()
    row["snippet"] = excerpt
    row["link"] = link(stored["path"], at) if link else ""
    return row


def to_jsonl(rows: Iterable[dict]) -> Iterator[str]:
    """JSON Lines, one hit per line."""
    for row in rows:
        yield json.dumps(row, ensure_ascii=False) + "\n"


def to_csv(rows: Iterable[dict], bom: bool = True) -> Iterator[str]:
    """CSV for Excel: UTF-8 with a BOM, one column per field, lists joined with "; "."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    yield (BOM if bom else "") + buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([csv_cell(row[c]) for c in COLUMNS])
        yield buffer.getvalue()


def csv_cell(value) -> str:
    """One value as CSV text: a list joined, nothing for None, a formula-like text quoted."""
    if value is None:
        return ""
    text = "; ".join(value) if isinstance(value, list) else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


@dataclass(frozen=True)
class BatchRow:
    """A batch term's counts: documents (a chat log once) and chat messages, or why it failed."""

    term: str
    documents: int | None
    messages: int | None
    error: str = ""


def batch_counts(
    index_dir: Path, terms: Iterable[str], filters: Filters | None = None
) -> list[BatchRow]:
    """Counts per non-empty line; a term that cannot run gets None and why."""
    rows = []
    for term in dict.fromkeys(t.strip() for t in terms if t.strip()):
        try:
            rows.append(BatchRow(term, *count_grouped(index_dir, term, filters)))
        except QueryError as e:
            rows.append(BatchRow(term, None, None, str(e)))
    return rows


def batch_csv(rows: list[BatchRow]) -> str:
    """Batch counts as CSV: term, documents, messages (empty when it could not run), error."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["term", "documents", "messages", "error"])
    for r in rows:
        counts = ("", "") if r.documents is None else (r.documents, r.messages)
        writer.writerow((r.term, *counts, r.error))
    return out.getvalue()
