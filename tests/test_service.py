"""Analysis apart from storage: the analysis runs with no database at all, storage writes what
it is given, and a queued import never sends its file back to PostgreSQL."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from psycopg.rows import dict_row

from db import queries
from importer import analysis, service
from tests import workbooks
from worker import enqueue

ROOT = Path(__file__).resolve().parents[1]

ANALYSE_WITHOUT_A_DATABASE = textwrap.dedent("""
    import json, sys
    from importer import analysis
    from tests import workbooks

    done = analysis.analyse(workbooks.wrong_cache())
    rows = {f"{r[0]}!{r[1]}": [r[5], r[8], r[11], r[12]] for r in done.rows()}
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("db", "psycopg", "psycopg_pool"))
    print(json.dumps({"rows": rows, "matched": done.summary.matched,
                      "mismatched": done.summary.mismatched, "loaded": loaded}))
""")


def test_analysis_runs_with_no_database_reachable(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG") and "DATABASE_URL" not in k}
    env.update(PGHOST=str(tmp_path / "nonexistent"), CAPITALLENS_HOME=str(tmp_path / "home"))
    done = subprocess.run(
        [sys.executable, "-c", ANALYSE_WITHOUT_A_DATABASE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)
    # Excel's value, ours, has_mismatch, reason (tests/workbooks.py wrong_cache).
    assert got["rows"]["S!A1"] == [2, None, None, None]  # a constant: no value of ours, no verdict
    assert got["rows"]["S!B1"] == [7, 6, True, "value_differs"]
    assert got["rows"]["S!C1"][1:] == [6, False, None]
    assert got["rows"]["S!D1"][2:] == [True, "tolerance"]
    assert got["rows"]["S!E1"][2:] == [True, "type_differs"]
    assert (got["matched"], got["mismatched"]) == (1, 3)
    assert got["loaded"] == [], "the analysis loaded database modules"
    assert not (tmp_path / "home").exists(), "nothing started an embedded PostgreSQL"


def _imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_analysis_module_imports_no_database_module():
    imported = _imported_modules(ROOT / "importer" / "analysis.py")
    assert imported, "the check found no import at all"
    assert not {m for m in imported if m.split(".")[0] in ("db", "psycopg", "psycopg_pool")}
    assert {"db", "psycopg"} <= _imported_modules(ROOT / "importer" / "service.py")  # the check sees them


def _recount(conn, model_id) -> dict:
    """The figures as PostgreSQL counts them from the stored cells."""
    with conn.cursor(row_factory=dict_row) as cur:
        counted = cur.execute(queries.model_summary, {"model_id": model_id}).fetchone()
    reasons = dict(conn.execute(queries.mismatch_reasons, {"model_id": model_id}).fetchall())
    stored = conn.execute(
        "SELECT evaluated_count, comparable_count, matched_count, mismatched_count, mismatch_summary "
        "FROM models WHERE id = %s",
        (model_id,),
    ).fetchone()
    return {"counted": counted, "reasons": reasons, "stored": stored}


@pytest.mark.parametrize(
    ("make", "validate"),
    [
        (workbooks.basic, True),
        (workbooks.wrong_cache, True),
        (workbooks.with_unknown_function, True),
        (workbooks.with_unknown_function, False),
        (workbooks.circular, True),
        (workbooks.null_errors, True),
    ],
)
def test_the_analysis_figures_are_what_postgresql_counts_from_the_stored_cells(conn, engine, make, validate):
    result = service.import_file(make(), "figures", engine=engine, validate=validate)
    got = _recount(conn, result.model_id)
    counted = got["counted"]
    mine = (result.evaluated, result.comparable, result.matched, result.mismatched, result.volatile)
    assert mine == tuple(counted[k] for k in ("evaluated", "comparable", "matched", "mismatched", "volatile"))
    assert result.mismatch_reasons == got["reasons"]
    assert got["stored"] == (*mine[:4], got["reasons"])


def _watch_source_file_writes(conn) -> None:
    """Count every row sent to source_files, even one ON CONFLICT DO NOTHING drops: a BEFORE
    INSERT trigger runs for each proposed row before the conflict check."""
    conn.execute("CREATE TABLE source_file_writes (bytes bigint)")
    conn.execute(
        "CREATE FUNCTION count_source_file_write() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN INSERT INTO source_file_writes VALUES (octet_length(NEW.content)); RETURN NEW; END $$"
    )
    conn.execute(
        "CREATE TRIGGER count_writes BEFORE INSERT ON source_files "
        "FOR EACH ROW EXECUTE FUNCTION count_source_file_write()"
    )


def _writes(conn) -> list[int]:
    return [n for (n,) in conn.execute("SELECT bytes FROM source_file_writes")]


def test_a_queued_import_never_sends_its_file_back(conn, engine):
    _watch_source_file_writes(conn)
    data = workbooks.large(500)
    queued = enqueue.enqueue_import(data, "queued", file_name="q.xlsx")
    assert _writes(conn) == [len(data)]  # enqueue sent it, once
    sha256, before = conn.execute("SELECT sha256, xmin::text FROM source_files").fetchone()
    job = conn.execute("SELECT file_sha256, model_name FROM job_runs WHERE job_id = %s", (queued.job_id,))
    file_sha256, name = job.fetchone()
    result = service.import_stored(file_sha256, name, engine=engine)  # what the worker's task runs
    assert result.sha256 == sha256 and result.cells > 500
    assert _writes(conn) == [len(data)], "the stored file was sent to PostgreSQL again"
    assert conn.execute("SELECT xmin::text FROM source_files").fetchone()[0] == before
    # The same bytes imported directly are stored with their model, so the trigger does see that.
    service.import_file(data, "direct", engine=engine)
    assert _writes(conn) == [len(data), len(data)]


def test_a_direct_import_stores_its_file_in_the_models_transaction(conn, engine):
    result = service.import_file(workbooks.basic(), "direct", engine=engine, file_name="b.xlsx")
    stored = conn.execute("SELECT file_name FROM source_files WHERE sha256 = %s", (result.sha256,))
    assert stored.fetchone() == ("b.xlsx",)


def test_rows_are_plain_data_made_before_storage(engine):
    done = analysis.analyse(workbooks.with_unknown_function(), engine=engine)
    rows = {r[1]: r for r in done.rows()}
    assert rows["B1"][11:] == (True, "unsupported_function:FROBNICATE")
    assert rows["D1"][8] == 3 and rows["D1"][11:] == (False, None)
    assert list(done.rows()) == list(done.rows())  # a projection: the same rows each time
    unchecked = analysis.analyse(workbooks.with_unknown_function(), engine=engine, compare=False)
    assert {r[11] for r in unchecked.rows()} == {None}
    assert unchecked.summary.comparable == 0


@pytest.mark.parametrize("precount", [False, True])
def test_a_workbook_is_opened_once_and_each_sheet_read_twice(monkeypatch, precount):
    import collections
    import zipfile

    from importer import limits, workbook

    directories, parts = collections.Counter(), collections.Counter()
    real_init, real_open = zipfile.ZipFile.__init__, zipfile.ZipFile.open

    def counting_init(self, *args, **kwargs):
        directories[type(self).__name__] += 1
        return real_init(self, *args, **kwargs)

    def counting_open(self, name, *args, **kwargs):
        parts[getattr(name, "filename", name)] += 1
        return real_open(self, name, *args, **kwargs)

    data = workbooks.basic()  # 17 cells
    if precount:  # low enough that the cells are counted in the raw XML first, not so low it refuses
        monkeypatch.setattr(limits, "MAX_CELLS", 20)
    monkeypatch.setattr(zipfile.ZipFile, "__init__", counting_init)
    monkeypatch.setattr(zipfile.ZipFile, "open", counting_open)
    parsed = workbook.read(data)
    assert parsed.cell_count == 17
    assert sum(directories.values()) == 1, directories  # one read of the zip's directory
    sheets = {p: n for p, n in parts.items() if p.startswith("xl/worksheets/")}
    assert len(sheets) == 2 and set(sheets.values()) == {3 if precount else 2}, parts
    assert {n for p, n in parts.items() if p not in sheets} == {1}, parts  # every other part once
