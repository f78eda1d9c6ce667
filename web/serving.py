"""What the HTTP servers say on their own, before or outside Flask: their error answers, which
take the API's one JSON error shape, and their access logs, which never show a key.

- ``redact``: key-looking query parameters and our API keys out of a logged line.
- ``RequestHandler``: werkzeug's development server (``capitallens web``); http.server answers
  an over-long request line (414) or too many or too long headers (431) in HTML otherwise.
- gunicorn's side is web/gunicorn_setup.py (gunicorn is the ``web`` extra, not a dependency).
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from werkzeug.serving import WSGIRequestHandler

from web import errors

REDACTED = "[redacted]"
# A query parameter whose name says it holds a secret: api_key, apikey, access_token, password...
_SECRET_NAME = re.compile(r"key|token|secret|passw|pwd|auth|signature|credential|session", re.I)
_PARAM = re.compile(r"(?P<lead>[?&;])(?P<name>[^=&;#\s\"]*)=(?P<value>[^&;#\s\"]*)")
# Our API keys (db/apikeys.py: "cl_" and 43 URL-safe characters), wherever they appear.
_API_KEY = re.compile(r"cl_[A-Za-z0-9_-]{16,}")
# Request headers whose values are secrets whatever they hold.
SECRET_HEADERS = frozenset({"x-api-key", "authorization", "proxy-authorization", "cookie"})


def redact(text: str) -> str:
    """A request line, URI or URL with the values of key-looking parameters and anything that
    looks like one of our API keys replaced by [redacted]."""

    if "=" not in text and "cl_" not in text:  # most atoms of a log line: nothing to look at
        return text

    def parameter(match: re.Match) -> str:
        if _SECRET_NAME.search(unquote(match["name"])):
            return f"{match['lead']}{match['name']}={REDACTED}"
        return match[0]

    return _API_KEY.sub(REDACTED, _PARAM.sub(parameter, text))


def redact_query(query: str) -> str:
    """A bare query string (no '?')."""
    return redact("?" + query)[1:] if query else query


def describe(reason: str, detail: str) -> str:
    detail = redact(detail).strip()
    return f"{reason}: {detail}"[:300] if detail else f"{reason}."


# --- werkzeug's development server --------------------------------------------------------


class RequestHandler(WSGIRequestHandler):
    """The development server's request handler, with JSON errors and a redacted access log."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        short, long = self.responses.get(code, ("Error", ""))
        self.log_error("code %d, message %s", code, redact(message or short))
        # A request line too broken to name its version is taken as HTTP/0.9, which would get
        # the body with no status line or headers; answer it in HTTP/1.0 as gunicorn does.
        if self.request_version == "HTTP/0.9":
            self.request_version = "HTTP/1.0"
        self.send_response(code, short)
        self.send_header("Connection", "close")
        body = errors.body(errors.code_for_status(code), describe(short, message or long))
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        line = redact(self.requestline or "").translate(self._control_char_table)
        self.log("info", '"%s" %s %s', line, code, size)
