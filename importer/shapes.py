"""Formula shapes: a formula copied down a column or across a row is read and translated once.

A model's 100,000 formulas are a few hundred formulas filled down and across: `=B2*(1+$C$1)` in
B3, `=B3*(1+$C$1)` in B4... In R1C1 notation (Microsoft's "Overview of formulas": relative,
absolute and mixed references) they are one formula, `=R[-1]C*(1+R1C3)`. Two formulas have the
same ``Shape.key`` when they are that: the same text, every reference with its relative parts
as offsets from the formula's cell and its absolute (`$`) parts as they are. Such formulas read
the same cells relative to themselves, call the same functions and carry the same literals, so
what the importer derives from one (its engine text, its operands) is the other's with the
other's references in their places: ``Template.fill``.

That holds only where the derivation passes references through as they are written. A
``Template`` is therefore made from a derivation's output only when every reference of the
source comes out unchanged and in order (extra references may appear only where they are
absolute: a defined name written as its `$A$1:$B$9`); otherwise there is none, and each formula
of the shape is derived on its own. A shape whose ranges change size when copied (`$A$1:A5`)
has no key at all, nor one with structured references, implicit intersection (`@`), another
workbook (`[1]`) or a relative range of more than ``translate.LARGE_RANGE`` cells: their reading
depends on where the formula is, as tests/test_shapes.py checks over the corpus.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from openpyxl.utils.cell import column_index_from_string

# Ranges of more cells than this are rewritten by where they are (translate._large_ranges).
from importer.translate import LARGE_RANGE

_SHEET = r"(?:'(?:[^']|'')+'|[A-Za-z0-9_.\u00C0-\uFFFF]+)!"
_CELL = r"(\$?)([A-Za-z]{1,3})(\$?)([0-9]+)"
_TOKEN = re.compile(
    # a reference, with its sheet: a cell, a range of cells, whole columns or whole rows
    rf"(?P<ref>(?:{_SHEET})?(?:{_CELL}(?::{_CELL})?|(\$?)([A-Za-z]{{1,3}}):(\$?)([A-Za-z]{{1,3}})"
    r"|(\$?)([0-9]+):(\$?)([0-9]+)))(?![A-Za-z0-9_.(!\[])"
    # what holds no reference: strings, quoted names, words, numbers, operators
    r"|\"(?:[^\"]|\"\")*\"|'(?:[^']|'')*'|[A-Za-z0-9_\\.\u00C0-\uFFFF]+"
    # what is read by position: a structured or external reference, implicit intersection
    r"|(?P<positional>[@\[])"
    r"|.",
    re.DOTALL,
)


@dataclass(frozen=True, slots=True)
class Shape:
    key: str  # the formula with each reference as offsets from its cell
    refs: tuple[str, ...]  # its references' text, in order


def of(formula: str, row: int, col: int) -> Shape | None:
    """The shape of the formula in (row, col), or None when it has none (see the module)."""
    parts: list[str] = []
    refs: list[str] = []
    last = 0
    for m in _TOKEN.finditer(formula):
        if m.lastgroup == "positional":
            return None
        if m.lastgroup != "ref":
            continue
        relative = _relative(m, row, col)
        if relative is None:
            return None
        parts += (formula[last : m.start()], relative)
        refs.append(m[0])
        last = m.end()
    parts.append(formula[last:])
    return Shape("\x00".join(parts), tuple(refs))


def _relative(m: re.Match, row: int, col: int) -> str | None:
    """One reference as offsets; None for a range whose size changes when it is copied, a
    range of more than LARGE_RANGE cells, or another workbook's cells."""
    text = m[0]
    prefix = text[: text.rindex("!") + 1] if "!" in text else ""
    if "[" in prefix:
        return None
    g = m.groups()[1:]  # after `ref`: 4 groups per cell, then whole columns, then whole rows
    if g[1] is not None:  # a cell or a range of cells
        c1, r1 = _column(g[1]), int(g[3])
        first = f"C{_axis(g[0], c1, col)}R{_axis(g[2], r1, row)}"
        if g[5] is None:
            return prefix + first
        c2, r2 = _column(g[5]), int(g[7])
        if (g[0], g[2]) != (g[4], g[6]):
            return None
        if (abs(c2 - c1) + 1) * (abs(r2 - r1) + 1) > LARGE_RANGE and not (g[0] and g[2]):
            return None  # cut to the used area by where it is; an absolute one is cut alike everywhere
        return f"{prefix}{first}:C{_axis(g[4], c2, col)}R{_axis(g[6], r2, row)}"
    if g[9] is not None:  # whole columns: every row, wherever the formula is
        if g[8] != g[10]:
            return None
        return f"{prefix}C{_axis(g[8], _column(g[9]), col)}:C{_axis(g[10], _column(g[11]), col)}"
    if g[12] != g[14]:  # whole rows
        return None
    return f"{prefix}R{_axis(g[12], int(g[13]), row)}:R{_axis(g[14], int(g[15]), row)}"


def _axis(dollar: str, value: int, here: int) -> str:
    return f"{value}" if dollar else f"[{value - here}]"


def _column(letters: str) -> int:
    return column_index_from_string(letters.upper())


@dataclass(frozen=True, slots=True)
class Template:
    """Text derived from a formula, with that formula's references as numbered slots."""

    pieces: tuple[str | int, ...]

    def fill(self, refs: tuple[str, ...]) -> str:
        return "".join(p if isinstance(p, str) else refs[p] for p in self.pieces)


def template(derived: str, refs: tuple[str, ...]) -> Template | None:
    """``derived`` (from the formula whose references are ``refs``) as a Template, or None when
    the derivation did not pass every reference through unchanged and in order."""
    pieces: list[str | int] = []
    last, slot = 0, 0
    for m in _TOKEN.finditer(derived):
        if m.lastgroup != "ref":
            continue
        text = m[0]
        if slot < len(refs) and text == refs[slot]:
            pieces += (derived[last : m.start()], slot)
            slot += 1
            last = m.end()
        elif not _absolute(m):
            return None  # a reference of the derivation's own that depends on where it is
    if slot != len(refs):
        return None
    pieces.append(derived[last:])
    return Template(tuple(pieces))


def _absolute(m: re.Match) -> bool:
    """Every row and column of the reference fixed with `$`."""
    g = m.groups()[1:]
    if g[1] is not None:
        return bool(g[0] and g[2] and (g[5] is None or (g[4] and g[6])))
    if g[9] is not None:
        return bool(g[8] and g[10])
    return bool(g[12] and g[14])


def slots(parts: tuple[str, ...], refs: tuple[str, ...]) -> tuple[str | int, ...] | None:
    """Parts of a formula (its operands, say) with each that is one of its references, in
    order, as that reference's slot; None unless every reference is one part and no other part
    holds a reference."""
    out: list[str | int] = []
    slot = 0
    for part in parts:
        if slot < len(refs) and part == refs[slot]:
            out.append(slot)
            slot += 1
        elif any(m.lastgroup == "ref" for m in _TOKEN.finditer(part)):
            return None
        else:
            out.append(part)
    return tuple(out) if slot == len(refs) else None
