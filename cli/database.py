"""``capitallens db upgrade | current | reset``: the schema."""

from __future__ import annotations

import click

from cli import environment
from cli.support import CONTEXT, announce_database, echo, handle_errors, json_option

EPILOG = environment.epilog(environment.DATABASE)


@click.group(help="Database schema.", context_settings=CONTEXT, epilog=EPILOG)
def db() -> None:
    pass


@db.command("upgrade", help="Apply the migrations (idempotent).", epilog=EPILOG)
@json_option
@handle_errors
def db_upgrade(as_json: bool) -> None:
    from db import migrate

    announce_database()
    migrate.upgrade()
    revision = migrate.current_revision()
    echo(_revisions(revision), as_json, f"Database at revision {revision}")


@db.command("current", help="Show the applied migration revision.", epilog=EPILOG)
@json_option
@handle_errors
def db_current(as_json: bool) -> None:
    from db import migrate

    announce_database()
    current, head = migrate.current_revision(), migrate.head_revision()
    echo(
        _revisions(current, head),
        as_json,
        f"{current or '(empty)'}{' (head)' if current == head else f'; head is {head}'}",
    )


def _revisions(current: str | None, head: str | None = None) -> dict:
    from db import migrate

    head = head or migrate.head_revision()
    return {"revision": current, "head_revision": head, "at_head": current == head}


@db.command(
    "reset", help="Drop every CapitalLens and procrastinate table, then migrate again.", epilog=EPILOG
)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@handle_errors
def db_reset(yes: bool) -> None:
    from db import migrate

    announce_database()
    if not yes:
        click.confirm("Delete every model, cell and job in this database?", abort=True)
    migrate.downgrade()
    migrate.upgrade()
    click.echo(f"Database reset to revision {migrate.current_revision()}")
