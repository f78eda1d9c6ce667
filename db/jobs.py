"""job_runs and job_progress: the job state users see (the state machine is in docs/jobs.md).

The writes; the reads (a job, its progress, the listing) are in db/reads.py.
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from db import queries


def start(conn: psycopg.Connection, job_id: int, *, attempt: int, worker: str) -> dict[str, Any] | None:
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            queries.start_job, {"job_id": job_id, "attempt": attempt, "worker": worker}
        ).fetchone()


def finish(
    conn: psycopg.Connection,
    job_id: int,
    status: str,
    *,
    result: dict | None = None,
    error: dict | None = None,
    model_id: int | None = None,
) -> None:
    conn.execute(
        queries.finish_job,
        {
            "job_id": job_id,
            "status": status,
            "result": Jsonb(result) if result is not None else None,
            "error": Jsonb(error) if error is not None else None,
            "model_id": model_id,
        },
    )


def requeue(conn: psycopg.Connection, job_id: int, error: dict) -> None:
    conn.execute(queries.requeue_job, {"job_id": job_id, "error": Jsonb(error)})


def add_progress(conn: psycopg.Connection, job_id: int, stage: str, percent: float, message: str) -> None:
    conn.execute(
        queries.insert_progress,
        {"job_id": job_id, "stage": stage, "percent": percent, "message": message[:500]},
    )
