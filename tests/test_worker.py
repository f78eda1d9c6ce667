"""Acceptance tests with real worker processes (capitallens worker), started by the tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from decimal import Decimal

import psycopg
import pytest

from importer import progress
from tests import workbooks
from worker import enqueue

pytestmark = pytest.mark.slow

FAST_MAINTENANCE = {
    "CAPITALLENS_HEARTBEAT_INTERVAL": "1",
    "CAPITALLENS_STALLED_AFTER": "4",
    "CAPITALLENS_RESCUE_CRON": "* * * * * */2",  # every 2 seconds
    "CAPITALLENS_POLL_INTERVAL": "0.5",
    "CAPITALLENS_LOG_LEVEL": "WARNING",
}


@pytest.fixture(scope="module")
def slow_workbook():
    """A workbook that keeps a worker busy for a few seconds."""
    return workbooks.large(60_000)


class Workers:
    def __init__(self, database, tmp_path):
        self.database = database
        self.tmp_path = tmp_path
        self.procs: list[subprocess.Popen] = []

    def start(self, concurrency=1, grace=30, **env) -> subprocess.Popen:
        log = open(self.tmp_path / f"worker{len(self.procs)}.log", "w")
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "cli",
                "worker",
                "--concurrency",
                str(concurrency),
                "--grace",
                str(grace),
            ],
            env={**os.environ, "DATABASE_URL": self.database, **FAST_MAINTENANCE, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self.procs.append(proc)
        return proc

    def kill(self, proc, sig=signal.SIGKILL):
        os.killpg(proc.pid, sig)  # the worker and its Node children

    def logs(self) -> str:
        return "\n".join(p.read_text() for p in sorted(self.tmp_path.glob("worker*.log")))

    def stop_all(self):
        """SIGTERM first (the worker exits cleanly, and coverage keeps its data), then SIGKILL."""
        for proc in self.procs:
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for proc in self.procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)


@pytest.fixture
def workers(database, tmp_path):
    w = Workers(database, tmp_path)
    yield w
    w.stop_all()


def wait_for(predicate, timeout=60.0, interval=0.1, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what}")


def job_row(conn, job_id):
    return conn.execute(
        "SELECT status, attempts, model_id, error, result FROM job_runs WHERE job_id = %s", (job_id,)
    ).fetchone()


def finished(conn, job_id):
    row = job_row(conn, job_id)
    return row if row[0] in ("success", "failed", "cancelled") else None


def stage_of(conn, job_id):
    row = conn.execute("SELECT stage FROM job_status WHERE job_id = %s", (job_id,)).fetchone()
    return row[0] if row else None


def test_one_import_end_to_end(conn, workers):
    workers.start()
    queued = enqueue.enqueue_import(workbooks.basic(), "E2E", file_name="basic.xlsx")
    status, attempts, model_id, error, result = wait_for(
        lambda: finished(conn, queued.job_id), what="job end"
    )
    assert (status, attempts, error) == ("success", 1, None), workers.logs()
    rows = conn.execute(
        "SELECT stage, percent FROM job_progress WHERE job_id = %s ORDER BY id", (queued.job_id,)
    ).fetchall()
    assert [p for _, p in rows] == sorted(p for _, p in rows)
    assert list(dict.fromkeys(s for s, _ in rows)) == list(progress.STAGES)
    assert rows[-1] == ("complete", Decimal("100.00"))
    model = conn.execute(
        "SELECT name, cell_count, matched_count FROM models WHERE id = %s", (model_id,)
    ).fetchone()
    assert model == ("E2E", result["cells"], result["matched"])
    assert (
        conn.execute("SELECT count(*) FROM cells WHERE model_id = %s", (model_id,)).fetchone()[0]
        == result["cells"]
    )
    assert set(result["seconds"]) >= {"parsing", "evaluation", "insertion"}
    started, completed = conn.execute(
        "SELECT started_at, completed_at FROM job_runs WHERE job_id = %s", (queued.job_id,)
    ).fetchone()
    assert started <= completed


def test_broken_workbook_fails_at_once_and_is_not_retried(conn, workers):
    workers.start()
    queued = enqueue.enqueue_import(b"%PDF-1.4 not a workbook", "Broken", file_name="broken.xlsx")
    status, attempts, model_id, error, _ = wait_for(lambda: finished(conn, queued.job_id), what="job end")
    assert (status, attempts, model_id) == ("failed", 1, None)
    assert error["type"] == "invalid_workbook"
    assert error["stage"] == "parsing"
    assert "PDF" in error["message"]
    assert conn.execute("SELECT count(*) FROM models").fetchone()[0] == 0
    time.sleep(1.5)  # no retry comes along
    assert conn.execute("SELECT status::text, attempts FROM procrastinate_jobs").fetchone() == ("failed", 1)


def test_sigkill_mid_import_is_retried_by_another_worker(conn, workers, slow_workbook):
    first = workers.start()
    queued = enqueue.enqueue_import(slow_workbook, "Killed", file_name="slow.xlsx")
    wait_for(lambda: stage_of(conn, queued.job_id) in ("dependencies", "evaluation"), what="mid-import")
    workers.kill(first)
    first.wait(timeout=10)
    workers.start()
    status, attempts, model_id, error, result = wait_for(
        lambda: finished(conn, queued.job_id), timeout=120, what="retried job end"
    )
    assert status == "success", (error, workers.logs())
    assert attempts >= 2
    assert conn.execute("SELECT count(*) FROM models").fetchone()[0] == 1
    cells, distinct = conn.execute(
        "SELECT count(*), count(DISTINCT (sheet, row, col)) FROM cells WHERE model_id = %s", (model_id,)
    ).fetchone()
    assert cells == distinct == result["cells"]


def test_two_workers_take_twenty_imports_once_each(conn, workers):
    workers.start(concurrency=2)
    workers.start(concurrency=2)
    jobs = [
        enqueue.enqueue_import(workbooks.large(50 + i), f"Load {i}", file_name=f"l{i}.xlsx").job_id
        for i in range(20)
    ]
    wait_for(lambda: all(finished(conn, j) for j in jobs), timeout=180, what="20 jobs")
    statuses = conn.execute(
        "SELECT status, attempts FROM job_runs WHERE job_id = ANY(%s)", (jobs,)
    ).fetchall()
    assert statuses == [("success", 1)] * 20, workers.logs()
    starts = conn.execute(
        "SELECT count(*) FROM procrastinate_events e JOIN job_runs r ON r.procrastinate_job_id = e.job_id "
        "WHERE e.type = 'started' AND r.job_id = ANY(%s)",
        (jobs,),
    ).fetchone()[0]
    assert starts == 20
    assert conn.execute("SELECT count(*) FROM models").fetchone()[0] == 20
    workers_seen = conn.execute("SELECT count(DISTINCT worker) FROM job_runs").fetchone()[0]
    assert workers_seen == 2


def test_cancel_pending_then_running(conn, workers, slow_workbook):
    pending = enqueue.enqueue_import(workbooks.basic(), "Never", file_name="n.xlsx")
    assert enqueue.cancel(pending.job_id) == "cancelled"
    workers.start()
    running = enqueue.enqueue_import(slow_workbook, "Stopped", file_name="slow.xlsx")
    wait_for(lambda: stage_of(conn, running.job_id) in ("parsing", "dependencies"), what="running")
    assert enqueue.cancel(running.job_id) == "processing"
    status, _, model_id, error, _ = wait_for(lambda: finished(conn, running.job_id), what="abort")
    assert (status, model_id) == ("cancelled", None)
    assert error["type"] == "cancelled"
    assert job_row(conn, pending.job_id)[0] == "cancelled"
    assert conn.execute("SELECT count(*) FROM models").fetchone()[0] == 0

    # job_runs is closed by the task before it raises; procrastinate records the abort just after.
    def queue_status():
        row = conn.execute(
            "SELECT j.status::text FROM procrastinate_jobs j JOIN job_runs r "
            "ON r.procrastinate_job_id = j.id WHERE r.job_id = %s",
            (running.job_id,),
        ).fetchone()
        return row[0] if row and row[0] != "doing" else None

    assert wait_for(queue_status, timeout=10, what="the queue to record the abort") == "aborted"


def test_sigterm_past_grace_requeues_and_another_worker_finishes(conn, workers, slow_workbook):
    first = workers.start(grace=0.5)
    queued = enqueue.enqueue_import(slow_workbook, "Terminated", file_name="slow.xlsx")
    wait_for(lambda: stage_of(conn, queued.job_id) in ("parsing", "dependencies"), what="running")
    first.send_signal(signal.SIGTERM)
    assert first.wait(timeout=60) == 0
    status = job_row(conn, queued.job_id)
    assert status[0] == "pending", workers.logs()
    assert status[3]["type"] == "worker_shutdown"
    workers.start()
    status, attempts, _model_id, error, _ = wait_for(
        lambda: finished(conn, queued.job_id), timeout=120, what="job end"
    )
    assert (status, attempts) == ("success", 2), (error, workers.logs())
    assert conn.execute("SELECT count(*) FROM models").fetchone()[0] == 1


def test_worker_survives_losing_its_database_connections(conn, database, workers, slow_workbook):
    workers.start()
    queued = enqueue.enqueue_import(slow_workbook, "Terminated backend", file_name="slow.xlsx")
    wait_for(
        lambda: stage_of(conn, queued.job_id) in ("parsing", "dependencies", "evaluation"), what="running"
    )
    dbname = psycopg.conninfo.conninfo_to_dict(database)["dbname"]
    killed = conn.execute(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
        "WHERE datname = %s AND pid <> pg_backend_pid()",
        (dbname,),
    ).fetchone()[0]
    assert killed >= 1
    status, _, _, error, _ = wait_for(lambda: finished(conn, queued.job_id), timeout=120, what="job end")
    assert status == "success", (error, workers.logs())
    # ...and the worker still takes new jobs.
    after = enqueue.enqueue_import(workbooks.basic(), "After", file_name="a.xlsx")
    assert wait_for(lambda: finished(conn, after.job_id), timeout=60, what="next job")[0] == "success"


def test_validation_job_reports_changes(conn, workers):
    workers.start()
    imported = enqueue.enqueue_import(workbooks.wrong_cache(), "Revalidate", file_name="w.xlsx")
    model_id = wait_for(lambda: finished(conn, imported.job_id), what="import")[2]
    conn.execute(
        "UPDATE cells SET calculated_value = 0, has_mismatch = true, mismatch_reason = 'value_differs' "
        "WHERE model_id = %s AND address = 'C1'",
        (model_id,),
    )
    queued = enqueue.enqueue_validation(model_id)
    status, _, job_model, error, result = wait_for(lambda: finished(conn, queued.job_id), what="validation")
    assert (status, job_model) == ("success", model_id), error
    assert result["started_matching"] == 1 and result["stopped_matching"] == 0
    assert conn.execute("SELECT validated_at IS NOT NULL FROM models WHERE id = %s", (model_id,)).fetchone()[
        0
    ]


def _cli(database, *args, timeout=120):
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        env={**os.environ, "DATABASE_URL": database},
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def test_cli_import_follows_the_job_and_sets_the_exit_status(database, workers, tmp_path):
    workers.start()
    good = tmp_path / "good.xlsx"
    good.write_bytes(workbooks.basic())
    done = _cli(database, "import", "--file", str(good), "--name", "CLI")
    assert done.returncode == 0, done.stderr
    assert "Queued as job" in done.stderr
    assert "[100.0%] complete" in done.stderr  # progress lines off a TTY
    assert "matched 10 (100.00%)" in done.stdout
    again = _cli(database, "import", "--file", str(good), "--name", "CLI")
    assert again.returncode == 0 and "already imported" in again.stdout

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000)
    failed = _cli(database, "import", "--file", str(bad), "--name", "Legacy", "--json")
    assert failed.returncode == 1
    assert "failed during parsing" in failed.stderr and "legacy Excel 97-2003" in failed.stderr
    assert '"status": "failed"' in failed.stdout
    assert "Traceback" not in failed.stderr

    queued = _cli(database, "import", "--file", str(good), "--name", "Later", "--no-wait")
    job_id = int(queued.stdout.strip())
    followed = _cli(database, "job", str(job_id), "--follow")
    assert followed.returncode == 0 and "Model" in followed.stdout
    listed = _cli(database, "jobs", "--status", "failed")
    assert "Legacy" in listed.stdout and "CLI" not in listed.stdout
    assert "invalid_workbook" in _cli(database, "job", str(job_id - 1)).stdout


def test_cli_cancel(database, tmp_path):
    path = tmp_path / "w.xlsx"
    path.write_bytes(workbooks.basic())
    job_id = int(_cli(database, "import", "--file", str(path), "--name", "C", "--no-wait").stdout)
    cancelled = _cli(database, "cancel", str(job_id))
    assert cancelled.returncode == 0 and f"Job {job_id} cancelled." in cancelled.stdout
    again = _cli(database, "cancel", str(job_id))
    assert again.returncode == 1 and "already finished (cancelled)" in again.stderr
    followed = _cli(database, "job", str(job_id), "--follow")
    assert followed.returncode == 5 and "cancelled" in followed.stderr  # cli/exitcodes.py CANCELLED


def test_cli_says_when_no_worker_takes_the_job(database, tmp_path):
    path = tmp_path / "w.xlsx"
    path.write_bytes(workbooks.basic())
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli", "import", "--file", str(path), "--name", "Waiting"],
        env={**os.environ, "DATABASE_URL": database},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    try:
        hint = wait_for(
            lambda: "waiting for a worker" in (line := proc.stderr.readline()) and line,
            timeout=30,
            what="the hint",
        )
        assert "capitallens worker" in hint
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()
        proc.stderr.close()


def test_rescue_does_not_wait_behind_a_busy_worker(conn, workers, slow_workbook):
    """With the only live worker busy on a long import, a dead worker's job is still back in
    the queue within STALLED_AFTER + 15 s: the rescue runs on each worker's own timer."""
    busy = workers.start()
    long_job = enqueue.enqueue_import(slow_workbook, "Long", file_name="long.xlsx").job_id
    wait_for(lambda: job_row(conn, long_job)[0] == "processing", what="the long job to start")
    doomed = workers.start()
    lost_job = enqueue.enqueue_import(workbooks.large(20_000), "Lost", file_name="lost.xlsx").job_id
    wait_for(
        lambda: conn.execute(
            "SELECT status = 'processing' AND worker LIKE %s FROM job_runs WHERE job_id = %s",
            (f"%:{doomed.pid}", lost_job),
        ).fetchone()[0],
        what="the second worker to take the job",
    )
    workers.kill(doomed)
    killed = time.monotonic()
    stalled_after = float(FAST_MAINTENANCE["CAPITALLENS_STALLED_AFTER"])
    status, _, _, error, _ = wait_for(
        lambda: (row := job_row(conn, lost_job))[0] == "pending" and row,
        timeout=stalled_after + 15,
        interval=0.05,
        what="the dead worker's job back in the queue",
    )
    requeued = time.monotonic() - killed
    assert job_row(conn, long_job)[0] == "processing"  # the live worker was busy all along
    assert error["type"] == "worker_lost" and error["details"]["worker_deaths"] == 1
    assert conn.execute(
        "SELECT j.status::text FROM procrastinate_jobs j JOIN job_runs r ON r.procrastinate_job_id = j.id "
        "WHERE r.job_id = %s",
        (lost_job,),
    ).fetchone() == ("todo",)
    print(f"[rescue] requeued {requeued:.2f} s after the kill, the only live worker busy")
    assert requeued <= stalled_after + 15
    for job in (long_job, lost_job):
        status, *_ = wait_for(lambda job=job: finished(conn, job), timeout=180, what="both jobs")
        assert status == "success", workers.logs()[-3000:]
    assert busy.poll() is None
