"""GET /healthz (the process answers) and GET /readyz (database reachable, migrations at head).
Both stay open when API keys are required."""

from __future__ import annotations

import functools

from flask import Blueprint, current_app

from db import engine as db_engine
from db import migrate
from web import db
from web.errors import NotReady

bp = Blueprint("health", __name__)


@functools.cache
def _head() -> str:
    return migrate.head_revision()


@bp.get("/healthz")
def healthz():
    return {"status": "ok"}


@bp.get("/readyz")
def readyz():
    try:
        with db.connection() as conn:
            conn.execute("SELECT 1")
    except Exception as exc:
        raise NotReady(f"The database is not reachable: {exc}", database="unreachable") from exc
    url = current_app.config["DATABASE_URL"] or db_engine.resolve().url
    sa_url = db_engine.Database(url, "web").sqlalchemy_url
    current, head = migrate.current_revision(sa_url), _head()
    if current != head:
        raise NotReady(
            f"The database is at revision {current or '(empty)'}, not {head}: run `capitallens db upgrade`.",
            database="ok",
            revision=current,
            head=head,
        )
    return {"status": "ready", "database": "ok", "revision": current, "head": head}
