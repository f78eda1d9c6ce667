"""JSON for responses: ISO 8601 timestamps and plain numbers for NUMERIC columns."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from flask.json.provider import DefaultJSONProvider


def _default(obj: Any) -> Any:
    if isinstance(obj, dt.datetime | dt.date):
        return obj.isoformat()
    if isinstance(obj, Decimal):
        return float(obj)
    return DefaultJSONProvider.default(obj)


class JSONProvider(DefaultJSONProvider):
    default = staticmethod(_default)
    sort_keys = False
