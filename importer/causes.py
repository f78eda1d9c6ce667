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

# Longest shape kept: longer formulas of one class differ only past it.
MAX_SHAPE = 100

# One pass, leftmost alternative first: a string, a function call (LOG10( is a call, not the
# cell LOG10), a sheet prefix (dropped), a reference, a number.
_TOKEN = re.compile(
    r'(?P<string>"(?:[^"]|"")*")'
    r"|(?P<error>#(?:NULL!|DIV/0!|VALUE!|REF!|NAME\?|NUM!|N/A|GETTING_DATA|SPILL!|CALC!|FIELD!|BLOCKED!|CONNECT!|BUSY!|UNKNOWN!|PYTHON!))"
    r"|(?P<call>[A-Za-z_][A-Za-z0-9_.]*\()"
    r"|(?P<sheet>(?:'(?:[^']|'')+'|\[[^\]]*\][A-Za-z0-9_.]*|[A-Za-z_][A-Za-z0-9_.]*)!)"
    r"|(?P<reference>\$?\b[A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}\$?\d+)?\b"  # A1, $A$1:B2
    r"|\$?\b[A-Za-z]{1,3}:\$?[A-Za-z]{1,3}\b"  # A:C
    r"|\$?\b\d+:\$?\d+\b)"  # 1:3
    r"|(?P<number>(?<![A-Za-z_.\d])(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)"
)
_PREFIX = re.compile(r"^(?:_xl(?:fn|ws|udf)\.)+", re.IGNORECASE)
_PLACEHOLDER = {"string": "S", "sheet": "", "reference": "R", "number": "N"}


def _token(match: re.Match) -> str:
    kind = match.lastgroup
    if kind == "call":
        return _PREFIX.sub("", match.group())
    if kind == "error":  # an error literal is part of the shape: #N/A is not #REF!
        return match.group()
    return _PLACEHOLDER[kind]


def shape(formula: str) -> str:
    """The formula with references as R, numbers as N and strings as S (see the module doc)."""
    text = re.sub(r"\s+", "", _TOKEN.sub(_token, formula))
    if len(text) > MAX_SHAPE:
        text = re.sub(r"R(?:[,:]R)+", "R", text)
    return text if len(text) <= MAX_SHAPE else text[: MAX_SHAPE - 1] + "…"


def functions(formula: str) -> tuple[str, ...]:
    """The functions the formula calls, in order of first appearance, without _xlfn. prefixes."""
    seen: dict[str, None] = {}
    for match in _TOKEN.finditer(formula):
        if match.lastgroup == "call":
            seen.setdefault(_PREFIX.sub("", match.group()[:-1]).upper(), None)
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
