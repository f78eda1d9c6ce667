"""Hostile and broken files through the queue: a failed job with an error a user can act on,
no model or cells, the worker alive for the next job. Odd but valid files import."""

import pytest

from importer import service, workbook
from importer.errors import CapitalLensError
from tests.hostile import cases


@pytest.mark.parametrize("case", sorted(cases.BROKEN))
def test_broken_file_is_refused_with_a_clear_error(case, engine):
    make, code, phrase = cases.BROKEN[case]
    with pytest.raises(CapitalLensError) as info:
        workbook.read(make())
    error = info.value.to_dict()
    assert error["type"] == code
    assert phrase in error["message"]
    assert error["stage"] == "parsing"


def test_odd_but_valid_workbooks_import(conn, engine):
    for name, make, expect in [
        ("no data", cases.no_sheets_with_data, {"cells": 0}),
        ("long formula", cases.long_formula, {"matched": 1}),
        ("deep nesting", cases.deep_nesting, {"matched": 2}),
        ("odd sheet names", cases.odd_sheet_names, {"matched": 1}),
    ]:
        result = service.import_file(make(), name, engine=engine)
        for key, value in expect.items():
            assert getattr(result, key) == value, (name, result)


def test_external_link_has_no_value_and_a_reason(conn, engine):
    result = service.import_file(cases.external_link(), "ext", engine=engine)
    row = conn.execute(
        "SELECT calculated_type, mismatch_reason FROM cells WHERE address = 'B1' AND model_id = %s",
        (result.model_id,),
    ).fetchone()
    assert row == (None, "external_link")
    assert result.matched == 1


@pytest.mark.slow
def test_a_million_filled_rows_in_one_column(conn, engine):
    result = service.import_file(cases.million_rows(), "tall", engine=engine)
    assert result.cells == 1_048_576
    assert result.formula_cells == 0
    last = conn.execute(
        "SELECT raw_value, raw_type FROM cells WHERE model_id = %s AND row = 1048576", (result.model_id,)
    ).fetchone()
    assert last == (1_048_576.0, "number")


# Each hostile file is read in a child process, which reports its error; the parent measures
# the child's wall time and peak RSS (RUSAGE_CHILDREN is the peak of the children it waited
# for, so each measurement runs in a fresh Python with nothing else in it).
READ_IN_CHILD = """
import json, sys
from importer import workbook
from importer.errors import CapitalLensError
try:
    wb = workbook.read(open(sys.argv[1], "rb").read())
    print(json.dumps({"type": None, "message": "", "cells": wb.cell_count}))
except CapitalLensError as exc:
    print(json.dumps(exc.to_dict()))
"""


def _read_in_child(data: bytes, tmp_path, **env) -> tuple[dict, float, float]:
    """(error dict, seconds, peak RSS in MB) of workbook.read in a fresh process."""
    import json
    import os
    import resource
    import subprocess
    import sys
    import time

    path = tmp_path / "hostile.xlsx"
    path.write_bytes(data)
    script = (
        "import resource, subprocess, sys, json\n"
        "out = subprocess.run([sys.executable, '-c', sys.argv[1], sys.argv[2]], capture_output=True,"
        " text=True, check=True).stdout\n"
        "print(json.dumps([out, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))\n"
    )
    started = time.monotonic()
    # A wrapper process, so that RUSAGE_CHILDREN holds the reader alone, not earlier tests' children.
    wrapped = subprocess.run(
        [sys.executable, "-c", script, READ_IN_CHILD, str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
        env={**os.environ, **{k: str(v) for k, v in env.items()}},
    )
    elapsed = time.monotonic() - started
    out, maxrss_kb = json.loads(wrapped.stdout)
    del resource
    return json.loads(out), elapsed, maxrss_kb / 1024


@pytest.mark.parametrize(
    ("case", "env", "seconds", "peak_mb"),
    [
        ("comment_padding", {}, 15, 300),
        ("zip_bomb", {}, 15, 300),
        ("many_shared_strings", {}, 45, 700),
        ("many_cells", {"CAPITALLENS_MAX_CELLS": 200_000}, 30, 500),
        ("app_xml_bomb", {}, 15, 300),
        ("core_xml_bomb", {}, 15, 300),
        ("malformed_app_xml", {}, 15, 300),
        ("cell_beyond_xfd", {}, 15, 300),
        ("cell_past_last_row", {}, 15, 300),
    ],
)
def test_hostile_file_fails_at_once_in_bounded_memory(case, env, seconds, peak_mb, tmp_path):
    make, code, phrase = {**cases.BROKEN, **cases.HOSTILE}[case]
    error, elapsed, peak = _read_in_child(make(), tmp_path, **env)
    assert error["type"] == code, error
    assert phrase in error["message"]
    assert error["stage"] == "parsing"
    assert elapsed < seconds, (case, elapsed)
    assert peak < peak_mb, (case, peak)


def test_comments_under_the_budget_are_dropped_as_they_parse(tmp_path):
    # 400 MB of comments, under CAPITALLENS_MAX_PART_BYTES: read, with memory that does not grow.
    error, elapsed, peak = _read_in_child(cases.comment_padding(400_000_000), tmp_path)
    assert error["type"] is None and error["cells"] == 1, error
    assert peak < 300, peak
    assert elapsed < 60, elapsed


def test_unused_shared_strings_are_cheap(tmp_path):
    # 900,000 strings, under CAPITALLENS_MAX_SHARED_STRINGS, two of them used.
    error, elapsed, peak = _read_in_child(cases.many_shared_strings(900_000), tmp_path)
    assert error["type"] is None and error["cells"] == 2, error
    assert peak < 700, peak
    assert elapsed < 45, elapsed


def test_worker_memory_budget_names_its_setting(tmp_path):
    # A budget below what Python itself needs: the first check fails, with the setting named.
    error, _, _ = _read_in_child(cases.many_cells(400_000), tmp_path, CAPITALLENS_WORKER_MAX_MEMORY_MB=20)
    assert error["type"] == "workbook_too_complex", error
    assert "CAPITALLENS_WORKER_MAX_MEMORY_MB" in error["message"]


def test_a_long_legal_formula_is_not_a_zip_bomb():
    wb = workbook.read(cases.long_legal_formula())
    formulas = [c for c in wb.sheets[0].cells if c.kind == workbook.FORMULA]
    assert [len(c.formula) for c in formulas] == [1 + 20_000 * 3 - 1] * 2
