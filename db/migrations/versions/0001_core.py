"""Core tables: source files, models, cells and defined names.

Revision ID: 0001_core
Revises: None
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001_core"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "source_files",
        sa.Column("sha256", sa.Text(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column(
            "uploaded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("sha256 ~ '^[0-9a-f]{64}$'", name=op.f("ck_source_files_sha256_hex")),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_source_files")),
    )
    op.create_table(
        "models",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("file_sha256", sa.Text(), nullable=False),
        sa.Column(
            "sheets",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
        sa.Column("sheet_count", sa.Integer(), nullable=False),
        sa.Column("cell_count", sa.Integer(), nullable=False),
        sa.Column("formula_count", sa.Integer(), nullable=False),
        sa.Column("evaluated_count", sa.Integer(), nullable=False),
        sa.Column("comparable_count", sa.Integer(), nullable=False),
        sa.Column("matched_count", sa.Integer(), nullable=False),
        sa.Column("mismatched_count", sa.Integer(), nullable=False),
        sa.Column("cycle_cell_count", sa.Integer(), nullable=False),
        sa.Column(
            "calc_settings",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column(
            "mismatch_summary",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column("engine_version", sa.Text(), nullable=True),
        sa.Column(
            "imported_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("validated_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["file_sha256"],
            ["source_files.sha256"],
            name=op.f("fk_models_file_sha256_source_files"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_models")),
    )
    op.create_index(op.f("ix_models_file_sha256_name"), "models", ["file_sha256", "name"], unique=False)
    op.create_table(
        "cells",
        sa.Column("model_id", sa.BigInteger(), nullable=False),
        sa.Column("sheet", sa.Text(), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("col", sa.Integer(), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("formula", sa.Text(), nullable=True),
        sa.Column("raw_value", sa.Double(), nullable=True),
        sa.Column("raw_text", sa.Text(), nullable=True),
        sa.Column("raw_type", sa.Text(), nullable=False),
        sa.Column("calculated_value", sa.Double(), nullable=True),
        sa.Column("calculated_text", sa.Text(), nullable=True),
        sa.Column("calculated_type", sa.Text(), nullable=True),
        sa.Column("has_mismatch", sa.Boolean(), nullable=True),
        sa.Column("mismatch_reason", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "calculated_type IS NULL OR calculated_type IN ('number', 'text', 'boolean', 'error', 'empty')",
            name=op.f("ck_cells_calculated_type"),
        ),
        sa.CheckConstraint(
            "raw_type IN ('number', 'text', 'boolean', 'error', 'empty')",
            name=op.f("ck_cells_raw_type"),
        ),
        sa.CheckConstraint("row >= 1 AND col >= 1", name=op.f("ck_cells_position")),
        sa.ForeignKeyConstraint(
            ["model_id"], ["models.id"], name=op.f("fk_cells_model_id_models"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("model_id", "sheet", "row", "col", name=op.f("pk_cells")),
    )
    op.create_index(
        op.f("ix_cells_model_id_mismatch_reason"),
        "cells",
        ["model_id", "mismatch_reason"],
        unique=False,
        postgresql_where=sa.text("has_mismatch"),
    )
    op.create_table(
        "defined_names",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("model_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=True),
        sa.Column("value", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["model_id"],
            ["models.id"],
            name=op.f("fk_defined_names_model_id_models"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_defined_names")),
    )
    op.create_index(op.f("ix_defined_names_model_id"), "defined_names", ["model_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_defined_names_model_id"), table_name="defined_names")
    op.drop_table("defined_names")
    op.drop_index(
        op.f("ix_cells_model_id_mismatch_reason"),
        table_name="cells",
        postgresql_where=sa.text("has_mismatch"),
    )
    op.drop_table("cells")
    op.drop_index(op.f("ix_models_file_sha256_name"), table_name="models")
    op.drop_table("models")
    op.drop_table("source_files")
