"""Alembic environment: the URL comes from db.engine, the schema from db.models."""

from alembic import context
from sqlalchemy import create_engine, pool

from db import engine, models


def include_object(obj, name, type_, reflected, compare_to):
    # procrastinate's tables come from its own SQL (revision 0003), not from our models.
    return not (name or "").startswith("procrastinate")


def run_migrations_online() -> None:
    url = context.config.attributes.get("url") or engine.resolve().sqlalchemy_url
    connectable = create_engine(url, poolclass=pool.NullPool)
    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=models.Base.metadata,
            include_object=include_object,
            compare_type=True,
        )
        with context.begin_transaction():
            # Two processes upgrading at once wait for each other instead of racing.
            connection.exec_driver_sql("SELECT pg_advisory_xact_lock(4242001)")
            context.run_migrations()


run_migrations_online()
