"""Compare our engine's value with Excel's cached value, symmetrically.

Numbers match when ``|a - b| <= REL_TOL * max(|a|, |b|, 1)``: relative 1e-9 for magnitudes
above 1, absolute 1e-9 below (so 5.6e-17 of floating-point noise equals 0). Text, booleans and
error codes must match exactly; a boolean never equals a number.

Reasons (``cells.mismatch_reason``):

| reason | meaning |
|---|---|
| ``tolerance`` | numbers within 1e-6 relative, but outside 1e-9 |
| ``value_differs`` | same type, different value |
| ``type_differs`` | e.g. a number where Excel has text or an error |
| ``volatile`` | calls one of formula.VOLATILE_FUNCTIONS (RAND, INFO, CELL...): left out of the match rate |
| ``unsupported_function:NAME`` | our engine lacks NAME; no value |
| ``parse_error`` | our engine cannot read the formula text; no value |
| ``circular`` | in or after a circular reference, iterative calculation off; no value |
| ``circular_not_converged`` | in or after a circular reference that iteration did not settle; no value |
| ``external_link`` | reads another workbook; no value |
| ``add_in:NAME`` | calls the add-in function NAME (``_xll.``), or depends on a cell that does; no value |
| ``vba:NAME`` | calls the VBA function NAME (``_xludf.``), or depends on a cell that does; no value |
| ``data_table`` | part of a what-if data table; no value |
| ``engine_error`` | the engine failed on this cell; no value |
"""

from __future__ import annotations

from importer.values import Value

REL_TOL = 1e-9
CLOSE_TOL = 1e-6


def compare(raw: Value, calculated: Value) -> str | None:
    """None when they match, else the reason they do not."""
    if raw.type != calculated.type:
        return "type_differs"
    if raw.type == "number":
        a, b = raw.value, calculated.value
        scale = max(abs(a), abs(b), 1.0)
        diff = abs(a - b)
        if diff <= REL_TOL * scale:
            return None
        return "tolerance" if diff <= CLOSE_TOL * scale else "value_differs"
    if raw.type == "boolean":
        return None if raw.value == calculated.value else "value_differs"
    if raw.type in ("text", "error"):
        return None if raw.text == calculated.text else "value_differs"
    return None  # both empty


def verdict(
    raw: Value, calculated: Value | None, reason: str | None, volatile: bool
) -> tuple[bool | None, str | None]:
    """(has_mismatch, mismatch_reason) for a formula cell.

    has_mismatch is NULL when Excel cached no value (nothing to compare with).
    """
    if calculated is None:
        return (None if raw.type == "empty" else True), reason or "engine_error"
    if raw.type == "empty":
        return None, None
    reason = compare(raw, calculated)
    if reason is None:
        return False, None
    return True, "volatile" if volatile else reason
