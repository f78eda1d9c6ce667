"""The references inside a formula: cells, ranges, other sheets, defined names.

Built on openpyxl's formula tokenizer, so string literals are never mistaken for references.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from openpyxl.formula.tokenizer import Token, Tokenizer, TokenizerError

from importer.errors import BadInput

MAX_ROW = 1_048_576
MAX_COL = 16_384

_CELL = r"\$?([A-Za-z]{1,3})\$?(\d+)"
_CELL_RE = re.compile(rf"^{_CELL}$")
_AREA_RE = re.compile(rf"^{_CELL}:{_CELL}$")
_COLS_RE = re.compile(r"^\$?([A-Za-z]{1,3}):\$?([A-Za-z]{1,3})$")
_ROWS_RE = re.compile(r"^\$?(\d+):\$?(\d+)$")
_NAME_RE = re.compile(r"^[A-Za-z_\\][\w.\\?]*$")


class ReferenceError_(BadInput):
    """The formula could not be tokenized."""

    code = "formula_error"


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
    """'Sheet 1'!A1 -> ('Sheet 1', 'A1', external?)."""
    if "!" not in text:
        return None, text, False
    prefix, _, ref = text.rpartition("!")
    external = "[" in prefix
    if prefix.startswith("'") and prefix.endswith("'"):
        prefix = prefix[1:-1].replace("''", "'")
    if external:
        # [0] is the workbook itself (importer/external.py): `[0]Sheet1!A1` is `Sheet1!A1`.
        external = not prefix.startswith("[0]")
        prefix = prefix[prefix.index("]") + 1 :] if "]" in prefix else prefix
    return prefix, ref, external


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


def tokens(formula: str) -> list[Token]:
    try:
        return Tokenizer(formula).items
    except (TokenizerError, IndexError, ValueError) as exc:
        raise ReferenceError_(f"Cannot read formula {formula[:80]!r}: {exc}") from exc


# Formulas without strings, quotes, brackets, errors or spaces are scanned by one regex (the
# common case, and a hot path); anything else goes through openpyxl's tokenizer. A test checks
# on the corpus that both give the same answer wherever the fast path applies.
_PLAIN = re.compile(r"^=[A-Za-z0-9$:!+\-*/^(),.<>=&%_]*$")
_IDENT = r"[A-Za-z_][A-Za-z0-9_.]*"
_SCAN = re.compile(
    rf"(?P<func>{_IDENT})\("
    rf"|(?P<ref>(?:{_IDENT}!)?(?:\$?[A-Za-z]{{1,3}}\$?[0-9]+(?::\$?[A-Za-z]{{1,3}}\$?[0-9]+)?"
    rf"|\$?[A-Za-z]{{1,3}}:\$?[A-Za-z]{{1,3}}|\$?[0-9]+:\$?[0-9]+))(?![A-Za-z0-9_.(!])"
    rf"|(?P<name>(?:{_IDENT}!)?{_IDENT})(?![A-Za-z0-9_.(!])"
    r"|(?P<num>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?)"
    r"|(?P<other>.)"
)
_STRING = re.compile(r'"[^"]*"')
_PREFIXES = ("_XLFN._XLWS.", "_XLFN.", "_XLWS.", "_XLUDF.")


def _function_name(text: str) -> str:
    name = text.upper()
    for prefix in _PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def analyse(formula: str) -> tuple[list[Area | NameRef | TableRef], set[str]]:
    """Every reference in ``formula`` and the upper-case names of the functions it calls."""
    if formula.startswith("{") and formula.endswith("}"):
        formula = formula[1:-1]
    plain = _STRING.sub("0", formula) if '"' in formula else formula  # strings hold no references
    if _PLAIN.match(plain):
        return _scanned(plain)
    return _tokenized(formula)


def _scanned(formula: str) -> tuple[list[Area | NameRef | TableRef], set[str]]:
    refs: list[Area | NameRef | TableRef] = []
    funcs: set[str] = set()
    for m in _SCAN.finditer(formula, 1):
        kind = m.lastgroup
        if kind == "func":
            funcs.add(_function_name(m["func"]))
        elif kind in ("ref", "name"):
            ref = parse_reference(m[kind])
            if ref is not None:
                refs.append(ref)
    return refs, funcs


def _tokenized(formula: str) -> tuple[list[Area | NameRef | TableRef], set[str]]:
    refs: list[Area | NameRef | TableRef] = []
    funcs: set[str] = set()
    for tok in tokens(formula):
        if tok.type == Token.OPERAND and tok.subtype == Token.RANGE:
            ref = parse_reference(tok.value) or _table_reference(tok.value)
            if ref is not None:
                refs.append(ref)
        elif tok.type == Token.FUNC and tok.subtype == Token.OPEN:
            funcs.add(_function_name(tok.value[:-1]))
    return refs, funcs


_TABLE_REF = re.compile(r"^@?(?:[A-Za-z_\\][\w.\\?]*)?\[.*\]$", re.DOTALL)


def _table_reference(text: str) -> TableRef | None:
    """`Table1[Col]`, `[@Col]`, `@T[A]` as a TableRef; None for anything else (`[1]Sheet!A1`)."""
    if split_sheet(text)[0] is not None or not _TABLE_REF.match(text):
        return None
    return TableRef(text[1:] if text.startswith("@") else text)


def extract(formula: str) -> list[Area | NameRef | TableRef]:
    """Every cell, range, defined-name and table reference in ``formula``."""
    return analyse(formula)[0]


def functions(formula: str) -> set[str]:
    """Upper-case names of the functions a formula calls, without _xlfn.-style prefixes."""
    return analyse(formula)[1]


def is_external(formula: str) -> bool:
    """Whether the formula refers to another workbook ([1]Sheet1!A1)."""
    return any(
        tok.type == Token.OPERAND and tok.subtype == Token.RANGE and split_sheet(tok.value)[2]
        for tok in tokens(formula.strip("{}"))
    )
