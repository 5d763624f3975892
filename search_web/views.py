"""Search, document, batch, export and API views; all search state is in the query string."""

import datetime as dt
import json
from functools import cache
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    jsonify,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from markupsafe import Markup
from whoosh.index import EmptyIndexError

from indexer.classify.countries import country_label
from indexer.classify.target_types import target_type_label
from indexer.index.build import read_failures
from indexer.index.reader import OldIndexError
from indexer.index.schema import FACETS, INDICATOR_FACETS, NAME_FACETS
from indexer.search.export import batch_counts, batch_csv, export_rows, to_csv, to_jsonl
from indexer.search.facets import facet_values, trim_timeline
from indexer.search.filters import Filters
from indexer.search.gloss_html import GLOSSED_CHARS, GLOSSED_ID, HOVER, PLAIN, RUBY, glossed
from indexer.search.query import QueryError
from indexer.search.search import get_document, search
from indexer.search.translate import Options
from search_web.names import language_name

bp = Blueprint("search", __name__)
EXCLUDE = "not_"  # ?not_country=CN excludes a value
TRANSLATE = "translate"  # ?translate=0 searches typed words without their translations
DROP = "drop"  # ?drop=外交部 (repeatable) leaves one translation out
FACET_ROWS = 15  # values listed per facet; a selected value is always listed
FACET_PAGE_ROWS = 1000  # values listed on a facet's own page; its filter box narrows them
FACET_FILTER = "value"  # the facet page's filter box: values containing this text
UI_LANGS = ("en", "zh")
GLOSS_AT = "gloss"  # ?gloss=N: a long document's words are glossed from character N
# The parameters that make up a search; a link from another page back to the search keeps these.
SEARCH_KEYS = frozenset(
    ("q", "from", "to", "sort", "page", TRANSLATE, DROP, *FACETS, *INDICATOR_FACETS)
    + tuple(EXCLUDE + f for f in (*FACETS, *INDICATOR_FACETS))
)
# Pages that show something of one search (a document, a facet's values) keep its page number,
# so their link back to the results returns to the same page.
_KEEP_PAGE = ("search.document", "search.facet")


@cache
def _labels() -> dict[str, dict[str, str]]:
    return json.loads((Path(__file__).parent / "labels.json").read_text("utf-8"))


@bp.before_app_request
def choose_language() -> None:
    """Interface language: ?ui= switches it (and a cookie remembers), else the cookie, else en."""
    chosen = request.args.get("ui") or request.cookies.get("ui")
    g.ui = chosen if chosen in UI_LANGS else "en"


@bp.after_app_request
def remember_language(response: Response) -> Response:
    """Keep a switched interface language for the next visit."""
    if request.args.get("ui") in UI_LANGS:
        response.set_cookie("ui", request.args["ui"], max_age=365 * 86400, samesite="Lax")
    return response


def _index_dir() -> Path:
    return Path(current_app.config["INDEX_DIR"])


def _date(name: str) -> dt.date | None:
    value = request.args.get(name, "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as e:
        raise QueryError(f"not a date (YYYY-MM-DD): {value}") from e


def _filters() -> Filters:
    return Filters(
        include={f: tuple(request.args.getlist(f)) for f in (*FACETS, *INDICATOR_FACETS)},
        exclude={f: tuple(request.args.getlist(EXCLUDE + f)) for f in (*FACETS, *INDICATOR_FACETS)},
        date_from=_date("from"),
        date_to=_date("to"),
    )


def _translation() -> Options:
    return Options(request.args.get(TRANSLATE) != "0", frozenset(request.args.getlist(DROP)))


def _sort() -> str:
    sort = request.args.get("sort", "relevance")
    return sort if sort in ("relevance", "date", "-date") else "relevance"


def _glosses() -> str:
    """How a page shows Chinese words: glossed on hover and focus, and as ruby with ?ruby=1."""
    return RUBY if request.args.get("ruby") == "1" else HOVER


def _run_search(pagelen: int, how: str = PLAIN):
    """Results, or an error message a user can act on (never an exception page); how: whether
    snippets gloss their Chinese (gloss_html)."""
    try:
        page = request.args.get("page", 1, type=int) or 1
        results = search(
            _index_dir(),
            request.args.get("q", ""),
            _filters(),
            page,
            pagelen,
            _sort(),
            current_app.config["SEARCH_TIME_LIMIT"],
            group=True,  # a chat log is one hit; kind=message lists messages one by one
            how=how,
            translation=_translation(),
        )
        return results, None
    except QueryError as e:
        return None, str(e)
    except (EmptyIndexError, FileNotFoundError):
        return None, _t("no_index")


def _url_with(endpoint: str = "search.index", **changes) -> str:
    """This page's URL with some parameters changed; a list value replaces all of that key.

    A link to the search keeps only the search's parameters; a changed search starts on page 1.
    """
    args = request.args.to_dict(flat=False)
    if endpoint == "search.index":
        args = {k: v for k, v in args.items() if k in SEARCH_KEYS}
    if endpoint not in _KEEP_PAGE and set(changes) - {"ui", "page"}:
        args.pop("page", None)
    for key, value in changes.items():
        if value is None or value == []:
            args.pop(key, None)
        else:
            args[key] = value
    return url_for(endpoint, **args)


def _as_typed(typed: str) -> str:
    """The query with one word or run quoted, so that it is searched without expansions."""
    q = request.args.get("q", "")
    return q.replace(typed, f'"{typed}"', 1)


def _toggle(key: str, value: str) -> str:
    values = request.args.getlist(key)
    kept = [v for v in values if v != value] if value in values else [*values, value]
    return _url_with(**{key: kept})


def _label(facet: str, value: str) -> str:
    if facet == "country":
        return country_label(value, g.ui) if g.ui == "zh" else country_label(value)
    if facet == "target_type":
        return target_type_label(value, g.ui)
    if facet == "lang":
        return language_name(value, g.ui, _t)
    if facet in ("kind", "meta"):  # kind values and document metadata keys have labels
        key = f"{facet}_{value}"
        return _t(key) if key in _labels()["en"] else value
    return value


def _t(key: str) -> str:
    return _labels()[g.ui].get(key, _labels()["en"].get(key, key))


@bp.app_errorhandler(OldIndexError)
def old_index(e: OldIndexError) -> tuple[Response | str, int]:
    """Every page over an index of another version says how to rebuild it (503 until then)."""
    message = _t("old_index").replace("{command}", e.command)
    if request.endpoint == "search.api_search":
        return jsonify({"error": message}), 503
    return render_template("search.html", query=request.args.get("q", ""), error=message), 503


@bp.app_template_filter("gloss")
def gloss_filter(text: str) -> Markup:
    """A short field (a title, a sender) escaped, its Chinese words glossed as the page's text."""
    return glossed(text or "", [], _glosses())


@bp.app_context_processor
def helpers() -> dict:
    """Functions and constants the templates use."""
    return {
        "toggle": _toggle,
        "as_typed": _as_typed,
        "url_with": _url_with,
        "back_url": _url_with,  # called without changes: the search this page came from
        "label": _label,
        "t": _t,
        "EXCLUDE": EXCLUDE,
        "TRANSLATE": TRANSLATE,
        "DROP": DROP,
        "FACET_ROWS": FACET_ROWS,
        "FACET_FILTER": FACET_FILTER,
        "INDICATOR_FACETS": INDICATOR_FACETS,
        "TOP_ONLY": (*INDICATOR_FACETS, *NAME_FACETS),  # the sidebar lists their first values
        "SEARCH_KEYS": SEARCH_KEYS,
        "UI_LANGS": UI_LANGS,
    }


@bp.get("/")
def index():
    """The search page."""
    query = request.args.get("q", "")
    pagelen = current_app.config["PAGELEN"]
    results, error = _run_search(pagelen, _glosses()) if request.args else (None, None)
    return render_template(
        "search.html",
        query=query,
        results=results,
        error=error,
        args=request.args,
        facets=(*FACETS, *INDICATOR_FACETS),
        timeline=_timeline(results.timeline) if results else None,
    ), (400 if error else 200)


def _month_end(month: str) -> dt.date:
    year, mon = map(int, month.split("-"))
    return dt.date(year + mon // 12, mon % 12 + 1, 1) - dt.timedelta(days=1)


def _timeline(months: list[tuple[str, int]]) -> dict | None:
    """The timeline of the bulk of the matches, and links to the dated matches outside it."""
    trimmed = trim_timeline(months)
    if not trimmed.months:
        return None
    first, last = trimmed.months[0][0], trimmed.months[-1][0]
    before = dt.date.fromisoformat(f"{first}-01") - dt.timedelta(days=1)
    after = _month_end(last) + dt.timedelta(days=1)
    return {
        "bars": _bars(list(trimmed.months)),
        "before": trimmed.before,
        "after": trimmed.after,
        "before_href": _url_with(to=before.isoformat()),
        "after_href": _url_with(**{"from": after.isoformat()}),
    }


def _bars(months: list[tuple[str, int]], width: int = 600, height: int = 60) -> list[dict]:
    """Timeline bars for the inline SVG: position, size and the month's date-filter link."""
    top = max((n for _, n in months), default=0)
    if not top:
        return []
    step = width / len(months)
    bars = []
    for i, (month, n) in enumerate(months):
        last = _month_end(month).isoformat()
        h = round(height * n / top, 1)
        bars.append(
            {
                "month": month,
                "n": n,
                "x": round(i * step, 1),
                "w": max(1.0, round(step - 1, 1)),
                "y": round(height - h, 1),
                "h": h,
                "href": _url_with(**{"from": f"{month}-01", "to": last}),
            }
        )
    return bars


@bp.get("/export.<fmt>")
def export(fmt: str):
    """The whole result set as CSV or JSON Lines."""
    if fmt not in ("csv", "jsonl"):
        abort(404)
    query = request.args.get("q", "")

    def link(path: str, at: int | None) -> str:
        anchor = None if at is None else f"m-{at}"
        return url_for(
            "search.document", path=path, q=query or None, at=at, _anchor=anchor, _external=True
        )

    try:
        rows = export_rows(_index_dir(), query, _filters(), _sort(), link, _translation())
    except QueryError as e:
        return Response(str(e), status=400, mimetype="text/plain")
    except (EmptyIndexError, FileNotFoundError):
        return Response(_t("no_index"), status=400, mimetype="text/plain")
    body = to_csv(rows) if fmt == "csv" else to_jsonl(rows)
    mimetype = "text/csv" if fmt == "csv" else "application/x-ndjson"
    disposition = f'attachment; filename="leaksearch.{fmt}"'
    headers = {"Content-Disposition": disposition}
    return Response(stream_with_context(body), mimetype=mimetype, headers=headers)


@bp.get("/facet/<name>")
def facet(name: str):
    """Every value of one facet among the search's matches, narrowed by a filter box."""
    if name not in (*FACETS, *INDICATOR_FACETS):
        abort(404)
    needle = request.args.get(FACET_FILTER, "")
    try:
        found = facet_values(
            _index_dir(),
            request.args.get("q", ""),
            _filters(),
            name,
            current_app.config["SEARCH_TIME_LIMIT"],
            _translation(),
        )
    except QueryError as e:
        return render_template("facet.html", name=name, error=str(e), needle=needle), 400
    except (EmptyIndexError, FileNotFoundError):
        return render_template("facet.html", name=name, error=_t("no_index"), needle=needle), 400
    shown = [
        (value, n)
        for value, n in found.counts
        if _contains(value, needle) or _contains(_label(name, value), needle)
    ]
    return render_template(
        "facet.html",
        name=name,
        found=found,
        rows=shown[:FACET_PAGE_ROWS],
        matching=len(shown),
        needle=needle,
        args=request.args,
    )


def _contains(text: str, needle: str) -> bool:
    return needle.strip().casefold() in text.casefold()


@bp.route("/batch", methods=["GET", "POST"])
@bp.route("/batch.csv", methods=["GET", "POST"], endpoint="batch_csv")
def batch():
    """Hit counts for a pasted or uploaded list of terms, as a table or CSV."""
    terms = request.values.get("terms", "")
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        terms += "\n" + upload.read(2**20).decode("utf-8-sig", errors="replace")
    try:
        rows = batch_counts(_index_dir(), terms.splitlines()) if terms.strip() else []
    except (EmptyIndexError, FileNotFoundError):
        rows = []
    if request.endpoint == "search.batch_csv":
        headers = {"Content-Disposition": 'attachment; filename="leaksearch-batch.csv"'}
        return Response(batch_csv(rows), mimetype="text/csv", headers=headers)
    return render_template("batch.html", terms=terms.strip(), rows=rows)


@bp.get("/doc/<anypath:path>")
def document(path: str):
    """One document with query terms marked; a chat log a window of messages at a time (?at=)."""
    query = request.args.get("q", "")
    at = request.args.get("at", type=int)
    gloss_at = request.args.get(GLOSS_AT, type=int)  # a long document's glossed part
    try:
        try:
            doc = get_document(
                _index_dir(), path, query, _filters(), at, _glosses(), gloss_at, _translation()
            )
        except QueryError:
            doc = get_document(_index_dir(), path, "", at=at, how=_glosses(), gloss_at=gloss_at)
    except (EmptyIndexError, FileNotFoundError):
        abort(404)
    if doc is None:
        abort(404)
    ruby = _glosses() == RUBY
    return render_template(
        "document.html",
        doc=doc,
        query=query,
        at_url=_at_url,
        ruby=ruby,
        GLOSSED_ID=GLOSSED_ID,
        GLOSSED_CHARS=GLOSSED_CHARS,
    )


def _at_url(path: str, at: int) -> str:
    """This document page at message `at`, with the query and the search state kept."""
    args = request.args.to_dict(flat=False)
    args.pop("path", None)
    args["at"] = [str(at)]
    return url_for("search.document", path=path, _anchor=f"m-{at}", **args)


@bp.get("/failures")
def failures():
    """Files that were not indexed, with reasons."""
    return render_template("failures.html", failures=read_failures(_index_dir()))


@bp.get("/opensearch.xml")
def opensearch():
    """OpenSearch description, so a browser can add leaksearch as a search engine."""
    xml = render_template("opensearch.xml", root=request.url_root.rstrip("/"))
    return Response(xml, mimetype="application/opensearchdescription+xml")


@bp.get("/api/search")
def api_search():
    """JSON results in the CLI's shape."""
    pagelen = request.args.get("limit", current_app.config["PAGELEN"], type=int) or 10
    results, error = _run_search(pagelen)
    if error:
        return jsonify({"error": error}), 400
    return jsonify(results.to_json())
