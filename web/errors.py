"""The web's own errors and the ONE handler that renders every error, ours or Werkzeug's
(404, 405, 413...) or an unexpected one (500), as ``{"error": {"code", "message", "details"}}``.
No HTML, no tracebacks."""

from __future__ import annotations

import json
import math
import re

import psycopg
from flask import Flask, current_app, jsonify
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from importer.errors import CapitalLensError, InvalidWorkbook

try:  # gunicorn (the web extra) raises these from wsgi.input when a body is malformed
    from gunicorn.http.errors import NoMoreData, ParseException

    _BODY_ERRORS: tuple[type[Exception], ...] = (ParseException, NoMoreData)
except ImportError:  # pragma: no cover - the development server only
    _BODY_ERRORS = ()


class BadRequest(CapitalLensError):
    """The request is not valid."""

    code = "bad_request"
    http_status = 400


class Unauthorized(CapitalLensError):
    """This API needs a valid key in the X-API-Key header."""

    code = "unauthorized"
    http_status = 401


class RateLimited(CapitalLensError):
    """Too many uploads; try again later."""

    code = "rate_limited"
    http_status = 429


class MacrosRefused(InvalidWorkbook):
    """This server does not accept macro-enabled workbooks (.xlsm); save it as .xlsx."""

    code = "macros_refused"


class NotReady(CapitalLensError):
    """The service is not ready."""

    code = "not_ready"
    http_status = 503


# Werkzeug's names where a shorter code reads better; others are its name in snake_case.
_HTTP_CODES = {
    413: "request_too_large",
    414: "uri_too_long",
    431: "headers_too_large",
    500: "internal_error",
}


def code_for_status(status: int) -> str:
    """The error code of an HTTP status that has no error of ours behind it."""
    name = HTTP_STATUS_CODES.get(status, "error")
    return _HTTP_CODES.get(status) or re.sub(r"\W+", "_", name.lower()).strip("_")


def _http_code(exc: HTTPException) -> str:
    return code_for_status(exc.code or 500)


def body(code: str, message: str, details: dict | None = None) -> bytes:
    """The error shape as bytes, for the servers' own answers outside Flask (web/serving.py)."""
    error = {"code": code, "message": message, "details": details or {}}
    return json.dumps({"error": error}).encode()


def render(status: int, code: str, message: str, details: dict | None = None, headers=None):
    response = jsonify({"error": {"code": code, "message": message, "details": details or {}}})
    response.status_code = status
    for name, value in headers or ():
        response.headers[name] = value
    return response


def handle(exc: Exception):
    if isinstance(exc, CapitalLensError):
        headers = []
        if isinstance(exc, RateLimited):
            headers.append(("Retry-After", str(max(1, math.ceil(exc.details["retry_after"])))))
        details = dict(exc.details)
        if exc.stage:
            details["stage"] = exc.stage
        if exc.http_status >= 500:
            current_app.logger.error("%s: %s", exc.code, exc.message)
        return render(exc.http_status, exc.code, exc.message, details, headers)
    if isinstance(exc, HTTPException):
        headers = [(k, v) for k, v in exc.get_headers() if k.lower() != "content-type"]
        return render(exc.code or 500, _http_code(exc), exc.description or exc.name, None, headers)
    if isinstance(exc, psycopg.OperationalError):
        current_app.logger.error("database unavailable: %s", exc)
        return render(503, "database_unavailable", "The database could not be reached.")
    if isinstance(exc, psycopg.DataError | RecursionError):
        # The net under the validation of every request value: a value PostgreSQL refuses
        # (out of range, NUL, bad encoding) or input nested too deep to parse is the client's.
        current_app.logger.warning("malformed request value: %r", exc)
        return render(400, "bad_request", "A value in the request is not valid.")
    if isinstance(exc, _BODY_ERRORS):
        current_app.logger.warning("malformed request body: %r", exc)
        return render(400, "bad_request", f"The request body could not be read: {exc}.")
    current_app.logger.exception("unexpected error")
    return render(500, "internal_error", "Internal server error.")


def init_app(app: Flask) -> None:
    app.register_error_handler(Exception, handle)
