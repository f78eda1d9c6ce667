"""Maintenance: rescue jobs whose worker died, close orphaned job_runs, prune old rows.

procrastinate leaves a job 'doing' forever when its worker is killed. Workers heartbeat every
``heartbeat_interval`` seconds; a worker silent for ``stalled_after`` seconds is presumed dead and
its jobs are dealt with here (an import's insertion is one transaction, so there is never half a
model to clean up):

- a job whose cancel was requested ends 'cancelled';
- a job whose worker has now died ``max_worker_deaths`` times ends 'failed' with
  ``worker_lost_repeatedly`` (a file that kills every worker that takes it is not retried
  forever);
- any other job goes back to the queue, to run from scratch.

Every worker runs this on its own timer (``run_forever``), on its event loop beside its jobs,
never queued behind them; row locks (SKIP LOCKED) keep two workers off the same dead job.
Settings are read once, when the worker starts (``MaintenanceConfig.from_env``).
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, fields

import croniter
import procrastinate
from psycopg.rows import dict_row

from db import engine as db_engine
from db import jobs as db_jobs
from db import queries
from importer.settings import InvalidSetting

logger = logging.getLogger(__name__)

# Named defaults; each can be changed with the variable in SETTINGS.
STALLED_AFTER = 30.0  # seconds without a heartbeat before a worker is presumed dead
HEARTBEAT_INTERVAL = 10.0
POLL_INTERVAL = 2.0  # seconds between polls for scheduled retries (LISTEN/NOTIFY does the rest)
RESCUE_CRON = "* * * * * */10"  # every 10 seconds (the sixth field is the seconds)
RETENTION_CRON = "17 * * * *"  # hourly
RETENTION_HOURS = 24 * 7
MAX_WORKER_DEATHS = 2  # a job whose worker died this many times is failed, not retried
MAX_ATTEMPTS = 5  # attempts for transient errors

SETTINGS = {
    "stalled_after": "CAPITALLENS_STALLED_AFTER",
    "heartbeat_interval": "CAPITALLENS_HEARTBEAT_INTERVAL",
    "poll_interval": "CAPITALLENS_POLL_INTERVAL",
    "rescue_cron": "CAPITALLENS_RESCUE_CRON",
    "retention_cron": "CAPITALLENS_RETENTION_CRON",
    "retention_hours": "CAPITALLENS_RETENTION_HOURS",
    "max_worker_deaths": "CAPITALLENS_MAX_WORKER_DEATHS",
    "max_attempts": "CAPITALLENS_MAX_ATTEMPTS",
}


@dataclass(frozen=True)
class MaintenanceConfig:
    """The worker's queue settings, read once when it starts."""

    stalled_after: float = STALLED_AFTER
    heartbeat_interval: float = HEARTBEAT_INTERVAL
    poll_interval: float = POLL_INTERVAL
    rescue_cron: str = RESCUE_CRON
    retention_cron: str = RETENTION_CRON
    # Finished procrastinate jobs and job_progress rows are kept this long; job_runs forever.
    retention_hours: int = RETENTION_HOURS
    max_worker_deaths: int = MAX_WORKER_DEATHS
    max_attempts: int = MAX_ATTEMPTS

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> MaintenanceConfig:
        """The settings from the environment; InvalidSetting (one sentence) for a bad value."""
        values = {}
        for field in fields(cls):
            name = SETTINGS[field.name]
            raw = environ.get(name, "").strip()
            if raw:
                values[field.name] = _parse(name, raw, type(field.default))
        config = cls(**values)
        config.check()
        return config

    def check(self) -> None:
        for attr in ("stalled_after", "heartbeat_interval", "poll_interval"):
            if not getattr(self, attr) > 0:
                raise InvalidSetting(f"{SETTINGS[attr]} must be a number of seconds above 0.")
        for attr in ("retention_hours", "max_worker_deaths", "max_attempts"):
            if getattr(self, attr) < 1:
                raise InvalidSetting(f"{SETTINGS[attr]} must be a whole number of at least 1.")
        if self.stalled_after <= self.heartbeat_interval:
            raise InvalidSetting(
                f"CAPITALLENS_STALLED_AFTER ({self.stalled_after:g} s) must be longer than "
                f"CAPITALLENS_HEARTBEAT_INTERVAL ({self.heartbeat_interval:g} s), or every "
                "worker would look dead between two heartbeats."
            )
        _check_cron("CAPITALLENS_RESCUE_CRON", self.rescue_cron)
        _check_cron("CAPITALLENS_RETENTION_CRON", self.retention_cron)


def _parse(name: str, raw: str, kind: type) -> object:
    if kind is str:
        return raw
    try:
        return kind(raw)
    except ValueError:
        what = "a whole number" if kind is int else "a number of seconds"
        raise InvalidSetting(f"{name}={raw!r} is not {what}.") from None


def _check_cron(name: str, cron: str) -> None:
    parts = cron.split()
    if not croniter.croniter.is_valid(normal_cron(cron)) or len(parts) not in (5, 6):
        raise InvalidSetting(
            f"{name}={cron!r} is not a cron expression: five fields (minute hour day month "
            "weekday), and an optional sixth for the seconds."
        )


def normal_cron(cron: str) -> str:
    """The cron in croniter's order, where a sixth field is the seconds.

    Six fields whose sixth is '*' and first is not, such as '*/10 * * * * *', are read with the
    seconds first, as Quartz, Spring and node-cron write them: taken the other way they would
    mean "every second of every tenth minute", which nobody asks a rescue timer for.
    """
    parts = cron.split()
    if len(parts) == 6 and parts[5] == "*" and parts[0] != "*":
        parts = [*parts[1:], parts[0]]
    return " ".join(parts)


def next_run(cron: str, after: float) -> float:
    """The first time after ``after`` (a Unix time) that ``cron`` fires."""
    return croniter.croniter(normal_cron(cron), after).get_next(float)


# --- rescue -------------------------------------------------------------------------------


def run_once(config: MaintenanceConfig) -> dict:
    """Deal with the jobs of dead workers, then close job_runs whose queue job has ended."""
    report: dict[str, list[int]] = {"retried": [], "failed": [], "cancelled": []}
    with db_engine.connect() as conn, conn.transaction(), conn.cursor(row_factory=dict_row) as cur:
        for job in cur.execute(queries.lock_stalled_jobs, {"stalled_after": config.stalled_after}).fetchall():
            outcome = _rescue(conn, job, config)
            report[outcome].append(job["job_id"] or job["queue_job_id"])
            logger.warning(
                "job %s (%s, queue job %s) of a dead worker: %s",
                job["job_id"],
                job["task_name"],
                job["queue_job_id"],
                outcome,
            )
    report["closed"] = close_orphans()
    return report


def _rescue(conn, job: dict, config: MaintenanceConfig) -> str:
    queue_job = {"queue_job_id": job["queue_job_id"]}
    if job["abort_requested"]:
        conn.execute(queries.end_queue_job, {**queue_job, "status": "aborted"})
        if job["job_id"] is not None:
            db_jobs.finish(conn, job["job_id"], "cancelled", error=_cancelled("after its worker died"))
        return "cancelled"
    if job["job_id"] is None:  # not one of ours (no job_runs row): just run it again
        conn.execute(queries.retry_queue_job, queue_job)
        return "retried"
    deaths = conn.execute(queries.count_worker_death, {"job_id": job["job_id"]}).fetchone()[0]
    details = {"attempts": job["attempts"], "worker_deaths": deaths, "worker": job["worker"]}
    if deaths >= config.max_worker_deaths:
        conn.execute(queries.end_queue_job, {**queue_job, "status": "failed"})
        db_jobs.finish(
            conn,
            job["job_id"],
            "failed",
            error={
                "type": "worker_lost_repeatedly",
                "message": f"The worker running this job died {deaths} times, so it is not "
                "retried again (limit CAPITALLENS_MAX_WORKER_DEATHS="
                f"{config.max_worker_deaths}). The file may exhaust the worker's memory.",
                "stage": None,
                "details": details,
            },
        )
        return "failed"
    conn.execute(queries.retry_queue_job, queue_job)
    db_jobs.requeue(
        conn,
        job["job_id"],
        {
            "type": "worker_lost",
            "message": "The worker running this job died; the job runs again from scratch.",
            "stage": None,
            "details": details,
        },
    )
    return "retried"


def _cancelled(when: str) -> dict:
    return {"type": "cancelled", "message": f"Cancelled {when}.", "stage": None, "details": {}}


def close_orphans() -> list[int]:
    """Close job_runs still open whose procrastinate job has ended without them."""
    closed = []
    with db_engine.connect(autocommit=True) as conn:
        for job_id, queue_status in conn.execute(queries.orphaned_job_runs).fetchall():
            if queue_status in ("cancelled", "aborted"):
                db_jobs.finish(conn, job_id, "cancelled", error=_cancelled("while its worker was lost"))
            else:  # failed, or succeeded without the task body recording a result
                db_jobs.finish(
                    conn,
                    job_id,
                    "failed",
                    error={
                        "type": "worker_lost",
                        "message": f"The job ended as {queue_status} in the queue "
                        "without its worker recording a result.",
                        "stage": None,
                        "details": {},
                    },
                )
            closed.append(job_id)
    return closed


# --- retention ----------------------------------------------------------------------------


async def prune(app: procrastinate.App, config: MaintenanceConfig) -> dict:
    """Delete finished procrastinate jobs and old progress rows; job_runs stay."""
    hours = config.retention_hours
    await app.job_manager.delete_old_jobs(
        nb_hours=hours, include_failed=True, include_cancelled=True, include_aborted=True
    )
    with db_engine.connect(autocommit=True) as conn:
        deleted = conn.execute(queries.prune_progress, {"hours": hours}).rowcount
    return {"progress_rows_deleted": deleted}


# --- the worker's own timer ---------------------------------------------------------------


async def run_forever(app: procrastinate.App, config: MaintenanceConfig) -> None:
    """The rescue (once at start, then on ``rescue_cron``) and the retention, until cancelled.

    It runs on the worker's event loop while the jobs run in threads, so a busy worker still
    rescues; the database work itself runs in a thread so the loop keeps heartbeating.
    """
    await asyncio.gather(
        _on_schedule("rescue", config.rescue_cron, lambda: asyncio.to_thread(run_once, config), now=True),
        _on_schedule("retention", config.retention_cron, lambda: prune(app, config)),
    )


async def _on_schedule(
    name: str, cron: str, action: Callable[[], Awaitable[dict]], *, now: bool = False
) -> None:
    if not now:
        await asyncio.sleep(max(0.0, next_run(cron, time.time()) - time.time()))
    while True:
        try:
            report = await action()
            if any(report.values()):
                logger.info("%s: %s", name, report)
        except Exception:  # the database went away, say: try again at the next tick
            logger.exception("%s failed; retrying at its next scheduled time", name)
        await asyncio.sleep(max(0.0, next_run(cron, time.time()) - time.time()))
