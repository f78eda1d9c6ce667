"""The Procfile's web line under a real gunicorn with two worker processes: uploads over a real
socket, a chunked upload cut off at the size limit, and the rate limit shared by the processes."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from bench.serving import ROOT, gunicorn, multipart, procfile_command, request, upload
from tests import workbooks

pytestmark = pytest.mark.slow


def test_procfile_web_line_serves_the_api(database, tmp_path, conn):
    data = workbooks.basic()
    with gunicorn(database, tmp_path / "web.log", CAPITALLENS_MAX_FILE_BYTES="100000") as port:
        status, body, _ = upload(port, data, "over http")
        assert status == 202, body
        status, job, _ = request(port, "GET", body["status_url"])
        assert (status, job["status"], job["model_name"]) == (200, "pending", "over http")

        # Chunked: no Content-Length; cut off while streaming, and answered with the JSON shape.
        status, body, _ = upload(port, b"PK" + os.urandom(300_000), "too big", chunked=True)
        assert status == 413 and body["error"]["code"] == "workbook_too_large", body

        # Five uploads per minute in all, whichever of the two processes takes them.
        statuses = [upload(port, data, f"n{i}")[0] for i in range(4)]
        assert statuses == [202, 202, 202, 429]
        status, body, headers = upload(port, data, "later")
        assert status == 429 and int(headers["Retry-After"]) >= 1

        status, body, headers = request(port, "GET", "/nope")
        assert status == 404 and headers["Content-Type"] == "application/json"
    assert conn.execute("SELECT count(*) FROM job_runs").fetchone()[0] == 4


def _cli(*args, **env):
    """The CLI with an unreachable database of its own: --api-url mode must not need one."""
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        env={**os.environ, "DATABASE_URL": "postgresql:///no_such_database", **env},
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def test_cli_api_url_mode_end_to_end(database, tmp_path, conn):
    """capitallens import --api-url: upload to gunicorn, a worker imports, the CLI follows over HTTP."""
    from db import apikeys
    from tests.test_worker import Workers

    workers = Workers(database, tmp_path)
    workers.start()
    good = tmp_path / "good.xlsx"
    good.write_bytes(workbooks.basic())
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbooks.basic()[:500])  # a truncated zip: refused by the server at once
    try:
        with gunicorn(database, tmp_path / "web.log") as port:
            url = f"http://127.0.0.1:{port}"
            done = _cli("import", "--file", str(good), "--name", "Over HTTP", "--api-url", url)
            assert done.returncode == 0, done.stderr
            assert f"Using server {url}" in done.stderr
            assert "[100.0%] complete" in done.stderr  # the same progress lines as database mode
            assert "matched 10 (100.00%)" in done.stdout
            again = _cli("import", "--file", str(good), "--name", "Over HTTP", "--api-url", url)
            assert again.returncode == 0 and "already imported" in again.stdout
            refused = _cli("import", "--file", str(bad), "--name", "Bad", "--api-url", url)
            assert refused.returncode == 1 and "415" in refused.stderr
            assert "Traceback" not in refused.stderr

            key, _ = apikeys.create(conn, "ci")
            denied = _cli("import", "--file", str(good), "--name", "Keyed", "--api-url", url)
            assert denied.returncode == 1 and "401" in denied.stderr
            keyed = _cli(
                "import",
                "--file",
                str(good),
                "--name",
                "Keyed",
                "--api-url",
                url,
                "--json",
                CAPITALLENS_API_KEY=key,
            )
            assert keyed.returncode == 0, keyed.stderr
            assert json.loads(keyed.stdout)["status"] == "success"
        names = conn.execute("SELECT name FROM models ORDER BY id").fetchall()
        assert names == [("Over HTTP",), ("Keyed",)]
    finally:
        workers.stop_all()


# --- gunicorn's own answers and its access log ----------------------------------------------


def raw_exchange(port: int, data: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send bytes as they are (no HTTP client would send these) and read the answer to its end."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in header_lines)}
    return int(status_line.split()[1]), headers, body


def assert_json_error(answer, status: int, code: str) -> dict:
    got_status, headers, body = answer
    assert got_status == status, answer
    assert headers["content-type"] == "application/json", answer
    assert int(headers["content-length"]) == len(body)
    error = json.loads(body)["error"]
    assert set(error) == {"code", "message", "details"} and error["code"] == code, error
    assert b"<html" not in body.lower() and b"Traceback" not in body
    return error


KEY = "cl_" + "k" * 43
TOO_MANY_HEADERS = b"".join(b"X-H%d: v\r\n" % i for i in range(150))
MALFORMED = [
    (
        b"GET /api/jobs?api_key=" + KEY.encode() + b"&p=" + b"a" * 9000 + b" HTTP/1.1\r\n\r\n",
        414,
        "uri_too_long",
    ),
    (b"GET /api/jobs HTTP/1.1\r\nHost: x\r\n" + TOO_MANY_HEADERS + b"\r\n", 431, "headers_too_large"),
    (b"GET /api/jobs HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 20000 + b"\r\n\r\n", 431, "headers_too_large"),
    (b"NONSENSE\r\n\r\n", 400, "bad_request"),
    (b"G(T /api/jobs HTTP/1.1\r\nHost: x\r\n\r\n", 400, "bad_request"),
    (b"GET /api/jobs HTTP/9.9\r\nHost: x\r\n\r\n", 400, "bad_request"),
    (b"GET /api/jobs HTTP/1.1\r\nBad Header: x\r\n\r\n", 400, "bad_request"),
    (b"GET /api/jobs HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n", 400, "bad_request"),
    (
        b"POST /api/import/upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n",
        400,  # RFC 9112 6.3: a request whose last transfer coding is not chunked
        "bad_request",
    ),
    (
        b"POST /api/import/upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
        b"Content-Type: multipart/form-data; boundary=B\r\n\r\nzz\r\n",
        400,
        "bad_request",
    ),
    (
        b"POST /api/import/upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
        400,
        "bad_request",
    ),
]


def test_gunicorn_answers_malformed_http_in_the_json_shape(database, tmp_path):
    access = tmp_path / "access.log"
    with gunicorn(database, tmp_path / "web.log", CAPITALLENS_ACCESS_LOG=str(access)) as port:
        for data, status, code in MALFORMED:
            assert_json_error(raw_exchange(port, data), status, code)
    assert KEY not in access.read_text() + (tmp_path / "web.log").read_text()


def test_access_log_never_shows_a_key(database, tmp_path, conn):
    from db import apikeys

    key, _ = apikeys.create(conn, "ops")
    access = tmp_path / "access.log"
    with gunicorn(database, tmp_path / "web.log", CAPITALLENS_ACCESS_LOG=str(access)) as port:
        queries = [f"api_key={key}", f"apikey={key}", f"token={key}", f"API%5FKEY={key}", f"x={key}"]
        for query in queries:
            status, body, _ = request(port, "GET", f"/api/jobs?{query}&limit=5")
            assert status == 401 and body["error"]["code"] == "unauthorized"
        status, _, _ = request(port, "GET", "/api/jobs?access_token=hunter2", headers={"X-API-Key": key})
        assert status == 200
        status, _, _ = request(
            port, "GET", "/api/jobs", headers={"Referer": f"http://x/?key={key}", "X-API-Key": key}
        )
        assert status == 200
    log = access.read_text()
    assert log.count("/api/jobs") == len(queries) + 2, log  # every request is there...
    assert key not in log and key[:12] not in log and "hunter2" not in log  # ...with no secret
    assert log.count("[redacted]") >= len(queries) + 2
    assert "limit=5" in log  # other parameters stay readable


def test_rate_limit_sees_clients_behind_a_trusted_proxy(database, tmp_path):
    data = workbooks.basic()

    def from_client(port, address, name):
        body, content_type = multipart({"model_name": name}, data)
        headers = {"Content-Type": content_type, "X-Forwarded-For": f"203.0.113.9, {address}"}
        return request(port, "POST", "/api/import/upload", body, headers)[0]

    env = {"CAPITALLENS_UPLOAD_RATE_LIMIT": "2", "CAPITALLENS_ACCESS_LOG": str(tmp_path / "a.log")}
    with gunicorn(database, tmp_path / "web.log", CAPITALLENS_TRUSTED_PROXIES="127.0.0.1", **env) as port:
        # Each client behind the proxy has a bucket of its own; the first hop is the client's own
        # claim (anyone can send the header), so it does not choose the bucket.
        assert [from_client(port, "198.51.100.1", f"a{i}") for i in range(3)] == [202, 202, 429]
        assert [from_client(port, "198.51.100.2", f"b{i}") for i in range(3)] == [202, 202, 429]
    with gunicorn(database, tmp_path / "web2.log", **env) as port:
        # Off by default: the header is ignored, and everyone behind the proxy shares its bucket.
        assert from_client(port, "198.51.100.3", "c0") == 202
        assert from_client(port, "198.51.100.4", "c1") == 202
        assert from_client(port, "198.51.100.5", "c2") == 429


def test_procfile_release_line_migrates_an_empty_database(empty_database):
    from db import migrate

    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    for _ in range(2):  # a release runs on every deploy: the second finds nothing to do
        done = subprocess.run(
            ["sh", "-c", procfile_command("release")],
            cwd=ROOT,
            env={**env, "DATABASE_URL": empty_database},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
    with psycopg.connect(empty_database) as c:
        (revision,) = c.execute("SELECT version_num FROM alembic_version").fetchone()
        assert c.execute("SELECT to_regclass('job_runs') IS NOT NULL").fetchone()[0]
    assert revision == migrate.head_revision()
