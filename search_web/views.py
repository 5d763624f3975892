"""Search, document and API views; all state is in the query string (GET only)."""

from pathlib import Path

from flask import Blueprint, abort, current_app, jsonify, render_template, request, url_for
from whoosh.index import EmptyIndexError

from indexer.build import read_failures
from indexer.countries import country_label
from indexer.query import QueryError
from indexer.schema import FACETS
from indexer.search import Filters, get_document, search
from indexer.target_types import target_type_label

bp = Blueprint("search", __name__)
EXCLUDE = "not_"  # ?not_country=CN excludes a value
FACET_ROWS = 15  # values listed per facet; a selected value is always listed


def _index_dir() -> Path:
    return Path(current_app.config["INDEX_DIR"])


def _filters() -> Filters:
    return Filters(
        include={f: tuple(request.args.getlist(f)) for f in FACETS},
        exclude={f: tuple(request.args.getlist(EXCLUDE + f)) for f in FACETS},
    )


def _page() -> int:
    return request.args.get("page", 1, type=int) or 1


def _run_search(pagelen: int):
    """Results, or an error message a user can act on (never an exception page)."""
    try:
        return search(_index_dir(), request.args.get("q", ""), _filters(), _page(), pagelen), None
    except QueryError as e:
        return None, str(e)
    except (EmptyIndexError, FileNotFoundError):
        return None, "There is no index yet: run `leaksearch index CORPUS --index DIR` first."


def _url_with(**changes) -> str:
    """This page's URL with some parameters changed; a list value replaces all of that key."""
    args = request.args.to_dict(flat=False)
    args.pop("page", None)
    for key, value in changes.items():
        if value is None or value == []:
            args.pop(key, None)
        else:
            args[key] = value
    return url_for("search.index", **args)


def _toggle(key: str, value: str) -> str:
    values = request.args.getlist(key)
    return _url_with(
        **{key: [v for v in values if v != value] if value in values else [*values, value]}
    )


def _label(facet: str, value: str) -> str:
    if facet == "country":
        return f"{country_label(value)} · {country_label(value, 'zh')}"
    if facet == "target_type":
        return f"{target_type_label(value)} · {target_type_label(value, 'zh')}"
    return value


@bp.app_context_processor
def helpers() -> dict:
    """Functions the templates use to build facet links and labels."""
    return {
        "toggle": _toggle,
        "url_with": _url_with,
        "label": _label,
        "EXCLUDE": EXCLUDE,
        "FACET_ROWS": FACET_ROWS,
    }


@bp.get("/")
def index():
    """The search page."""
    query = request.args.get("q", "")
    results, error = (
        _run_search(current_app.config["PAGELEN"]) if query or request.args else (None, None)
    )
    return render_template(
        "search.html", query=query, results=results, error=error, facets=FACETS, args=request.args
    ), (400 if error else 200)


@bp.get("/doc/<path:path>")
def document(path: str):
    """One document with query terms marked."""
    query = request.args.get("q", "")
    try:
        doc = get_document(_index_dir(), path, query)
    except QueryError:
        doc = get_document(_index_dir(), path, "")
    except (EmptyIndexError, FileNotFoundError):
        abort(404)
    if doc is None:
        abort(404)
    return render_template("document.html", doc=doc, query=query)


@bp.get("/failures")
def failures():
    """Files that were not indexed, with reasons."""
    return render_template("failures.html", failures=read_failures(_index_dir()))


@bp.get("/api/search")
def api_search():
    """JSON results in the CLI's shape."""
    pagelen = request.args.get("limit", current_app.config["PAGELEN"], type=int) or 10
    results, error = _run_search(pagelen)
    if error:
        return jsonify({"error": error}), 400
    return jsonify(results.to_json())
