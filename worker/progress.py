"""The pipeline's progress callback for a job: job_progress rows, throttled, each autocommitted.

Every row is its own short transaction on a connection apart from the import's, so pollers see
it while the insertion transaction is still open; a trigger NOTIFYs listeners on each insert.
"""

from __future__ import annotations

import time

import psycopg

from db import engine as db_engine
from db import jobs as db_jobs

MIN_INTERVAL = 0.25  # seconds between rows within a stage: at most four rows a second


class ProgressWriter:
    def __init__(self, job_id: int, *, min_interval: float = MIN_INTERVAL):
        self.job_id = job_id
        self.min_interval = min_interval
        self._conn: psycopg.Connection | None = None
        self._stage: str | None = None
        self._last = 0.0
        self._pending: tuple[str, float, str] | None = None

    def __call__(self, stage: str, percent: float, message: str = "") -> None:
        now = time.monotonic()
        if stage == self._stage and now - self._last < self.min_interval:
            self._pending = (stage, percent, message)  # written if nothing newer comes in time
            return
        self._write(stage, percent, message)

    def flush(self) -> None:
        if self._pending is not None:
            self._write(*self._pending)

    def _write(self, stage: str, percent: float, message: str) -> None:
        if self._conn is None or self._conn.closed:
            self._conn = db_engine.connect(autocommit=True)
        db_jobs.add_progress(self._conn, self.job_id, stage, percent, message)
        self._stage, self._last, self._pending = stage, time.monotonic(), None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
