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


def _raw_upload(client, disposition: bytes, data: bytes, name=b"Model"):
    """A multipart body written byte by byte, as a client with another idea of encodings sends it."""
    body = (
        b'--B\r\nContent-Disposition: form-data; name="model_name"\r\n\r\n' + name + b"\r\n"
        b"--B\r\nContent-Disposition: form-data; " + disposition + b"\r\n"
        b"Content-Type: application/octet-stream\r\n\r\n" + data + b"\r\n--B--\r\n"
    )
    return client.post("/api/import/upload", data=body, content_type="multipart/form-data; boundary=B")


@pytest.mark.parametrize(
    ("disposition", "stored"),
    [
        (b'name="file"; filename="mod\xff\xfeel.xlsx"', "mod__el.xlsx"),  # not UTF-8 at all
        (b'name="file"; filename="caf\xe9.xlsx"', "caf_.xlsx"),  # Latin-1
        (b'name="file"; filename="caf\xc3\xa9.xlsx"', "café.xlsx"),  # UTF-8, kept
        (b"name=\"file\"; filename*=UTF-8''x%FF%FE.xlsx", "x__.xlsx"),  # RFC 5987, bad bytes
        (b"name=\"file\"; filename*=bogus''x%FF.xlsx", "x%FF.xlsx"),  # unknown charset
        (b"name=\"file\"; filename*=utf-8''caf%C3%A9.xlsx", "café.xlsx"),
        (b'name="file"; filename="a\x01b\x7f\xe2\x80\xaec.xlsx"', "a_b__c.xlsx"),  # controls, RLO
        (b'name="file"; filename="\xff/../evil.xlsx"', "evil.xlsx"),
        (b'name="file"; filename="C:\\\\dir\\\\evil\xff.xlsx"', "evil_.xlsx"),  # quoted-pair \\
        (b'name="file"; filename="\xff\xfe"', "__"),
        (b'name="file"; filename=".."', "upload.xlsx"),
    ],
)
def test_file_names_that_are_not_utf8_still_upload(client, conn, disposition, stored):
    response = _raw_upload(client, disposition, workbooks.basic(), name=b"M\xff")
    assert response.status_code == 202, response.get_json()
    assert response.is_json
    model_name, file_name = conn.execute(
        "SELECT r.model_name, s.file_name FROM job_runs r JOIN source_files s ON s.sha256 = r.file_sha256"
    ).fetchone()
    assert (model_name, file_name) == ("M\ufffd", stored)


@pytest.mark.parametrize(
    ("content_type", "body", "phrase"),
    [
        ("multipart/form-data", b"--B--\r\n", "no boundary"),
        (
            "multipart/form-data; boundary=B",
            b"--B\r\nX-Nothing: here\r\n\r\nx\r\n--B--\r\n",
            "Content-Disposition",
        ),
        (
            "multipart/form-data; boundary=B",
            b'--B\r\nContent-Disposition: form-data; name="file"; filename="m.xlsx"\r\n\r\nPK',
            "not a valid multipart",
        ),
    ],
)
def test_malformed_multipart_is_a_400_that_says_so(client, conn, content_type, body, phrase):
    error = _error(client.post("/api/import/upload", data=body, content_type=content_type), 400)
    assert error["code"] == "bad_request"
    assert "not a valid multipart/form-data body" in error["message"] and phrase in error["message"]
    assert _nothing_written(conn)
