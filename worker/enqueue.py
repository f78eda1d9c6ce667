"""Enqueue an import or a validation: the file, the job_runs row and the procrastinate job
are written in ONE transaction, so after a crash either all three exist or none does."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import psycopg
from psycopg.types.json import Jsonb

from db import engine as db_engine
from db import queries, store
from importer import limits
from importer.errors import Conflict, NotFound, WorkbookTooLarge
from worker.app import QUEUE

Checkpoint = Callable[[str], None]


@dataclass(frozen=True)
class Enqueued:
    job_id: int | None  # None when an earlier import is reported instead
    created: bool  # False: an existing live job (or model) was returned
    model_id: int | None = None  # the earlier model, when the file was imported already

    @property
    def message(self) -> str:
        if self.job_id is None:
            return (
                f"This file was already imported under this name as model {self.model_id}; "
                "use --force to import it again."
            )
        if not self.created:
            return f"An import of this file under this name is already queued or running: job {self.job_id}."
        return f"Queued as job {self.job_id}."


def _lock_key(*parts: str) -> int:
    digest = hashlib.sha256("\x00".join(parts).encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def enqueue_import(
    data: bytes,
    name: str,
    *,
    file_name: str,
    force: bool = False,
    validate: bool = True,
    as_of: str | None = None,
    checkpoint: Checkpoint | None = None,
) -> Enqueued:
    """Store the file and queue its import, or return the live job / earlier model for it.

    ``as_of``: the instant TODAY() and NOW() are computed at (importer.analysis.parse_as_of),
    checked by the caller; None for the file's save time."""
    if len(data) > limits.MAX_FILE_BYTES:
        raise WorkbookTooLarge(
            f"The file is {len(data):,} bytes; the limit is {limits.MAX_FILE_BYTES:,} "
            "(CAPITALLENS_MAX_FILE_BYTES)."
        )
    checkpoint = checkpoint or (lambda step: None)
    sha256 = hashlib.sha256(data).hexdigest()
    with db_engine.connect() as conn, conn.transaction():
        # Serialise enqueues of the same file and name; others go on in parallel.
        conn.execute(queries.advisory_xact_lock, {"key": _lock_key(sha256, name)})
        live = conn.execute(queries.find_live_import, {"sha256": sha256, "name": name}).fetchone()
        if live:
            return Enqueued(live[0], created=False)
        if not force:
            model = conn.execute(queries.find_imported_model, {"sha256": sha256, "name": name}).fetchone()
            if model:
                return Enqueued(None, created=False, model_id=model[0])
        store.save_source_file(conn, sha256=sha256, content=data, file_name=file_name)
        checkpoint("source_file")
        job_id = _insert_job(
            conn,
            "import",
            {"name": name, "file_name": file_name, "force": force, "validate": validate, "as_of": as_of},
            sha256=sha256,
            name=name,
        )
        checkpoint("job_run")
        _defer(conn, job_id, "import_workbook")
        checkpoint("deferred")
    return Enqueued(job_id, created=True)


def enqueue_validation(model_id: int) -> Enqueued:
    """Queue a re-evaluation of a stored model with the current engine."""
    with db_engine.connect() as conn, conn.transaction():
        row = conn.execute(queries.get_model, {"model_id": model_id}).fetchone()
        if row is None:
            raise NotFound(f"There is no model {model_id}.")
        conn.execute(queries.advisory_xact_lock, {"key": _lock_key("validate", str(model_id))})
        busy = conn.execute(queries.find_live_validation, {"model_id": model_id}).fetchone()
        if busy:
            return Enqueued(busy[0], created=False)
        job_id = _insert_job(conn, "validation", {"model_id": model_id}, model_id=model_id)
        _defer(conn, job_id, "validate_model")
    return Enqueued(job_id, created=True)


def _insert_job(
    conn: psycopg.Connection,
    job_type: str,
    params: dict,
    *,
    sha256: str | None = None,
    name: str | None = None,
    model_id: int | None = None,
) -> int:
    return conn.execute(
        queries.insert_job_run,
        {
            "job_type": job_type,
            "params": Jsonb(params),
            "sha256": sha256,
            "name": name,
            "model_id": model_id,
        },
    ).fetchone()[0]


def _defer(conn: psycopg.Connection, job_id: int, task_name: str) -> None:
    procrastinate_id = conn.execute(
        queries.defer_job,
        {
            "queue": QUEUE,
            "task_name": task_name,
            "queueing_lock": None,
            "args": Jsonb({"job_id": job_id}),
        },
    ).fetchone()[0]
    conn.execute(queries.set_procrastinate_job, {"job_id": job_id, "procrastinate_job_id": procrastinate_id})


def cancel(job_id: int) -> str:
    """Cancel a pending job at once, or ask a running one to stop at its next progress step.

    Returns the job's status after the request: 'cancelled', or 'processing' while the abort
    is on its way.
    """
    with db_engine.connect() as conn, conn.transaction():
        row = conn.execute(queries.lock_job_run, {"job_id": job_id}).fetchone()
        if row is None:
            raise NotFound(f"There is no job {job_id}.")
        status, procrastinate_id = row
        if status in ("pending", "processing"):
            if status == "pending":
                conn.execute(queries.cancel_pending_job, {"job_id": job_id})
            if procrastinate_id:
                conn.execute(queries.abort_queue_job, {"procrastinate_job_id": procrastinate_id})
            return "cancelled" if status == "pending" else "processing"
        raise Conflict(f"Job {job_id} has already finished ({status}).", status=status)
