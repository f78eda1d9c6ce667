"""The web app's tables: API keys (only a hash of each key is stored) and the uploads
of the last minute per key (the rate limit), kept here so every web process shares them.

Revision ID: 0004_web
Revises: 0003_procrastinate
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_web"
down_revision = "0003_procrastinate"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("key_hash", sa.Text(), nullable=False),
        sa.Column("prefix", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("key_hash ~ '^[0-9a-f]{64}$'", name=op.f("ck_api_keys_key_hash_hex")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_api_keys_key_hash")),
    )
    op.create_table(
        "upload_hits",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("bucket", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_upload_hits")),
    )
    op.create_index(op.f("ix_upload_hits_bucket_at"), "upload_hits", ["bucket", "at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_upload_hits_bucket_at"), table_name="upload_hits")
    op.drop_table("upload_hits")
    op.drop_table("api_keys")
