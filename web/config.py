"""The web app's settings, with their environment variables and defaults.

``create_app(config)`` starts from these and then applies ``config``, so tests and the
gunicorn entry point share one set of names.
"""

from __future__ import annotations

import os
from typing import Any

from importer import limits, settings
from web import proxies

_flag = settings.flag


def _int(name: str, default: int) -> int:
    return settings.integer(name, default)


def from_environment() -> dict[str, Any]:
    return {
        # Largest workbook an upload may carry (413 above it).
        "MAX_UPLOAD_BYTES": limits.MAX_FILE_BYTES,
        # .xlsm files: accepted with their VBA ignored and flagged, or refused (415).
        "ALLOW_MACROS": _flag("CAPITALLENS_ALLOW_MACROS", True),
        # Require X-API-Key on /api even before the first key exists.
        "AUTH_REQUIRED": _flag("AUTH_REQUIRED", False),
        # Uploads per key (or client address, without keys) in any sliding window.
        "UPLOAD_RATE_LIMIT": _int("CAPITALLENS_UPLOAD_RATE_LIMIT", 5),
        "UPLOAD_RATE_WINDOW": _int("CAPITALLENS_UPLOAD_RATE_WINDOW", 60),
        # psycopg pool per process; None: the database db.engine resolves.
        "DATABASE_URL": None,
        "DB_POOL_SIZE": _int("CAPITALLENS_WEB_POOL_SIZE", 8),
        "DB_POOL_TIMEOUT": settings.number("CAPITALLENS_WEB_POOL_TIMEOUT", 5.0),
        # Reverse proxies whose X-Forwarded-For is believed (web/proxies.py); none by default.
        "TRUSTED_PROXIES": proxies.parse_networks(os.environ.get(proxies.SETTING, "")),
    }
