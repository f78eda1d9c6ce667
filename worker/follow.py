"""Follow a job until it ends: LISTEN for its notifications, falling back to polling."""

from __future__ import annotations

import time
from collections.abc import Callable

from db import engine as db_engine
from db import reads

FINISHED = ("success", "failed", "cancelled")

OnProgress = Callable[[str, float, str], None]


def follow(
    job_id: int,
    on_progress: OnProgress | None = None,
    *,
    poll_interval: float = 1.0,
    timeout: float | None = None,
    on_still_pending: Callable[[], None] | None = None,
    pending_grace: float = 5.0,
) -> dict:
    """Call ``on_progress`` for each progress row as it appears; return the finished job row.

    ``on_still_pending`` is called once if the job is still waiting for a worker after
    ``pending_grace`` seconds, so a user without a running worker learns why nothing happens.
    """
    started = time.monotonic()
    deadline = None if timeout is None else started + timeout
    last_id = 0
    with db_engine.connect(autocommit=True) as conn:
        conn.execute(f"LISTEN capitallens_job_{int(job_id)}")
        while True:
            for row in reads.progress(conn, job_id, after_id=last_id):
                last_id = row["id"]
                if on_progress is not None:
                    on_progress(row["stage"], float(row["percent"]), row["message"] or "")
            job = reads.job(conn, job_id)
            if job is None:
                raise LookupError(f"There is no job {job_id}.")
            if job["status"] in FINISHED:
                return job
            if (
                on_still_pending is not None
                and job["status"] == "pending"
                and time.monotonic() - started > pending_grace
            ):
                on_still_pending()
                on_still_pending = None
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"Job {job_id} did not finish within {timeout} s.")
            # Wake on the first notification, or poll after poll_interval.
            for _ in conn.notifies(timeout=poll_interval, stop_after=1):
                pass
