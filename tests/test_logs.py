"""One logging configuration (worker/logs.py): the job id on every line a job writes, JSON lines
by a setting, and gunicorn's access log in the same format."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
import threading

import pytest

from tests import workbooks
from worker import logs


def _record(name="importer.workbook", msg="reading %s", args=("Model",), **extra) -> logging.LogRecord:
    record = logging.LogRecord(name, logging.INFO, __file__, 1, msg, args, None)
    record.__dict__.update(extra)
    return record


def _emit(kind: str, record: logging.LogRecord) -> str:
    out = io.StringIO()
    logs.handler(out, kind).handle(record)
    return out.getvalue()


def test_a_line_logged_inside_a_job_carries_its_id_in_both_formats():
    with logs.job(42):
        line = json.loads(_emit("json", _record()))
        text = _emit("text", _record())
    assert (line["job_id"], line["logger"], line["level"], line["message"]) == (
        42,
        "importer.workbook",
        "INFO",
        "reading Model",
    )
    assert line["time"].endswith("Z")
    assert " INFO importer.workbook [job 42]: reading Model" in text
    outside = json.loads(_emit("json", _record()))
    assert "job_id" not in outside and "[job" not in _emit("text", _record())


def test_the_job_id_stays_with_its_own_thread():
    seen = {}

    def other():
        seen["other"] = json.loads(_emit("json", _record())).get("job_id")

    with logs.job(7):
        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
        seen["mine"] = json.loads(_emit("json", _record())).get("job_id")
    assert seen == {"mine": 7, "other": None}


def test_procrastinates_lines_about_a_job_carry_our_job_id():
    job = {"id": 900, "task_name": "import_workbook", "task_kwargs": {"job_id": 12}}
    line = json.loads(_emit("json", _record("procrastinate.worker", "Job started", (), job=job)))
    assert line["job_id"] == 12


def test_a_traceback_is_one_json_line():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("worker.tasks", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    out = _emit("json", record)
    assert out.count("\n") == 1
    assert "ValueError: boom" in json.loads(out)["exception"]


def test_configure_replaces_basic_config_and_keeps_one_handler(monkeypatch):
    root = logging.getLogger()
    kept = list(root.handlers), root.level
    try:
        basic = logging.StreamHandler(sys.stderr)
        root.addHandler(basic)
        monkeypatch.setenv(logs.FORMAT_SETTING, "json")
        monkeypatch.setenv(logs.LEVEL_SETTING, "warning")
        out = io.StringIO()
        logs.configure(stream=out)
        logs.configure(stream=out)  # twice: still one handler of ours
        ours = [h for h in root.handlers if getattr(h, "_capitallens", False)]
        assert basic not in root.handlers and len(ours) == 1
        assert root.level == logging.WARNING
        logging.getLogger("importer.test").warning("seen")
        logging.getLogger("importer.test").info("not seen")
        assert [json.loads(line)["message"] for line in out.getvalue().splitlines()] == ["seen"]
        before = list(root.handlers)
        logs.configure(replace=False)  # the web app's call: logging is set up already
        assert root.handlers == before
    finally:
        root.handlers[:] = kept[0]
        root.setLevel(kept[1])


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("CAPITALLENS_LOG_FORMAT", "xml", "CAPITALLENS_LOG_FORMAT='xml' is not one of text, json."),
        ("CAPITALLENS_LOG_LEVEL", "loud", "CAPITALLENS_LOG_LEVEL='loud' is not one of DEBUG, INFO"),
    ],
)
def test_a_bad_log_setting_is_one_line_and_exit_2_for_the_cli_and_gunicorn(name, value, says):
    commands = [
        [sys.executable, "-m", "cli", "--help"],
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--check-config", "web:create_app()"],
    ]
    for command in commands:
        done = subprocess.run(
            command, env={**os.environ, name: value}, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 2, (command, done.stderr)
        assert done.stderr.strip().splitlines() == [done.stderr.strip()], "one line"
        assert done.stderr.startswith("Error: ") and says in done.stderr, done.stderr
    assert logs.gunicorn_config("-")["root"]["level"] == "INFO"  # here, without the bad value


@pytest.mark.slow
def test_a_json_worker_writes_only_json_lines_and_the_jobs_carry_its_id(conn, database, tmp_path):
    from tests.test_worker import FAST_MAINTENANCE, Workers, finished, wait_for
    from worker import enqueue

    workers = Workers(database, tmp_path)
    try:
        workers.start(CAPITALLENS_LOG_FORMAT="json", CAPITALLENS_LOG_LEVEL="INFO")
        assert FAST_MAINTENANCE["CAPITALLENS_LOG_LEVEL"] == "WARNING"  # overridden above
        queued = enqueue.enqueue_import(workbooks.basic(), "logged", file_name="basic.xlsx")
        status = wait_for(lambda: finished(conn, queued.job_id), what="job end")[0]
        assert status == "success", workers.logs()
        wait_for(lambda: "succeeded" in workers.logs(), what="the job's last line")
    finally:
        workers.stop_all()
    lines = workers.logs().splitlines()
    # The worker's stderr and stdout, from the first line logging writes: all JSON.
    first = next(i for i, line in enumerate(lines) if line.startswith("{"))
    assert all(not line.startswith("{") for line in lines[:first])  # the CLI's banner, before logging
    parsed = [json.loads(line) for line in lines[first:]]
    mine = [p for p in parsed if p.get("job_id") == queued.job_id]
    loggers = {p["logger"] for p in mine}
    assert "worker.tasks" in loggers, parsed
    assert any(name.startswith("procrastinate") for name in loggers), parsed
    assert any("started" in p["message"] for p in mine) and any("succeeded" in p["message"] for p in mine)
    ours = [p for p in parsed if p["logger"] == "worker.tasks"]
    assert ours and all(p.get("job_id") == queued.job_id for p in ours)


@pytest.mark.slow
def test_gunicorn_writes_its_access_log_and_its_own_lines_in_the_same_json(database, tmp_path):
    from tests.test_web_gunicorn import gunicorn, request

    access, web_log = tmp_path / "access.log", tmp_path / "web.log"
    env = {"CAPITALLENS_LOG_FORMAT": "json", "CAPITALLENS_ACCESS_LOG": str(access)}
    with gunicorn(database, web_log, **env) as port:
        assert request(port, "GET", "/healthz")[0] == 200
        assert request(port, "GET", "/api/no-such-route")[0] == 404
    lines = [json.loads(line) for line in access.read_text().splitlines()]
    assert {line["logger"] for line in lines} == {"gunicorn.access"}
    assert any("GET /healthz" in line["message"] for line in lines)
    assert any("/api/no-such-route" in line["message"] for line in lines)
    own = [json.loads(line) for line in web_log.read_text().splitlines()]
    assert any(line["logger"] == "gunicorn.error" and "Booting worker" in line["message"] for line in own)
