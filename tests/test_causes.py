"""The triage view: mismatches grouped by reason, functions and formula shape, biggest first."""

from __future__ import annotations

import pytest

from importer import causes, fidelity
from tests import workbooks


@pytest.mark.parametrize(
    ("formula", "shape", "functions"),
    [
        ("=DEC2BIN(A2,4)", "=DEC2BIN(R,N)", ("DEC2BIN",)),
        # The sheet, quoting and absolute markers do not make another class.
        ("=DEC2BIN('My ''Q1'' Sheet'!$B$7, 10)", "=DEC2BIN(R,N)", ("DEC2BIN",)),
        ('=SUM(A1:B2)*1.5E3&"x(y"', "=SUM(R)*N&S", ("SUM",)),
        ("=_xlfn._xlws.SORT(A:C)", "=SORT(R)", ("SORT",)),
        ("=_xlfn.FORECAST.ETS(A2,B2:B9,C2:C9,.5)", "=FORECAST.ETS(R,R,R,N)", ("FORECAST.ETS",)),
        # LOG10 is also a cell address: followed by "(" it is a call.
        ("=LOG10(A1)+LOG10", "=LOG10(R)+R", ("LOG10",)),
        ("='[1]Data Sheet'!B41", "=R", ()),
        ('=IF(A1>0,"a""b",IF(B1,1,0))', "=IF(R>N,S,IF(R,N,N))", ("IF",)),
        ("=Sheet2!3:4", "=R", ()),
        ("=SUM(A1:C3 B2:B9)", "=SUM(R R)", ("SUM",)),  # the intersection operator stays
        ("=TRUE+1%", "=TRUE+N%", ()),
        # an array formula as the cells table stores it
        ("{=_xlfn.XIRR($C$55:$G$55,C54:G54,D55)}", "{=XIRR(R,R,R)}", ("XIRR",)),
        ("=IRR({-1,2;#N/A,#REF!})", "=IRR({-N,N;#N/A,#REF!})", ("IRR",)),
    ],
)
def test_shape_and_functions(formula, shape, functions):
    assert causes.shape(formula) == shape
    assert causes.functions(formula) == functions


def test_a_long_formula_keeps_a_bounded_shape():
    formula = "=" + "+".join(f"A{i}" for i in range(1, 200))
    assert len(causes.shape(formula)) <= causes.MAX_SHAPE


def _row(workbook, address, formula, reason, excel=1.0, ours=2.0):
    return {
        "workbook": workbook,
        "sheet": "S",
        "address": address,
        "formula": formula,
        "reason": reason,
        "raw_type": "number",
        "raw_value": excel,
        "raw_text": None,
        "calculated_type": "number",
        "calculated_value": ours,
        "calculated_text": None,
    }


def test_group_counts_cells_and_workbooks_biggest_first():
    rows = [
        _row("a.xlsx", "A1", "=TAN(B1)", "value_differs"),
        _row("b.xlsx", "C9", "=TAN(Other!B1)", "value_differs"),
        _row("b.xlsx", "C10", "=TAN(D2)", "type_differs"),
        _row("a.xlsx", "A2", "=FORECAST.ETS(A1,B1:B9,C1:C9)", "unsupported_function:FORECAST.ETS"),
        _row("a.xlsx", "A3", "=1+FORECAST.ETS(A1,B1:B9,C1:C9,2)", "unsupported_function:FORECAST.ETS"),
        _row("a.xlsx", "A4", "=FORECAST.ETS(A1,B1:B9,C1:C9)", "unsupported_function:FORECAST.ETS"),
    ]
    got = causes.group(rows)
    # A reason that names its function is one class whatever the shape: 3 cells, then TAN's 2.
    assert [(c.reason, c.cells, len(c.workbooks)) for c in got] == [
        ("unsupported_function:FORECAST.ETS", 3, 1),
        ("value_differs", 2, 2),
        ("type_differs", 1, 1),
    ]
    tan = got[1]
    assert (tan.functions, tan.shape) == (("TAN",), "=TAN(R)")
    assert (tan.example.workbook, tan.example.cell, tan.example.excel, tan.example.ours) == (
        "a.xlsx",
        "S!A1",
        "1.0",
        "2.0",
    )
    table = causes.render(got, limit=2)
    assert table[2].startswith("| 3 | 1 | `unsupported_function:FORECAST.ETS` |")
    assert table[-1] == "| 1 | - | 1 more classes | | | |"


def test_the_fidelity_run_lists_the_classes_of_its_mismatches(database, tmp_path):
    folder = tmp_path / "excel"
    folder.mkdir()
    (folder / "ironcalc__IronCalc__wrong.xlsx").write_bytes(workbooks.wrong_cache())
    (folder / "someone__models__unknown.xlsx").write_bytes(workbooks.with_unknown_function())
    report = fidelity.run([folder], tmp_path / "FIDELITY.md")
    assert "## Mismatch classes, biggest first" in report
    classes = fidelity.mismatch_classes(None)
    by_key = {(c.reason, c.shape): c for c in classes}
    # wrong_cache: B1 (7 for 6) differs, C1 is within 1e-9, D1 within the tolerance band, E1 "2"
    # against the number 2 (tests/workbooks.py says which).
    assert by_key[("value_differs", "=R*N")].cells == 1
    assert by_key[("tolerance", "=R*N")].cells == 1
    assert by_key[("type_differs", "=R&S")].cells == 1
    unknown = [c for c in classes if c.reason.startswith("unsupported_function:FROBNICATE")]
    assert [c.cells for c in unknown] == [2]  # B1 and C1, which reads it
    # With no file given, the newest model of each name: shown under the model's name.
    assert {c.example.workbook for c in classes} == {
        "fidelity: ironcalc__IronCalc__wrong",
        "fidelity: someone__models__unknown",
    }
