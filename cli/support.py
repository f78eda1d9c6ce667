"""What every command shares: the database line, JSON output, and errors as one line with the
exit status of cli/exitcodes.py. Glue only."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import click
import psycopg

from cli import exitcodes
from importer.errors import CapitalLensError, DatabaseUnavailable, NotFound

# -h as well as --help, on every command (groups pass it down to their commands).
CONTEXT = {"help_option_names": ["-h", "--help"]}

json_option = click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")


class Failure(click.ClickException):
    """A one-line error with its own exit status."""

    def __init__(self, message: str, exit_code: int = exitcodes.FAILED):
        super().__init__(message)
        self.exit_code = exit_code


def to_json(obj) -> str:
    return json.dumps(obj, indent=2, default=str, sort_keys=True)


def echo(data, as_json: bool, text: str) -> None:
    """``data`` as JSON with --json, else ``text``."""
    click.echo(to_json(data) if as_json else text)


def announce_database() -> None:
    from db import engine as db_engine

    try:
        database = db_engine.resolve()
    except Exception as exc:
        raise Failure(f"No database available: {exc}", exitcodes.DATABASE) from exc
    click.echo(f"Using database {database.describe()}", err=True)


def check_file(path: Path) -> None:
    """That the workbook can be read: a missing or unreadable file is one line, not a traceback."""
    try:
        with path.open("rb"):
            pass
    except FileNotFoundError as exc:
        raise Failure(f"There is no file {path}.", exitcodes.NOT_FOUND) from exc
    except IsADirectoryError as exc:
        raise Failure(f"{path} is a folder, not a workbook.", exitcodes.USAGE) from exc
    except OSError as exc:
        raise Failure(f"Cannot read {path}: {exc.strerror or exc}.") from exc


def handle_errors(fn):
    """Turn the project's errors into one-line messages and exit codes."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except NotFound as exc:
            raise Failure(exc.message, exitcodes.NOT_FOUND) from exc
        except DatabaseUnavailable as exc:
            raise Failure(exc.message, exitcodes.DATABASE) from exc
        except CapitalLensError as exc:
            stage = f" (during {exc.stage})" if exc.stage else ""
            raise Failure(f"{exc.message}{stage}") from exc
        except psycopg.OperationalError as exc:
            raise Failure(f"Cannot reach the database: {_one_line(exc)}", exitcodes.DATABASE) from exc
        except psycopg.errors.UndefinedTable as exc:
            raise Failure(NO_TABLES) from exc
        except psycopg.Error as exc:
            raise Failure(f"Database error: {_one_line(exc)}") from exc

    return wrapper


NO_TABLES = "The database has no CapitalLens tables yet: run `capitallens db upgrade`."


def _one_line(exc: Exception) -> str:
    """libpq's messages span lines (a hint after a tab); the CLI prints one."""
    return " ".join(str(exc).split())
