"""External workbook references: the values Excel last read from other workbooks.

`='[1]Data Sheet'!B41` reads another workbook. Excel keeps what it last read in the file
(ECMA-376 Part 1, §18.14 External Workbook References): xl/workbook.xml lists the links in
<externalReferences>, in order ([1] is the first), and each link part
(xl/externalLinks/externalLinkN.xml) holds an <externalBook> with the linked book's
<sheetNames>, its <definedNames> and a <sheetDataSet> of cached cells. When links are not
refreshed Excel computes with those values, and so do we. They are inputs the file carries,
like constants, never a formula cell's own cached value.

The engine sees each linked sheet as a hidden sheet (Links.engine_sheets: names longer than
Excel's 31 characters, so no real sheet can have one), and formula text is rewritten to read
it (engine_reference, called by translate.py). A reference whose value the file does not keep
(a book, sheet, name or cell the cache lacks) makes its cell, and only the cells that depend on
it, `external_link` (lacks_value, called by graph.py).

Forms read: [1]Sheet1!A1, '[1]Data Sheet'!$B$41, [1]Sheet1!A1:C9, whole columns and rows,
[1]!Name and [1]Sheet1!Name (the link's <definedNames>), [1]Sheet1:Sheet3!A1 (3D, as a whole
function argument), [0]Sheet1!A1 and [0]!Name (the workbook itself, which some writers emit),
[Book1.xlsx]Sheet1!A1 and 'C:\\dir\\[Book1.xlsx]Sheet1'!A1 (the linked file by its name).
Cached cells: t="n" (the default), "b", "e", "str" and "s" (the text of <v>, as Excel writes
link caches; a cell with no <v> is empty).
A range's cells that the cache does not list are read as empty, as long as it lists at least one
cell of that range: a range of which it lists none has no value. Not read: DDE and OLE links
(<ddeLink>, <oleLink>), whose references stay `external_link`.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote as url_unquote

from importer import formula as formula_text
from importer import references, values
from importer.values import Value

# Longer than any sheet name Excel allows (31 characters): cannot clash with a real sheet.
ENGINE_SHEET = "CAPITALLENS_EXTERNAL_LINK_{book}_SHEET_{sheet}"

_PREFIX = re.compile(r"^(?P<path>[^\[]*)\[(?P<book>[^\]]*)\](?P<sheet>[^\[\]]*)$", re.DOTALL)


@dataclass
class Book:
    """One <externalBook>: the linked workbook as the file last cached it."""

    index: int  # 1-based, as formulas write it: [1]
    file_name: str = ""  # the linked file's name (its path's last segment), for [Book1.xlsx]
    sheets: list[str] = field(default_factory=list)
    cells: list[dict[tuple[int, int], Value]] = field(default_factory=list)  # per sheet, (row, col)
    names: dict[tuple[int | None, str], str] = field(default_factory=dict)  # (sheet, NAME) -> refersTo
    engine_sheets: list[str | None] = field(default_factory=list)  # None: nothing cached there

    def position(self, sheet: str) -> int | None:
        folded = sheet.casefold()
        return next((k for k, name in enumerate(self.sheets) if name.casefold() == folded), None)


@dataclass
class Links:
    """Every external book of a workbook, in <externalReferences> order."""

    books: list[Book] = field(default_factory=list)
    _covered: dict = field(default_factory=dict, repr=False)  # (book, sheets, ref) -> has a value
    _rows: dict = field(default_factory=dict, repr=False)  # (book, sheet) -> {row: [cols]}

    def name_engine_sheets(self, own_sheets: list[str]) -> None:
        """Give each linked sheet that has cached cells its engine sheet name, unlike every sheet
        of the workbook. Sheets with nothing cached get none: fewer sheets for SHEETS() to count."""
        taken = {s.casefold() for s in own_sheets}
        for book in self.books:
            book.engine_sheets = []
            for k in range(len(book.sheets)):
                if not book.cells[k]:
                    book.engine_sheets.append(None)
                    continue
                name = ENGINE_SHEET.format(book=book.index, sheet=k + 1)
                while name.casefold() in taken:
                    name += "_"
                taken.add(name.casefold())
                book.engine_sheets.append(name)

    def engine_sheets(self) -> list[tuple[str, dict[tuple[int, int], Value]]]:
        return [
            (name, cells)
            for b in self.books
            for name, cells in zip(b.engine_sheets, b.cells, strict=True)
            if name is not None
        ]

    def book(self, key: str) -> Book | None:
        """`1` -> the first book; `Book1.xlsx` -> the book linked to a file of that name."""
        if key.isdigit():
            k = int(key)
            return self.books[k - 1] if 1 <= k <= len(self.books) else None
        folded = key.casefold()
        return next((b for b in self.books if b.file_name and b.file_name.casefold() == folded), None)


# -- Reading the link parts ------------------------------------------------------------------


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def parse_book(root, index: int, file_name: str, count_cell: Callable[[str, str], None]) -> Book:
    """An <externalLink> element (parsed XML) as a Book; ``count_cell`` budgets each cell."""
    book = Book(index=index, file_name=file_name)
    external_book = next((e for e in root if _local(e.tag) == "externalBook"), None)
    if external_book is None:
        return book  # a DDE or OLE link: nothing cached that formulas can read
    for part in external_book:
        kind = _local(part.tag)
        if kind == "sheetNames":
            book.sheets = [e.get("val") or "" for e in part if _local(e.tag) == "sheetName"]
            book.cells = [{} for _ in book.sheets]
        elif kind == "definedNames":
            for e in part:
                if _local(e.tag) == "definedName" and e.get("name"):
                    sheet = e.get("sheetId")
                    key = (int(sheet) if sheet and sheet.isdigit() else None, e.get("name").upper())
                    if e.get("refersTo"):
                        book.names[key] = e.get("refersTo").lstrip("=")
        elif kind == "sheetDataSet":
            for sheet_data in part:
                if _local(sheet_data.tag) != "sheetData":
                    continue
                sheet_id = int(sheet_data.get("sheetId", "-1"))
                if not 0 <= sheet_id < len(book.cells):
                    continue
                cells = book.cells[sheet_id]
                for row in sheet_data:
                    for cell in row:
                        if _local(cell.tag) == "cell" and cell.get("r"):
                            count_cell(f"[{index}]{book.sheets[sheet_id]}", cell.get("r"))
                            _add_cell(cells, cell)
    return book


def _add_cell(cells: dict, cell) -> None:
    found = references.parse_reference(cell.get("r"))
    if not isinstance(found, references.Area):
        return
    v = next((e.text for e in cell if _local(e.tag) == "v"), None)
    kind = cell.get("t", "n")
    if v is None:
        value = values.EMPTY
    elif kind == "b":
        value = values.boolean(v.strip() not in ("0", "false", ""))
    elif kind == "e":
        value = values.error(v.strip())
    elif kind in ("str", "s", "inlineStr"):
        value = values.from_cell(v, "s")
    else:
        value = values.number(float(v))
    cells[(found.min_row, found.min_col)] = value


def file_name_of(target: str) -> str:
    """The last segment of an externalLinkPath target (`file:///C:\\a\\B%20c.xlsx` -> `B c.xlsx`)."""
    return posixpath.basename(url_unquote(target).replace("\\", "/"))


# -- References ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Cells:
    book: Book
    sheets: tuple[int, ...]  # positions in book.sheets
    ref: str  # A1, $A$1:$C$9, A:A, 1:3


@dataclass(frozen=True)
class _Own:
    text: str  # the reference without its [0]: the workbook itself


def _resolve(prefix: str, rest: str, links: Links | None) -> _Cells | _Own | None:
    """What `prefix!rest` reads; None when the file keeps no value for it."""
    m = _PREFIX.match(formula_text.unquote(prefix))
    if m is None:
        return None
    sheet = m["sheet"]
    if m["book"] == "0":
        if not sheet:
            return _Own(rest)
        quoted = "'" + sheet.replace("'", "''") + "'"
        return _Own(quoted + "!" + rest)
    book = links.book(m["book"]) if links is not None else None
    if book is None:
        return None
    if not formula_text.is_a1_reference(rest):
        return _name(book, sheet, rest)
    ends = [book.position(s) for s in sheet.split(":")] if sheet else [None]
    if None in ends or len(ends) > 2:
        return None
    return _Cells(book, tuple(range(min(ends), max(ends) + 1)), rest)


def _name(book: Book, sheet: str, name: str) -> _Cells | None:
    """A name defined in the linked book: its refersTo, when it is one reference there."""
    position = book.position(sheet) if sheet else None
    if sheet and position is None:
        return None
    refers_to = book.names.get((position, name.upper())) or book.names.get((None, name.upper()))
    if not refers_to or "!" not in refers_to:
        return None
    target_sheet, _, ref = refers_to.rpartition("!")
    target = book.position(formula_text.unquote(target_sheet))
    if target is None or not formula_text.is_a1_reference(ref):
        return None
    return _Cells(book, (target,), ref)


def _covered(found: _Cells, links: Links) -> bool:
    """Whether the cache keeps a value for every cell the reference reads (see the module's
    docstring for ranges)."""
    key = (found.book.index, found.sheets, found.ref)
    known = links._covered.get(key)
    if known is None:
        area = references.parse_reference(found.ref)
        known = isinstance(area, references.Area) and all(
            _holds(found.book, position, area, links) for position in found.sheets
        )
        links._covered[key] = known
    return known


def _holds(book: Book, position: int, area: references.Area, links: Links) -> bool:
    """A single cell: cached. A range: at least one of its cells cached."""
    cells = book.cells[position]
    if (area.min_row, area.min_col) == (area.max_row, area.max_col):
        return (area.min_row, area.min_col) in cells
    rows = links._rows.get((book.index, position))
    if rows is None:  # row -> its cached columns, built once per sheet
        rows = {}
        for r, c in cells:
            rows.setdefault(r, []).append(c)
        links._rows[(book.index, position)] = rows
    span = range(area.min_row, area.max_row + 1)
    present = (r for r in span if r in rows) if len(span) < len(rows) else (r for r in rows if r in span)
    return any(area.min_col <= c <= area.max_col for r in present for c in rows[r])


def engine_reference(prefix: str, rest: str, links: Links | None, whole_argument: bool) -> tuple[str, bool]:
    """Engine text for an external reference, and whether it is a reference to the workbook
    itself ([0]), which the caller translates as any other. #REF! where the file keeps
    nothing to read (graph.py makes such cells `external_link`)."""
    found = _resolve(prefix, rest, links)
    if isinstance(found, _Own):
        return found.text, True
    if found is None or (len(found.sheets) > 1 and not whole_argument):
        return "#REF!", False
    if any(found.book.engine_sheets[p] is None for p in found.sheets):
        return "#REF!", False  # a sheet with nothing cached: no value (graph.py)
    return ",".join(f"{found.book.engine_sheets[p]}!{found.ref}" for p in found.sheets), False


def lacks_value(formula: str, links: Links | None, operands: tuple[str, ...] | None = None) -> bool:
    """Whether the formula reads another workbook's cell whose value the file does not keep.
    ``operands``: the formula's reference operands when the caller has read them already
    (formula.read), so that it is not tokenized twice."""
    if not formula_text.mentions_external(formula):
        return False
    if operands is None:
        try:
            operands = formula_text.read(formula).operands
        except formula_text.FormulaError:
            return False
    for operand in operands:
        for part in _parts(operand.lstrip("@")):
            prefix, rest = formula_text.split_sheet(part)
            if prefix is None or "[" not in prefix:
                continue
            found = _resolve(prefix, rest, links)
            if found is None or (isinstance(found, _Cells) and not _covered(found, links)):
                return True
    return False


_CELL_THEN_OTHER = re.compile(r"^(\$?[A-Za-z]{1,3}\$?\d+):(.+!.+)$", re.DOTALL)


def _parts(text: str) -> list[str]:
    """`A2:'[2]S'!A2` -> ["A2", "'[2]S'!A2"] and `[1]S!A1:[1]S!C9` -> both sides: the sides of
    a range operator inside one token, each with its own sheet part. Other text, whole."""
    if m := _CELL_THEN_OTHER.match(text):
        return [m[1], *_parts(m[2])]
    prefix, rest = formula_text.split_sheet(text)
    if prefix is not None and "!" in rest and ":" in rest:
        left, _, right = rest.partition(":")
        return [prefix + "!" + left, *_parts(right)]
    return [text]
