"""Apply and inspect migrations from code (``capitallens db upgrade``)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, pool

from db import engine

HERE = Path(__file__).resolve().parent


def config(url: str | None = None) -> Config:
    cfg = Config(str(HERE / "alembic.ini"))
    cfg.set_main_option("script_location", str(HERE / "migrations"))
    cfg.attributes["url"] = url or engine.resolve().sqlalchemy_url
    return cfg


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Bring the database to ``revision``; a no-op when it is already there."""
    command.upgrade(config(url), revision)


def downgrade(url: str | None = None, revision: str = "base") -> None:
    command.downgrade(config(url), revision)


def head_revision() -> str:
    return ScriptDirectory.from_config(config("postgresql+psycopg://unused")).get_current_head()


def current_revision(url: str | None = None) -> str | None:
    sa_engine = create_engine(url or engine.resolve().sqlalchemy_url, poolclass=pool.NullPool)
    with sa_engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
