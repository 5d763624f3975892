"""Search an index: expanded query, facet filters and exclusions, counts, highlighted snippets."""

import time
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup
from whoosh import index as whoosh_index
from whoosh import query as Q
from whoosh.searching import Searcher

from indexer.countries import resolve_country
from indexer.highlight import mark, patterns, snippet, spans
from indexer.query import QueryError, parse_query
from indexer.schema import FACETS
from indexer.target_types import resolve_target_type

_BODY_FIELDS = ("content", "cjk", "py", "pyi")
_TITLE_FIELDS = ("content", "cjk", "py", "pyi", "title")
MAX_PAGELEN = 100
CONTEXT = 3  # messages shown before and after a chat message hit


@dataclass(frozen=True)
class Filters:
    """Facet values to require (any of a facet's values) and to exclude, by facet name."""

    include: dict[str, tuple[str, ...]] = field(default_factory=dict)
    exclude: dict[str, tuple[str, ...]] = field(default_factory=dict)


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


def normalize_filters(filters: Filters) -> Filters:
    """Filters with names resolved to the codes the index holds; QueryError for unknown values."""

    def codes(values: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        return {f: tuple(_facet_code(f, v) for v in vals) for f, vals in values.items() if vals}

    return Filters(include=codes(filters.include), exclude=codes(filters.exclude))


def search(
    index_dir: Path, text: str, filters: Filters | None = None, page: int = 1, pagelen: int = 10
) -> Results:
    """Run a typed query with facet filters; raises QueryError for a query that cannot run."""
    started = time.monotonic()
    filters = normalize_filters(filters or Filters())
    q = parse_query(text)
    full = _filtered(q, filters)
    page, pagelen = max(1, page), max(1, min(pagelen, MAX_PAGELEN))
    ix = whoosh_index.open_dir(index_dir)
    with ix.searcher() as searcher:
        matched = set(full.docs(searcher))
        facets = _facet_counts(searcher, matched)
        hits = _page(searcher, full, q, page, pagelen) if matched else ()
    return Results(text, len(matched), hits, facets, page, pagelen, time.monotonic() - started)


def get_document(index_dir: Path, path: str, text: str = "") -> Document | None:
    """The stored document at a corpus-relative path, marked up for the query, or None."""
    pats = patterns(parse_query(text)) if text.strip() else []
    ix = whoosh_index.open_dir(index_dir)
    with ix.searcher() as searcher:
        stored = searcher.document(path=path, kind="document")
        if stored is None:
            return None
        messages = _messages(searcher, path, None, pats)
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


def _facet_code(facet: str, value: str) -> str:
    if facet == "country":
        code = resolve_country(value)
    elif facet == "target_type":
        code = resolve_target_type(value)
    elif facet in ("sender", "recipient", "kind"):
        code = value.strip()
    elif facet in FACETS:
        code = value.strip().lower().lstrip(".")
    else:
        raise QueryError(f"unknown facet: {facet}")
    if not code:
        raise QueryError(f"unknown {facet.replace('_', ' ')}: {value}")
    return code


def _filtered(q: Q.Query, filters: Filters) -> Q.Query:
    required = [Q.Or([Q.Term(f, v) for v in vals]) for f, vals in filters.include.items()]
    full = Q.And([q, *required]) if required else q
    excluded = [Q.Term(f, v) for f, vals in filters.exclude.items() for v in vals]
    return Q.AndNot(full, Q.Or(excluded)) if excluded else full


def _facet_counts(searcher: Searcher, matched: set[int]) -> dict[str, dict[str, int]]:
    reader = searcher.reader()
    counts: dict[str, dict[str, int]] = {}
    for facet in FACETS:
        values = {}
        for term in reader.lexicon(facet):
            value = term.decode("utf-8")
            n = len(matched.intersection(reader.postings(facet, value).all_ids()))
            if n:
                values[value] = n
        counts[facet] = dict(sorted(values.items(), key=lambda kv: (-kv[1], kv[0])))
    return counts


def _page(
    searcher: Searcher, full: Q.Query, q: Q.Query, page: int, pagelen: int
) -> tuple[Hit, ...]:
    results = searcher.search_page(full, page, pagelen=pagelen)
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
                message=_message(stored) if is_message else None,
                context=(
                    _messages(searcher, stored["path"], stored["msg_index"], pats)
                    if is_message
                    else ()
                ),
            )
        )
    return tuple(hits)
