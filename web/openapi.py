"""GET /api/openapi.json: the OpenAPI 3 document of every route (tests/test_web_schema.py keeps
it true with schemathesis)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from db import models as db_models
from web import imports, jobs, models

bp = Blueprint("openapi", __name__)

ID = {"type": "integer", "minimum": 1, "maximum": 10**18 - 1}
TIME = {"type": "string", "format": "date-time"}


def _null(schema: dict) -> dict:
    return {**schema, "nullable": True}


def _obj(props: dict[str, dict], *, required: list[str] | None = None) -> dict:
    return {
        "type": "object",
        "properties": props,
        "required": list(props) if required is None else required,
    }


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERRORS = {
    400: "Bad request: a parameter or field is not valid.",
    401: "No valid X-API-Key (needed once any key exists, or with AUTH_REQUIRED=1).",
    404: "No such object.",
    409: "Conflicts with the current state (e.g. a job is running).",
    413: "The upload is over the size limit.",
    415: "Not an OOXML workbook (.xlsx/.xlsm): says what it looks like; or macros refused.",
    429: "Too many uploads; see Retry-After.",
    503: "The database is unavailable, or not migrated (readyz).",
}


def _responses(ok: dict[int, dict], *errors: int) -> dict:
    out = {str(code): response for code, response in ok.items()}
    for code in (*errors, 503):
        response = _json(_ref("Error"), ERRORS[code])
        if code == 429:
            response["headers"] = {
                "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}
            }
        out[str(code)] = response
    return out


def _query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def _path(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": ID}


def _paging(default: int, maximum: int) -> list[dict]:
    return [
        _query(
            "limit",
            {"type": "integer", "minimum": 1, "maximum": maximum, "default": default},
            "Items per page.",
        ),
        _query("cursor", {"type": "string"}, "The next_cursor of the previous page."),
    ]


def _page(item: str) -> dict:
    return _obj(
        {
            "items": {"type": "array", "items": _ref(item)},
            "limit": {"type": "integer"},
            "next_cursor": _null({"type": "string"}),
        }
    )


SCHEMAS: dict[str, Any] = {
    "Error": _obj(
        {
            "error": _obj(
                {
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                    "details": {"type": "object"},
                }
            )
        }
    ),
    "Enqueued": _obj(
        {
            "job_id": ID,
            "created": {"type": "boolean", "description": "false: an existing live job is returned"},
            "message": {"type": "string"},
            "status_url": {"type": "string"},
        }
    ),
    "Uploaded": _obj(
        {
            "job_id": ID,
            "created": {"type": "boolean"},
            "message": {"type": "string"},
            "status_url": {"type": "string"},
            "has_vba": {"type": "boolean"},
            "warnings": {"type": "array", "items": {"type": "string"}},
        }
    ),
    "AlreadyImported": _obj(
        {
            "job_id": _null({"type": "integer"}),
            "created": {"type": "boolean"},
            "model_id": ID,
            "model_url": {"type": "string"},
            "message": {"type": "string"},
            "has_vba": {"type": "boolean"},
            "warnings": {"type": "array", "items": {"type": "string"}},
        }
    ),
    "Progress": _obj(
        {
            "id": {"type": "integer"},
            "stage": {"type": "string"},
            "percent": {"type": "number"},
            "message": _null({"type": "string"}),
            "timestamp": TIME,
        }
    ),
    "Job": _obj(
        {
            "job_id": ID,
            "job_type": {"type": "string", "enum": list(db_models.JOB_TYPES)},
            "status": {"type": "string", "enum": list(db_models.JOB_STATUSES)},
            "created_at": TIME,
            "started_at": _null(TIME),
            "completed_at": _null(TIME),
            "params": {"type": "object"},
            "result": _null({"type": "object"}),
            "error": _null({"type": "object", "description": "{type, message, stage, details}"}),
            "model_id": _null({"type": "integer"}),
            "model_name": _null({"type": "string"}),
            "file_sha256": _null({"type": "string"}),
            "attempts": {"type": "integer"},
            "worker": _null({"type": "string"}),
            "stage": _null({"type": "string"}),
            "percent": _null({"type": "number"}),
            "message": _null({"type": "string"}),
            "progress_at": _null(TIME),
            "progress": {"type": "array", "items": _ref("Progress")},
        }
    ),
    "JobSummary": _obj(
        {
            "job_id": ID,
            "job_type": {"type": "string", "enum": list(db_models.JOB_TYPES)},
            "status": {"type": "string", "enum": list(db_models.JOB_STATUSES)},
            "model_name": _null({"type": "string"}),
            "model_id": _null({"type": "integer"}),
            "created_at": TIME,
            "started_at": _null(TIME),
            "completed_at": _null(TIME),
            "stage": _null({"type": "string"}),
            "percent": _null({"type": "number"}),
            "message": _null({"type": "string"}),
            "error_type": _null({"type": "string"}),
        }
    ),
    "ModelSummary": _obj(
        {
            "id": ID,
            "name": {"type": "string"},
            "file_sha256": {"type": "string"},
            "sheet_count": {"type": "integer"},
            "cell_count": {"type": "integer"},
            "formula_count": {"type": "integer"},
            "comparable_count": {"type": "integer"},
            "matched_count": {"type": "integer"},
            "mismatched_count": {"type": "integer"},
            "cycle_cell_count": {"type": "integer"},
            "imported_at": TIME,
            "validated_at": _null(TIME),
        }
    ),
    "Model": _obj(
        {
            "id": ID,
            "name": {"type": "string"},
            "file_sha256": {"type": "string"},
            "file_name": {"type": "string"},
            "file_size": {"type": "integer"},
            "sheets": {"type": "array", "items": {"type": "string"}},
            "sheet_count": {"type": "integer"},
            "cell_count": {"type": "integer"},
            "formula_count": {"type": "integer"},
            "evaluated_count": {"type": "integer"},
            "comparable_count": {"type": "integer"},
            "matched_count": {"type": "integer"},
            "mismatched_count": {"type": "integer"},
            "cycle_cell_count": {"type": "integer"},
            "calc_settings": {"type": "object"},
            "mismatch_summary": {"type": "object"},
            "engine_version": _null({"type": "string"}),
            "imported_at": TIME,
            "validated_at": _null(TIME),
            "cells_url": {"type": "string"},
        }
    ),
    "Cell": _obj(
        {
            "sheet": {"type": "string"},
            "address": {"type": "string"},
            "row": {"type": "integer"},
            "col": {"type": "integer"},
            "formula": _null({"type": "string"}),
            "raw_value": _null({"type": "number"}),
            "raw_text": _null({"type": "string"}),
            "raw_type": {"type": "string", "enum": list(db_models.VALUE_TYPES)},
            "calculated_value": _null({"type": "number"}),
            "calculated_text": _null({"type": "string"}),
            "calculated_type": _null({"type": "string", "enum": list(db_models.VALUE_TYPES)}),
            "has_mismatch": _null({"type": "boolean"}),
            "mismatch_reason": _null({"type": "string"}),
        }
    ),
    "Deleted": _obj({"model_id": ID, "deleted": {"type": "boolean"}, "message": {"type": "string"}}),
    "Health": _obj({"status": {"type": "string"}}),
    "Ready": _obj(
        {
            "status": {"type": "string"},
            "database": {"type": "string"},
            "revision": {"type": "string"},
            "head": {"type": "string"},
        }
    ),
    "JobPage": _page("JobSummary"),
    "ModelPage": _page("ModelSummary"),
    "CellPage": _page("Cell"),
}

BOOL_FIELD = {"type": "string", "enum": ["true", "false"]}

PATHS: dict[str, Any] = {
    "/api/import/upload": {
        "post": {
            "operationId": "uploadWorkbook",
            "summary": "Upload a workbook and queue its import.",
            "description": "The upload is streamed and refused before any parsing when it is over "
            "the size limit (413) or not an OOXML workbook (415). Macro-enabled .xlsm files are "
            "accepted with their VBA ignored and flagged (has_vba), unless the server refuses them "
            "(415 macros_refused). At most 5 uploads per minute per key (429).",
            "requestBody": {
                "required": True,
                "content": {
                    "multipart/form-data": {
                        "schema": _obj(
                            {
                                "file": {"type": "string", "format": "binary"},
                                "model_name": {
                                    "type": "string",
                                    "minLength": 1,
                                    "maxLength": imports.MAX_NAME,
                                    "pattern": r"\S",
                                },
                                "validate": {**BOOL_FIELD, "default": "true"},
                                "force": {**BOOL_FIELD, "default": "false"},
                                "as_of": {
                                    "type": "string",
                                    "maxLength": imports.MAX_AS_OF,
                                    "description": "The instant TODAY() and NOW() are computed at: "
                                    "an ISO 8601 date or date-time (2024-03-15, 2024-03-15T17:30:00Z); "
                                    "without an offset, a wall-clock time in CAPITALLENS_AS_OF_TZ "
                                    "(default UTC). Default: the time the file was saved.",
                                    "example": "2024-03-15T17:30:00+01:00",
                                },
                            },
                            required=["file", "model_name"],
                        )
                    }
                },
            },
            "responses": _responses(
                {
                    202: _json(_ref("Uploaded"), "Queued (or the live job for this file and name)."),
                    200: _json(_ref("AlreadyImported"), "Already imported under this name."),
                },
                400,
                401,
                413,
                415,
                429,
            ),
        }
    },
    "/api/import/job/{job_id}": {
        "get": {
            "operationId": "getJob",
            "summary": "One job: status, stage, percent, progress history, result or error.",
            "parameters": [_path("job_id")],
            "responses": _responses({200: _json(_ref("Job"), "The job.")}, 401, 404),
        }
    },
    "/api/jobs": {
        "get": {
            "operationId": "listJobs",
            "summary": "Jobs, newest first.",
            "parameters": [
                _query("status", {"type": "string", "enum": list(db_models.JOB_STATUSES)}, "Filter."),
                _query("type", {"type": "string", "enum": list(db_models.JOB_TYPES)}, "Filter."),
                *_paging(jobs.DEFAULT_LIMIT, jobs.MAX_LIMIT),
            ],
            "responses": _responses({200: _json(_ref("JobPage"), "A page of jobs.")}, 400, 401),
        }
    },
    "/api/models": {
        "get": {
            "operationId": "listModels",
            "summary": "Imported models, newest first.",
            "parameters": _paging(models.DEFAULT_LIMIT, models.MAX_LIMIT),
            "responses": _responses({200: _json(_ref("ModelPage"), "A page of models.")}, 400, 401),
        }
    },
    "/api/models/{model_id}": {
        "get": {
            "operationId": "getModel",
            "summary": "One model with its counts, calculation settings and mismatch summary.",
            "parameters": [_path("model_id")],
            "responses": _responses({200: _json(_ref("Model"), "The model.")}, 401, 404),
        },
        "delete": {
            "operationId": "deleteModel",
            "summary": "Delete a model and its cells; 409 while one of its jobs runs.",
            "parameters": [_path("model_id")],
            "responses": _responses({200: _json(_ref("Deleted"), "Deleted.")}, 401, 404, 409),
        },
    },
    "/api/models/{model_id}/cells": {
        "get": {
            "operationId": "listCells",
            "summary": "A model's cells in (sheet, row, col) order, filtered.",
            "parameters": [
                _path("model_id"),
                _query("sheet", {"type": "string", "maxLength": 255}, "Only this sheet."),
                _query("formulas", {"type": "boolean"}, "Only formula cells."),
                _query("mismatches", {"type": "boolean"}, "Only cells that disagree with Excel."),
                _query(
                    "reason",
                    {"type": "string", "maxLength": 255},
                    "Only this mismatch reason (unsupported_function also matches "
                    "unsupported_function:NAME).",
                ),
                _query(
                    "range",
                    {"type": "string", "maxLength": 255},
                    "A cell or a range: B2, B2:D9, 'Sheet 1'!A1:C3, A:C, 2:5.",
                ),
                *_paging(models.DEFAULT_CELLS, models.MAX_CELLS),
            ],
            "responses": _responses({200: _json(_ref("CellPage"), "A page of cells.")}, 400, 401, 404),
        }
    },
    "/api/models/{model_id}/validate": {
        "post": {
            "operationId": "validateModel",
            "summary": "Re-evaluate a stored model with the current engine (a validation job).",
            "parameters": [_path("model_id")],
            "responses": _responses(
                {202: _json(_ref("Enqueued"), "Queued (or the live validation job).")}, 401, 404
            ),
        }
    },
    "/api/openapi.json": {
        "get": {
            "operationId": "openapi",
            "summary": "This document.",
            "responses": _responses({200: _json({"type": "object"}, "OpenAPI 3 document.")}, 401),
        }
    },
    "/healthz": {
        "get": {
            "operationId": "healthz",
            "summary": "The process is up (no key needed).",
            "security": [],
            "responses": {"200": _json(_ref("Health"), "Up.")},
        }
    },
    "/readyz": {
        "get": {
            "operationId": "readyz",
            "summary": "The database is reachable and migrated to head (no key needed).",
            "security": [],
            "responses": _responses({200: _json(_ref("Ready"), "Ready.")}),
        }
    },
}

DOCUMENT: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {
        "title": "CapitalLens importer",
        "version": "1",
        "description": "Excel financial models into PostgreSQL, every number checked. Errors are "
        'always {"error": {"code", "message", "details"}}.',
    },
    "paths": PATHS,
    "components": {
        "schemas": SCHEMAS,
        "securitySchemes": {"apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"}},
    },
    "security": [{"apiKey": []}],
}


@bp.get("/api/openapi.json")
def document():
    return DOCUMENT
