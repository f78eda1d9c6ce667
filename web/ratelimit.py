"""The upload rate limit: at most N uploads per key (or client address) in any sliding window,
counted in PostgreSQL so that every web process shares it."""

from __future__ import annotations

from flask import current_app, g, request

from db import queries
from web import db
from web.errors import RateLimited


def bucket() -> str:
    if g.get("api_key_id") is not None:
        return f"key:{g.api_key_id}"
    return f"addr:{request.remote_addr or 'unknown'}"


def take_upload_slot() -> None:
    """Count this upload, or raise RateLimited (429, with Retry-After) when the window is full."""
    limit = current_app.config["UPLOAD_RATE_LIMIT"]
    window = current_app.config["UPLOAD_RATE_WINDOW"]
    if limit <= 0:
        return
    params = {"bucket": bucket(), "window": window}
    with db.connection() as conn, conn.transaction():
        conn.execute(queries.lock_upload_bucket, params)  # one process at a time per bucket
        conn.execute(queries.forget_old_upload_hits, params)
        hits, frees_in = conn.execute(queries.recent_upload_hits, params).fetchone()
        if hits >= limit:
            retry_after = max(1.0, float(frees_in or window))
            raise RateLimited(
                f"At most {limit} uploads per {window} s; try again in {retry_after:.0f} s.",
                limit=limit,
                window_seconds=window,
                retry_after=round(retry_after, 3),
            )
        conn.execute(queries.insert_upload_hit, params)
