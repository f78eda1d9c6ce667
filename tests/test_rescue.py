"""Maintenance run directly: stalled-job rescue, orphaned job_runs, retention."""

import asyncio

from tests import workbooks
from worker import enqueue, rescue
from worker.app import app


def _run(coro_fn, *args):
    async def main():
        async with app.open_async():
            return await coro_fn(app, *args)

    return asyncio.run(main())


def test_jobs_of_a_dead_worker_are_retried(conn):
    queued = enqueue.enqueue_import(workbooks.basic(), "Stalled", file_name="s.xlsx")
    worker_id = conn.execute(
        "INSERT INTO procrastinate_workers (last_heartbeat) VALUES (now() - interval '1 hour') RETURNING id"
    ).fetchone()[0]
    conn.execute(
        "UPDATE procrastinate_jobs SET status = 'doing', worker_id = %s WHERE id = "
        "(SELECT procrastinate_job_id FROM job_runs WHERE job_id = %s)",
        (worker_id, queued.job_id),
    )
    conn.execute(
        "UPDATE job_runs SET status = 'processing', started_at = now() WHERE job_id = %s", (queued.job_id,)
    )
    report = _run(rescue.run_once)
    assert len(report["retried"]) == 1
    assert conn.execute("SELECT status::text FROM procrastinate_jobs").fetchone() == ("todo",)
    # job_runs stays open: the retry will set it to processing again with the next attempt.
    assert conn.execute("SELECT status FROM job_runs").fetchone() == ("processing",)


def test_live_workers_are_left_alone(conn):
    enqueue.enqueue_import(workbooks.basic(), "Busy", file_name="b.xlsx")
    worker_id = conn.execute("INSERT INTO procrastinate_workers DEFAULT VALUES RETURNING id").fetchone()[0]
    conn.execute("UPDATE procrastinate_jobs SET status = 'doing', worker_id = %s", (worker_id,))
    assert _run(rescue.run_once)["retried"] == []


def test_orphaned_job_runs_are_closed(conn):
    queued = enqueue.enqueue_import(workbooks.basic(), "Orphan", file_name="o.xlsx")
    conn.execute("UPDATE procrastinate_jobs SET status = 'failed'")
    conn.execute("UPDATE job_runs SET status = 'processing' WHERE job_id = %s", (queued.job_id,))
    assert rescue.close_orphans() == [queued.job_id]
    status, error_type = conn.execute("SELECT status, error->>'type' FROM job_runs").fetchone()
    assert (status, error_type) == ("failed", "worker_lost")


def test_retention_prunes_progress_but_keeps_job_runs(conn):
    queued = enqueue.enqueue_import(workbooks.basic(), "Old", file_name="old.xlsx")
    conn.execute(
        "INSERT INTO job_progress (job_id, stage, percent) VALUES (%s, 'hashing', 5)", (queued.job_id,)
    )
    conn.execute("UPDATE job_runs SET status = 'success', completed_at = now() - interval '30 days'")
    conn.execute("UPDATE procrastinate_jobs SET status = 'succeeded'")
    conn.execute("UPDATE procrastinate_events SET at = now() - interval '30 days'")
    report = _run(rescue.prune, rescue.MaintenanceConfig(retention_hours=24))
    assert report["progress_rows_deleted"] == 1
    assert conn.execute("SELECT count(*) FROM job_runs").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM procrastinate_jobs").fetchone()[0] == 0
