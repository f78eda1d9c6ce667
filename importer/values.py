"""Cell values as stored: (value, text, type).

``type`` is one of number, text, boolean, error, empty. Numbers and booleans (1/0) go in
``value``; text and error codes (``'#N/A'``) go in ``text``. Dates are Excel serial numbers.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import NamedTuple

from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, to_excel
from openpyxl.utils.escape import unescape

ERROR_CODES = frozenset(
    {
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#UNKNOWN!",
        "#BUSY!",
        "#EXTERNAL!",
    }
)


# Excel errors HyperFormula 3.5 can neither parse nor produce, as the engine text that makes
# them: CL_ERROR (hyperformula/functions/info.js) returns an error that propagates like any other
# and that the engine reports back under its Excel code.
EXCEL_ONLY_ERRORS = {code: f'CL_ERROR("{code}")' for code in ("#NULL!", "#GETTING_DATA")}


class Value(NamedTuple):
    value: float | None
    text: str | None
    type: str


EMPTY = Value(None, None, "empty")


def number(x: float) -> Value:
    return Value(float(x), None, "number")


def text(s: str) -> Value:
    return Value(None, s, "text")


def boolean(b: bool) -> Value:
    return Value(1.0 if b else 0.0, None, "boolean")


def error(code: str) -> Value:
    return Value(None, code, "error")


def from_python(value: object, *, date1904: bool = False) -> Value:
    """Convert a value as openpyxl gives it into a stored Value."""
    if value is None:
        return EMPTY
    if isinstance(value, bool):
        return boolean(value)
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return error("#NUM!")
        return number(value)
    if isinstance(value, dt.datetime | dt.date | dt.time | dt.timedelta):
        return number(to_serial(value, date1904=date1904))
    if isinstance(value, str):
        return text(value)
    return text(str(value))


def from_cell(value: object, data_type: str, *, date1904: bool = False) -> Value:
    """Convert a parsed cell (value and OOXML type letter) into a stored Value.

    A formula whose cached result is an empty string is written ``t="str"`` with no value;
    that is the text "" and not an empty cell. Text keeps OOXML's escapes for control
    characters (``_x000D_`` is a carriage return, ``_x005F_`` an underscore); they are undone.
    """
    if data_type == "e":
        return error(str(value)) if value is not None else EMPTY
    if data_type == "str" and value is None:
        return text("")
    if isinstance(value, str) and "_x" in value:
        return text(unescape(value))
    return from_python(value, date1904=date1904)


def to_serial(value: dt.datetime | dt.date | dt.time | dt.timedelta, *, date1904: bool) -> float:
    """An Excel serial number, with the 1900 system's leap-year bug or the 1904 system."""
    epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    return float(to_excel(value, epoch))


def to_engine(v: Value) -> object:
    """The content HyperFormula should see for a constant cell.

    Text is sent with a leading apostrophe so that HyperFormula keeps it as text instead of
    reading "123" as a number or "1/2/2024" as a date.
    """
    if v.type == "number":
        return v.value
    if v.type == "boolean":
        return bool(v.value)
    if v.type == "text":
        return "'" + (v.text or "")
    if v.type == "error":  # marked as a constant: ISFORMULA and FORMULATEXT must not see a formula
        if v.text in EXCEL_ONLY_ERRORS:
            return f"=CL_CONSTANT({EXCEL_ONLY_ERRORS[v.text]})"
        return f"=CL_CONSTANT({v.text})" if v.text in ERROR_CODES else "'" + (v.text or "")
    return None


def from_engine(raw: object) -> Value:
    """Convert a value that came back from the engine (see hyperformula/engine.js)."""
    if raw is None:
        return EMPTY
    if isinstance(raw, bool):
        return boolean(raw)
    if isinstance(raw, int | float):
        return number(raw)
    if isinstance(raw, str):
        return text(raw)
    if isinstance(raw, dict) and "e" in raw:
        return error(raw["e"])
    raise TypeError(f"unexpected engine value {raw!r}")
