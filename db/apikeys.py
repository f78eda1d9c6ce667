"""API keys for the HTTP API. A key is shown once, when it is created; only its sha256 is kept."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

import psycopg
from psycopg.rows import dict_row

from db import queries

PREFIX = "cl_"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create(conn: psycopg.Connection, name: str) -> tuple[str, dict[str, Any]]:
    """A new key and its stored row (which holds the hash, never the key)."""
    key = PREFIX + secrets.token_urlsafe(32)
    with conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute(
            queries.insert_api_key,
            {"name": name, "key_hash": hash_key(key), "prefix": key[: len(PREFIX) + 6]},
        ).fetchone()
    return key, row


def listing(conn: psycopg.Connection) -> list[dict[str, Any]]:
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(queries.list_api_keys).fetchall()


def revoke(conn: psycopg.Connection, key_id: int) -> bool:
    return conn.execute(queries.revoke_api_key, {"key_id": key_id}).fetchone() is not None


def check(conn: psycopg.Connection, key: str | None) -> tuple[bool, int | None]:
    """(whether any live key exists, the id of the live key ``key`` is, or None)."""
    any_keys, key_id = conn.execute(
        queries.check_api_key, {"key_hash": hash_key(key) if key else None}
    ).fetchone()
    return any_keys, key_id
