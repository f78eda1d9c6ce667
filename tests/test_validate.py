from importer import validate
from importer.values import Value, boolean, error, number, text


def test_numbers_match_within_relative_tolerance():
    assert validate.compare(number(1e6), number(1e6 * (1 + 5e-10))) is None
    assert validate.compare(number(5.6e-17), number(0.0)) is None
    assert validate.compare(number(1e6), number(1e6 * (1 + 5e-8))) == "tolerance"
    assert validate.compare(number(1.0), number(2.0)) == "value_differs"


def test_other_types_match_exactly_and_symmetrically():
    cases = [
        (text("a"), text("A")),
        (error("#N/A"), error("#VALUE!")),
        (boolean(True), boolean(False)),
    ]
    for a, b in cases:
        assert validate.compare(a, b) == "value_differs"
        assert validate.compare(b, a) == "value_differs"
    assert validate.compare(boolean(True), number(1.0)) == "type_differs"
    assert validate.compare(number(1.0), boolean(True)) == "type_differs"
    assert validate.compare(text("2"), number(2.0)) == "type_differs"


def test_verdict_never_invents_a_value():
    empty = Value(None, None, "empty")
    assert validate.verdict(number(4), None, "unsupported_function:X", False) == (
        True,
        "unsupported_function:X",
    )
    assert validate.verdict(empty, None, "circular", False) == (None, "circular")
    assert validate.verdict(empty, number(1), None, False) == (None, None)
    assert validate.verdict(number(1), number(2), None, True) == (True, "volatile")
    assert validate.verdict(number(1), number(1), None, True) == (False, None)


# -- Add-in and VBA functions (issue 11, cause 11) -------------------------------------------


def _add_in_workbook() -> bytes:
    """Cells calling an add-in (`_xll.`) and a VBA function (`_xludf.`), cells reading them,
    an unknown plain name (a VBA UDF saved without its prefix) and a cell reading none of them."""
    from tests import workbooks

    def fill(wb):
        ws = wb.add_worksheet("S")
        ws.write_string("E10", "IQ24937")
        ws.write_formula("A1", '=_xll.ciqfunctions.udf.CIQ($E$10,"IQ_COMPANY_NAME")', None, "Apple Inc.")
        ws.write_formula("A2", '=A1&" (US)"', None, "Apple Inc. (US)")
        ws.write_formula("A3", "=LEN(A2)+1", None, 16)
        ws.write_formula("B1", "=_xludf.MyRate(2)", None, 0.05)
        ws.write_formula("B2", "=IFERROR(B1*100,0)", None, 5)
        ws.write_formula("B3", "=A3+B2", None, 21)
        ws.write_formula("C1", "=FROBNICATE(1)", None, 4)
        ws.write_formula("D1", '=LEN("_xll.CIQ(")+1', None, 10)  # in a string: not a call
        ws.write_formula("D2", "=_XLL.BDP(E10)", None, 7)

    return workbooks.build(fill)


def test_add_in_and_vba_reasons_name_the_function():
    from importer.evaluate import outside_code_reason

    assert outside_code_reason('=_xll.ciqfunctions.udf.CIQ($E$10,"IQ_COMPANY_NAME")') == "add_in:CIQ"
    assert outside_code_reason('=1+_XLL.BDP(A1, "PX_LAST")') == "add_in:BDP"
    assert outside_code_reason("=_xludf.MyRate(2)*3") == "vba:MYRATE"
    assert outside_code_reason('=IF(A1, "_xll.CIQ(", 0)') is None
    assert outside_code_reason("=SUM(A1:A3)+MyRate(2)") is None
    assert outside_code_reason("=my_xll.CIQ(1)") is None


def test_add_in_and_vba_cells_and_their_dependents_have_no_value_and_a_reason(conn, engine):
    from psycopg.rows import dict_row

    from importer import service

    result = service.import_file(_add_in_workbook(), "add-ins", engine=engine)
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute("SELECT * FROM cells WHERE model_id = %s", (result.model_id,)).fetchall()
    cells = {r["address"]: r for r in rows}
    expected = {
        "A1": "add_in:CIQ",
        "A2": "add_in:CIQ",
        "A3": "add_in:CIQ",
        "B1": "vba:MYRATE",
        "B2": "vba:MYRATE",
        "B3": "add_in:CIQ",  # fed by both: the first name
        "C1": "unsupported_function:FROBNICATE",
        "D2": "add_in:BDP",
    }
    for address, reason in expected.items():
        cell = cells[address]
        assert (address, cell["has_mismatch"], cell["mismatch_reason"]) == (address, True, reason)
        assert cell["calculated_type"] is None and cell["calculated_value"] is None
        assert cell["calculated_text"] is None
    assert (cells["D1"]["has_mismatch"], cells["D1"]["calculated_value"]) == (False, 10)
    assert "parse_error" not in result.mismatch_reasons
    assert result.mismatch_reasons["add_in:CIQ"] == 4
