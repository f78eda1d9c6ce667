"""Enqueueing: one transaction, no duplicates, re-import rules, cancellation of pending jobs."""

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from tests import workbooks
from worker import enqueue


def _counts(conn):
    return conn.execute(
        "SELECT (SELECT count(*) FROM source_files), (SELECT count(*) FROM job_runs), "
        "(SELECT count(*) FROM procrastinate_jobs)"
    ).fetchone()


def test_enqueue_writes_file_job_run_and_queue_job_together(conn):
    queued = enqueue.enqueue_import(workbooks.basic(), "M", file_name="m.xlsx")
    assert queued.created and queued.job_id
    assert _counts(conn) == (1, 1, 1)
    row = conn.execute(
        "SELECT r.status, r.model_name, r.params->>'file_name', j.task_name, j.args->>'job_id', "
        "j.status::text "
        "FROM job_runs r JOIN procrastinate_jobs j ON j.id = r.procrastinate_job_id"
    ).fetchone()
    assert row == ("pending", "M", "m.xlsx", "import_workbook", str(queued.job_id), "todo")


def test_same_file_and_name_while_live_returns_the_same_job(conn):
    first = enqueue.enqueue_import(workbooks.basic(), "M", file_name="m.xlsx")
    again = enqueue.enqueue_import(workbooks.basic(), "M", file_name="m.xlsx")
    other = enqueue.enqueue_import(workbooks.basic(), "Other name", file_name="m.xlsx")
    assert (again.job_id, again.created) == (first.job_id, False)
    assert other.created and other.job_id != first.job_id
    assert _counts(conn) == (1, 2, 2)  # the file is stored once


def test_finished_import_is_reported_unless_forced(conn):
    first = enqueue.enqueue_import(workbooks.basic(), "M", file_name="m.xlsx")
    sha = conn.execute("SELECT sha256 FROM source_files").fetchone()[0]
    model_id = conn.execute(
        "INSERT INTO models (name, file_sha256, sheet_count, cell_count, formula_count, evaluated_count, "
        "comparable_count, matched_count, mismatched_count, cycle_cell_count) "
        "VALUES ('M', %s, 1, 1, 1, 1, 1, 1, 0, 0) RETURNING id",
        (sha,),
    ).fetchone()[0]
    conn.execute(
        "UPDATE job_runs SET status = 'success', completed_at = now(), model_id = %s WHERE job_id = %s",
        (model_id, first.job_id),
    )
    reported = enqueue.enqueue_import(workbooks.basic(), "M", file_name="m.xlsx")
    assert (reported.job_id, reported.model_id) == (None, model_id)
    assert "already imported" in reported.message
    forced = enqueue.enqueue_import(workbooks.basic(), "M", file_name="m.xlsx", force=True)
    assert forced.created and forced.job_id != first.job_id


def test_cancel_pending_job(conn):
    queued = enqueue.enqueue_import(workbooks.basic(), "M", file_name="m.xlsx")
    assert enqueue.cancel(queued.job_id) == "cancelled"
    assert conn.execute(
        "SELECT r.status, r.completed_at IS NOT NULL, j.status::text FROM job_runs r "
        "JOIN procrastinate_jobs j ON j.id = r.procrastinate_job_id"
    ).fetchone() == ("cancelled", True, "cancelled")
    from importer.errors import Conflict, NotFound

    with pytest.raises(Conflict):
        enqueue.cancel(queued.job_id)
    with pytest.raises(NotFound):
        enqueue.cancel(999_999)


def test_too_large_file_is_refused_before_anything_is_written(conn, monkeypatch):
    from importer import limits
    from importer.errors import WorkbookTooLarge

    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 100)
    with pytest.raises(WorkbookTooLarge):
        enqueue.enqueue_import(b"x" * 101, "M", file_name="m.xlsx")
    assert _counts(conn) == (0, 0, 0)


ENQUEUER = textwrap.dedent("""
    import sys, time
    from worker import enqueue
    def checkpoint(step):
        if step == sys.argv[1]:
            print("at", step, flush=True)
            time.sleep(60)
    enqueue.enqueue_import(b"PK not really a workbook", "killed", file_name="k.xlsx", checkpoint=checkpoint)
""")


@pytest.mark.parametrize("step", ["source_file", "job_run", "deferred"])
def test_killing_the_enqueuer_between_steps_leaves_nothing(conn, database, step):
    proc = subprocess.Popen(
        [sys.executable, "-c", ENQUEUER, step],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "DATABASE_URL": database},
    )
    try:
        assert proc.stdout.readline().strip() == f"at {step}"
        # The transaction is open with the rows written so far; nobody else can see them.
        assert _counts(conn) == (0, 0, 0)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        proc.kill()
        proc.stdout.close()
    assert _counts(conn) == (0, 0, 0)
