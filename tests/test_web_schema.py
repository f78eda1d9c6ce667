"""schemathesis against the live app: every operation in /api/openapi.json, with generated valid
and invalid requests, must answer as documented (status, content type, body schema) and never 500.
Bounded examples keep it to seconds."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

import web
from web import db as web_db
from web import openapi

MAX_EXAMPLES = 30
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


OPERATIONS = [
    (mode, method.upper(), path)
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    for path, ops in openapi.PATHS.items()
    for method in sorted(ops)
    # Without parameters or a body there is no invalid request to generate.
    if mode is GenerationMode.POSITIVE or ops[method].get("parameters") or ops[method].get("requestBody")
]


@pytest.fixture
def app(database, conn):
    # A model, its cells and a job, so that some generated ids hit real rows.
    conn.execute(
        "INSERT INTO source_files (sha256, content, size, file_name) VALUES (%s, '', 0, 'm.xlsx')",
        ("a" * 64,),
    )
    conn.execute(
        "INSERT INTO models (name, file_sha256, sheets, sheet_count, cell_count, formula_count, "
        "evaluated_count, comparable_count, matched_count, mismatched_count, cycle_cell_count) "
        """VALUES ('M', %s, '["S"]', 1, 2, 1, 1, 1, 1, 0, 0)""",
        ("a" * 64,),
    )
    conn.execute(
        "INSERT INTO cells (model_id, sheet, address, row, col, formula, raw_value, raw_type, "
        "calculated_value, calculated_type, has_mismatch) VALUES "
        "(1, 'S', 'A1', 1, 1, NULL, 1, 'number', NULL, NULL, NULL), "
        "(1, 'S', 'A2', 2, 1, '=A1+1', 2, 'number', 2, 'number', false)"
    )
    conn.execute("INSERT INTO job_runs (job_type, model_id) VALUES ('validation', 1)")
    app = web.create_app({"TESTING": True, "UPLOAD_RATE_LIMIT": 0})
    yield app
    web_db.close(app)


# schemathesis's own pytest plugin does not load under this pytest; its engine is driven by
# hypothesis directly instead, one test per documented operation.
@pytest.mark.parametrize(
    ("mode", "method", "path"), OPERATIONS, ids=[f"{g.value} {m} {p}" for g, m, p in OPERATIONS]
)
def test_api_matches_its_openapi_document(app, mode, method, path):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    operation = schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        # No keys exist, so the API is open; a generated key would only ever be refused (401),
        # which tests/test_web.py covers. Without one the requests reach the handlers.
        case.headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "x-api-key"}
        case.call_and_validate(checks=CHECKS)

    check()
