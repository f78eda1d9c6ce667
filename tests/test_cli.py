import ast
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from cli import exitcodes, main
from db import migrate
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
            "cli",
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
    assert missing.exit_code == exitcodes.NOT_FOUND and "There is no model 999" in missing.stderr


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


ROOT = Path(__file__).resolve().parent.parent


def _commands(group: click.Group = main, path: tuple[str, ...] = ()):
    """Every command of the CLI, as the words that name it."""
    for name, command in sorted(group.commands.items()):
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))


def _help(*words: str) -> str:
    result = _run(*words, "--help")
    assert result.exit_code == 0, result.output
    return result.stdout


# --- import FILE ---------------------------------------------------------------------------


def test_import_takes_the_file_as_an_argument_and_names_the_model_after_it(database, tmp_path):
    path = tmp_path / "Budget 2025.xlsx"
    path.write_bytes(workbooks.basic())
    result = _run("import", str(path), "--direct", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["name"] == "Budget 2025"
    named = _run("import", str(path), "--name", "Named", "--direct", "--json")
    assert json.loads(named.stdout)["name"] == "Named"
    same = _run("import", str(path), "--file", str(path), "--direct", "--json")  # the same file twice
    assert same.exit_code == 0 and json.loads(same.stdout)["name"] == "Budget 2025"
    other = tmp_path / "other.xlsx"
    other.write_bytes(workbooks.basic())
    both = _run("import", str(path), "--file", str(other), "--direct")
    assert both.exit_code == exitcodes.USAGE and "name different files" in both.stderr
    neither = _run("import", "--direct")
    assert neither.exit_code == exitcodes.USAGE and "Missing the workbook" in neither.stderr


def test_a_missing_source_file_is_one_line_and_not_found(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "cli", "import", str(tmp_path / "nowhere.xlsx"), "--direct"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == exitcodes.NOT_FOUND, proc.stderr
    assert proc.stderr.strip() == f"Error: There is no file {tmp_path / 'nowhere.xlsx'}."


def test_direct_import_into_a_database_without_tables_stops_before_parsing(
    empty_database, tmp_path, monkeypatch
):
    from importer import service

    def parse(*args, **kwargs):
        raise AssertionError("the workbook was parsed before the database was checked")

    monkeypatch.setattr(service, "import_file", parse)
    path = tmp_path / "w.xlsx"
    path.write_bytes(workbooks.basic())
    result = _run("import", str(path), "--direct")
    assert result.exit_code == exitcodes.FAILED
    assert result.stderr.splitlines()[-1] == (
        "Error: The database has no CapitalLens tables yet: run `capitallens db upgrade`."
    )


# --- -h, --json -------------------------------------------------------------------------------


def test_dash_h_works_on_every_command():
    assert "Usage: main [OPTIONS] COMMAND" in _run("-h").stdout
    for words, _ in _commands():
        result = _run(*words, "-h")
        assert result.exit_code == 0, (words, result.output)
        assert result.stdout.startswith("Usage: "), words


def test_every_command_that_prints_data_has_json():
    quiet = {("db",), ("db", "reset"), ("apikey",), ("web",), ("worker",)}  # no data to print
    for words, _ in _commands():
        if words in quiet:
            continue
        assert "--json" in _help(*words), words


def test_json_output_of_db_apikey_cancel_and_validate(database, tmp_path):
    assert json.loads(_run("db", "upgrade", "--json").stdout)["at_head"] is True
    current = json.loads(_run("db", "current", "--json").stdout)
    assert current == {
        "revision": migrate.head_revision(),
        "head_revision": migrate.head_revision(),
        "at_head": True,
    }
    created = json.loads(_run("apikey", "create", "ci", "--json").stdout)
    assert created["key"].startswith("cl_") and created["name"] == "ci" and "key_hash" not in created
    listed = json.loads(_run("apikey", "list", "--json").stdout)
    assert [k["id"] for k in listed] == [created["id"]] and listed[0]["revoked_at"] is None
    revoked = json.loads(_run("apikey", "revoke", str(created["id"]), "--json").stdout)
    assert revoked == {"id": created["id"], "revoked": True}
    assert _run("apikey", "revoke", str(created["id"])).exit_code == exitcodes.NOT_FOUND

    path = tmp_path / "w.xlsx"
    path.write_bytes(workbooks.basic())
    model_id = json.loads(_run("import", str(path), "--direct", "--json").stdout)["model_id"]
    queued = _run("validate", str(model_id), "--no-wait", "--json")
    job_id = json.loads(queued.stdout)["job_id"]
    assert isinstance(job_id, int)
    cancelled = json.loads(_run("cancel", str(job_id), "--json").stdout)
    assert cancelled == {"job_id": job_id, "status": "cancelled", "message": f"Job {job_id} cancelled."}


def test_fidelity_json_is_the_summary_figures(database, tmp_path):
    (tmp_path / "a.xlsx").write_bytes(workbooks.basic())
    (tmp_path / "b.xlsx").write_bytes(workbooks.wrong_cache())
    result = _run("fidelity", str(tmp_path), "--json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["workbooks"]["a.xlsx"]["matched"] == 10
    assert figures["workbooks"]["b.xlsx"]["mismatch_reasons"] == {
        "value_differs": 1,
        "tolerance": 1,
        "type_differs": 1,
    }
    assert figures["total"]["workbooks"] == 2
    assert figures["total"]["matched"] == 11 == figures["financial"]["matched"]


def test_fidelity_by_cause_lists_the_mismatch_classes(database, tmp_path):
    (tmp_path / "b.xlsx").write_bytes(workbooks.wrong_cache())
    (tmp_path / "u.xlsx").write_bytes(workbooks.with_unknown_function())
    table = _run("fidelity", "--by-cause", str(tmp_path))
    assert table.exit_code == 0, table.output
    lines = table.stdout.splitlines()
    assert lines[0].startswith("| cells | workbooks | reason |")
    # biggest first: FROBNICATE's two cells (B1 and C1, which reads it), then one cell each
    assert lines[2].startswith("| 2 | 1 | `unsupported_function:FROBNICATE` |")
    assert sum(1 for line in lines if "`=R*N`" in line) == 2  # value_differs and tolerance
    # with no PATH: the models already stored, as JSON, cut at --limit
    stored = json.loads(_run("fidelity", "--by-cause", "--limit", "2", "--json").stdout)
    assert [c["cells"] for c in stored] == [2, 1]
    assert stored[0]["reason"] == "unsupported_function:FROBNICATE"
    assert set(stored[1]) == {"reason", "functions", "shape", "cells", "workbooks", "example"}


def test_fidelity_needs_paths_unless_by_cause(database):
    assert _run("fidelity").exit_code == 2
    assert _run("fidelity", "--by-cause", "--write", "x.md").exit_code == 2


# --- exit codes ----------------------------------------------------------------------------


def test_exit_codes_are_distinct_and_documented():
    codes = [exitcodes.OK, exitcodes.FAILED, exitcodes.USAGE, exitcodes.DATABASE]
    codes += [exitcodes.NOT_FOUND, exitcodes.CANCELLED]
    assert len(set(codes)) == len(codes) and (exitcodes.OK, exitcodes.FAILED, exitcodes.USAGE) == (0, 1, 2)
    top = _help()
    for code in codes:
        assert re.search(rf"^\s+{code}\s+\S", top, re.MULTILINE), code
        assert re.search(rf"^{code}\s+[A-Z_]+\s", exitcodes.__doc__, re.MULTILINE), code


def test_an_unreachable_database_exits_with_its_own_status():
    proc = subprocess.run(
        [sys.executable, "-m", "cli", "models"],
        env={
            **os.environ,
            "DATABASE_URL": "postgresql://127.0.0.1:9/nowhere?connect_timeout=2",
        },
        capture_output=True,
        text=True,
    )
    assert proc.returncode == exitcodes.DATABASE, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stderr.splitlines()[-1].startswith("Error: Cannot reach the database: connection")


def test_a_followed_job_that_is_cancelled_exits_with_cancelled(database, tmp_path):
    path = tmp_path / "w.xlsx"
    path.write_bytes(workbooks.basic())
    job_id = int(_run("import", str(path), "--no-wait").stdout)
    assert _run("cancel", str(job_id)).exit_code == 0
    followed = _run("job", str(job_id), "--follow")
    assert followed.exit_code == exitcodes.CANCELLED
    assert followed.stderr.splitlines()[-1].startswith(f"Error: Job {job_id} cancelled")


@pytest.mark.parametrize(
    ("error", "code", "line"),
    [
        (LookupError("There is no job 7."), exitcodes.NOT_FOUND, "Error: There is no job 7."),
        (TimeoutError("Job 7 did not finish within 5 s."), exitcodes.FAILED, "Error: Job 7 did not finish"),
    ],
)
def test_follow_errors_are_one_line(database, tmp_path, monkeypatch, error, code, line):
    from worker import follow

    def fails(*args, **kwargs):
        raise error

    monkeypatch.setattr(follow, "follow", fails)
    path = tmp_path / "w.xlsx"
    path.write_bytes(workbooks.basic())
    job_id = int(_run("import", str(path), "--no-wait").stdout)
    result = _run("job", str(job_id), "--follow")  # catch_exceptions=False: a traceback would raise
    assert result.exit_code == code
    assert result.stderr.splitlines()[-1].startswith(line)


# --- settings in --help ----------------------------------------------------------------------

SETTING = re.compile(r"CAPITALLENS_[A-Z0-9_]+|DATABASE_URL|AUTH_REQUIRED|PG[A-Z]+")


def _settings_read_in(*folders: str) -> set[str]:
    """Every environment variable named by a string constant in these packages' modules."""
    names = set()
    for folder in folders:
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    if SETTING.fullmatch(node.value):
                        names.add(node.value)
    return names


def test_every_command_names_the_settings_it_reads_in_its_help():
    database = _settings_read_in("db")
    pipeline = _settings_read_in("importer", "hyperformula")
    reads = {
        "import": database | pipeline | {"CAPITALLENS_API_URL", "CAPITALLENS_API_KEY"},
        "fidelity": database | pipeline,
        "worker": database | pipeline | _settings_read_in("worker") | {"CAPITALLENS_LOG_LEVEL"},
        "web": database | _settings_read_in("web") | {"CAPITALLENS_MAX_FILE_BYTES", "PORT"},
    }
    assert {"CAPITALLENS_MAX_CELLS", "CAPITALLENS_ENGINE_TIMEOUT"} <= pipeline and "PGDATABASE" in database
    for words, command in _commands():
        text = _help(*words)
        for name in sorted(reads.get(words[0], database)):
            assert name in text, (words, name)
        for param in command.params:  # options read from the environment say so
            for name in [param.envvar] if isinstance(param.envvar, str) else param.envvar or []:
                assert name in text, (words, name)


# --- the progress bar ------------------------------------------------------------------------


class _Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


@pytest.mark.parametrize("columns", [40, 80, 200])
def test_progress_bar_fits_the_terminal_with_elapsed_time_and_eta(columns):
    from cli.progress import ProgressBar

    clock, out = _Clock(), io.StringIO()
    bar = ProgressBar(out, tty=True, columns=lambda: columns, now=clock)
    clock.now += 30
    bar("evaluation", 25.0, "evaluating 1,234,567 formula cells on sheet 'A rather long sheet name' " * 3)
    clock.now += 30
    bar("storing", 50.0, "short")
    bar.close()
    drawn = out.getvalue().split("\r")[1:]
    assert len(drawn) == 2 and drawn[-1].endswith("\n")
    for text in drawn:
        assert len(text.rstrip("\n")) <= columns - 1  # never wraps, so \r redraws in place
    assert "0:30 ETA 1:30" in drawn[0] and "25.0%" in drawn[0]
    assert "1:00 ETA 1:00" in drawn[1]
    assert "\n" not in out.getvalue()[:-1]  # one line, redrawn


def test_progress_bar_follows_a_narrowing_terminal_and_plain_lines_off_a_terminal():
    from cli.progress import ProgressBar

    width = [120]
    out = io.StringIO()
    bar = ProgressBar(out, tty=True, columns=lambda: width[0])
    bar("parsing", 10.0, "x" * 200)
    width[0] = 60
    bar("parsing", 20.0, "y" * 200)
    assert all(len(t) <= 59 for t in out.getvalue().split("\r")[2:])
    plain = io.StringIO()
    lines = ProgressBar(plain, tty=False)
    lines("parsing", 20.0, "reading")
    lines("parsing", 20.0, "reading")  # repeated: printed once
    lines("evaluation", 41.5, "evaluating")
    assert plain.getvalue().splitlines() == ["[ 20.0%] parsing: reading", "[ 41.5%] evaluation: evaluating"]


# --- the catalog of reads --------------------------------------------------------------------


def test_the_reads_catalog_serves_models_cells_names_jobs_and_progress(database, tmp_path):
    from db import engine as db_engine
    from db import reads

    path = tmp_path / "basic.xlsx"
    path.write_bytes(workbooks.basic())
    model_id = json.loads(_run("import", str(path), "--direct", "--json").stdout)["model_id"]
    job_id = int(_run("import", str(path), "--name", "Queued", "--no-wait").stdout)
    with db_engine.connect() as conn:
        assert [m["id"] for m in reads.models(conn, limit=5)] == [model_id]
        assert reads.models(conn, limit=5, before_id=model_id) == []
        assert reads.model(conn, model_id)["file_name"] == "basic.xlsx" and reads.model(conn, 0) is None
        assert [n["name"] for n in reads.names(conn, model_id)] == ["Rate"]
        formulas = reads.cells(conn, model_id, reads.CellFilter(formulas_only=True), limit=100)
        assert formulas and all(c["formula"] for c in formulas)
        first, *rest = reads.cells(conn, model_id, limit=3)
        after = reads.cells(
            conn, model_id, limit=2, after=reads.CellPosition(first["sheet"], first["row"], first["col"])
        )
        assert after == rest
        assert [j["job_id"] for j in reads.jobs(conn, reads.JobFilter(status="pending"), limit=5)] == [job_id]
        assert reads.jobs(conn, reads.JobFilter(status="failed"), limit=5) == []
        assert reads.job(conn, job_id)["model_name"] == "Queued"
        assert reads.progress(conn, job_id) == []
