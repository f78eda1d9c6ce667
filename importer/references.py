"""The references inside a formula: cells, ranges, other sheets, defined names.

Formula text is read by importer/formula.py (its tokens, so string literals are never
mistaken for references); this module says what each reference operand denotes.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from importer import formula as formula_text

MAX_ROW = 1_048_576
MAX_COL = 16_384

_CELL = r"\$?([A-Za-z]{1,3})\$?(\d+)"
_CELL_RE = re.compile(rf"^{_CELL}$")
_AREA_RE = re.compile(rf"^{_CELL}:{_CELL}$")
_COLS_RE = re.compile(r"^\$?([A-Za-z]{1,3}):\$?([A-Za-z]{1,3})$")
_ROWS_RE = re.compile(r"^\$?(\d+):\$?(\d+)$")
_NAME_RE = re.compile(r"^[A-Za-z_\\][\w.\\?]*$")


@dataclass(frozen=True, slots=True)
class Area:
    """A rectangle of cells on one sheet; bounds are 1-based and inclusive."""

    sheet: str | None  # None: the formula's own sheet
    min_row: int
    min_col: int
    max_row: int
    max_col: int
    external: bool = False


@dataclass(frozen=True, slots=True)
class NameRef:
    name: str
    sheet: str | None = None  # for Sheet1!Name


@dataclass(frozen=True, slots=True)
class TableRef:
    """A structured reference (`Table1[[#This Row],[Col]]`, `[@Col]`, `Table1[]`) as written:
    the rectangle it denotes depends on the workbook's tables and, for `[#This Row]`, on the
    formula's row, so the graph resolves it (importer/translate.py table_area). A table named
    alone (`SUM(Table1)`) reads as a NameRef, since it looks like one."""

    text: str


def column_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n


def split_sheet(text: str) -> tuple[str | None, str, bool]:
    """'Sheet 1'!A1 -> ('Sheet 1', 'A1', external?); `[1]Ext!A1` -> ('Ext', 'A1', True)."""
    prefix, ref = formula_text.split_sheet(text)
    if prefix is None:
        return None, text, False
    sheet = formula_text.unquote(prefix)
    if "[" in prefix:  # [0] is the workbook itself (importer/external.py): `[0]Sheet1!A1` is `Sheet1!A1`.
        sheet = sheet[sheet.index("]") + 1 :] if "]" in sheet else sheet
    return sheet, ref, formula_text.is_external_prefix(prefix)


def parse_reference(text: str) -> Area | NameRef | None:
    """One operand token as a reference, or None when it is not one (e.g. a table reference)."""
    sheet, ref, external = split_sheet(text)
    if ":" in (sheet or ""):  # a 3D reference Sheet1:Sheet3!A1: reported per sheet by the caller
        return None
    if m := _CELL_RE.match(ref):
        c, r = column_index(m[1]), int(m[2])
        return Area(sheet, r, c, r, c, external) if _valid(r, c) else None
    if m := _AREA_RE.match(ref):
        c1, r1, c2, r2 = column_index(m[1]), int(m[2]), column_index(m[3]), int(m[4])
        if not (_valid(r1, c1) and _valid(r2, c2)):
            return None
        return Area(sheet, min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2), external)
    if m := _COLS_RE.match(ref):
        c1, c2 = column_index(m[1]), column_index(m[2])
        return Area(sheet, 1, min(c1, c2), MAX_ROW, max(c1, c2), external)
    if m := _ROWS_RE.match(ref):
        r1, r2 = int(m[1]), int(m[2])
        return Area(sheet, min(r1, r2), 1, max(r1, r2), MAX_COL, external)
    if "[" not in ref and _NAME_RE.match(ref) and ref.upper() not in ("TRUE", "FALSE"):
        # A name of another workbook ([1]!Name) is no name of ours: importer/external.py reads it.
        return None if external else NameRef(ref, sheet or None)
    return None


def _valid(row: int, col: int) -> bool:
    return 1 <= row <= MAX_ROW and 1 <= col <= MAX_COL


def analyse(formula: str) -> tuple[list[Area | NameRef | TableRef], frozenset[str]]:
    """Every reference in ``formula`` and the upper-case names of the functions it calls;
    raises formula.FormulaError on unreadable text."""
    found = formula_text.read(formula)
    return of(found.operands), found.functions


def of(operands: tuple[str, ...]) -> list[Area | NameRef | TableRef]:
    """The references of operand texts (formula.Read.operands); operands that are none are left out."""
    return [ref for text in operands if (ref := _operand(text)) is not None]


# A workbook writes the same operand many times ($B$2, Rate...): 240k operands, 36k distinct, in
# a corpus file of 44k formulas. The references are frozen, so one object serves every formula.
@functools.lru_cache(maxsize=1 << 16)
def _operand(text: str) -> Area | NameRef | TableRef | None:
    return parse_reference(text) or _table_reference(text)


def _table_reference(text: str) -> TableRef | None:
    """`Table1[Col]`, `[@Col]`, `@T[A]` as a TableRef; None for anything else (`[1]Sheet!A1`)."""
    if "[" not in text or split_sheet(text)[0] is not None or not formula_text.is_structured(text):
        return None
    return TableRef(text[1:] if text.startswith("@") else text)


def extract(formula: str) -> list[Area | NameRef | TableRef]:
    """Every cell, range, defined-name and table reference in ``formula``."""
    return analyse(formula)[0]
