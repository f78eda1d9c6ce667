import json
import subprocess
import sys

from click.testing import CliRunner

from db import migrate
from importer.cli import main
from tests import workbooks


def _run(*args, **kwargs):
    return CliRunner().invoke(main, list(args), catch_exceptions=False, **kwargs)


def test_direct_import_then_models_and_model(database, tmp_path):
    path = tmp_path / "basic.xlsx"
    path.write_bytes(workbooks.basic())
    result = _run("import", "--file", str(path), "--name", "Basic", "--direct")
    assert result.exit_code == 0, result.output
    assert "Using database" in result.stderr
    assert "matched 10 (100.00%)" in result.stdout
    assert "[100.0%] complete" in result.stderr  # plain progress lines off a TTY
    listing = _run("models")
    assert "Basic" in listing.stdout
    model_id = json.loads(_run("models", "--json").stdout)[0]["id"]
    shown = _run("model", str(model_id))
    assert "sheets 2: Inputs, Calc" in shown.stdout


def test_direct_import_json(database, tmp_path):
    path = tmp_path / "w.xlsx"
    path.write_bytes(workbooks.wrong_cache())
    result = _run("import", "--file", str(path), "--name", "W", "--direct", "--json")
    data = json.loads(result.stdout)
    assert data["mismatch_reasons"] == {"value_differs": 1, "tolerance": 1, "type_differs": 1}
    assert data["matched"] == 1


def test_errors_are_one_line_without_traceback(database, tmp_path):
    bad = tmp_path / "fake.xlsx"
    bad.write_text("a,b\n1,2\n")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "importer.cli",
            "import",
            "--file",
            str(bad),
            "--name",
            "x",
            "--direct",
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "Error: This file is a CSV or other text file, not an Excel workbook" in proc.stderr
    missing = _run("model", "999")
    assert missing.exit_code == 1 and "There is no model 999" in missing.stderr


def test_db_upgrade_is_idempotent(database):
    for _ in range(2):
        result = _run("db", "upgrade")
        assert result.exit_code == 0
        assert f"revision {migrate.head_revision()}" in result.stdout
    assert "(head)" in _run("db", "current").stdout


def test_unmigrated_database_says_what_to_do(empty_database):
    result = _run("models")
    assert result.exit_code == 1
    assert "run `capitallens db upgrade`" in result.stderr


def test_help_names_environment_variables():
    assert "DATABASE_URL" in _run("--help").stdout
    assert "CAPITALLENS_CONCURRENCY" in _run("worker", "--help").stdout
