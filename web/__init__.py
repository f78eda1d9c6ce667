"""The CapitalLens HTTP API: a thin Flask JSON app over the same services as the CLI.

gunicorn 'web:create_app()'        (the Procfile's web line)
capitallens web --port 8000        (development server)
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter

from web import auth, db, errors, health, imports, jobs, models, openapi, proxies, serialize
from web.config import from_environment
from worker import logs


class IdConverter(IntegerConverter):
    """A positive id that fits a bigint; anything else matches no route, so it is a 404 for
    every method, never a database error."""

    regex = r"[1-9]\d{0,18}"

    def __init__(self, map, *args, **kwargs):
        super().__init__(map, min=1, max=2**63 - 1)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """The app; ``config`` overrides the settings read from the environment (web/config.py)."""
    logs.configure(replace=False)  # unless gunicorn (logconfig_dict) or a test set logging up
    app = Flask(__name__, static_folder=None)
    app.config.update(from_environment())
    app.config.update(config or {})
    app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_UPLOAD_BYTES"] + imports.FORM_OVERHEAD
    app.request_class = imports.Request
    app.json = serialize.JSONProvider(app)
    app.url_map.converters["id"] = IdConverter
    app.url_map.strict_slashes = False

    if app.config["TRUSTED_PROXIES"]:
        app.wsgi_app = proxies.TrustedProxies(app.wsgi_app, app.config["TRUSTED_PROXIES"])
    errors.init_app(app)
    db.init_app(app)
    auth.init_app(app)
    for blueprint in (imports.bp, jobs.bp, models.bp, health.bp, openapi.bp):
        app.register_blueprint(blueprint)
    return app
