"""The hostile matrix through the upload endpoint: every bad file and request gets a 4xx in the
one JSON error shape, and nothing is written."""

import io

import pytest

import web
from tests import workbooks
from tests.hostile import cases
from web import db as web_db

HTTP = {"invalid_workbook": 415, "workbook_too_large": 413}


@pytest.fixture
def client(database):
    app = web.create_app({"TESTING": True, "UPLOAD_RATE_LIMIT": 0})
    yield app.test_client()
    web_db.close(app)


def _upload(client, data, name="Model", filename="model.xlsx", **fields):
    form = {"model_name": name, **fields, "file": (io.BytesIO(data), filename)}
    return client.post("/api/import/upload", data=form, content_type="multipart/form-data")


def _error(response, status):
    assert response.status_code == status, response.get_json()
    assert response.is_json
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    return body["error"]


def _nothing_written(conn):
    return (
        conn.execute(
            "SELECT (SELECT count(*) FROM source_files) + (SELECT count(*) FROM job_runs) "
            "+ (SELECT count(*) FROM models) + (SELECT count(*) FROM cells)"
        ).fetchone()[0]
        == 0
    )


# Cases the upload sniffs before any parsing; the others (bombs, damaged parts) are zips that
# look right from the outside and fail in the worker, like any other import (test_through_queue).
REFUSED_AT_UPLOAD = [
    "empty",
    "random_bytes",
    "csv",
    "pdf",
    "legacy_xls",
    "encrypted",
    "xlsb",
    "truncated_zip",
]


@pytest.mark.parametrize("case", REFUSED_AT_UPLOAD)
def test_not_a_workbook_is_refused_before_parsing(client, conn, case):
    make, _, phrase = cases.BROKEN[case]
    error = _error(_upload(client, make()), 415)
    assert error["code"] == "invalid_workbook"
    assert phrase in error["message"]
    assert _nothing_written(conn)


def test_hostile_strings_are_data_not_sql(client, conn):
    hostile = "Robert'); DROP TABLE models;-- \\ %s %(x)s $1 \x7f ü"
    response = _upload(client, workbooks.basic(), name=hostile, filename="../../etc/passwd")
    assert response.status_code == 202, response.get_json()
    name, file_name = conn.execute(
        "SELECT r.model_name, s.file_name FROM job_runs r JOIN source_files s ON s.sha256 = r.file_sha256"
    ).fetchone()
    assert name == hostile
    assert "/" not in file_name and ".." not in file_name.strip(".")
    assert conn.execute("SELECT to_regclass('models') IS NOT NULL").fetchone()[0]


def test_huge_model_name_and_wrong_content_type(client, conn):
    assert _error(_upload(client, workbooks.basic(), name="x" * 100_000), 400)["code"] == "bad_request"
    wrong = client.post("/api/import/upload", data=workbooks.basic(), content_type="application/octet-stream")
    assert _error(wrong, 400)["code"] == "bad_request"
    assert _nothing_written(conn)


@pytest.mark.parametrize(
    "path",
    [
        "/api/jobs?limit=-1",
        "/api/jobs?limit=99999999999999999999",
        "/api/jobs?cursor=%27%3B%20DROP%20TABLE%20job_runs%3B--",
        "/api/models?limit=0",
        "/api/models?cursor=not-a-cursor",
    ],
)
def test_bad_pagination_is_400(client, path):
    assert _error(client.get(path), 400)["code"] == "bad_request"


@pytest.mark.parametrize(
    "path",
    [
        "/api/import/job/999999",
        "/api/models/999999",
        "/api/models/99999999999999999999999",
        "/api/import/job/-1",
        "/api/models/1;DROP",
    ],
)
def test_unknown_ids_are_404(client, path):
    assert _error(client.get(path), 404)["code"] == "not_found"


def test_bad_api_keys_are_401(client, conn):
    from db import apikeys

    apikeys.create(conn, "real")
    for key in ["", "nope", "x" * 10_000, "' OR 1=1 --"]:
        response = client.get("/api/jobs", headers={"X-API-Key": key})
        assert _error(response, 401)["code"] == "unauthorized"
