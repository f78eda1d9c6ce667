"""The hostile matrix through the CLI in queue mode, with a real worker that must survive."""

import json
import os
import subprocess
import sys

import pytest

from tests import workbooks
from tests.hostile import cases
from tests.test_worker import Workers, finished, wait_for

pytestmark = pytest.mark.slow


def _import(database, path, name):
    proc = subprocess.run(
        [sys.executable, "-m", "cli", "import", "--file", str(path), "--name", name, "--json"],
        env={**os.environ, "DATABASE_URL": database},
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    return proc, json.loads(proc.stdout) if proc.stdout.strip().startswith("{") else None


@pytest.fixture
def worker_env(database, tmp_path):
    workers = Workers(database, tmp_path)
    yield workers
    workers.stop_all()


def test_every_broken_file_fails_clearly_and_the_worker_goes_on(conn, database, worker_env, tmp_path):
    worker_env.start()
    for case, (make, code, phrase) in sorted(cases.BROKEN.items()):
        path = tmp_path / f"{case}.xlsx"
        path.write_bytes(make())
        proc, job = _import(database, path, case)
        assert proc.returncode == 1, (case, proc.stderr)
        assert "Traceback" not in proc.stderr
        assert job["status"] == "failed" and job["attempts"] == 1, case
        assert job["error"]["type"] == code, (case, job["error"])
        assert job["error"]["stage"] == "parsing"
        assert phrase in job["error"]["message"], (case, job["error"])
    assert conn.execute("SELECT count(*) FROM models").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM cells").fetchone()[0] == 0
    good = tmp_path / "good.xlsx"
    good.write_bytes(workbooks.basic())
    proc, job = _import(database, good, "after the storm")
    assert proc.returncode == 0 and job["status"] == "success"
    assert not list(tmp_path.glob("*.tmp")) and not (tmp_path / "uploads").exists()


def test_engine_out_of_memory_and_timeout_fail_the_job_not_the_worker(conn, worker_env):
    from worker import enqueue

    worker_env.start(CAPITALLENS_ENGINE_MAX_MEMORY_MB="40")
    big = enqueue.enqueue_import(workbooks.large(40_000), "too big for 40 MB", file_name="big.xlsx")
    status, attempts, model_id, error, _ = wait_for(
        lambda: finished(conn, big.job_id), timeout=120, what="OOM job"
    )
    assert (status, attempts, model_id) == ("failed", 1, None)
    # The file costs more than the budget: the workbook's fault, named with the setting to raise.
    assert error["type"] == "workbook_too_complex" and error["stage"] == "evaluation"
    assert "limit of 40 MB" in error["message"] and "CAPITALLENS_ENGINE_MAX_MEMORY_MB" in error["message"]
    # V8's crash report (paths, native frames) goes to the worker log, never through the API.
    assert "stderr" not in error["details"] and "heap" not in json.dumps(error)
    assert "heap out of memory" in worker_env.logs()
    small = enqueue.enqueue_import(workbooks.basic(), "small after OOM", file_name="s.xlsx")
    assert wait_for(lambda: finished(conn, small.job_id), what="next job")[0] == "success"


def test_engine_timeout_fails_the_job(conn, worker_env):
    from worker import enqueue

    worker_env.start(CAPITALLENS_ENGINE_TIMEOUT="0.5")
    slow = enqueue.enqueue_import(workbooks.large(30_000), "slow", file_name="slow.xlsx")
    status, _, _, error, _ = wait_for(lambda: finished(conn, slow.job_id), timeout=120, what="timeout job")
    assert status == "failed" and error["type"] == "workbook_too_complex" and error["stage"] == "evaluation"
    assert error["details"]["setting"] == "CAPITALLENS_ENGINE_TIMEOUT"
    assert "CAPITALLENS_ENGINE_TIMEOUT" in error["message"]
