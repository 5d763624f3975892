"""leaksearch's web UI: a Flask application factory over the indexer library."""

from pathlib import Path

from flask import Flask
from werkzeug.routing import PathConverter

from indexer.search.search import TIME_LIMIT
from search_web.views import bp

# Scripts only from our own static files (keys.js): no inline script, so injected markup is inert.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


class AnyPathConverter(PathConverter):
    """A path that may hold any character, newlines included (file names in a leak do)."""

    regex = "[^/](?s:.*?)"


def create_app(test_config: dict | None = None) -> Flask:
    """Create the app; INDEX_DIR names the index folder (default ./index), SEARCH_TIME_LIMIT the
    seconds after which a search returns partial results."""
    app = Flask(__name__)
    app.config.from_mapping(
        INDEX_DIR=str(Path("index").resolve()), PAGELEN=10, SEARCH_TIME_LIMIT=TIME_LIMIT
    )
    if test_config:
        app.config.from_mapping(test_config)
    app.url_map.converters["anypath"] = AnyPathConverter
    app.register_blueprint(bp)

    @app.after_request
    def security_headers(response):
        # Document text is hostile: even if escaping failed somewhere, no script may run.
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    return app
