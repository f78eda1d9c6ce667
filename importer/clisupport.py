"""Helpers shared by the click commands (importer/cli.py and web/cli.py). Glue only."""

from __future__ import annotations

import functools
import json

import click
import psycopg

from importer.errors import CapitalLensError


def to_json(obj) -> str:
    return json.dumps(obj, indent=2, default=str, sort_keys=True)


def announce_database() -> None:
    from db import engine as db_engine

    try:
        database = db_engine.resolve()
    except Exception as exc:
        raise click.ClickException(f"No database available: {exc}") from exc
    click.echo(f"Using database {database.describe()}", err=True)


def handle_errors(fn):
    """Turn the project's errors into one-line messages and exit codes."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except CapitalLensError as exc:
            stage = f" (during {exc.stage})" if exc.stage else ""
            raise click.ClickException(f"{exc.message}{stage}") from exc
        except psycopg.OperationalError as exc:
            raise click.ClickException(f"Cannot reach the database: {str(exc).strip()}") from exc
        except psycopg.errors.UndefinedTable as exc:
            raise click.ClickException(
                "The database has no CapitalLens tables yet: run `capitallens db upgrade`."
            ) from exc
        except psycopg.Error as exc:
            raise click.ClickException(f"Database error: {str(exc).strip()}") from exc

    return wrapper
