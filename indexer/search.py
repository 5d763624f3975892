"""Search an index: expanded query, facet filters and exclusions, counts, highlighted snippets."""

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from markupsafe import Markup
from whoosh import query as Q
from whoosh.collectors import Collector, TimeLimitCollector, TopCollector
from whoosh.searching import Searcher, TimeLimit

from indexer.enrich import INDICATORS
from indexer.facets import facet_table
from indexer.filters import Filters, filtered, normalize_filters
from indexer.highlight import mark, patterns, snippet, spans
from indexer.query import parse_query
from indexer.reader import read_index

_BODY_FIELDS = ("content", "cjk", "py", "py2", "pyi")
_TITLE_FIELDS = (*_BODY_FIELDS, "title")
MAX_PAGELEN = 100
CONTEXT = 3  # messages shown before and after a chat message hit
TIME_LIMIT = 10.0  # seconds a search may take before it returns what it found so far


@dataclass(frozen=True)
class Hit:
    """One matching document, with its snippet already escaped and marked up."""

    path: str
    title: str
    title_html: Markup
    score: float
    snippet: Markup
    country: tuple[str, ...]
    target_type: tuple[str, ...]
    lang: str
    filetype: str
    kind: str = "document"
    date: str = ""  # ISO date the document is sorted by, if it has one
    indicators: dict[str, list[str]] = field(default_factory=dict)
    message: dict | None = None  # time, from, to, index of a chat message hit
    context: tuple[dict, ...] = ()  # the messages around it, each with "html" and "hit"

    def to_json(self) -> dict:
        """The hit as the CLI and API print it."""
        out = {
            "path": self.path,
            "title": self.title,
            "score": round(self.score, 4),
            "snippet": str(self.snippet),
            "country": list(self.country),
            "target_type": list(self.target_type),
            "lang": self.lang,
        }
        if self.message is not None:
            out["message"] = self.message
        return out


@dataclass(frozen=True)
class Results:
    """A page of hits, the total, facet counts over all matches, and the time taken."""

    query: str
    total: int
    hits: tuple[Hit, ...]
    facets: dict[str, dict[str, int]]
    page: int
    pagelen: int
    seconds: float
    timeline: list[tuple[str, int]] = field(default_factory=list)  # (YYYY-MM, matches)
    cut_short: bool = False  # the time limit stopped the search: total, facets, hits are partial

    @property
    def pages(self) -> int:
        """Number of pages."""
        return max(1, -(-self.total // self.pagelen))

    def to_json(self) -> dict:
        """The shape shared by `leaksearch search --json` and /api/search."""
        return {
            "total": self.total,
            "hits": [h.to_json() for h in self.hits],
            "facets": self.facets,
            "cut_short": self.cut_short,
        }


@dataclass(frozen=True)
class Document:
    """One indexed document with its text marked where the query matched."""

    path: str
    title: str
    text_html: Markup
    matches: int
    fields: dict
    messages: tuple[dict, ...] = ()  # a chat log's messages, each with "html" marked up


def search(
    index_dir: Path,
    text: str,
    filters: Filters | None = None,
    page: int = 1,
    pagelen: int = 10,
    sort: str = "relevance",
    time_limit: float = TIME_LIMIT,
) -> Results:
    """Run a typed query with filters; sort is relevance, date or -date (newest first).

    A search still running after time_limit seconds stops and returns what it found, marked
    cut_short. Raises QueryError for a query or filter that cannot run.
    """
    started = time.monotonic()
    deadline = started + time_limit
    filters = normalize_filters(filters or Filters())
    q = parse_query(text)
    full = filtered(q, filters)
    page, pagelen = max(1, page), max(1, min(pagelen, MAX_PAGELEN))

    def work(searcher: Searcher) -> Results:
        table = facet_table(searcher)
        collector, cut = _collect(searcher, full, page * pagelen, sort, deadline)
        matched = table.mask(np.fromiter(collector.all_ids(), dtype=np.int64))
        first = collector.results()[(page - 1) * pagelen : page * pagelen]
        hits = _hits(searcher, first, q)
        facets, months = table.counts(matched), table.timeline(matched)
        seconds = time.monotonic() - started
        total = collector.count()
        return Results(text, total, hits, facets, page, pagelen, seconds, months, cut_short=cut)

    return read_index(index_dir, work)


class _TopAndAll(TopCollector):
    """The best-scoring hits, and every match's document number for the total and the facets.

    One pass instead of Whoosh's two (ranking skips low-scoring blocks, so it cannot count).
    """

    def __init__(self, limit: int) -> None:
        # Whoosh would also replace the matcher by one without the parts that cannot reach the
        # top hits any more (replace=10), dropping their documents from the count: not here.
        super().__init__(limit=limit, usequality=False, replace=0)

    def _collect(self, global_docnum: int, score: float):
        self.docset.add(global_docnum)
        return super()._collect(global_docnum, score)

    def all_ids(self):
        return self.docset

    def count(self) -> int:
        return len(self.docset)


def _collect(
    searcher: Searcher, q: Q.Query, limit: int, sort: str, deadline: float
) -> tuple[Collector, bool]:
    """Run q once, ranked by score or date; True if the deadline stopped it (results partial)."""
    if sort in ("date", "-date"):
        ranked = searcher.collector(limit=limit, sortedby="date", reverse=sort == "-date")
    else:
        ranked = _TopAndAll(limit)
    # No SIGALRM: searches run in a server's worker threads, where signals cannot be set.
    timed = TimeLimitCollector(ranked, max(deadline - time.monotonic(), 0.0), use_alarm=False)
    try:
        searcher.search_with_collector(q, timed)
    except TimeLimit:
        return ranked, True
    return ranked, False


def count(index_dir: Path, text: str, filters: Filters | None = None) -> int:
    """How many documents and messages a query matches (no facets, no snippets)."""
    full = filtered(parse_query(text), normalize_filters(filters or Filters()))
    return read_index(index_dir, lambda searcher: sum(1 for _ in full.docs(searcher)))


def get_document(index_dir: Path, path: str, text: str = "") -> Document | None:
    """The stored document at a corpus-relative path, marked up for the query, or None."""
    pats = patterns(parse_query(text)) if text.strip() else []

    def work(searcher: Searcher) -> tuple[dict | None, tuple[dict, ...]]:
        stored = searcher.document(path=path, kind="document")
        return stored, (_messages(searcher, path, None, pats) if stored else ())

    stored, messages = read_index(index_dir, work)
    if stored is None:
        return None
    body = stored.get("text", "")
    marked = spans(body, pats, _BODY_FIELDS)
    meta = {k: v for k, v in stored.items() if k != "text"}
    matches = len(marked) if not messages else sum(m["hit"] for m in messages)
    return Document(path, stored.get("title", ""), mark(body, marked), matches, meta, messages)


def _messages(searcher: Searcher, path: str, around: int | None, pats: list) -> tuple[dict, ...]:
    """A chat log's messages (all, or the few around one), each marked up for the query."""
    q = Q.And([Q.Term("path", path), Q.Term("kind", "message")])
    if around is not None:
        q = Q.And([q, Q.NumericRange("msg_index", around - CONTEXT, around + CONTEXT)])
    found = searcher.search(q, limit=None, sortedby="msg_index")
    out = []
    for hit in found:
        f = hit.fields()
        marked = spans(f.get("text", ""), pats, _BODY_FIELDS)
        out.append({**_message(f), "html": mark(f.get("text", ""), marked), "hit": bool(marked)})
    return tuple(out)


def _message(stored: dict) -> dict:
    return {
        "time": stored.get("msg_time", ""),
        "from": stored.get("sender", ""),
        "to": stored.get("recipient", ""),
        "index": stored.get("msg_index", 0),
    }


def _hits(searcher: Searcher, results: list, q: Q.Query) -> tuple[Hit, ...]:
    pats = patterns(q)
    hits = []
    for hit in results:
        stored = hit.fields()
        body, title = stored.get("text", ""), stored.get("title", "")
        is_message = stored.get("kind") == "message"
        hits.append(
            Hit(
                path=stored["path"],
                title=title,
                title_html=mark(title, spans(title, pats, _TITLE_FIELDS)),
                score=hit.score or 0.0,
                snippet=snippet(body, spans(body, pats, _BODY_FIELDS, enough=3)),
                country=tuple(stored.get("country", "").split()),
                target_type=tuple(stored.get("target_type", "").split()),
                lang=stored.get("lang", ""),
                filetype=stored.get("filetype", ""),
                kind=stored.get("kind", "document"),
                date=stored["date"].isoformat(sep=" ") if stored.get("date") else "",
                indicators={k: stored[k].split() for k in INDICATORS if stored.get(k)},
                message=_message(stored) if is_message else None,
                context=(
                    _messages(searcher, stored["path"], stored["msg_index"], pats)
                    if is_message
                    else ()
                ),
            )
        )
    return tuple(hits)
