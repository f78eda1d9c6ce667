"""The procrastinate tasks. Each keeps job_runs in step with the job; the work is importer's.

job_runs.status: pending -> processing -> success | failed | cancelled (docs/jobs.md).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

import psycopg
from procrastinate import JobContext
from procrastinate.exceptions import JobAborted
from procrastinate.job_context import AbortReason
from procrastinate.retry import BaseRetryStrategy, RetryDecision

from db import engine as db_engine
from db import jobs as db_jobs
from hyperformula.bridge import Engine
from importer import limits, service
from importer.errors import Cancelled, CapitalLensError
from worker import logs, rescue
from worker.app import QUEUE, app
from worker.progress import ProgressWriter

logger = logging.getLogger(__name__)

WORKER_NAME = f"{socket.gethostname()}:{os.getpid()}"


_config = rescue.MaintenanceConfig()


def configure(config: rescue.MaintenanceConfig) -> None:
    """Use the settings the worker read when it started (MaintenanceConfig.from_env)."""
    global _config
    _config = config


class WorkerShutdown(CapitalLensError):
    """The worker stopped before the job finished; another worker will run it again."""

    code = "worker_shutdown"
    retryable = True


def is_transient(exc: BaseException) -> bool:
    """Errors worth another attempt: a lost database connection, a worker shutting down."""
    if isinstance(exc, CapitalLensError):
        return exc.retryable
    return isinstance(exc, psycopg.OperationalError | psycopg.errors.AdminShutdown | ConnectionError)


class TransientRetry(BaseRetryStrategy):
    """Retry transient errors with exponential backoff (1, 2, 4... up to 60 s); never bad input."""

    def get_retry_decision(self, *, exception: BaseException, job: Any) -> RetryDecision | None:
        if job.attempts + 1 >= _config.max_attempts or not is_transient(exception):
            return None
        return RetryDecision(retry_in={"seconds": min(2**job.attempts, 60)})


_engines = threading.local()


def thread_engine() -> Engine:
    """One warm Node process per worker thread (an Engine serves one request at a time).

    The bridge forks it from its own long-lived spawner thread, so it lives as long as this
    worker process, not as long as the pool thread that asked for it, and dies with the
    process however the process dies (PR_SET_PDEATHSIG; see hyperformula/bridge.py)."""
    engine = getattr(_engines, "engine", None)
    if engine is None:
        engine = _engines.engine = Engine(**limits.engine_options())
    return engine


def _error(exc: BaseException, stage: str | None) -> dict:
    if isinstance(exc, CapitalLensError):
        error = exc.to_dict()
        error["stage"] = error["stage"] or stage
        return error
    return {
        "type": type(exc).__name__,
        "message": str(exc) or type(exc).__name__,
        "stage": stage,
        "details": {},
    }


def _run(context: JobContext, job_id: int, work: Callable[..., tuple[dict, int | None]]) -> dict | None:
    with logs.job(job_id):  # every line logged meanwhile, by any module, carries the job id
        return _run_job(context, job_id, work)


def _run_job(context: JobContext, job_id: int, work: Callable[..., tuple[dict, int | None]]) -> dict | None:
    attempt = (context.job.attempts or 0) + 1
    with db_engine.connect(autocommit=True) as conn:
        job = db_jobs.start(conn, job_id, attempt=attempt, worker=WORKER_NAME)
    if job is None:
        logger.info("job %s is no longer pending; skipped", job_id)
        return None
    logger.info("%s job %s started (attempt %s)", job["job_type"], job_id, attempt)
    started = time.monotonic()
    progress = ProgressWriter(job_id)
    stage = {"name": "hashing"}

    def track(s: str, percent: float, message: str) -> None:
        stage["name"] = s
        progress(s, percent, message)

    try:
        result, model_id = work(job, track, context.should_abort)
    except BaseException as exc:
        progress.flush()
        _record_failure(context, job_id, attempt, exc, stage["name"])
        raise _for_procrastinate(context, exc) from exc
    finally:
        progress.close()
    with db_engine.connect(autocommit=True) as conn:
        db_jobs.finish(conn, job_id, "success", result=result, model_id=model_id)
    logger.info("job %s succeeded in %.1f s (model %s)", job_id, time.monotonic() - started, model_id)
    return {"job_id": job_id, "model_id": model_id}


def _record_failure(context: JobContext, job_id: int, attempt: int, exc: BaseException, stage: str) -> None:
    shutdown = isinstance(exc, Cancelled) and context.abort_reason() == AbortReason.SHUTDOWN
    error = _error(WorkerShutdown(stage=stage) if shutdown else exc, stage)
    error["details"] = {**(error.get("details") or {}), "attempt": attempt}
    try:
        with db_engine.connect(autocommit=True) as conn:
            if isinstance(exc, Cancelled) and not shutdown:
                db_jobs.finish(conn, job_id, "cancelled", error=error)
                outcome = "cancelled"
            elif shutdown or (is_transient(exc) and attempt < _config.max_attempts):
                db_jobs.requeue(conn, job_id, error)
                outcome = "requeued"
            else:
                db_jobs.finish(conn, job_id, "failed", error=error)
                outcome = "failed"
        logger.info("job %s %s at %s: %s: %s", job_id, outcome, stage, error["type"], error["message"])
    except psycopg.OperationalError:
        logger.exception("could not record the failure of job %s; the rescuer will", job_id)


def _for_procrastinate(context: JobContext, exc: BaseException) -> BaseException:
    """What procrastinate should see: aborted for a user cancel, retryable for a shutdown."""
    if isinstance(exc, Cancelled):
        if context.abort_reason() == AbortReason.SHUTDOWN:
            return WorkerShutdown(stage=exc.stage)
        return JobAborted(str(exc))
    return exc


@app.task(name="import_workbook", queue=QUEUE, pass_context=True, retry=TransientRetry())
def import_workbook(context: JobContext, job_id: int) -> dict | None:
    def work(job: dict, progress, should_abort) -> tuple[dict, int]:
        # The file is in source_files since enqueue: read once, never sent back.
        result = service.import_stored(
            job["file_sha256"],
            job["model_name"],
            progress=progress,
            should_abort=should_abort,
            engine=thread_engine(),
            validate=job["params"].get("validate", True),
            as_of=job["params"].get("as_of"),
        )
        return result.to_dict(), result.model_id

    return _run(context, job_id, work)


@app.task(name="validate_model", queue=QUEUE, pass_context=True, retry=TransientRetry())
def validate_model(context: JobContext, job_id: int) -> dict | None:
    def work(job: dict, progress, should_abort) -> tuple[dict, int]:
        result = service.revalidate(
            job["params"]["model_id"],
            progress=progress,
            should_abort=should_abort,
            engine=thread_engine(),
        )
        return result, job["params"]["model_id"]

    return _run(context, job_id, work)
