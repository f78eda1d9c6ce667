"""Follow a job until it ends: LISTEN for its notifications, falling back to polling."""

from __future__ import annotations

import time
from collections.abc import Callable

from db import engine as db_engine
from db import jobs as db_jobs

FINISHED = ("success", "failed", "cancelled")

OnProgress = Callable[[str, float, str], None]


def follow(
    job_id: int,
    on_progress: OnProgress | None = None,
    *,
    poll_interval: float = 1.0,
    timeout: float | None = None,
) -> dict:
    """Call ``on_progress`` for each progress row as it appears; return the finished job row."""
    deadline = None if timeout is None else time.monotonic() + timeout
    last_id = 0
    with db_engine.connect(autocommit=True) as conn:
        conn.execute(f"LISTEN capitallens_job_{int(job_id)}")
        while True:
            for row in db_jobs.progress(conn, job_id, after_id=last_id):
                last_id = row["id"]
                if on_progress is not None:
                    on_progress(row["stage"], float(row["percent"]), row["message"] or "")
            job = db_jobs.get(conn, job_id)
            if job is None:
                raise LookupError(f"There is no job {job_id}.")
            if job["status"] in FINISHED:
                return job
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"Job {job_id} did not finish within {timeout} s.")
            # Wake on the first notification, or poll after poll_interval.
            for _ in conn.notifies(timeout=poll_interval, stop_after=1):
                pass
