"""Fidelity features end to end: data tables, implicit intersection, the fidelity report."""

import json

import psycopg
from psycopg.rows import dict_row

from importer import fidelity, service
from tests import fidelity_workbooks, workbooks


def _cells(database, model_id):
    with psycopg.connect(database) as conn, conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute("SELECT * FROM cells WHERE model_id = %s", (model_id,)).fetchall()
    return {r["address"]: r for r in rows}


def test_two_input_data_table_is_computed_by_substitution(database, engine):
    result = service.import_file(fidelity_workbooks.data_table_2d(), "dt2", engine=engine)
    cells = _cells(database, result.model_id)
    assert cells["E6"]["formula"] == "{=TABLE(B1,B2)}"
    got = {a: cells[a]["calculated_value"] for a in ("E6", "F6", "E7", "F7", "G6", "B3")}
    assert got == {"E6": 10, "F6": 20, "E7": 20, "F7": 40, "G6": 90, "B3": 5}  # inputs restored
    assert result.matched == result.comparable


def test_one_input_data_table(database, engine):
    result = service.import_file(fidelity_workbooks.data_table_1d(), "dt1", engine=engine)
    cells = _cells(database, result.model_id)
    assert (cells["E2"]["calculated_value"], cells["E3"]["calculated_value"]) == (10, 30)
    assert result.matched == result.comparable


def test_plain_cells_intersect_and_array_formulas_do_not(database, engine):
    result = service.import_file(fidelity_workbooks.implicit_intersection(), "ii", engine=engine)
    cells = _cells(database, result.model_id)
    assert cells["C2"]["calculated_value"] == 20
    assert cells["C5"]["calculated_text"] == "#VALUE!"
    assert cells["D1"]["calculated_value"] == 140
    assert cells["D2"]["calculated_value"] == 50
    assert cells["E1"]["calculated_value"] == 10
    assert (cells["F1"]["calculated_value"], cells["F2"]["calculated_value"]) == (7, 8)
    assert cells["G1"]["calculated_value"] == 60
    assert result.matched == result.comparable


def test_fidelity_report_and_golden_file(database, tmp_path, capsys):
    folder = tmp_path / "excel"
    folder.mkdir()
    (folder / "someone__models__basic.xlsx").write_bytes(workbooks.basic())
    (folder / "ironcalc__IronCalc__wrong.xlsx").write_bytes(workbooks.wrong_cache())
    report = fidelity.run([folder], tmp_path / "FIDELITY.md")
    assert "| financial models | 1 |" in report
    assert "| engine-test workbooks | 1 |" in report
    # No FIDELITY_OTHERS.json beside this report: the other engines are not measured, and no
    # figure is typed in for them (tests/test_fidelity_report.py covers the measured table).
    assert "not measured" in report and "73.7%" not in report
    assert "`value_differs`" in report
    golden = json.loads((tmp_path / "FIDELITY.json").read_text())
    assert golden["someone__models__basic.xlsx"]["share"] == 1.0
    assert golden["ironcalc__IronCalc__wrong.xlsx"]["share"] < 1.0


def test_iterative_calculation_reaches_the_hand_computed_fixed_point(database, engine):
    result = service.import_file(fidelity_workbooks.circular_model(), "circ", engine=engine)
    cells = _cells(database, result.model_id)
    assert abs(cells["B4"]["calculated_value"] - fidelity_workbooks.INTEREST) < 1e-9
    assert abs(cells["B5"]["calculated_value"] - fidelity_workbooks.CLOSING) < 1e-9
    assert abs(cells["B6"]["calculated_value"] - 2 * fidelity_workbooks.CLOSING) < 1e-9
    assert all(cells[a]["has_mismatch"] is False for a in ("B4", "B5", "B6"))
    # A cycle that does not settle, and what reads it: no value.
    for address in ("C1", "C2"):
        assert cells[address]["calculated_value"] is None
        assert cells[address]["mismatch_reason"] == "circular_not_converged"
    # References computed while evaluating.
    got = {a: cells[a]["calculated_value"] for a in ("D1", "D2", "D3")}
    assert got == {"D1": 1200, "D2": 200, "D3": 1200}


def test_circular_references_without_iteration_are_solved_and_noted(database, engine):
    """Iteration off (issue 11, cause 9): the same fixed point, noted `iteration_off`; the cycle
    that never settles is still reported as not converged."""
    result = service.import_file(fidelity_workbooks.circular_model(iterate=False), "circ0", engine=engine)
    cells = _cells(database, result.model_id)
    assert abs(cells["B4"]["calculated_value"] - fidelity_workbooks.INTEREST) < 1e-9
    assert abs(cells["B5"]["calculated_value"] - fidelity_workbooks.CLOSING) < 1e-9
    for address in ("B4", "B5", "B6"):
        assert (cells[address]["has_mismatch"], cells[address]["mismatch_reason"]) == (False, "iteration_off")
    for address in ("C1", "C2"):
        assert cells[address]["calculated_value"] is None
        assert cells[address]["mismatch_reason"] == "circular_not_converged"
    assert cells["D1"]["calculated_value"] == 1200


def test_array_formula_ranges_are_filled_as_excel_does(database, engine):
    result = service.import_file(fidelity_workbooks.array_ranges(), "arrays", engine=engine)
    cells = _cells(database, result.model_id)

    def shown(address):
        c = cells[address]
        return c["calculated_text"] if c["calculated_type"] == "error" else c["calculated_value"]

    assert [shown(a) for a in ("D1", "D2", "D3")] == [50, 50, 50]
    assert [shown(a) for a in ("E1", "F1", "E2", "F2", "E3", "F3")] == [2, 2, 4, 4, "#N/A", "#N/A"]
    assert [shown(a) for a in ("G1", "H1", "G2", "H2")] == [1, 10, 1, 10]


def test_a_lookup_that_finds_an_empty_cell_passes_it_on_as_empty(database, engine):
    # Excel: VLOOKUP/HLOOKUP give the found cell's value; an empty one stays empty for the
    # formula around it (ISBLANK is TRUE, ="" is TRUE, &"x" is "x"), and a cell showing the
    # lookup alone shows 0. The common IF(ISBLANK(VLOOKUP(...)),...) idiom relies on it.
    def fill(wb):
        ws = wb.add_worksheet("S")
        ws.write_string("A1", "k")
        ws.write_string("A2", "m")
        ws.write_number("B2", 5)
        f = 'VLOOKUP("k",A1:B2,2,FALSE)'
        ws.write_formula("C1", "=" + f, None, 0)
        ws.write_formula("C2", f"=ISBLANK({f})", None, True)
        ws.write_formula("C3", f'={f}&"x"', None, "x")
        ws.write_formula("C4", f"={f}=0", None, True)
        ws.write_formula("C5", f'={f}=""', None, True)
        ws.write_formula("C6", f"={f}+1", None, 1)
        ws.write_formula("C7", '=ISBLANK(HLOOKUP("k",A1:B3,3,FALSE))', None, True)  # A3 is empty
        ws.write_formula("C8", '=ISBLANK(VLOOKUP("m",A1:B2,2,FALSE))', None, False)

    result = service.import_file(workbooks.build(fill), "empty lookups", engine=engine)
    assert (result.comparable, result.matched) == (8, 8), result.mismatch_reasons
