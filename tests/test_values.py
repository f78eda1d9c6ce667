import datetime as dt

import pytest

from importer import values
from importer.values import Value


@pytest.mark.parametrize(
    ("date", "date1904", "serial"),
    [
        (dt.date(1900, 1, 1), False, 1.0),
        (dt.date(1900, 2, 28), False, 59.0),
        (dt.date(1900, 3, 1), False, 61.0),  # Excel's phantom 1900-02-29 is serial 60
        (dt.date(2024, 2, 29), False, 45351.0),
        (dt.datetime(2024, 1, 1, 12), False, 45292.5),
        (dt.date(1904, 1, 2), True, 1.0),
        (dt.time(6, 0), False, 0.25),
    ],
)
def test_dates_become_excel_serials(date, date1904, serial):
    assert values.to_serial(date, date1904=date1904) == serial


def test_python_values_map_to_stored_types():
    assert values.from_python(None) == values.EMPTY
    assert values.from_python(True) == Value(1.0, None, "boolean")
    assert values.from_python(False) == Value(0.0, None, "boolean")
    assert values.from_python(3) == Value(3.0, None, "number")
    assert values.from_python("x") == Value(None, "x", "text")
    assert values.from_python(float("nan")) == Value(None, "#NUM!", "error")


def test_cell_types_from_ooxml():
    assert values.from_cell("#N/A", "e") == Value(None, "#N/A", "error")
    assert values.from_cell("#N/A", "s") == Value(None, "#N/A", "text")  # text that looks like an error
    assert values.from_cell(None, "str") == Value(None, "", "text")  # a formula's cached ""
    assert values.from_cell(None, "n") == values.EMPTY


def test_engine_round_trip_keeps_text_as_text():
    assert values.to_engine(Value(None, "123", "text")) == "'123"
    assert values.to_engine(Value(None, "=A1", "text")) == "'=A1"
    assert values.to_engine(Value(1.0, None, "boolean")) is True
    assert values.to_engine(Value(None, "#N/A", "error")) == "=CL_CONSTANT(#N/A)"
    # HyperFormula has no #NULL!: a plugin function makes it (hyperformula/functions/info.js).
    assert values.to_engine(Value(None, "#NULL!", "error")) == '=CL_CONSTANT(CL_ERROR("#NULL!"))'
    null = {"e": "#NULL!", "m": "Excel error #NULL!", "t": "#NULL!"}
    assert values.from_engine(null) == values.error("#NULL!")
    assert values.from_engine({"e": "#DIV/0!", "m": ""}) == Value(None, "#DIV/0!", "error")
    assert values.from_engine(False) == Value(0.0, None, "boolean")
    with pytest.raises(TypeError):
        values.from_engine([1])


def test_ooxml_escapes_in_text_are_undone():
    assert values.from_cell("a_x000D_\nb", "s") == Value(None, "a\r\nb", "text")
    assert values.from_cell("_x0001_", "str") == Value(None, "\x01", "text")
    assert values.from_cell("_x005F_x0001_", "s") == Value(None, "_x0001_", "text")  # an escaped underscore
    assert values.from_cell("tax_rate", "s") == Value(None, "tax_rate", "text")
