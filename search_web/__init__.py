"""leaksearch's web UI: a Flask application factory over the indexer library."""

from pathlib import Path

from flask import Flask

from search_web.views import bp

# Scripts only from our own static files (keys.js): no inline script, so injected markup is inert.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


def create_app(test_config: dict | None = None) -> Flask:
    """Create the app; INDEX_DIR names the index folder (default ./index)."""
    app = Flask(__name__)
    app.config.from_mapping(INDEX_DIR=str(Path("index").resolve()), PAGELEN=10)
    if test_config:
        app.config.from_mapping(test_config)
    app.register_blueprint(bp)

    @app.after_request
    def security_headers(response):
        # Document text is hostile: even if escaping failed somewhere, no script may run.
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    return app
