import psycopg
import pytest
from psycopg.rows import dict_row

from db import engine as db_engine
from importer import progress, service
from importer.errors import Cancelled, InvalidWorkbook
from tests import workbooks


def _cells(conn, model_id):
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute("SELECT * FROM cells WHERE model_id = %s", (model_id,)).fetchall()
    return {(r["sheet"], r["address"]): r for r in rows}


def test_import_stores_every_cell_with_formula_cache_and_our_value(conn, engine):
    events = []
    result = service.import_file(
        workbooks.basic(),
        "basic",
        progress=lambda *e: events.append(e),
        engine=engine,
        file_name="basic.xlsx",
    )
    cells = _cells(conn, result.model_id)
    assert result.cells == len(cells) == 17
    a1 = cells[("Calc", "A1")]
    assert (a1["formula"], a1["raw_value"], a1["calculated_value"]) == (
        "=Inputs!B1*(1+Rate)",
        1100,
        1100,
    )
    assert a1["has_mismatch"] is False
    text = cells[("Calc", "A3")]
    assert (text["raw_text"], text["calculated_text"], text["calculated_type"]) == (
        "yes",
        "yes",
        "text",
    )
    err = cells[("Calc", "A4")]
    assert (err["raw_type"], err["raw_text"], err["calculated_text"]) == (
        "error",
        "#DIV/0!",
        "#DIV/0!",
    )
    boolean = cells[("Calc", "A6")]
    assert (boolean["raw_type"], boolean["raw_value"], boolean["calculated_value"]) == (
        "boolean",
        1,
        1,
    )
    date = cells[("Calc", "A5")]
    assert (date["raw_value"], date["calculated_value"]) == (45352, 45352)
    assert cells[("Calc", "A9")]["calculated_text"] == "" and cells[("Calc", "A9")]["has_mismatch"] is False
    constant = cells[("Inputs", "B5")]
    assert (constant["formula"], constant["raw_type"], constant["raw_text"]) == (
        None,
        "text",
        "123",
    )
    assert constant["calculated_type"] is None and constant["has_mismatch"] is None
    assert result.formula_cells == result.comparable == result.matched == 10
    model = conn.execute(
        "SELECT cell_count, matched_count, sheets FROM models WHERE id = %s", (result.model_id,)
    ).fetchone()
    assert model == (17, 10, ["Inputs", "Calc"])
    names = conn.execute("SELECT name, scope, value FROM defined_names").fetchall()
    assert names == [("Rate", None, "Inputs!$B$2")]
    assert set(result.seconds) >= {
        "hashing",
        "parsing",
        "dependencies",
        "evaluation",
        "insertion",
        "validation",
    }


def test_progress_covers_every_stage_in_order_and_never_goes_back(database, engine):
    events = []
    service.import_file(workbooks.large(2000), "big", progress=lambda *e: events.append(e), engine=engine)
    stages = [s for s, _, _ in events]
    expected = list(progress.STAGES)
    assert [s for i, s in enumerate(stages) if i == 0 or stages[i - 1] != s] == expected
    percents = [p for _, p, _ in events]
    assert percents == sorted(percents)
    assert percents[-1] == 100
    for stage, percent, _ in events:
        low, high = progress.STAGES[stage]
        assert low <= percent <= high


def test_unknown_function_gets_null_and_a_reason_never_the_cached_value(conn, engine):
    result = service.import_file(workbooks.with_unknown_function(), "unknown", engine=engine)
    cells = _cells(conn, result.model_id)
    b1, c1, d1 = cells[("S", "B1")], cells[("S", "C1")], cells[("S", "D1")]
    assert b1["raw_value"] == 4
    assert b1["calculated_value"] is None and b1["calculated_text"] is None and b1["calculated_type"] is None
    assert (b1["has_mismatch"], b1["mismatch_reason"]) == (True, "unsupported_function:FROBNICATE")
    assert c1["calculated_value"] is None  # downstream of the unknown function
    assert c1["mismatch_reason"] == "unsupported_function:FROBNICATE"
    assert (d1["calculated_value"], d1["has_mismatch"]) == (3, False)
    assert result.mismatch_reasons == {"unsupported_function:FROBNICATE": 2}
    copied = conn.execute(
        "SELECT count(*) FROM cells WHERE formula IS NOT NULL AND calculated_type IS NULL "
        "AND (calculated_value IS NOT NULL OR calculated_text IS NOT NULL)"
    ).fetchone()[0]
    assert copied == 0


def test_mismatches_are_reported_with_reasons(conn, engine):
    result = service.import_file(workbooks.wrong_cache(), "wrong", engine=engine)
    cells = _cells(conn, result.model_id)
    assert cells[("S", "B1")]["mismatch_reason"] == "value_differs"
    assert cells[("S", "C1")]["has_mismatch"] is False
    assert cells[("S", "D1")]["mismatch_reason"] == "tolerance"
    assert cells[("S", "E1")]["mismatch_reason"] == "type_differs"
    assert result.matched == 1 and result.mismatched == 3


def test_null_error_is_excels_own_error_not_a_parse_error(conn, engine):
    result = service.import_file(workbooks.null_errors(), "null", engine=engine)
    cells = _cells(conn, result.model_id)
    assert cells[("S", "A1")]["formula"] is None and cells[("S", "A1")]["raw_text"] == "#NULL!"
    for address in ("B1", "C1"):
        assert (cells[("S", address)]["calculated_type"], cells[("S", address)]["calculated_text"]) == (
            "error",
            "#NULL!",
        )
    assert [cells[("S", a)]["calculated_value"] for a in ("D1", "E1", "F1")] == [1, 0, 7]
    assert result.mismatched == 0 and result.matched == 5


def test_circular_cells_are_solved_and_noted_when_iteration_is_off(conn, engine):
    # B1 = 100 + 0.1 * C1, C1 = 0.5 * B1: B1 = 100 / 0.95 (the file caches 0: a mismatch).
    result = service.import_file(workbooks.circular(), "circ", engine=engine)
    cells = _cells(conn, result.model_id)
    assert result.cycle_cells == 2
    assert abs(cells[("S", "B1")]["calculated_value"] - 100 / 0.95) < 1e-9
    assert abs(cells[("S", "C1")]["calculated_value"] - 50 / 0.95) < 1e-9
    for address in ("B1", "C1"):
        assert cells[("S", address)]["mismatch_reason"] == "iteration_off:value_differs"
    assert cells[("S", "D1")]["calculated_value"] == 200


def test_a_cycle_that_evaluation_never_reads_is_computed_when_iteration_is_off(conn, engine):
    result = service.import_file(workbooks.false_cycle(), "false-cycle", engine=engine)
    cells = _cells(conn, result.model_id)
    assert result.cycle_cells == 2  # the static graph still sees B1 <-> C1
    assert [cells[("S", a)]["calculated_value"] for a in ("B1", "C1", "D1")] == [5, 6, 12]
    assert result.mismatched == 0


def test_subtotal_skips_rows_hidden_as_saved(conn, engine):
    result = service.import_file(workbooks.hidden_rows(), "hidden", engine=engine)
    cells = _cells(conn, result.model_id)
    got = {a: cells[a]["calculated_value"] for a in (("F", "C1"), ("F", "C2"), ("M", "B1"), ("M", "B2"))}
    assert got == {("F", "C1"): 110, ("F", "C2"): 50, ("M", "B1"): 3, ("M", "B2"): 1}
    assert result.mismatched == 0


def test_failure_mid_insertion_leaves_no_model_and_no_cells(conn, engine):
    seen = []

    def should_abort():
        # Stop once the COPY has written its first batch of cells.
        return any(stage == "insertion" and message.startswith("wrote") for stage, _, message in seen)

    with pytest.raises(Cancelled) as info:
        service.import_file(
            workbooks.large(30_000),
            "half",
            engine=engine,
            progress=lambda *e: seen.append(e),
            should_abort=should_abort,
        )
    assert info.value.stage == "insertion"
    assert any(m.startswith("wrote 20,000") for _, _, m in seen)
    counts = conn.execute(
        "SELECT (SELECT count(*) FROM models), (SELECT count(*) FROM cells), "
        "(SELECT count(*) FROM source_files)"
    ).fetchone()
    assert counts == (0, 0, 0)


def test_database_error_mid_copy_rolls_back(conn, engine, monkeypatch):
    from db import store

    real = store.copy_cells

    def failing(c, model_id, rows, progress=None, every=20_000):
        real(c, model_id, rows, progress, every)
        c.execute("SELECT 1/0")  # any error after the cells were written

    monkeypatch.setattr(store, "copy_cells", failing)
    with pytest.raises(psycopg.errors.DivisionByZero):
        service.import_file(workbooks.basic(), "broken", engine=engine)
    assert conn.execute("SELECT count(*) FROM cells").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM models").fetchone()[0] == 0


def test_bad_input_fails_before_the_database(database, engine):
    with pytest.raises(InvalidWorkbook) as info:
        service.import_file(b"not a workbook, just text", "bad", engine=engine)
    assert info.value.stage == "parsing"
    assert info.value.to_dict()["type"] == "invalid_workbook"
    with db_engine.connect() as c:
        assert c.execute("SELECT count(*) FROM models").fetchone()[0] == 0


def test_revalidation_reports_no_change_for_same_engine(conn, engine):
    result = service.import_file(workbooks.wrong_cache(), "again", engine=engine)
    before = _cells(conn, result.model_id)
    report = service.revalidate(result.model_id, engine=engine)
    assert report["started_matching"] == report["stopped_matching"] == 0
    assert report["matched"] == result.matched
    assert _cells(conn, result.model_id) == before


def test_revalidation_reports_cells_that_start_matching(conn, engine):
    result = service.import_file(workbooks.wrong_cache(), "fixme", engine=engine)
    # Pretend an older engine got D1 wrong: the re-evaluation must notice the change.
    conn.execute(
        "UPDATE cells SET calculated_value = 0, has_mismatch = true, "
        "mismatch_reason = 'value_differs' WHERE model_id = %s AND address = 'C1'",
        (result.model_id,),
    )
    report = service.revalidate(result.model_id, engine=engine)
    assert report["started_matching"] == 1
    assert report["started_matching_examples"] == ["S!C1"]
    assert _cells(conn, result.model_id)[("S", "C1")]["calculated_value"] == 6


def test_import_without_validation_stores_values_but_no_verdict(conn, engine):
    result = service.import_file(
        workbooks.with_unknown_function(), "unchecked", engine=engine, validate=False
    )
    cells = _cells(conn, result.model_id)
    assert cells[("S", "D1")]["calculated_value"] == 3
    assert all(c["has_mismatch"] is None for c in cells.values())
    assert cells[("S", "B1")]["mismatch_reason"] == "unsupported_function:FROBNICATE"  # still says why
    assert result.comparable == result.matched == 0


def test_cell_filename_names_the_imported_file(conn, engine):
    """CELL("filename") is [file]sheet, with the name the file was imported under (the author's
    folder is not known, so it is left out); CELL is volatile, so a difference is no mismatch."""

    def fill(wb):
        ws = wb.add_worksheet("Summary")
        ws.write_formula("A1", '=CELL("filename",A1)', None, r"C:\Models\[Plan Q3.xlsx]Summary")
        ws.write_formula("A2", '=MID(A1,FIND("]",A1)+1,99)', None, "Summary")

    result = service.import_file(workbooks.build(fill), "cell", file_name="Plan Q3.xlsx", engine=engine)
    cells = _cells(conn, result.model_id)
    assert cells[("Summary", "A1")]["calculated_text"] == "[Plan Q3.xlsx]Summary"
    assert cells[("Summary", "A2")]["calculated_text"] == "Summary"
    assert cells[("Summary", "A2")]["has_mismatch"] is False
