"""GET /api/jobs: jobs newest first, filtered by status and type, paginated by cursor."""

from __future__ import annotations

from flask import Blueprint

from db import models as db_models
from db import reads
from web import db, pagination

bp = Blueprint("jobs", __name__)

DEFAULT_LIMIT = 20
MAX_LIMIT = 200


@bp.get("/api/jobs")
def list_jobs():
    status = pagination.choice("status", db_models.JOB_STATUSES)
    job_type = pagination.choice("type", db_models.JOB_TYPES)
    size = pagination.limit(DEFAULT_LIMIT, MAX_LIMIT)
    after = pagination.cursor(int)
    with db.connection() as conn:
        rows = reads.jobs(
            conn,
            reads.JobFilter(status=status, job_type=job_type),
            limit=size + 1,
            before_id=after[0] if after else None,
        )
    return pagination.page(rows, size, lambda last: [last["job_id"]])
