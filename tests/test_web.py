"""The HTTP API against a real database: every endpoint, every error class, auth, the upload
rate limit across two app instances, and pagination boundaries."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import zipfile

import psycopg
import pytest
from click.testing import CliRunner

import web
from cli import apikeys as apikey_cli
from cli import web as web_cli
from db import apikeys
from tests import workbooks
from web import db as web_db
from web import openapi

# --- fixtures and helpers -----------------------------------------------------------------


def make_app(**config):
    return web.create_app({"TESTING": True, **config})


@pytest.fixture
def app(database):
    app = make_app()
    yield app
    web_db.close(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def xlsx():
    return workbooks.basic()


def with_vba(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 not really VBA")
    return out.getvalue()


def upload(client, data: bytes, name="Model", filename="model.xlsx", headers=None, **fields):
    form = {"file": (io.BytesIO(data), filename), "model_name": name, **fields}
    return client.post(
        "/api/import/upload", data=form, content_type="multipart/form-data", headers=headers or {}
    )


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert isinstance(body["error"]["details"], dict)
    text = response.get_data(as_text=True)
    assert "Traceback" not in text and "<html" not in text.lower()
    return body["error"]


def add_model(conn, name="M", sheets=("Calc", "Inputs"), rows=3, cols=2) -> int:
    """A stored model with rows x cols cells per sheet; column 1 holds formulas, and the formula
    in row 2 of each sheet mismatches with an unsupported function."""
    sha = hashlib.sha256(f"{name}/{rows}/{cols}".encode()).hexdigest()
    conn.execute(
        "INSERT INTO source_files (sha256, content, size, file_name) VALUES (%s, '', 0, 'm.xlsx') "
        "ON CONFLICT DO NOTHING",
        (sha,),
    )
    model_id = conn.execute(
        "INSERT INTO models (name, file_sha256, sheets, sheet_count, cell_count, formula_count, "
        "evaluated_count, comparable_count, matched_count, mismatched_count, cycle_cell_count) "
        "VALUES (%s, %s, %s, %s, %s, %s, 0, 0, 0, 0, 0) RETURNING id",
        (name, sha, psycopg.types.json.Jsonb(list(sheets)), len(sheets), rows * cols, rows),
    ).fetchone()[0]
    for sheet in sheets:
        conn.execute(
            "INSERT INTO cells (model_id, sheet, address, row, col, formula, raw_value, raw_type, "
            "calculated_value, calculated_type, has_mismatch, mismatch_reason) "
            "SELECT %s, %s, chr(64 + c) || r, r, c, "
            "CASE WHEN c = 1 THEN '=FOO(' || r || ')' END, r * c, 'number', "
            "CASE WHEN c = 1 AND r = 2 THEN NULL ELSE r * c END, "
            "CASE WHEN c = 1 AND r = 2 THEN NULL ELSE 'number' END, "
            "CASE WHEN c = 1 AND r = 2 THEN true WHEN c = 1 THEN false END, "
            "CASE WHEN c = 1 AND r = 2 THEN 'unsupported_function:FOO' END "
            "FROM generate_series(1, %s) r, generate_series(1, %s) c",
            (model_id, sheet, rows, cols),
        )
    return model_id


def add_jobs(conn, n: int, job_type="import", status="pending") -> list[int]:
    done = "now()" if status in ("success", "failed", "cancelled") else "NULL"
    return [
        conn.execute(
            f"INSERT INTO job_runs (job_type, status, completed_at) VALUES (%s, %s, {done}) RETURNING job_id",
            (job_type, status),
        ).fetchone()[0]
        for _ in range(n)
    ]


def all_pages(client, url: str, limit: int, headers=None) -> list[list]:
    pages, cursor = [], None
    while True:
        sep = "&" if "?" in url else "?"
        response = client.get(
            f"{url}{sep}limit={limit}" + (f"&cursor={cursor}" if cursor else ""),
            headers=headers or {},
        )
        assert response.status_code == 200, response.get_data(as_text=True)
        body = response.get_json()
        assert body["limit"] == limit
        pages.append(body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            return pages
        assert len(pages) < 100


# --- one error shape everywhere -----------------------------------------------------------


def test_error_shape_is_pinned(client):
    """The exact shape of an error body: changing it breaks every client."""
    response = client.get("/api/import/job/999")
    assert response.status_code == 404
    assert response.get_json() == {
        "error": {
            "code": "not_found",
            "message": "There is no job 999.",
            "details": {"job_id": 999},
        }
    }


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("get", "/api/nothing-here", 404, "not_found"),
        ("get", "/nothing-here", 404, "not_found"),
        ("get", "/api/models/0", 404, "not_found"),
        ("get", f"/api/models/{2**63}", 404, "not_found"),  # past bigint: no database error
        ("get", "/api/models/abc", 404, "not_found"),
        ("put", "/api/jobs", 405, "method_not_allowed"),
        ("delete", "/api/import/upload", 405, "method_not_allowed"),
    ],
)
def test_http_errors_use_the_shape(client, method, path, status, code):
    response = getattr(client, method)(path)
    assert_error(response, status, code)
    if status == 405:
        assert "Allow" in response.headers


def test_unexpected_errors_are_500_without_a_traceback(app, client):
    def boom():
        raise RuntimeError("secret internals")

    app.add_url_rule("/api/boom", "boom", boom)
    error = assert_error(client.get("/api/boom"), 500, "internal_error")
    assert "secret" not in error["message"]


def test_a_streamed_upload_without_content_length_is_cut_off_at_the_limit(database):
    """Chunked uploads carry no Content-Length: the limit is enforced while the body streams."""
    app = make_app(MAX_UPLOAD_BYTES=1000)
    try:
        boundary = "BOUNDARY"
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="model_name"\r\n\r\nM\r\n'
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="m.xlsx"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            ).encode()
            + b"PK"
            + b"x" * 200_000
            + f"\r\n--{boundary}--\r\n".encode()
        )
        response = app.test_client().post(
            "/api/import/upload",
            input_stream=io.BytesIO(body),
            content_type=f"multipart/form-data; boundary={boundary}",
            headers={"Transfer-Encoding": "chunked"},
            environ_overrides={"wsgi.input_terminated": True},  # as gunicorn sets it
        )
        assert assert_error(response, 413, "workbook_too_large")["details"]["limit_bytes"] == 1000
    finally:
        web_db.close(app)


def test_database_unreachable_is_503(database):
    app = make_app(DATABASE_URL="postgresql:///cl_no_such_database_xyz", DB_POOL_TIMEOUT=1)
    try:
        client = app.test_client()
        assert client.get("/healthz").status_code == 200
        assert_error(client.get("/readyz"), 503, "not_ready")
        assert_error(client.get("/api/jobs"), 503, "database_unavailable")
    finally:
        web_db.close(app)


# --- health -------------------------------------------------------------------------------


def test_health_and_readiness(client, conn):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz").get_json()
    assert ready["status"] == "ready" and ready["revision"] == ready["head"]
    conn.execute("UPDATE alembic_version SET version_num = '0003_procrastinate'")
    error = assert_error(client.get("/readyz"), 503, "not_ready")
    assert error["details"]["revision"] == "0003_procrastinate"
    assert "capitallens db upgrade" in error["message"]


# --- uploads ------------------------------------------------------------------------------


def test_upload_queues_an_import_in_one_transaction(client, conn, xlsx):
    response = upload(client, xlsx, name="Budget", validate="false")
    assert response.status_code == 202
    body = response.get_json()
    assert body["created"] is True and body["has_vba"] is False and body["warnings"] == []
    assert body["status_url"] == f"/api/import/job/{body['job_id']}"
    row = conn.execute(
        "SELECT r.job_type, r.status, r.model_name, r.params, s.size, j.task_name "
        "FROM job_runs r JOIN source_files s ON s.sha256 = r.file_sha256 "
        "JOIN procrastinate_jobs j ON j.id = r.procrastinate_job_id WHERE r.job_id = %s",
        (body["job_id"],),
    ).fetchone()
    assert row[:3] == ("import", "pending", "Budget")
    assert row[3]["validate"] is False and row[3]["file_name"] == "model.xlsx"
    assert (row[4], row[5]) == (len(xlsx), "import_workbook")

    job = client.get(body["status_url"]).get_json()
    assert job["job_id"] == body["job_id"] and job["status"] == "pending"
    assert job["progress"] == [] and job["result"] is None and job["error"] is None
    for key in ("stage", "percent", "message", "created_at", "started_at", "completed_at", "model_id"):
        assert key in job

    again = upload(client, xlsx, name="Budget").get_json()
    assert (again["job_id"], again["created"]) == (body["job_id"], False)


def test_job_shows_progress_history_result_and_model(client, conn, xlsx):
    job_id = upload(client, xlsx).get_json()["job_id"]
    model_id = add_model(conn)
    for stage, pct in (("hashing", 5), ("parsing", 12.5)):
        conn.execute(
            "INSERT INTO job_progress (job_id, stage, percent, message) VALUES (%s, %s, %s, 'm')",
            (job_id, stage, pct),
        )
    conn.execute(
        "UPDATE job_runs SET status = 'success', completed_at = now(), model_id = %s, "
        "result = '{\"cells\": 6}' WHERE job_id = %s",
        (model_id, job_id),
    )
    job = client.get(f"/api/import/job/{job_id}").get_json()
    assert [p["stage"] for p in job["progress"]] == ["hashing", "parsing"]
    assert (job["stage"], job["percent"], job["status"]) == ("parsing", 12.5, "success")
    assert (job["model_id"], job["result"]) == (model_id, {"cells": 6})
    assert job["completed_at"].startswith("20") and "T" in job["completed_at"]


def test_upload_of_a_file_already_imported_points_at_the_model(client, conn, xlsx):
    job_id = upload(client, xlsx, name="Done").get_json()["job_id"]
    sha = conn.execute("SELECT file_sha256 FROM job_runs WHERE job_id = %s", (job_id,)).fetchone()[0]
    conn.execute("UPDATE job_runs SET status = 'success', completed_at = now() WHERE job_id = %s", (job_id,))
    model_id = conn.execute(
        "INSERT INTO models (name, file_sha256, sheet_count, cell_count, formula_count, "
        "evaluated_count, comparable_count, matched_count, mismatched_count, cycle_cell_count) "
        "VALUES ('Done', %s, 0, 0, 0, 0, 0, 0, 0, 0) RETURNING id",
        (sha,),
    ).fetchone()[0]
    response = upload(client, xlsx, name="Done")
    assert response.status_code == 200
    body = response.get_json()
    assert (body["job_id"], body["model_id"]) == (None, model_id)
    assert "force=true" in body["message"]
    forced = upload(client, xlsx, name="Done", force="true")
    assert forced.status_code == 202 and forced.get_json()["job_id"] != job_id


LEGACY_XLS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600


def _xlsb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.bin", b"\x83\x01")
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "looks_like"),
    [
        (b"", "an empty file"),
        (LEGACY_XLS, "legacy Excel 97-2003 .xls"),
        (LEGACY_XLS + "EncryptionInfo".encode("utf-16-le"), "encrypted (password-protected)"),
        (_xlsb(), ".xlsb"),
        (b"name,revenue\nA,1\nB,2\n", "CSV"),
        (b"PK\x03\x04 truncated", "damaged or truncated zip"),
    ],
    ids=["empty", "xls", "encrypted", "xlsb", "csv", "broken-zip"],
)
def test_non_ooxml_uploads_are_415_saying_what_they_look_like(client, conn, data, looks_like):
    error = assert_error(upload(client, data), 415, "invalid_workbook")
    assert looks_like in error["details"]["looks_like"]
    assert looks_like in error["message"]
    assert conn.execute("SELECT count(*) FROM source_files").fetchone()[0] == 0


def test_upload_over_the_size_limit_is_413(database, conn, xlsx):
    app = make_app(MAX_UPLOAD_BYTES=len(xlsx) - 1)
    try:
        client = app.test_client()
        error = assert_error(upload(client, xlsx), 413, "workbook_too_large")
        assert error["details"]["limit_bytes"] == len(xlsx) - 1
        # Far over: refused from Content-Length, before the body is read.
        assert_error(upload(client, xlsx * 40), 413, "workbook_too_large")
        assert conn.execute("SELECT count(*) FROM source_files").fetchone()[0] == 0
        # Exactly at the limit is accepted.
        app.config["MAX_UPLOAD_BYTES"] = len(xlsx)
        assert upload(client, xlsx).status_code == 202
    finally:
        web_db.close(app)


def test_xlsm_is_accepted_with_its_vba_flagged_unless_refused(database, client, conn, xlsx):
    body = upload(client, with_vba(xlsx), filename="macro.xlsm").get_json()
    assert body["has_vba"] is True
    assert any("VBA" in w for w in body["warnings"])
    strict = make_app(ALLOW_MACROS=False)
    try:
        error = assert_error(
            upload(strict.test_client(), with_vba(xlsx), name="Other"), 415, "macros_refused"
        )
        assert ".xlsx" in error["message"]
    finally:
        web_db.close(strict)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"model_name": ""}, "model_name"),
        ({"model_name": "   "}, "model_name"),
        ({"model_name": "x" * 256}, "model_name"),
        ({"validate": "maybe"}, "validate"),
        ({"force": "yes please"}, "force"),
    ],
)
def test_bad_upload_fields_are_400(client, xlsx, fields, field):
    fields = {"name": fields.pop("model_name", "Model"), **fields}
    error = assert_error(upload(client, xlsx, **fields), 400, "bad_request")
    assert error["details"]["field"] == field


def test_upload_needs_a_multipart_file(client):
    error = assert_error(client.post("/api/import/upload", json={"model_name": "x"}), 400, "bad_request")
    assert "multipart/form-data" in error["message"]
    missing = client.post("/api/import/upload", data={"model_name": "x"}, content_type="multipart/form-data")
    assert assert_error(missing, 400, "bad_request")["details"]["field"] == "file"


# --- the upload rate limit ----------------------------------------------------------------


def test_rate_limit_holds_across_two_app_instances(database, xlsx):
    """Two apps, each with its own pool (as two gunicorn processes): they share one count."""
    first, second = make_app(), make_app()
    try:
        a, b = first.test_client(), second.test_client()
        statuses = [upload(c, xlsx, name=f"m{i}").status_code for i, c in enumerate([a, b, a, b, a])]
        assert statuses == [202] * 5
        for client in (a, b):
            response = upload(client, xlsx, name="one too many")
            error = assert_error(response, 429, "rate_limited")
            assert 1 <= int(response.headers["Retry-After"]) <= 60
            assert error["details"]["limit"] == 5
    finally:
        web_db.close(first)
        web_db.close(second)


def test_rate_limit_is_per_key_and_the_window_slides(database, conn, xlsx):
    app = make_app(UPLOAD_RATE_LIMIT=2, UPLOAD_RATE_WINDOW=60)
    try:
        client = app.test_client()
        keys = [apikeys.create(conn, name)[0] for name in ("a", "b")]
        for key in keys:
            for i in range(2):
                assert upload(client, xlsx, name=f"{key}{i}", headers={"X-API-Key": key}).status_code == 202
        assert upload(client, xlsx, name="x", headers={"X-API-Key": keys[0]}).status_code == 429
        # The oldest upload leaves the window: one more is allowed, then the limit holds again.
        conn.execute(
            "UPDATE upload_hits SET at = at - interval '61 seconds' WHERE id = "
            "(SELECT min(id) FROM upload_hits)"
        )
        assert upload(client, xlsx, name="y", headers={"X-API-Key": keys[0]}).status_code == 202
        assert upload(client, xlsx, name="z", headers={"X-API-Key": keys[0]}).status_code == 429
    finally:
        web_db.close(app)


# --- auth ---------------------------------------------------------------------------------


def test_open_until_the_first_key_then_every_api_route_needs_one(client, conn, xlsx):
    assert client.get("/api/jobs").status_code == 200
    result = CliRunner().invoke(apikey_cli.apikey, ["create", "ci"])
    assert result.exit_code == 0, result.output
    key = result.output.strip().splitlines()[-1].split()[-1]
    stored = conn.execute("SELECT key_hash, prefix FROM api_keys").fetchall()
    assert len(stored) == 1 and key not in stored[0][0] and stored[0][0] == apikeys.hash_key(key)

    for method, path in [
        ("get", "/api/jobs"),
        ("get", "/api/models"),
        ("get", "/api/models/1"),
        ("get", "/api/models/1/cells"),
        ("delete", "/api/models/1"),
        ("post", "/api/models/1/validate"),
        ("get", "/api/import/job/1"),
        ("post", "/api/import/upload"),
        ("get", "/api/openapi.json"),
        ("get", "/api/no-such-route"),
    ]:
        assert_error(getattr(client, method)(path), 401, "unauthorized")
        bad = getattr(client, method)(path, headers={"X-API-Key": "cl_wrong"})
        assert "not hold a valid" in assert_error(bad, 401, "unauthorized")["message"]
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200

    good = {"X-API-Key": key}
    assert client.get("/api/jobs", headers=good).status_code == 200
    assert upload(client, xlsx, headers=good).status_code == 202

    key_id = conn.execute("SELECT id FROM api_keys").fetchone()[0]
    assert CliRunner().invoke(apikey_cli.apikey, ["revoke", str(key_id)]).exit_code == 0
    assert_error(client.get("/api/jobs", headers=good), 401, "unauthorized")
    listing = CliRunner().invoke(apikey_cli.apikey, ["list"])
    assert "revoked" in listing.output and key not in listing.output


def test_auth_required_before_any_key_exists(database):
    app = make_app(AUTH_REQUIRED=True)
    try:
        client = app.test_client()
        assert_error(client.get("/api/models"), 401, "unauthorized")
        assert client.get("/healthz").status_code == 200
    finally:
        web_db.close(app)


# --- jobs and pagination ------------------------------------------------------------------


@pytest.mark.parametrize(("n", "limit"), [(0, 1), (1, 1), (4, 2), (5, 2), (5, 5), (5, 6), (3, 200)])
def test_job_pages_cover_every_job_once(client, conn, n, limit):
    ids = add_jobs(conn, n)
    pages = all_pages(client, "/api/jobs", limit)
    assert [j["job_id"] for page in pages for j in page] == sorted(ids, reverse=True)
    assert all(len(page) == limit for page in pages[:-1])
    # No empty trailing page when the jobs fill the last page exactly (except with no jobs at all).
    assert len(pages) == max(1, -(-n // limit))


def test_job_filters(client, conn):
    add_jobs(conn, 2, "import", "pending")
    failed = add_jobs(conn, 1, "validation", "failed")
    body = client.get("/api/jobs?status=failed").get_json()
    assert [j["job_id"] for j in body["items"]] == failed
    assert len(client.get("/api/jobs?type=import").get_json()["items"]) == 2
    assert client.get("/api/jobs?type=import&status=failed").get_json()["items"] == []
    assert client.get("/api/jobs?limit=1&status=pending").get_json()["next_cursor"] is not None


@pytest.mark.parametrize(
    "query",
    [
        "limit=0",
        "limit=201",
        "limit=-1",
        "limit=abc",
        "limit=1.5",
        "cursor=not-a-cursor",
        "cursor=WyJ4Il0",  # ["x"]: decodes, but not a job cursor
        "status=done",
        "type=export",
    ],
)
def test_bad_listing_parameters_are_400(client, query):
    assert_error(client.get(f"/api/jobs?{query}"), 400, "bad_request")


def test_limit_bounds_on_models_and_cells(client, conn):
    model_id = add_model(conn)
    assert client.get("/api/models?limit=200").status_code == 200
    assert_error(client.get("/api/models?limit=201"), 400, "bad_request")
    assert client.get(f"/api/models/{model_id}/cells?limit=1000").status_code == 200
    assert_error(client.get(f"/api/models/{model_id}/cells?limit=1001"), 400, "bad_request")
    assert_error(client.get(f"/api/models/{model_id}/cells?cursor=WzFd"), 400, "bad_request")


# --- models -------------------------------------------------------------------------------


def test_models_list_and_one(client, conn):
    ids = [add_model(conn, name=f"M{i}", rows=i + 1) for i in range(3)]
    assert [[m["id"] for m in p] for p in all_pages(client, "/api/models", 2)] == [
        [ids[2], ids[1]],
        [ids[0]],
    ]
    model = client.get(f"/api/models/{ids[0]}").get_json()
    assert (model["name"], model["sheets"], model["file_name"]) == ("M0", ["Calc", "Inputs"], "m.xlsx")
    assert model["cells_url"] == f"/api/models/{ids[0]}/cells"
    assert_error(client.get("/api/models/999999"), 404, "not_found")


def test_cells_paginate_across_sheets_in_key_order(client, conn):
    model_id = add_model(conn, rows=3, cols=2)  # 12 cells over two sheets
    url = f"/api/models/{model_id}/cells"
    for limit in (1, 5, 6, 12, 13):
        cells = [(c["sheet"], c["row"], c["col"]) for p in all_pages(client, url, limit) for c in p]
        assert cells == sorted(cells) and len(cells) == len(set(cells)) == 12
    assert_error(client.get("/api/models/999999/cells"), 404, "not_found")


@pytest.mark.parametrize(
    ("query", "addresses"),
    [
        ("sheet=Inputs&range=A1:A2", [("Inputs", "A1"), ("Inputs", "A2")]),
        ("range='Calc'!B3", [("Calc", "B3")]),
        ("range=Calc!B2:B3", [("Calc", "B2"), ("Calc", "B3")]),
        ("sheet=Calc&range=2:2", [("Calc", "A2"), ("Calc", "B2")]),
        ("sheet=Calc&formulas=true", [("Calc", "A1"), ("Calc", "A2"), ("Calc", "A3")]),
        ("mismatches=true", [("Calc", "A2"), ("Inputs", "A2")]),
        ("reason=unsupported_function&sheet=Inputs", [("Inputs", "A2")]),
        ("reason=unsupported_function:FOO&sheet=Calc", [("Calc", "A2")]),
        ("reason=circular", []),
        ("sheet=Nope", []),
    ],
)
def test_cell_filters(client, conn, query, addresses):
    model_id = add_model(conn, rows=3, cols=2)
    body = client.get(f"/api/models/{model_id}/cells?{query}").get_json()
    assert [(c["sheet"], c["address"]) for c in body["items"]] == addresses, body


@pytest.mark.parametrize(
    "query", ["range=Rate", "range=A1:", "range=[1]Sheet!A1", "sheet=Calc&range=Inputs!A1", "formulas=yes"]
)
def test_bad_cell_filters_are_400(client, conn, query):
    model_id = add_model(conn)
    assert_error(client.get(f"/api/models/{model_id}/cells?{query}"), 400, "bad_request")


def test_delete_is_409_while_a_job_runs(client, conn):
    model_id = add_model(conn)
    job = conn.execute(
        "INSERT INTO job_runs (job_type, status, model_id) VALUES ('validation', 'processing', %s) "
        "RETURNING job_id",
        (model_id,),
    ).fetchone()[0]
    error = assert_error(client.delete(f"/api/models/{model_id}"), 409, "conflict")
    assert error["details"]["job_ids"] == [job]
    conn.execute("UPDATE job_runs SET status = 'success', completed_at = now() WHERE job_id = %s", (job,))
    assert client.delete(f"/api/models/{model_id}").get_json()["deleted"] is True
    assert conn.execute("SELECT count(*) FROM cells WHERE model_id = %s", (model_id,)).fetchone()[0] == 0
    assert conn.execute("SELECT model_id FROM job_runs WHERE job_id = %s", (job,)).fetchone()[0] is None
    assert_error(client.get(f"/api/models/{model_id}"), 404, "not_found")
    assert_error(client.delete(f"/api/models/{model_id}"), 404, "not_found")


def test_validate_queues_a_validation_job(client, conn):
    model_id = add_model(conn)
    response = client.post(f"/api/models/{model_id}/validate")
    assert response.status_code == 202
    body = response.get_json()
    job = client.get(body["status_url"]).get_json()
    assert (job["job_type"], job["status"], job["model_id"]) == ("validation", "pending", model_id)
    again = client.post(f"/api/models/{model_id}/validate").get_json()
    assert (again["job_id"], again["created"]) == (body["job_id"], False)
    assert_error(client.delete(f"/api/models/{model_id}"), 409, "conflict")
    assert_error(client.post("/api/models/999999/validate"), 404, "not_found")


# --- the OpenAPI document -----------------------------------------------------------------


def test_openapi_documents_every_route(app, client):
    doc = client.get("/api/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    routes = {
        (rule.rule.replace("<id:", "{").replace(">", "}"), method.lower())
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    documented = {(path, method) for path, ops in doc["paths"].items() for method in ops}
    assert routes == documented
    assert doc == openapi.DOCUMENT


# --- malformed input is 4xx, never 500 ------------------------------------------------------


def _cursor(value) -> str:
    """A cursor as a client could forge one: any JSON, base64url-encoded like ours."""
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


DEEP = "[" * 3000 + "]" * 3000


@pytest.mark.parametrize(
    "query",
    [
        "cursor=" + _cursor(["Ca\x00lc", 1, 1]),  # a NUL reaches a text parameter
        "cursor=" + _cursor(["\ud800", 1, 1]),  # a lone surrogate cannot be encoded for PostgreSQL
        "cursor=" + _cursor(["Calc", 10**30, 1]),  # past bigint
        "cursor=" + _cursor(["Calc", 1, -(2**63) - 1]),
        "cursor=" + _cursor(["x" * 5000, 1, 1]),
        "cursor=" + _cursor(["Calc", 1.5, 1]),
        "cursor=" + _cursor(["Calc", True, 1]),
        "cursor=" + base64.urlsafe_b64encode(DEEP.encode()).decode(),  # RecursionError in json
        "cursor=" + "A" * 100_000,
        "range=A99999999999999999999",
        "range=A1:XFE1",
        "range=" + "9" * 100 + ":" + "9" * 120,
        "range=1048577:1048578",
        "range=ZZZZZZZZZZZZZZZZZZZZZZZ1",
        "range=A0",
        "sheet=" + "x" * 1000,
        "sheet=a%00b",
        "reason=%00",
        "limit=%00",
        "limit=%D9%A1",  # ARABIC-INDIC DIGIT ONE: a digit to str.isdigit, not to us
        "limit=" + "9" * 5000,  # past int()'s 4,300 digits
        "limit=" + "0" * 5000 + "5",
        "formulas=%00",
    ],
)
def test_forged_cell_query_values_are_400(client, conn, query):
    model_id = add_model(conn)
    assert_error(client.get(f"/api/models/{model_id}/cells?{query}"), 400, "bad_request")


@pytest.mark.parametrize("listing", ["/api/models", "/api/jobs"])
@pytest.mark.parametrize(
    "position", [[10**30], [2**63], [-(2**63) - 1], ["\x00"], [None], [[1]], DEEP, [1, 2]]
)
def test_forged_listing_cursors_are_400(client, conn, listing, position):
    cursor = (
        base64.urlsafe_b64encode(position.encode()).decode()
        if isinstance(position, str)
        else _cursor(position)
    )
    error = assert_error(client.get(f"{listing}?cursor={cursor}"), 400, "bad_request")
    assert error["details"] == {"parameter": "cursor"}


@pytest.mark.parametrize("path", ["/api/models/{}", "/api/import/job/{}", "/api/models/{}/cells"])
@pytest.mark.parametrize("value", [str(10**30), str(2**63), str(2**63 - 1), "1%00", "%F0%9F%98%80", "1e3"])
def test_huge_or_odd_ids_in_paths_are_404(client, path, value):
    assert_error(client.get(path.format(value)), 404, "not_found")


def test_the_largest_bigint_id_is_an_ordinary_404(client):
    error = assert_error(client.get(f"/api/models/{2**63 - 1}"), 404, "not_found")
    assert error["details"] == {"model_id": 2**63 - 1}


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", DEEP),
        ("application/json", '{"a": ' * 3000 + "1" + "}" * 3000),
        ("application/json", "\x00"),
        ("application/x-www-form-urlencoded", "model_name=%00&file=x"),
        ("multipart/form-data", "no boundary"),
        ("multipart/form-data; boundary=B", "--B\r\nnot a part header\r\n\r\n--B--"),
        ("multipart/form-data; boundary=B", "--B\r\nContent-Disposition: form-data; name=file"),
    ],
)
def test_malformed_upload_bodies_are_400(client, conn, content_type, body):
    response = client.post("/api/import/upload", data=body.encode(), content_type=content_type)
    assert_error(response, 400, "bad_request")
    assert conn.execute("SELECT count(*) FROM job_runs").fetchone()[0] == 0


def test_a_database_data_error_is_a_400_not_a_500(app, client):
    """The net under the validation above: a value PostgreSQL refuses is the client's fault."""

    def out_of_range():
        with web_db.connection() as conn:
            conn.execute("SELECT %s::bigint", (10**30,))

    app.add_url_rule("/api/out-of-range", "out_of_range", out_of_range)
    error = assert_error(client.get("/api/out-of-range"), 400, "bad_request")
    assert "out of range" not in error["message"]  # PostgreSQL's words stay in the server's log


# --- the servers' own answers, access logs and proxies ----------------------------------------

KEY = "cl_" + "Ab3_-" * 8 + "xyz"  # shaped like db/apikeys.py's keys


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (f"GET /api/jobs?api_key={KEY} HTTP/1.1", "GET /api/jobs?api_key=[redacted] HTTP/1.1"),
        ("/api/jobs?limit=5&apikey=abc&x=1", "/api/jobs?limit=5&apikey=[redacted]&x=1"),
        (
            "/x?API%5FKEY=abc;access_token=t&password=p",
            "/x?API%5FKEY=[redacted];access_token=[redacted]&password=[redacted]",
        ),
        (f"/x?q={KEY}", "/x?q=[redacted]"),  # any parameter holding one of our keys
        (f"/api/models/{KEY}/cells", "/api/models/[redacted]/cells"),
        ("/api/jobs?limit=5&status=failed", "/api/jobs?limit=5&status=failed"),
        ("/api/jobs?monkey_business=1", "/api/jobs?monkey_business=[redacted]"),  # better safe
        ("", ""),
    ],
)
def test_redact_hides_key_looking_values(line, expected):
    from web import serving

    assert serving.redact(line) == expected


@pytest.mark.parametrize(
    ("peer", "forwarded_for", "client"),
    [
        ("10.0.0.5", "198.51.100.7", "198.51.100.7"),  # behind one trusted proxy
        ("10.0.0.5", "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # the client's own claim is ignored
        ("10.0.0.5", "198.51.100.7, 10.0.0.9", "198.51.100.7"),  # two trusted hops
        ("10.0.0.5", "198.51.100.7:4711", "198.51.100.7"),
        ("10.0.0.5", "[2001:db8::1]:443", "2001:db8::1"),
        ("10.0.0.5", "not-an-ip\x00, 198.51.100.7", "198.51.100.7"),
        ("10.0.0.5", "198.51.100.7, junk", "10.0.0.5"),  # garbage from a trusted hop: stop there
        ("10.0.0.5", "10.0.0.6", "10.0.0.6"),  # only proxies: the farthest one
        ("10.0.0.5", None, "10.0.0.5"),
        ("203.0.113.1", "198.51.100.7", "203.0.113.1"),  # not a trusted peer: header ignored
    ],
)
def test_client_address_behind_trusted_proxies(peer, forwarded_for, client):
    from web import proxies

    trusted = proxies.parse_networks("10.0.0.0/24, ::1")
    assert proxies.client_address(peer, forwarded_for, trusted) == client


def test_trusted_proxies_setting(database, monkeypatch, conn, xlsx):
    from web import proxies

    assert proxies.parse_networks("") == ()
    monkeypatch.setenv("CAPITALLENS_TRUSTED_PROXIES", "10.0.0.0/8, nonsense")
    with pytest.raises(ValueError, match=r"CAPITALLENS_TRUSTED_PROXIES.*'nonsense'"):
        web.create_app()
    result = CliRunner().invoke(web_cli.web, [])
    assert result.exit_code == 2 and "CAPITALLENS_TRUSTED_PROXIES" in result.output
    assert "Traceback" not in result.output

    monkeypatch.setenv("CAPITALLENS_TRUSTED_PROXIES", "10.0.0.0/8")
    app = make_app(UPLOAD_RATE_LIMIT=1)
    try:
        client = app.test_client()

        def from_(address):
            env = {"REMOTE_ADDR": "10.1.2.3"}
            headers = {"X-Forwarded-For": address}
            form = {"file": (io.BytesIO(xlsx), "m.xlsx"), "model_name": f"M {address}"}
            return client.post("/api/import/upload", data=form, headers=headers, environ_base=env)

        assert [from_("198.51.100.1").status_code, from_("198.51.100.2").status_code] == [202, 202]
        assert_error(from_("198.51.100.1"), 429, "rate_limited")
        buckets = {b for (b,) in conn.execute("SELECT DISTINCT bucket FROM upload_hits")}
        assert buckets == {"addr:198.51.100.1", "addr:198.51.100.2"}
    finally:
        web_db.close(app)


def _dev_server(database, tmp_path):
    """`capitallens web` as an operator runs it, on a free port; yields (port, its log file)."""
    import os
    import socket
    import subprocess
    import sys
    import time
    from contextlib import closing

    with closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tmp_path / "dev.log"
    out = open(log, "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli", "web", "--port", str(port)],
        env={**os.environ, "DATABASE_URL": database},
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise AssertionError("capitallens web did not start:\n" + log.read_text()) from None
            time.sleep(0.1)
    return proc, port, log, out


def _raw(port: int, data: bytes) -> tuple[int, str, bytes]:
    import socket

    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in lines[1:])}
    return int(lines[0].split()[1]), headers.get("content-type", ""), body


def test_development_server_answers_json_and_logs_no_key(database, tmp_path):
    proc, port, log, out = _dev_server(database, tmp_path)
    too_many = b"".join(b"X-H%d: v\r\n" % i for i in range(150))
    cases = [
        (
            b"GET /api/jobs?api_key=" + KEY.encode() + b"&p=" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n",
            414,
            "uri_too_long",
        ),
        (b"GET /api/jobs HTTP/1.1\r\nHost: x\r\n" + too_many + b"\r\n", 431, "headers_too_large"),
        (b"GET /api/jobs HTTP/1.1\r\nX-Big: " + b"b" * 70_000 + b"\r\n\r\n", 431, "headers_too_large"),
        (b"NONSENSE /?api_key=" + KEY.encode() + b" X\r\n\r\n", 400, "bad_request"),
        (b"GET /?api_key=" + KEY.encode() + b" b HTTP/1.1\r\n\r\n", 400, "bad_request"),
        (b"GET /api/jobs HTTP/2.5\r\n\r\n", 505, "http_version_not_supported"),
        (b"GET /nope?token=" + KEY.encode() + b" HTTP/1.1\r\nHost: x\r\n\r\n", 404, "not_found"),
        (b"GET /api/jobs?apikey=" + KEY.encode() + b" HTTP/1.1\r\nHost: x\r\n\r\n", 200, None),
    ]
    try:
        for data, status, code in cases:
            got, content_type, body = _raw(port, data)
            assert (got, content_type) == (status, "application/json"), body[:300]
            if code:
                error = json.loads(body)["error"]
                assert set(error) == {"code", "message", "details"} and error["code"] == code
                assert KEY not in error["message"]
    finally:
        proc.terminate()
        proc.wait(timeout=15)
        out.close()
    text = log.read_text()
    assert text.count("[redacted]") >= 3, text[-2000:]
    assert KEY not in text and KEY[:12] not in text


@pytest.mark.parametrize("query", ["limit=", "status=", "type=", "formulas="])
def test_a_refused_value_is_echoed_short(client, conn, query):
    model_id = add_model(conn)
    path = f"/api/models/{model_id}/cells" if query == "formulas=" else "/api/jobs"
    error = assert_error(client.get(f"{path}?{query}{'7' * 5000}"), 400, "bad_request")
    assert error["details"]["value"] == "7" * 100
