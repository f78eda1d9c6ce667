"""Imported models: list, one, its cells, delete, and re-validation."""

from __future__ import annotations

import dataclasses

import psycopg
from flask import Blueprint, url_for
from psycopg.rows import dict_row

from db import queries, reads
from importer import references
from importer.errors import Conflict, NotFound
from web import db, pagination
from web.errors import BadRequest
from worker import enqueue

bp = Blueprint("models", __name__)

DEFAULT_LIMIT = 20
MAX_LIMIT = 200
DEFAULT_CELLS = 100
MAX_CELLS = 1000


def _rows(conn: psycopg.Connection, query: str, params: dict) -> list[dict]:
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(query, params).fetchall()


def _no_model(model_id: int) -> NotFound:
    return NotFound(f"There is no model {model_id}.", model_id=model_id)


@bp.get("/api/models")
def list_models():
    size = pagination.limit(DEFAULT_LIMIT, MAX_LIMIT)
    after = pagination.cursor(int)
    with db.connection() as conn:
        rows = reads.models(conn, limit=size + 1, before_id=after and after[0])
    return pagination.page(rows, size, lambda last: [last["id"]])


@bp.get("/api/models/<id:model_id>")
def get_model(model_id: int):
    with db.connection() as conn:
        model = reads.model(conn, model_id)
    if model is None:
        raise _no_model(model_id)
    model["cells_url"] = url_for("models.list_cells", model_id=model_id)
    return model


def _area(sheet: str | None) -> reads.CellFilter:
    """The ``sheet`` and ``range`` parameters (A1, B2:D9, 'My sheet'!A1:C3) as a sheet and bounds."""
    raw = pagination.text("range")
    if raw is None:
        return reads.CellFilter(sheet=sheet)
    area = references.parse_reference(raw.strip())
    if (
        not isinstance(area, references.Area)
        or area.external
        or not (1 <= area.min_row <= area.max_row <= references.MAX_ROW)
        or not (1 <= area.min_col <= area.max_col <= references.MAX_COL)
    ):
        raise BadRequest(
            "range must be a cell or a range such as B2:D9 or 'Sheet 1'!A1:C3.",
            parameter="range",
            value=raw[:100],
        )
    if area.sheet is not None:
        if sheet is not None and sheet != area.sheet:
            raise BadRequest("range names another sheet than the sheet parameter.", parameter="range")
        sheet = area.sheet
    return reads.CellFilter(
        sheet=sheet, min_row=area.min_row, max_row=area.max_row, min_col=area.min_col, max_col=area.max_col
    )


@bp.get("/api/models/<id:model_id>/cells")
def list_cells(model_id: int):
    where = dataclasses.replace(
        _area(pagination.text("sheet")),
        formulas_only=pagination.flag("formulas"),
        mismatches_only=pagination.flag("mismatches"),
        reason=pagination.text("reason"),
    )
    size = pagination.limit(DEFAULT_CELLS, MAX_CELLS)
    after = pagination.cursor(str, int, int)
    with db.connection() as conn:
        if not reads.model_exists(conn, model_id):
            raise _no_model(model_id)
        rows = reads.cells(
            conn, model_id, where, limit=size + 1, after=reads.CellPosition(*after) if after else None
        )
    return pagination.page(rows, size, lambda last: [last["sheet"], last["row"], last["col"]])


@bp.delete("/api/models/<id:model_id>")
def delete_model(model_id: int):
    params = {"model_id": model_id}
    with db.connection() as conn, conn.transaction():
        if conn.execute(queries.lock_model, params).fetchone() is None:
            raise _no_model(model_id)
        live = _rows(conn, queries.live_jobs_of_model, params)
        if live:
            ids = [job["job_id"] for job in live]
            raise Conflict(
                f"Model {model_id} has a job running ({', '.join(map(str, ids))}); "
                "wait for it to end or cancel it, then delete the model.",
                model_id=model_id,
                job_ids=ids,
            )
        conn.execute(queries.delete_model, params)
    return {"model_id": model_id, "deleted": True, "message": f"Model {model_id} deleted."}


@bp.post("/api/models/<id:model_id>/validate")
def validate_model(model_id: int):
    try:
        queued = enqueue.enqueue_validation(model_id)
    except psycopg.errors.ForeignKeyViolation as exc:  # deleted while we were queueing
        raise _no_model(model_id) from exc
    return {
        "job_id": queued.job_id,
        "created": queued.created,
        "message": queued.message,
        "status_url": url_for("imports.get_job", job_id=queued.job_id),
    }, 202
