"""Mismatches grouped into classes, biggest first: the triage view of `capitallens fidelity --by-cause`.

A class is one mismatch reason, the functions a formula calls and the formula's *shape*: its
text with every reference, number and string replaced by a placeholder, so that
``=DEC2BIN(A2,4)`` on one sheet and ``=DEC2BIN(Sheet2!B7,10)`` on another are one class
(``=DEC2BIN(R,N)``). One fix usually mends a whole class, so the biggest class is where to look
first. Each class keeps one example cell with Excel's value and ours.

Pure: rows in (as ``db`` reads them from ``cells``), classes out; nothing here reads the database.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from importer import formula

# Longest shape kept: longer formulas of one class differ only past it.
MAX_SHAPE = 100

_PLACEHOLDER = {"RANGE": "R", "NUMBER": "N", "TEXT": "S"}  # operands by kind; others as written


def _shape_of(item) -> str:
    if item.type == "FUNC" and item.subtype == "OPEN":
        return formula.function_name(item.value[:-1]) + "("
    if item.type == "OPERAND":
        return _PLACEHOLDER.get(item.subtype, item.value)  # TRUE, #N/A stay themselves
    return " " if item.type == "WHITE-SPACE" else item.value


def shape(text: str) -> str:
    """The formula with references as R, numbers as N and strings as S (see the module doc),
    from the tokens of importer/formula.py; an unreadable formula keeps its own text."""
    if text.startswith("{=") and text.endswith("}"):  # an array formula, as the cells table has it
        return "{" + shape(text[1:-1]) + "}"
    try:
        items = formula.items(text)
    except formula.FormulaError:
        return text[:MAX_SHAPE]
    # A space is the intersection operator only between operands; elsewhere it is layout.
    parts = [
        _shape_of(t)
        for k, t in enumerate(items)
        if t.type != "WHITE-SPACE" or (0 < k < len(items) - 1 and _between_operands(items, k))
    ]
    out = "=" + "".join(parts)
    if len(out) > MAX_SHAPE:
        out = re.sub(r"R(?:[,:]R)+", "R", out)
    return out if len(out) <= MAX_SHAPE else out[: MAX_SHAPE - 1] + "…"


def _between_operands(items, k: int) -> bool:
    before, after = items[k - 1], items[k + 1]
    ends = before.type == "OPERAND" or before.subtype == "CLOSE"
    starts = after.type == "OPERAND" or after.subtype == "OPEN"
    return ends and starts


def functions(text: str) -> tuple[str, ...]:
    """The functions the formula calls, in order of first appearance, without _xlfn. prefixes."""
    seen: dict[str, None] = {}
    if text.startswith("{=") and text.endswith("}"):
        text = text[1:-1]
    try:
        items = formula.items(text)
    except formula.FormulaError:
        return ()
    for t in items:
        if t.type == "FUNC" and t.subtype == "OPEN":
            seen.setdefault(formula.function_name(t.value[:-1]), None)
    return tuple(seen)


@dataclass
class Example:
    workbook: str
    cell: str  # Sheet!A1
    formula: str
    excel: str
    ours: str


@dataclass
class Cause:
    reason: str
    functions: tuple[str, ...]
    shape: str
    cells: int = 0
    workbooks: set[str] = field(default_factory=set)
    example: Example | None = None

    def to_dict(self) -> dict:
        return {
            "reason": self.reason,
            "functions": list(self.functions),
            "shape": self.shape,
            "cells": self.cells,
            "workbooks": len(self.workbooks),
            "example": None if self.example is None else vars(self.example),
        }


def _shown(kind: str | None, number: float | None, text: str | None) -> str:
    if kind is None:
        return "(no value)"
    if kind == "number":
        return repr(number)
    if kind == "text":
        return repr(text)
    if kind == "boolean":
        return "TRUE" if number else "FALSE"
    return text if text is not None else kind  # error: its text; empty


def group(rows: Iterable[dict]) -> list[Cause]:
    """Classes of the mismatched cells in ``rows``, biggest first (then by reason and shape).

    Each row holds ``workbook, sheet, address, formula, reason`` and both values
    (``raw_type, raw_value, raw_text, calculated_type, calculated_value, calculated_text``).
    """
    causes: dict[tuple, Cause] = {}
    for row in rows:
        formula = row["formula"] or ""
        # A reason that already names its function (unsupported_function:X, add_in:X) is its class.
        named = ":" in row["reason"] and not row["reason"].startswith("iteration_off:")
        key = (row["reason"], ()) if named else (row["reason"], functions(formula), shape(formula))
        cause = causes.get(key)
        if cause is None:
            cause = causes[key] = Cause(row["reason"], () if named else key[1], "-" if named else key[2])
        cause.cells += 1
        cause.workbooks.add(row["workbook"])
        if cause.example is None:
            cause.example = Example(
                row["workbook"],
                f"{row['sheet']}!{row['address']}",
                formula,
                _shown(row["raw_type"], row["raw_value"], row["raw_text"]),
                _shown(row["calculated_type"], row["calculated_value"], row["calculated_text"]),
            )
    return sorted(causes.values(), key=lambda c: (-c.cells, c.reason, c.shape))


def render(causes: list[Cause], limit: int | None = None) -> list[str]:
    """A Markdown table of the classes, the first ``limit`` of them (all when None)."""
    shown = causes if limit is None else causes[:limit]
    lines = [
        "| cells | workbooks | reason | functions | formula shape | example: Excel / ours |",
        "|---:|---:|---|---|---|---|",
    ]
    for c in shown:
        ex = c.example
        example = f"{ex.workbook} {ex.cell}: {ex.excel} / {ex.ours}" if ex else "-"
        lines.append(
            f"| {c.cells:,} | {len(c.workbooks)} | `{c.reason}` | {', '.join(c.functions) or '-'} | "
            f"`{_cell_text(c.shape)}` | {_cell_text(example)} |"
        )
    if len(shown) < len(causes):
        rest = causes[len(shown) :]
        lines.append(f"| {sum(c.cells for c in rest):,} | - | {len(rest)} more classes | | | |")
    return lines


def _cell_text(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")
