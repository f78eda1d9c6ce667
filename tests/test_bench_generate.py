"""The benchmark's generated workbooks (bench/generate.py, issue 13): each opens, has the
structure its docstring describes, and caches the values the real product computes, so that
`make bench` measures imports in which every formula cell matched. Small sizes, real Node."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from bench import generate
from importer import analysis


def _formula_cells(wb: openpyxl.Workbook) -> int:
    return sum(
        1
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("=")
    )


def _all_match(data: bytes, formulas: int) -> analysis.Analysis:
    a = analysis.analyse(data)
    assert a.summary.mismatched == 0, a.summary.reasons
    assert a.summary.matched == formulas
    return a


def test_the_operating_model_has_five_sheets_of_the_described_rows_and_matches():
    data = generate.operating_model(1_000)
    rows = generate.operating_rows(1_000)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == list(generate.OPERATING_SHEETS)
    cells = sum(1 for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None)
    assert abs(cells - 1_000) < 60, cells
    last = rows + 1
    sales = wb["Sales"]
    assert sales["A15"].value == 14  # the constant: the period
    assert sales["B2"].value == "=$H$2" and sales["B15"].value == "=B14*(1+$H$1)"
    assert sales["C15"].value == "='Cash'!B15" and wb["Costs"]["C15"].value == "='Sales'!B15"
    assert sales["D15"].value == "=SUM(B4:B15)" and sales["D3"].value == "=SUM(B2:B3)"
    assert sales["E15"].value == "=IF(B15>C15,D15-C15,C15-B15)"
    assert sales["F11"].value == f"=INDEX($D$2:$D${last},MATCH(A11-5,$A$2:$A${last},0))"
    assert sales["F12"].value is None  # one lookup every 10th period
    lookups = sum(1 for ws in wb.worksheets for (c,) in ws.iter_rows(min_col=6, max_col=6) if c.value)
    assert lookups == 5 * (1 + rows // 10)  # the header and every 10th row, five sheets

    cached = openpyxl.load_workbook(io.BytesIO(data), data_only=True)["Sales"]
    assert cached["B3"].value == pytest.approx(100 * 1.0001)
    assert cached["F11"].value == pytest.approx(sum(cached[f"B{r}"].value for r in range(2, 7)))
    _all_match(data, _formula_cells(wb))


def test_the_circular_debt_schedule_iterates_to_its_closed_form_and_matches():
    cells = 300
    data = generate.debt_schedule(cells)
    periods = generate.debt_periods(cells)
    book = zipfile.ZipFile(io.BytesIO(data)).read("xl/workbook.xml")
    assert b'iterate="1" iterateCount="100" iterateDelta="0.001"' in book
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["Debt"]
    assert ws.max_row == periods + 1
    assert ws["D5"].value == "=$H$1*(B5+E5)/2" and ws["E5"].value == "=B5-C5+D5"
    assert ws["B2"].value == "=$H$2" and ws["B5"].value == "=E4"

    # Period 1: i = r * (B + B - C + i) / 2, so i = r * (2B - C) / (2 - r).
    v = openpyxl.load_workbook(io.BytesIO(data), data_only=True)["Debt"]
    rate, opening, paid = generate.DEBT_RATE, generate.DEBT_OPENING, generate.DEBT_OPENING / periods
    assert v["D2"].value == pytest.approx(rate * (2 * opening - paid) / (2 - rate), rel=1e-13)
    assert v["B3"].value == pytest.approx(opening - paid + v["D2"].value, rel=1e-13)
    a = _all_match(data, _formula_cells(wb))
    assert a.workbook.calc["iterate"] is True


def test_the_acyclic_debt_schedule_charges_interest_on_opening_debt_and_matches():
    data = generate.debt_schedule(300, circular=False)
    assert b"iterate=" not in zipfile.ZipFile(io.BytesIO(data)).read("xl/workbook.xml")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb["Debt"]["D5"].value == "=$H$1*B5"
    v = openpyxl.load_workbook(io.BytesIO(data), data_only=True)["Debt"]
    assert v["D2"].value == pytest.approx(generate.DEBT_RATE * generate.DEBT_OPENING)
    a = _all_match(data, _formula_cells(wb))
    assert a.workbook.calc["iterate"] is False
