"""Maintenance run directly: stalled-job rescue, orphaned job_runs, retention, settings."""

import asyncio
import itertools
import os
import re
import subprocess
import sys

import psycopg
import pytest

from tests import workbooks
from worker import enqueue, rescue
from worker.app import app

CONFIG = rescue.MaintenanceConfig()


def _run_async(coro_fn, *args):
    async def main():
        async with app.open_async():
            return await coro_fn(app, *args)

    return asyncio.run(main())


def _dead_worker_job(conn, name, *, heartbeat="now() - interval '1 hour'"):
    """An import that a worker took ('doing', job_runs 'processing'), the worker then silent."""
    queued = enqueue.enqueue_import(workbooks.basic(), name, file_name=f"{name}.xlsx")
    worker_id = conn.execute(
        f"INSERT INTO procrastinate_workers (last_heartbeat) VALUES ({heartbeat}) RETURNING id"
    ).fetchone()[0]
    _take(conn, queued.job_id, worker_id)
    return queued.job_id, worker_id


def _take(conn, job_id, worker_id, attempt=1):
    conn.execute(
        "UPDATE procrastinate_jobs SET status = 'doing', worker_id = %s WHERE id = "
        "(SELECT procrastinate_job_id FROM job_runs WHERE job_id = %s)",
        (worker_id, job_id),
    )
    conn.execute(
        "UPDATE job_runs SET status = 'processing', started_at = now(), attempts = %s WHERE job_id = %s",
        (attempt, job_id),
    )


def _states(conn, job_id):
    return conn.execute(
        "SELECT r.status, j.status::text, r.worker_deaths, r.error FROM job_runs r "
        "JOIN procrastinate_jobs j ON j.id = r.procrastinate_job_id WHERE r.job_id = %s",
        (job_id,),
    ).fetchone()


def test_jobs_of_a_dead_worker_are_retried(conn):
    job_id, _ = _dead_worker_job(conn, "Stalled")
    report = rescue.run_once(CONFIG)
    assert report["retried"] == [job_id]
    status, queue_status, deaths, error = _states(conn, job_id)
    # Back to pending with the reason: a cancel now is a plain pending cancel.
    assert (status, queue_status, deaths) == ("pending", "todo", 1)
    assert error["type"] == "worker_lost" and error["details"]["worker_deaths"] == 1


def test_a_job_whose_worker_died_twice_is_failed_and_others_are_not(conn):
    poison, worker_id = _dead_worker_job(conn, "Poison")
    innocent, _ = _dead_worker_job(conn, "Innocent")
    assert rescue.run_once(CONFIG)["retried"] == [poison, innocent]
    _take(conn, poison, worker_id, attempt=2)  # a second worker takes it, and dies too
    report = rescue.run_once(CONFIG)
    assert report["failed"] == [poison] and report["retried"] == []
    status, queue_status, deaths, error = _states(conn, poison)
    assert (status, queue_status, deaths) == ("failed", "failed", 2)
    assert error["type"] == "worker_lost_repeatedly"
    assert error["details"]["attempts"] == 2 and error["details"]["worker_deaths"] == 2
    assert "CAPITALLENS_MAX_WORKER_DEATHS=2" in error["message"]
    assert _states(conn, innocent)[:3] == ("pending", "todo", 1)
    # Nothing more happens to it on the next rounds.
    assert rescue.run_once(CONFIG) == {"retried": [], "failed": [], "cancelled": [], "closed": []}


def test_the_death_threshold_is_a_setting(conn):
    job_id, _ = _dead_worker_job(conn, "Fragile")
    report = rescue.run_once(rescue.MaintenanceConfig(max_worker_deaths=1))
    assert report["failed"] == [job_id]


def test_a_job_cancelled_after_its_worker_died_ends_cancelled(conn):
    job_id, _ = _dead_worker_job(conn, "Cancelled late")
    assert enqueue.cancel(job_id) == "processing"  # its worker is dead: nobody will abort it
    assert rescue.run_once(CONFIG)["cancelled"] == [job_id]
    status, queue_status, _, error = _states(conn, job_id)
    assert (status, queue_status, error["type"]) == ("cancelled", "aborted", "cancelled")


def test_a_job_cancelled_once_requeued_ends_cancelled(conn):
    job_id, _ = _dead_worker_job(conn, "Cancelled requeued")
    rescue.run_once(CONFIG)
    assert enqueue.cancel(job_id) == "cancelled"
    assert _states(conn, job_id)[:2] == ("cancelled", "cancelled")


def test_a_job_another_rescuer_holds_is_left_to_it(conn, database):
    """Every worker runs the rescue: a dead job locked by one rescuer is skipped by the others."""
    job_id, _ = _dead_worker_job(conn, "Held")
    with psycopg.connect(database) as other, other.transaction():
        other.execute("SELECT id FROM procrastinate_jobs FOR UPDATE")
        assert rescue.run_once(CONFIG)["retried"] == []
    assert rescue.run_once(CONFIG)["retried"] == [job_id]
    assert _states(conn, job_id)[2] == 1  # counted once


def test_live_workers_are_left_alone(conn):
    _dead_worker_job(conn, "Busy", heartbeat="now()")
    assert rescue.run_once(CONFIG)["retried"] == []


def test_orphaned_job_runs_are_closed(conn):
    queued = enqueue.enqueue_import(workbooks.basic(), "Orphan", file_name="o.xlsx")
    conn.execute("UPDATE procrastinate_jobs SET status = 'failed'")
    conn.execute("UPDATE job_runs SET status = 'processing' WHERE job_id = %s", (queued.job_id,))
    assert rescue.close_orphans() == [queued.job_id]
    status, error_type = conn.execute("SELECT status, error->>'type' FROM job_runs").fetchone()
    assert (status, error_type) == ("failed", "worker_lost")


def test_orphans_aborted_in_the_queue_are_cancelled(conn):
    queued = enqueue.enqueue_import(workbooks.basic(), "Aborted", file_name="a.xlsx")
    conn.execute("UPDATE procrastinate_jobs SET status = 'aborted'")
    conn.execute("UPDATE job_runs SET status = 'processing' WHERE job_id = %s", (queued.job_id,))
    assert rescue.close_orphans() == [queued.job_id]
    assert conn.execute("SELECT status, error->>'type' FROM job_runs").fetchone() == (
        "cancelled",
        "cancelled",
    )


def test_retention_prunes_progress_but_keeps_job_runs(conn):
    queued = enqueue.enqueue_import(workbooks.basic(), "Old", file_name="old.xlsx")
    conn.execute(
        "INSERT INTO job_progress (job_id, stage, percent) VALUES (%s, 'hashing', 5)", (queued.job_id,)
    )
    conn.execute("UPDATE job_runs SET status = 'success', completed_at = now() - interval '30 days'")
    conn.execute("UPDATE procrastinate_jobs SET status = 'succeeded'")
    conn.execute("UPDATE procrastinate_events SET at = now() - interval '30 days'")
    report = _run_async(rescue.prune, rescue.MaintenanceConfig(retention_hours=24))
    assert report["progress_rows_deleted"] == 1
    assert conn.execute("SELECT count(*) FROM job_runs").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM procrastinate_jobs").fetchone()[0] == 0


# --- settings -----------------------------------------------------------------------------


def test_settings_are_read_from_the_environment():
    config = rescue.MaintenanceConfig.from_env(
        {"CAPITALLENS_STALLED_AFTER": "4", "CAPITALLENS_HEARTBEAT_INTERVAL": "1",
         "CAPITALLENS_MAX_WORKER_DEATHS": "3", "CAPITALLENS_RESCUE_CRON": "* * * * * */5"}
    )  # fmt: skip
    assert (config.stalled_after, config.heartbeat_interval, config.max_worker_deaths) == (4.0, 1.0, 3)
    assert config.retention_hours == rescue.RETENTION_HOURS
    assert rescue.MaintenanceConfig.from_env({}) == rescue.MaintenanceConfig()


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"CAPITALLENS_STALLED_AFTER": "soon"}, "CAPITALLENS_STALLED_AFTER='soon' is not a number"),
        ({"CAPITALLENS_MAX_WORKER_DEATHS": "2.5"}, "is not a whole number"),
        ({"CAPITALLENS_MAX_WORKER_DEATHS": "0"}, "at least 1"),
        ({"CAPITALLENS_HEARTBEAT_INTERVAL": "-1"}, "above 0"),
        ({"CAPITALLENS_STALLED_AFTER": "5"}, "must be longer than CAPITALLENS_HEARTBEAT_INTERVAL"),
        ({"CAPITALLENS_RESCUE_CRON": "every minute"}, "is not a cron expression"),
    ],
)
def test_a_bad_setting_is_one_clear_sentence(env, says):
    with pytest.raises(rescue.InvalidSetting, match=re.escape(says)):
        rescue.MaintenanceConfig.from_env(env)


@pytest.mark.parametrize("cron", ["* * * * * */10", "*/10 * * * * *"])  # seconds last, or first
def test_a_sub_minute_cron_fires_on_its_seconds(cron):
    assert rescue.MaintenanceConfig.from_env({"CAPITALLENS_RESCUE_CRON": cron}).rescue_cron == cron
    start = 1_700_000_000.0  # a whole minute plus 20 s
    ticks = [start]
    for _ in range(6):
        ticks.append(rescue.next_run(cron, ticks[-1]))
    gaps = {round(b - a) for a, b in itertools.pairwise(ticks[1:])}
    assert gaps == {10}
    assert all(int(t) % 10 == 0 for t in ticks[1:])


def test_the_worker_refuses_a_bad_setting_in_one_line(database):
    done = subprocess.run(
        [sys.executable, "-m", "cli", "worker"],
        env={**os.environ, "DATABASE_URL": database, "CAPITALLENS_STALLED_AFTER": "thirty"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2  # a usage error: settings are checked before any command runs
    assert (
        done.stderr.strip().splitlines()[-1]
        == "Error: CAPITALLENS_STALLED_AFTER='thirty' is not a number of seconds."
    )
    assert "Traceback" not in done.stderr
