"""Circular references in workbooks saved with iteration off (issue 11, cause 9).

Excel's iteration setting belongs to the session (the first workbook opened decides it), so a
file saved with iteration off usually holds the values of an earlier iterative calculation. Its
cycles are solved as iterative ones are, and the cells say so (reason ``iteration_off``), as do
the calc settings and the import's warnings. Expected values are computed here by a fixed-point
loop of our own, never read from the program's output.
"""

from __future__ import annotations

from psycopg.rows import dict_row

from importer import service
from tests import fidelity_workbooks, workbooks

PERIODS = 8


def _schedule(periods: int) -> list[tuple[float, float]]:
    """(interest, closing) per period of fidelity_workbooks.debt_schedule_iteration_off, by
    iterating interest = 0.08 * (opening + closing) / 2 to its fixed point in Python."""
    rate, opening, repayment = 0.08, 1_000_000.0, 150_000.0
    out = []
    for _ in range(periods):
        paid = min(opening, repayment)
        interest = 0.0
        for _ in range(200):
            closing = opening - paid + interest
            new = rate * (opening + closing) / 2
            if abs(new - interest) < 1e-12 * max(1.0, abs(new)):
                interest = new
                break
            interest = new
        closing = opening - paid + interest
        out.append((interest, closing))
        opening = closing
    return out


def _cells(conn, model_id):
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute("SELECT * FROM cells WHERE model_id = %s", (model_id,)).fetchall()
    return {r["address"]: r for r in rows}


def test_a_debt_schedule_saved_with_iteration_off_is_solved_and_noted(conn, engine):
    expected = _schedule(PERIODS)
    # The closed form of the first period, as a check on the loop: i = r * (2B - C + i) / 2.
    assert abs(expected[0][0] - 0.04 * (2_000_000 - 150_000) / 0.96) < 1e-6
    result = service.import_file(
        fidelity_workbooks.debt_schedule_iteration_off(PERIODS, expected), "debt off", engine=engine
    )
    cells = _cells(conn, result.model_id)
    for i, (interest, closing) in enumerate(expected):
        r = i + 2
        assert abs(cells[f"D{r}"]["calculated_value"] - interest) <= 1e-9 * interest, r
        assert abs(cells[f"E{r}"]["calculated_value"] - closing) <= 1e-9 * closing, r
        # The cycle's cells and what depends on them (the next opening, debt service) carry the note.
        for col in "DEF" + ("B" if i else ""):
            assert (cells[f"{col}{r}"]["has_mismatch"], cells[f"{col}{r}"]["mismatch_reason"]) == (
                False,
                "iteration_off",
            ), f"{col}{r}"
    # The first opening (=H2) and each repayment before the cycles reach them read no cycle.
    assert cells["B2"]["mismatch_reason"] is None and cells["C2"]["mismatch_reason"] is None
    assert result.mismatched == 0 and result.matched == result.comparable == 5 * PERIODS
    assert result.calc_settings["iterate"] is False
    assert result.calc_settings["cycles_solved_with_iteration_off"] == PERIODS
    assert result.calc_settings["cycle_cells_solved_with_iteration_off"] == 2 * PERIODS
    assert any("iterative calculation off" in w for w in result.warnings), result.warnings
    assert result.mismatch_reasons == {}  # a matched cell's note is no mismatch
    stored = conn.execute("SELECT calc_settings FROM models WHERE id = %s", (result.model_id,)).fetchone()[0]
    assert stored["cycles_solved_with_iteration_off"] == PERIODS


def test_a_solved_cycle_whose_cache_differs_keeps_the_note_beside_the_reason(conn, engine):
    expected = _schedule(2)
    wrong = [(expected[0][0] + 1.0, expected[0][1] + 1.0), expected[1]]
    result = service.import_file(
        fidelity_workbooks.debt_schedule_iteration_off(2, wrong), "debt off wrong", engine=engine
    )
    cells = _cells(conn, result.model_id)
    assert abs(cells["D2"]["calculated_value"] - expected[0][0]) <= 1e-9 * expected[0][0]
    assert cells["D2"]["mismatch_reason"] == "iteration_off:value_differs"
    assert result.mismatch_reasons["iteration_off:value_differs"] >= 2


def test_a_self_referencing_total_diverges_and_is_reported(conn, engine):
    # Excel iterating J2 = F2+H2+J2 adds 7 per pass: 100 passes per recalculation, from
    # wherever the last one stopped. No value is the fixed point, so none is claimed.
    result = service.import_file(fidelity_workbooks.self_referencing_total(700.0), "total", engine=engine)
    cells = _cells(conn, result.model_id)
    for address in ("J2", "K2"):
        assert cells[address]["calculated_type"] is None, address
        assert cells[address]["mismatch_reason"] == "circular_not_converged", address
    # F3+H3 = 0: the same shape settles at once at 0.
    assert (cells["J3"]["calculated_value"], cells["J3"]["mismatch_reason"]) == (0, "iteration_off")
    assert result.calc_settings["cycles_solved_with_iteration_off"] == 2


def test_a_workbook_without_cycles_has_no_note(conn, engine):
    result = service.import_file(workbooks.basic(), "basic", engine=engine)
    assert "cycles_solved_with_iteration_off" not in result.calc_settings
    assert not any("iterative calculation off" in w for w in result.warnings)
