import subprocess
import sys

import psycopg
import pytest

from db import migrate, queries


def test_upgrade_from_empty_is_idempotent_and_matches_the_models(empty_database):
    migrate.upgrade()
    migrate.upgrade()  # a second run changes nothing
    assert migrate.current_revision() == migrate.head_revision()
    check = subprocess.run(
        [sys.executable, "-m", "alembic", "-c", "db/alembic.ini", "check"],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stderr + check.stdout
    assert "No new upgrade operations detected" in check.stdout + check.stderr


def test_downgrade_removes_everything(empty_database):
    migrate.upgrade()
    migrate.downgrade()
    with psycopg.connect(empty_database) as conn:
        left = conn.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relname NOT LIKE 'alembic_version%'"
        ).fetchone()[0]
        types = conn.execute("SELECT count(*) FROM pg_type WHERE typname LIKE 'procrastinate%'").fetchone()[0]
    assert (left, types) == (0, 0)


def test_status_rules_live_in_the_database(conn):
    with pytest.raises(psycopg.errors.CheckViolation):
        conn.execute("INSERT INTO job_runs (job_type, status) VALUES ('import', 'done')")
    with pytest.raises(psycopg.errors.CheckViolation):
        conn.execute("INSERT INTO job_runs (job_type, status) VALUES ('import', 'success')")
    with pytest.raises(psycopg.errors.CheckViolation):
        conn.execute(
            "INSERT INTO job_runs (job_type, status, completed_at) VALUES ('import', 'pending', now())"
        )
    conn.execute(
        "INSERT INTO job_runs (job_type, status, completed_at) VALUES ('validation', 'failed', now())"
    )


def test_one_live_import_per_file_and_name(conn):
    sha = "a" * 64
    conn.execute(
        "INSERT INTO source_files (sha256, content, size, file_name) VALUES (%s, '', 0, 'x')",
        (sha,),
    )
    insert = "INSERT INTO job_runs (job_type, file_sha256, model_name) VALUES ('import', %s, %s)"
    conn.execute(insert, (sha, "m"))
    conn.execute(insert, (sha, "other name"))
    with pytest.raises(psycopg.errors.UniqueViolation):
        conn.execute(insert, (sha, "m"))


def test_queries_loader():
    assert "copy_cells" in queries.QUERIES
    assert queries.copy_cells.startswith("COPY cells")
    assert not queries.copy_cells.rstrip().endswith(";")
    parsed = queries.parse("-- name: a --\n-- a comment\nSELECT 1;\n\n-- name: b --\nSELECT 2;\n")
    assert parsed == {"a": "SELECT 1", "b": "SELECT 2"}
    with pytest.raises(ValueError, match="twice"):
        queries.parse("-- name: a --\nSELECT 1;\n-- name: a --\nSELECT 2;\n")
    with pytest.raises(AttributeError):
        queries.no_such_query  # noqa: B018


def test_job_status_view_shows_latest_progress(conn):
    job = conn.execute("INSERT INTO job_runs (job_type) VALUES ('import') RETURNING job_id").fetchone()[0]
    for stage, pct in (("hashing", 5), ("parsing", 12.5)):
        conn.execute(
            "INSERT INTO job_progress (job_id, stage, percent, message) VALUES (%s, %s, %s, 'm')",
            (job, stage, pct),
        )
    assert conn.execute("SELECT stage, percent FROM job_status WHERE job_id = %s", (job,)).fetchone() == (
        "parsing",
        12.5,
    )
