"""Query-string parsing shared by the listings: limit, opaque cursors, booleans, enums."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from flask import request

from web.errors import BadRequest


def limit(default: int, maximum: int) -> int:
    raw = request.args.get("limit")
    if raw is None:
        return default
    # At most 9 digits: int() refuses (ValueError) past 4,300, and no limit is that long.
    value = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else 0
    if not 1 <= value <= maximum:
        raise BadRequest(
            f"limit must be a whole number from 1 to {maximum}.", parameter="limit", value=raw[:100]
        )
    return value


def encode_cursor(position: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(position).encode()).decode().rstrip("=")


# A cursor is a short JSON list we wrote ourselves; anything longer was not written by us, and
# bounding it keeps a forged one from nesting deep enough to exhaust the JSON parser's recursion.
MAX_CURSOR = 1024
BIGINT = (-(2**63), 2**63 - 1)


def _fits(value: Any, kind: type) -> bool:
    """Whether a cursor value can reach SQL as a parameter of that type: an int in bigint range,
    a str PostgreSQL can store (no NUL, encodable as UTF-8)."""
    if type(value) is not kind:
        return False
    if kind is int:
        return BIGINT[0] <= value <= BIGINT[1]
    if kind is str:
        return len(value) <= MAX_CURSOR and "\x00" not in value and _utf8(value)
    return False


def _utf8(value: str) -> bool:
    try:
        value.encode()
    except UnicodeEncodeError:  # lone surrogates, from JSON's \ud800 escapes
        return False
    return True


def cursor(*types: type) -> list[Any] | None:
    """The position a ``cursor`` parameter holds (from a previous page's next_cursor), or None.
    A cursor that we could not have written is a 400, whatever it decodes to."""
    raw = request.args.get("cursor")
    if raw is None or raw == "":
        return None
    position = None
    if len(raw) <= MAX_CURSOR and raw.isascii():
        try:
            position = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
        except (binascii.Error, ValueError, RecursionError):
            position = None
    if (
        not isinstance(position, list)
        or len(position) != len(types)
        or not all(_fits(v, t) for v, t in zip(position, types, strict=True))
    ):
        raise BadRequest(
            "cursor is not valid; pass the next_cursor of the previous page.", parameter="cursor"
        )
    return position


def page(items: list[dict], size: int, position) -> dict[str, Any]:
    """Items fetched with LIMIT size+1: the page, and the cursor of the next one if there is one."""
    more = len(items) > size
    items = items[:size]
    return {
        "items": items,
        "limit": size,
        "next_cursor": encode_cursor(position(items[-1])) if more else None,
    }


def flag(name: str) -> bool:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return False
    value = raw.strip().lower()
    if value in ("true", "1"):
        return True
    if value in ("false", "0"):
        return False
    raise BadRequest(f"{name} must be true or false.", parameter=name, value=raw[:100])


def choice(name: str, allowed: tuple[str, ...]) -> str | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    if raw not in allowed:
        raise BadRequest(f"{name} must be one of {', '.join(allowed)}.", parameter=name, value=raw[:100])
    return raw


def text(name: str, max_length: int = 255) -> str | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    if len(raw) > max_length or "\x00" in raw:
        raise BadRequest(f"{name} is not valid.", parameter=name)
    return raw
