"""gunicorn, as gunicorn.conf.py sets it up: its own error answers (a request line or headers it
cannot parse or that are over its limits: 400, 414, 431...) in the API's JSON error shape, and
an access log in which no key appears."""

from __future__ import annotations

from gunicorn import glogging, util

from web import errors, serving
from web.serving import REDACTED, SECRET_HEADERS


def write_gunicorn_error(sock, status_int: int, reason: str, mesg: str) -> None:
    """gunicorn's util.write_error, answering in the JSON error shape."""
    message = serving.describe(reason, mesg) if status_int < 500 else "Internal server error."
    body = errors.body(errors.code_for_status(status_int), message)
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    util.write_nonblock(sock, head.encode("latin-1") + body)


def _header_of(atom: str) -> str | None:
    """The request header an atom shows: {x-api-key}i, or {http_x_api_key}e from the environ."""
    if atom.endswith("}i"):
        return atom[1:-2]
    if atom.startswith("{http_") and atom.endswith("}e"):
        return atom[6:-2].replace("_", "-")
    return None


class GunicornLogger(glogging.Logger):
    """gunicorn's logger with every access-log atom redacted, and its warnings about bad
    requests (which quote the request line) too."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for name, value in atoms.items():
            if _header_of(name) in SECRET_HEADERS:
                atoms[name] = REDACTED
            elif name in ("q", "{query_string}e"):
                atoms[name] = serving.redact_query(value or "")
            elif isinstance(value, str):
                atoms[name] = serving.redact(value)
        return atoms

    def warning(self, msg, *args, **kwargs):
        super().warning(serving.redact(str(msg)), *args, **kwargs)


def install_gunicorn_errors() -> None:
    """Make gunicorn write its own error answers with ``write_gunicorn_error``. gunicorn has no
    setting for them; its workers call ``util.write_error``, so that is what is replaced."""
    util.write_error = write_gunicorn_error
