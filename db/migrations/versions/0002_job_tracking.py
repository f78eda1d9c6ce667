"""Job tracking: job_runs and job_progress, with the state rules as CHECK constraints,
and the job_status view (each job with its latest progress row).

Revision ID: 0002_job_tracking
Revises: 0001_core
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002_job_tracking"
down_revision = "0001_core"
branch_labels = None
depends_on = None

JOB_STATUS_VIEW = """
CREATE VIEW job_status AS
SELECT r.job_id, r.job_type, r.status, r.model_name, r.model_id, r.created_at, r.started_at,
       r.completed_at, r.attempts, r.worker, p.stage, p.percent, p.message,
       p."timestamp" AS progress_at, r.error ->> 'type' AS error_type,
       r.error ->> 'message' AS error_message
FROM job_runs r
LEFT JOIN LATERAL (
    SELECT stage, percent, message, "timestamp"
    FROM job_progress
    WHERE job_progress.job_id = r.job_id
    ORDER BY id DESC
    LIMIT 1
) p ON true
"""

# Every progress row and every status change wakes LISTENers on channel capitallens_job_<id>
# (and capitallens_jobs for all), so clients need not poll.
NOTIFY_FUNCTION = """
CREATE FUNCTION capitallens_notify_job() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('capitallens_job_' || NEW.job_id, TG_TABLE_NAME);
    PERFORM pg_notify('capitallens_jobs', NEW.job_id::text);
    RETURN NEW;
END;
$$
"""


def upgrade() -> None:
    op.create_table(
        "job_runs",
        sa.Column("job_id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("job_type", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), server_default=sa.text("'pending'"), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "params",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column("result", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("error", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("model_id", sa.BigInteger(), nullable=True),
        sa.Column("file_sha256", sa.Text(), nullable=True),
        sa.Column("model_name", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("worker", sa.Text(), nullable=True),
        sa.Column("procrastinate_job_id", sa.BigInteger(), nullable=True),
        sa.CheckConstraint(
            "(status IN ('success', 'failed', 'cancelled')) = (completed_at IS NOT NULL)",
            name=op.f("ck_job_runs_finished_iff_completed_at"),
        ),
        sa.CheckConstraint("job_type IN ('import', 'validation')", name=op.f("ck_job_runs_job_type")),
        sa.CheckConstraint(
            "status IN ('pending', 'processing', 'success', 'failed', 'cancelled')",
            name=op.f("ck_job_runs_status"),
        ),
        sa.ForeignKeyConstraint(
            ["file_sha256"],
            ["source_files.sha256"],
            name=op.f("fk_job_runs_file_sha256_source_files"),
        ),
        sa.ForeignKeyConstraint(
            ["model_id"],
            ["models.id"],
            name=op.f("fk_job_runs_model_id_models"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("job_id", name=op.f("pk_job_runs")),
    )
    op.create_index(op.f("ix_job_runs_status_created_at"), "job_runs", ["status", "created_at"], unique=False)
    op.create_index(
        "uq_job_runs_live_import",
        "job_runs",
        ["file_sha256", "model_name"],
        unique=True,
        postgresql_where=sa.text("job_type = 'import' AND status IN ('pending', 'processing')"),
    )
    op.create_table(
        "job_progress",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("job_id", sa.BigInteger(), nullable=False),
        sa.Column("stage", sa.Text(), nullable=False),
        sa.Column("percent", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("timestamp", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("percent >= 0 AND percent <= 100", name=op.f("ck_job_progress_percent_range")),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["job_runs.job_id"],
            name=op.f("fk_job_progress_job_id_job_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_progress")),
    )
    op.create_index(op.f("ix_job_progress_job_id_id"), "job_progress", ["job_id", "id"], unique=False)
    op.execute(JOB_STATUS_VIEW)
    op.execute(NOTIFY_FUNCTION)
    op.execute(
        "CREATE TRIGGER job_progress_notify AFTER INSERT ON job_progress "
        "FOR EACH ROW EXECUTE FUNCTION capitallens_notify_job()"
    )
    op.execute(
        "CREATE TRIGGER job_runs_notify AFTER UPDATE OF status ON job_runs "
        "FOR EACH ROW EXECUTE FUNCTION capitallens_notify_job()"
    )


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS job_status")
    op.execute("DROP TRIGGER IF EXISTS job_runs_notify ON job_runs")
    op.execute("DROP TRIGGER IF EXISTS job_progress_notify ON job_progress")
    op.execute("DROP FUNCTION IF EXISTS capitallens_notify_job()")
    op.drop_index(op.f("ix_job_progress_job_id_id"), table_name="job_progress")
    op.drop_table("job_progress")
    op.drop_index(
        "uq_job_runs_live_import",
        table_name="job_runs",
        postgresql_where=sa.text("job_type = 'import' AND status IN ('pending', 'processing')"),
    )
    op.drop_index(op.f("ix_job_runs_status_created_at"), table_name="job_runs")
    op.drop_table("job_runs")
