"""Maintenance: rescue jobs whose worker died, close orphaned job_runs, prune old rows.

procrastinate leaves a job 'doing' forever when its worker is killed. Workers heartbeat every
``update_heartbeat_interval`` (10 s); a worker silent for ``STALLED_AFTER`` seconds is presumed
dead and its jobs are retried from scratch (an import's insertion is one transaction, so there is
never half a model to clean up). The rescue runs every minute on every worker (a queueing lock
keeps it to one at a time) and once when a worker starts.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

import procrastinate

from db import engine as db_engine
from db import jobs as db_jobs
from db import queries

logger = logging.getLogger(__name__)

CRON = os.environ.get("CAPITALLENS_RESCUE_CRON", "* * * * *")
RETENTION_CRON = os.environ.get("CAPITALLENS_RETENTION_CRON", "17 * * * *")


@dataclass(frozen=True)
class MaintenanceConfig:
    stalled_after: float = float(os.environ.get("CAPITALLENS_STALLED_AFTER", "30"))
    # Finished procrastinate jobs and job_progress rows are kept this long; job_runs forever.
    retention_hours: int = int(os.environ.get("CAPITALLENS_RETENTION_HOURS", str(24 * 7)))


CONFIG = MaintenanceConfig()


async def run_once(app: procrastinate.App, config: MaintenanceConfig = CONFIG) -> dict:
    """Retry the jobs of dead workers; close job_runs whose procrastinate job has ended."""
    retried = []
    for job in await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=config.stalled_after):
        await app.job_manager.retry_job(job)
        retried.append(job.id)
        logger.warning("retried stalled job %s (%s)", job.id, job.task_name)
    closed = close_orphans()
    return {"retried": retried, "closed": closed}


def close_orphans() -> list[int]:
    closed = []
    with db_engine.connect(autocommit=True) as conn:
        for job_id, queue_status in conn.execute(queries.orphaned_job_runs).fetchall():
            status = (
                "cancelled"
                if queue_status in ("cancelled", "aborted")
                else ("success" if queue_status == "succeeded" else "failed")
            )
            if status == "success":
                status = "failed"  # the task body never recorded success: something went wrong
            db_jobs.finish(
                conn,
                job_id,
                status,
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


async def prune(app: procrastinate.App, config: MaintenanceConfig = CONFIG) -> dict:
    """Delete finished procrastinate jobs and old progress rows; job_runs stay."""
    hours = config.retention_hours
    await app.job_manager.delete_old_jobs(
        nb_hours=hours, include_failed=True, include_cancelled=True, include_aborted=True
    )
    with db_engine.connect(autocommit=True) as conn:
        deleted = conn.execute(queries.prune_progress, {"hours": hours}).rowcount
    return {"progress_rows_deleted": deleted}
