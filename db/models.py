"""The schema, described for Alembic. Hot paths use psycopg and db/queries.sql directly."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Double,
    ForeignKey,
    Identity,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

VALUE_TYPES = ("number", "text", "boolean", "error", "empty")
JOB_TYPES = ("import", "validation")
JOB_STATUSES = ("pending", "processing", "success", "failed", "cancelled")
FINISHED_STATUSES = ("success", "failed", "cancelled")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: DateTime(timezone=True)}


class SourceFile(Base):
    """An uploaded workbook, stored once per content hash so workers need no shared disk."""

    __tablename__ = "source_files"

    sha256: Mapped[str] = mapped_column(Text, primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(BigInteger)
    file_name: Mapped[str] = mapped_column(Text)
    uploaded_at: Mapped[datetime] = mapped_column(server_default=func.now())

    __table_args__ = (CheckConstraint("sha256 ~ '^[0-9a-f]{64}$'", name="sha256_hex"),)


class Model(Base):
    """One imported workbook: its counts, its calculation settings and its mismatch summary."""

    __tablename__ = "models"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    file_sha256: Mapped[str] = mapped_column(ForeignKey("source_files.sha256"))
    sheets: Mapped[list] = mapped_column(JSONB, server_default=text("'[]'::jsonb"))
    sheet_count: Mapped[int] = mapped_column(Integer)
    cell_count: Mapped[int] = mapped_column(Integer)
    formula_count: Mapped[int] = mapped_column(Integer)
    evaluated_count: Mapped[int] = mapped_column(Integer)
    comparable_count: Mapped[int] = mapped_column(Integer)
    matched_count: Mapped[int] = mapped_column(Integer)
    mismatched_count: Mapped[int] = mapped_column(Integer)
    cycle_cell_count: Mapped[int] = mapped_column(Integer)
    calc_settings: Mapped[dict] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    mismatch_summary: Mapped[dict] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    engine_version: Mapped[str | None] = mapped_column(Text)
    imported_at: Mapped[datetime] = mapped_column(server_default=func.now())
    validated_at: Mapped[datetime | None]

    __table_args__ = (Index(None, "file_sha256", "name"),)


class Cell(Base):
    """Every non-empty cell: formula, Excel's cached value, our engine's value, and the verdict."""

    __tablename__ = "cells"

    model_id: Mapped[int] = mapped_column(ForeignKey("models.id", ondelete="CASCADE"), primary_key=True)
    sheet: Mapped[str] = mapped_column(Text, primary_key=True)
    row: Mapped[int] = mapped_column(Integer, primary_key=True)
    col: Mapped[int] = mapped_column(Integer, primary_key=True)
    address: Mapped[str] = mapped_column(Text)
    formula: Mapped[str | None] = mapped_column(Text)
    raw_value: Mapped[float | None] = mapped_column(Double)
    raw_text: Mapped[str | None] = mapped_column(Text)
    raw_type: Mapped[str] = mapped_column(Text)
    calculated_value: Mapped[float | None] = mapped_column(Double)
    calculated_text: Mapped[str | None] = mapped_column(Text)
    calculated_type: Mapped[str | None] = mapped_column(Text)
    has_mismatch: Mapped[bool | None] = mapped_column(Boolean)
    mismatch_reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint(_in("raw_type", VALUE_TYPES), name="raw_type"),
        CheckConstraint(
            "calculated_type IS NULL OR " + _in("calculated_type", VALUE_TYPES),
            name="calculated_type",
        ),
        CheckConstraint("row >= 1 AND col >= 1", name="position"),
        Index(None, "model_id", "mismatch_reason", postgresql_where=text("has_mismatch")),
    )


class DefinedName(Base):
    """A workbook or sheet-scoped defined name, as written in the file."""

    __tablename__ = "defined_names"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    model_id: Mapped[int] = mapped_column(ForeignKey("models.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(Text)
    scope: Mapped[str | None] = mapped_column(Text)
    value: Mapped[str] = mapped_column(Text)

    __table_args__ = (Index(None, "model_id"),)


class JobRun(Base):
    """One import or validation job as users see it; procrastinate's own row is an implementation detail."""

    __tablename__ = "job_runs"

    job_id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    job_type: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text, server_default=text("'pending'"))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    started_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    params: Mapped[dict] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    result: Mapped[dict | None] = mapped_column(JSONB)
    error: Mapped[dict | None] = mapped_column(JSONB)
    model_id: Mapped[int | None] = mapped_column(ForeignKey("models.id", ondelete="SET NULL"))
    file_sha256: Mapped[str | None] = mapped_column(ForeignKey("source_files.sha256"))
    model_name: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    worker: Mapped[str | None] = mapped_column(Text)
    # Counted by the rescue (worker/rescue.py); past CAPITALLENS_MAX_WORKER_DEATHS the job fails.
    worker_deaths: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    procrastinate_job_id: Mapped[int | None] = mapped_column(BigInteger)

    __table_args__ = (
        CheckConstraint(_in("job_type", JOB_TYPES), name="job_type"),
        CheckConstraint(_in("status", JOB_STATUSES), name="status"),
        CheckConstraint(
            f"({_in('status', FINISHED_STATUSES)}) = (completed_at IS NOT NULL)",
            name="finished_iff_completed_at",
        ),
        Index(None, "status", "created_at"),
        # At most one live import per (file, name): the database refuses a duplicate.
        Index(
            "uq_job_runs_live_import",
            "file_sha256",
            "model_name",
            unique=True,
            postgresql_where=text("job_type = 'import' AND status IN ('pending', 'processing')"),
        ),
    )


class JobProgress(Base):
    """Progress rows written by the pipeline, each in its own short transaction."""

    __tablename__ = "job_progress"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("job_runs.job_id", ondelete="CASCADE"))
    stage: Mapped[str] = mapped_column(Text)
    percent: Mapped[float] = mapped_column(Numeric(5, 2))
    message: Mapped[str | None] = mapped_column(Text)
    timestamp: Mapped[datetime] = mapped_column(server_default=func.now())

    __table_args__ = (
        CheckConstraint("percent >= 0 AND percent <= 100", name="percent_range"),
        Index(None, "job_id", "id"),
    )


class ApiKey(Base):
    """A key for the HTTP API. Only the key's sha256 is stored; the key is shown once."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    key_hash: Mapped[str] = mapped_column(Text, unique=True)
    prefix: Mapped[str] = mapped_column(Text)  # the key's first characters, to tell keys apart
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    revoked_at: Mapped[datetime | None]

    __table_args__ = (CheckConstraint("key_hash ~ '^[0-9a-f]{64}$'", name="key_hash_hex"),)


class UploadHit(Base):
    """One accepted upload, per API key (or client address): the sliding window of the upload
    rate limit, shared by every web process. Rows older than the window are deleted as it moves."""

    __tablename__ = "upload_hits"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    bucket: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(server_default=func.now())

    __table_args__ = (Index(None, "bucket", "at"),)
