"""X-API-Key authentication for /api. Once any key exists (or AUTH_REQUIRED=1) every /api
route needs a valid key; a key that is given must be valid even when none is required.
/healthz and /readyz stay open."""

from __future__ import annotations

from flask import Flask, current_app, g, request

from db import apikeys
from web import db
from web.errors import Unauthorized

HEADER = "X-API-Key"


def authenticate() -> None:
    g.api_key_id = None
    if not (request.path == "/api" or request.path.startswith("/api/")):
        return
    key = request.headers.get(HEADER) or None
    with db.connection() as conn:
        any_keys, key_id = apikeys.check(conn, key)
    if key is not None and key_id is None:
        raise Unauthorized(f"The {HEADER} header does not hold a valid API key.")
    if key_id is None and (any_keys or current_app.config["AUTH_REQUIRED"]):
        raise Unauthorized(
            f"This API needs a key in the {HEADER} header (create one with `capitallens apikey create NAME`)."
        )
    g.api_key_id = key_id


def init_app(app: Flask) -> None:
    app.before_request(authenticate)
