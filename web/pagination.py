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
    value = int(raw) if raw.isascii() and raw.isdigit() else 0
    if not 1 <= value <= maximum:
        raise BadRequest(f"limit must be a whole number from 1 to {maximum}.", parameter="limit", value=raw)
    return value


def encode_cursor(position: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(position).encode()).decode().rstrip("=")


def cursor(*types: type) -> list[Any] | None:
    """The position a ``cursor`` parameter holds (from a previous page's next_cursor), or None."""
    raw = request.args.get("cursor")
    if raw is None or raw == "":
        return None
    try:
        position = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        position = None
    if (
        not isinstance(position, list)
        or len(position) != len(types)
        or not all(type(v) is t for v, t in zip(position, types, strict=True))
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
    raise BadRequest(f"{name} must be true or false.", parameter=name, value=raw)


def choice(name: str, allowed: tuple[str, ...]) -> str | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    if raw not in allowed:
        raise BadRequest(f"{name} must be one of {', '.join(allowed)}.", parameter=name, value=raw)
    return raw


def text(name: str, max_length: int = 255) -> str | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    if len(raw) > max_length or "\x00" in raw:
        raise BadRequest(f"{name} is not valid.", parameter=name)
    return raw
