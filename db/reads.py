"""Every read the CLI and the HTTP API make: models, cells, defined names, jobs, progress.

One function per read, with typed parameters; the SQL is in queries.sql under the same names.
Filters are dataclasses whose fields are the query's parameters: a new filter is a field here
and its line in the query, and both the CLI and the web pass it on.

Listings are newest first (models, jobs) or in primary-key order (cells) and paginate by keyset:
ask for ``limit`` rows after a position (``before_id``, ``after``); the web asks for one more
than it shows, to know whether there is a next page.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import psycopg
from psycopg.rows import dict_row

from db import queries

Row = dict[str, Any]


def _all(conn: psycopg.Connection, query: str, params: dict) -> list[Row]:
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(query, params).fetchall()


def _one(conn: psycopg.Connection, query: str, params: dict) -> Row | None:
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(query, params).fetchone()


# --- models -------------------------------------------------------------------------------


def models(conn: psycopg.Connection, *, limit: int, before_id: int | None = None) -> list[Row]:
    """The models, newest first: ``limit`` of them with ids below ``before_id``."""
    return _all(conn, queries.list_models, {"limit": limit, "before_id": before_id})


def model(conn: psycopg.Connection, model_id: int) -> Row | None:
    """One model with its source file's name and size, or None."""
    return _one(conn, queries.get_model, {"model_id": model_id})


def model_exists(conn: psycopg.Connection, model_id: int) -> bool:
    return _one(conn, queries.model_exists, {"model_id": model_id}) is not None


# --- cells and names ----------------------------------------------------------------------


@dataclass(frozen=True)
class CellFilter:
    """Which cells of a model; every field is optional. Rows and columns are 1-based and
    inclusive; a bound pair is given whole (min_row with max_row)."""

    sheet: str | None = None
    formulas_only: bool = False
    mismatches_only: bool = False
    reason: str | None = None  # a mismatch reason, or its prefix before ':'
    min_row: int | None = None
    max_row: int | None = None
    min_col: int | None = None
    max_col: int | None = None


@dataclass(frozen=True)
class CellPosition:
    """A cell in the listing's order (sheet, row, col): a page starts after it."""

    sheet: str
    row: int
    col: int


def cells(
    conn: psycopg.Connection,
    model_id: int,
    where: CellFilter = CellFilter(),
    *,
    limit: int,
    after: CellPosition | None = None,
) -> list[Row]:
    """A model's cells in (sheet, row, col) order."""
    params = {
        "model_id": model_id,
        **asdict(where),
        "after_sheet": after and after.sheet,
        "after_row": after and after.row,
        "after_col": after and after.col,
        "limit": limit,
    }
    return _all(conn, queries.list_cells, params)


def names(conn: psycopg.Connection, model_id: int) -> list[Row]:
    """A model's defined names (name, scope, value), in name order."""
    return _all(conn, queries.list_defined_names, {"model_id": model_id})


# --- jobs and progress --------------------------------------------------------------------


@dataclass(frozen=True)
class JobFilter:
    status: str | None = None  # db.models.JOB_STATUSES
    job_type: str | None = None  # db.models.JOB_TYPES


def jobs(
    conn: psycopg.Connection,
    where: JobFilter = JobFilter(),
    *,
    limit: int,
    before_id: int | None = None,
) -> list[Row]:
    """Jobs newest first, with their latest progress: ``limit`` of them below ``before_id``."""
    return _all(conn, queries.list_jobs, {**asdict(where), "limit": limit, "before_id": before_id})


def job(conn: psycopg.Connection, job_id: int) -> Row | None:
    """One job (job_runs and its latest progress), or None."""
    return _one(conn, queries.get_job, {"job_id": job_id})


def progress(conn: psycopg.Connection, job_id: int, after_id: int = 0) -> list[Row]:
    """A job's progress rows after ``after_id``, oldest first."""
    return _all(conn, queries.job_progress_history, {"job_id": job_id, "after_id": after_id})
