"""job_runs.worker_deaths: how many times a job's worker died under it.

The rescue counts them so that a job which kills every worker that takes it (a poison pill) is
failed after a few deaths instead of being retried forever. Nothing else records a death: the
worker that died could not, and the retry starts the job afresh.

Revision ID: 0005_worker_deaths
Revises: 0004_web
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_worker_deaths"
down_revision = "0004_web"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "job_runs",
        sa.Column("worker_deaths", sa.Integer(), server_default=sa.text("0"), nullable=False),
    )


def downgrade() -> None:
    op.drop_column("job_runs", "worker_deaths")
