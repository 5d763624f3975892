"""Search an index: expanded query, facet filters and exclusions, counts, highlighted snippets."""

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from markupsafe import Markup
from whoosh import query as Q
from whoosh.collectors import Collector, TimeLimitCollector
from whoosh.searching import Searcher, TimeLimit

from indexer.classify.enrich import INDICATORS
from indexer.index.reader import read_index
from indexer.index.schema import TEXT_FIELDS
from indexer.search.chatlog import ChatWindow, chat_window, message, rows
from indexer.search.facets import FacetTable, facet_table
from indexer.search.filters import Filters, filtered, normalize_filters
from indexer.search.gloss_html import GLOSSED_CHARS, PLAIN
from indexer.search.gloss_html import window as gloss_window
from indexer.search.groups import ChatTable, chat_table
from indexer.search.highlight import MARKED, mark, patterns, snippet, spans
from indexer.search.query import (
    Expansion,
    expand_query,
    parse_query,
    settle,
    settle_expansions,
)
from indexer.search.translate import Options
from indexer.search.vector import matches

_TITLE_FIELDS = (*TEXT_FIELDS, "title")
MAX_PAGELEN = 100
CONTEXT = 3  # messages shown before and after a chat message hit
SHOWN = 3  # matching messages shown under a chat log's grouped hit
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
    person: tuple[str, ...] = ()  # people and organisations it names
    org: tuple[str, ...] = ()
    message: dict | None = None  # time, from, to, index of a chat message hit
    context: tuple[dict, ...] = ()  # the messages around it, each with "html" and "hit"
    message_count: int = 0  # a chat log's grouped hit: how many of its messages matched ...
    messages: tuple[dict, ...] = ()  # ... and the first few of them in log order, marked up

    def to_json(self) -> dict:
        """The hit as the CLI and API print it."""
        out = {
            "path": self.path,
            "title": self.title,
            "score": round(self.score, 4),
            "snippet": str(self.snippet),
            "country": list(self.country),
            "target_type": list(self.target_type),
            "person": list(self.person),
            "org": list(self.org),
            "lang": self.lang,
        }
        if self.message is not None:
            out["message"] = self.message
        if self.message_count:
            shown = [{**_plain(m), "snippet": str(m["html"])} for m in self.messages]
            out["messages"] = {"count": self.message_count, "first": shown}
        return out


def _plain(m: dict) -> dict:
    return {k: m[k] for k in ("time", "from", "to", "index")}


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
    expansions: tuple[Expansion, ...] = ()  # what typed words were also searched as

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
            "expansions": [e.to_json() for e in self.expansions],
        }


@dataclass(frozen=True)
class Document:
    """One indexed document with its text marked where the query matched."""

    path: str
    title: str
    text_html: Markup  # a chat log's: only the messages of its window, marked
    matches: int
    fields: dict
    chat: ChatWindow | None = None  # a chat log's messages around the current one
    # A long document's (start, end, length) in characters: where its words are glossed.
    glossed: tuple[int, int, int] | None = None


def search(
    index_dir: Path,
    text: str,
    filters: Filters | None = None,
    page: int = 1,
    pagelen: int = 10,
    sort: str = "relevance",
    time_limit: float = TIME_LIMIT,
    group: bool = False,
    how: str = PLAIN,
    translation: Options | None = None,
    facets: bool = True,
) -> Results:
    """Run a typed query with filters; sort is relevance, date or -date (newest first).

    With group, a chat log's matching messages are one hit, the log's, and the total counts such
    hits (unless the filters ask for messages only); facets still count every match. Without
    facets, the facet counts and the timeline are left empty, and their table is not built. A search
    still running after time_limit seconds stops and returns what it found, marked cut_short.
    `how` says whether the Chinese of snippets is glossed (gloss_html: PLAIN, HOVER, RUBY).
    translation says whether typed words are translated, and which translations are dropped.
    Raises QueryError for a query or filter that cannot run.
    """
    started = time.monotonic()
    deadline = started + time_limit
    filters = normalize_filters(filters or Filters())
    q, noted = expand_query(text, translation)
    full = filtered(q, filters)
    page, pagelen = max(1, page), max(1, min(pagelen, MAX_PAGELEN))
    grouped = group and filters.include.get("kind") != ("message",)

    def work(searcher: Searcher) -> Results:
        table = facet_table(searcher) if facets else None
        expansions = settle_expansions(noted, q, searcher)
        if grouped:
            ids, scores, cut = matches(searcher, full, deadline)
            ranked = chat_table(searcher).rank(ids, scores, sort)
            shown = ranked[(page - 1) * pagelen : page * pagelen]
            hits = _group_hits(searcher, shown, ids, scores, q, how)
            counts, months = _facet_counts(table, ids)
            seconds = time.monotonic() - started
            total = len(ranked)
            return Results(
                text, total, hits, counts, page, pagelen, seconds, months, cut, expansions
            )
        if sort in ("date", "-date"):
            collector, cut = _by_date(searcher, full, page * pagelen, sort, deadline)
            ids = np.fromiter(collector.all_ids(), dtype=np.int64)
            first = [(hit.docnum, hit.score) for hit in collector.results()]
        else:
            ids, scores, cut = matches(searcher, full, deadline)
            best = np.lexsort((ids, -scores))[: page * pagelen]  # Whoosh's order: ties by number
            first = list(zip(ids[best].tolist(), scores[best].tolist(), strict=True))
        hits = _hits(searcher, first[(page - 1) * pagelen :], q, how)
        counts, months = _facet_counts(table, ids)
        seconds = time.monotonic() - started
        total = len(ids)
        return Results(text, total, hits, counts, page, pagelen, seconds, months, cut, expansions)

    return read_index(index_dir, work)


def _facet_counts(
    table: FacetTable | None, ids: np.ndarray
) -> tuple[dict[str, dict[str, int]], list[tuple[str, int]]]:
    """The facet counts and the timeline of the matched documents; empty without a table."""
    if table is None:
        return {}, []
    return table.counts(ids), table.timeline(ids)


def _by_date(
    searcher: Searcher, q: Q.Query, limit: int, sort: str, deadline: float
) -> tuple[Collector, bool]:
    """Run q once, the first hits by date; True if the deadline stopped it (results partial)."""
    collector = searcher.collector(limit=limit, sortedby="date", reverse=sort == "-date")
    return collector, _run(searcher, q, collector, deadline)


def _run(searcher: Searcher, q: Q.Query, collector: Collector, deadline: float) -> bool:
    """Run q into the collector until the deadline; True if the deadline stopped it."""
    # No SIGALRM: searches run in a server's worker threads, where signals cannot be set.
    timed = TimeLimitCollector(collector, max(deadline - time.monotonic(), 0.0), use_alarm=False)
    try:
        searcher.search_with_collector(q, timed)
    except TimeLimit:
        return True
    return False


def count(index_dir: Path, text: str, filters: Filters | None = None) -> int:
    """How many documents and messages a query matches (no facets, no snippets)."""
    full = filtered(parse_query(text), normalize_filters(filters or Filters()))
    return read_index(index_dir, lambda searcher: sum(1 for _ in full.docs(searcher)))


def count_grouped(index_dir: Path, text: str, filters: Filters | None = None) -> tuple[int, int]:
    """(documents, messages) a query matches: a chat log counts once however many messages do."""
    full = filtered(parse_query(text), normalize_filters(filters or Filters()))

    def work(searcher: Searcher) -> tuple[int, int]:
        ids = np.fromiter(searcher.docs_for_query(full), dtype=np.int64)
        return chat_table(searcher).tally(ids)

    return read_index(index_dir, work)


def get_document(
    index_dir: Path,
    path: str,
    text: str = "",
    filters: Filters | None = None,
    at: int | None = None,
    how: str = PLAIN,
    gloss_at: int | None = None,
    translation: Options | None = None,
) -> Document | None:
    """The stored document at a corpus-relative path, marked up for the query, or None.

    A chat log is not marked whole: its page is the window of messages around message `at`, or
    around its first message matching the query and the filters (facets other than kind). `how`
    says whether its Chinese is glossed (gloss_html): a long document's words GLOSSED_CHARS at a
    time, from character gloss_at (else from its first match, else from its start).
    """
    q = parse_query(text, translation) if text.strip() else None
    filters = normalize_filters(filters or Filters())
    filters = Filters(
        {f: v for f, v in filters.include.items() if f != "kind"},
        {f: v for f, v in filters.exclude.items() if f != "kind"},
        filters.date_from,
        filters.date_to,
    )

    def work(searcher: Searcher) -> Document | None:
        docnum = searcher.document_number(path=path, kind="document")
        if docnum is None:
            return None
        stored = searcher.stored_fields(docnum)
        pats = patterns(settle(q, searcher)) if q is not None else []
        meta = {k: v for k, v in stored.items() if k != "text"}
        title = stored.get("title", "")
        chats = chat_table(searcher)
        if docnum in chats.logs:
            own = Q.And([Q.Term("path", path), Q.Term("kind", "message")])
            matching = filtered(Q.And([q, own]), filters) if q is not None else None
            window = chat_window(searcher, chats, docnum, matching, pats, at, how)
            shown = Markup("\n").join(m["html"] for m in window.rows)
            return Document(path, title, shown, window.matches, meta, window)
        body = stored.get("text", "")
        marked = spans(body, pats, MARKED)
        within = None
        if how != PLAIN and len(body) > GLOSSED_CHARS:
            start = gloss_at if gloss_at is not None else (marked[0][0] if marked else 0)
            within = gloss_window(body, start)
        html = mark(body, marked, how, within)
        glossed = (*within, len(body)) if within else None
        return Document(path, title, html, len(marked), meta, glossed=glossed)

    return read_index(index_dir, work)


def _context(
    searcher: Searcher, chats: ChatTable, docnum: int, pats: list, how: str
) -> tuple[dict, ...]:
    """The messages around one message hit, each marked up for the query."""
    at = int(chats.position[docnum])
    near = chats.around(int(chats.log_of[docnum]), at - CONTEXT, at + CONTEXT)
    return rows(searcher, near, pats, frozenset({docnum}), how)


def _hit(
    searcher: Searcher, docnum: int, score: float, pats: list, how: str = PLAIN, **extra
) -> Hit:
    stored = searcher.stored_fields(docnum)
    body, title = stored.get("text", ""), stored.get("title", "")
    is_message = stored.get("kind") == "message"
    if is_message and "context" not in extra:
        extra["context"] = _context(searcher, chat_table(searcher), docnum, pats, how)
    return Hit(
        path=stored["path"],
        title=title,
        title_html=mark(title, spans(title, pats, _TITLE_FIELDS)),  # a link: no glosses in it
        score=score or 0.0,
        snippet=extra.pop("snippet", None) or snippet(body, spans(body, pats, MARKED, 3), how=how),
        country=tuple(stored.get("country", "").split()),
        target_type=tuple(stored.get("target_type", "").split()),
        lang=stored.get("lang", ""),
        filetype=stored.get("filetype", ""),
        kind=stored.get("kind", "document"),
        date=stored["date"].isoformat(sep=" ") if stored.get("date") else "",
        indicators={k: stored[k].split() for k in INDICATORS if stored.get(k)},
        person=tuple(n for n in stored.get("person", "").split(",") if n),
        org=tuple(n for n in stored.get("org", "").split(",") if n),
        message=message(stored) if is_message else None,
        **extra,
    )


def _hits(
    searcher: Searcher, results: list[tuple[int, float]], q: Q.Query, how: str
) -> tuple[Hit, ...]:
    pats = patterns(settle(q, searcher))
    return tuple(_hit(searcher, docnum, score, pats, how) for docnum, score in results)


def _group_hits(
    searcher: Searcher,
    groups: np.ndarray,
    ids: np.ndarray,
    scores: np.ndarray,
    q: Q.Query,
    how: str,
) -> tuple[Hit, ...]:
    """One hit per group: a document, or a chat log with its first matching messages."""
    pats, chats, hits = patterns(settle(q, searcher)), chat_table(searcher), []
    for group in (int(g) for g in groups):
        members = chats.log_of[ids] == group
        best = float(scores[members].max())
        matched = chats.members(ids, group)
        if not len(matched):
            hits.append(_hit(searcher, group, best, pats, how))
            continue
        firsts = frozenset(int(d) for d in matched[:SHOWN])
        shown = rows(searcher, matched[:SHOWN], pats, firsts, how)
        hits.append(
            _hit(
                searcher,
                group,
                best,
                pats,
                how,
                snippet=shown[0]["html"],
                message_count=len(matched),
                messages=shown,
            )
        )
    return tuple(hits)
