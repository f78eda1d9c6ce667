"""Hostile and broken files through the queue: a failed job with an error a user can act on,
no model or cells, the worker alive for the next job. Odd but valid files import."""

import pytest

from importer import pipeline, workbook
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
        result = pipeline.run_import(make(), name, engine=engine)
        for key, value in expect.items():
            assert getattr(result, key) == value, (name, result)


def test_external_link_has_no_value_and_a_reason(conn, engine):
    result = pipeline.run_import(cases.external_link(), "ext", engine=engine)
    row = conn.execute(
        "SELECT calculated_type, mismatch_reason FROM cells WHERE address = 'B1' AND model_id = %s",
        (result.model_id,),
    ).fetchone()
    assert row == (None, "external_link")
    assert result.matched == 1


@pytest.mark.slow
def test_a_million_filled_rows_in_one_column(conn, engine):
    result = pipeline.run_import(cases.million_rows(), "tall", engine=engine)
    assert result.cells == 1_048_576
    assert result.formula_cells == 0
    last = conn.execute(
        "SELECT raw_value, raw_type FROM cells WHERE model_id = %s AND row = 1048576", (result.model_id,)
    ).fetchone()
    assert last == (1_048_576.0, "number")
