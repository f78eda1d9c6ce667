"""Stream a worksheet part with lxml, giving each cell exactly as openpyxl's parser would.

openpyxl's WorkSheetParser drives the standard library's pure-Python ElementTree handlers,
which spend most of a big import's parsing time. This reader walks the same XML with lxml's C
iterparse and applies openpyxl's own per-cell rules (numbers, shared strings, booleans, inline
strings, shared/array/data-table formulas), minus number formats: dates stay serial numbers.
tests/test_sheetxml.py checks that it agrees with openpyxl on every sheet of the corpus.

Entities are never resolved and no network is touched, a part with a DTD is refused, and
comments are dropped as they are parsed, so XML bombs and padding stay inert. The budget
(importer.archive.Budget) counts cells and shared strings as they stream, and cells outside
Excel's grid (past XFD or row 1,048,576) are refused with their reference.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from lxml import etree
from openpyxl.cell.text import Text
from openpyxl.formula.translate import Translator
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.utils.datetime import from_ISO8601
from openpyxl.worksheet._reader import _cast_number
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula
from openpyxl.xml.constants import SHEET_MAIN_NS

from importer import archive
from importer.errors import InvalidWorkbook

ROW = f"{{{SHEET_MAIN_NS}}}row"
CELL = f"{{{SHEET_MAIN_NS}}}c"
VALUE = f"{{{SHEET_MAIN_NS}}}v"
FORMULA = f"{{{SHEET_MAIN_NS}}}f"
INLINE = f"{{{SHEET_MAIN_NS}}}is"
AUTO_FILTER = f"{{{SHEET_MAIN_NS}}}autoFilter"
FILTER_COLUMN = f"{{{SHEET_MAIN_NS}}}filterColumn"
STRING_ITEM = f"{{{SHEET_MAIN_NS}}}si"
TEXT = f"{{{SHEET_MAIN_NS}}}t"
RUN = f"{{{SHEET_MAIN_NS}}}r"
MAX_ROW = 1_048_576  # Excel's grid: rows 1 to 1,048,576, columns A to XFD
MAX_COLUMN = 16_384

Cell = dict  # {"row", "column", "value", "data_type"}, as openpyxl's parse_cell returns


def _events(source: IO[bytes], tag) -> etree.iterparse:
    return etree.iterparse(
        source,
        events=("start", "end"),
        tag=tag,
        resolve_entities=False,
        no_network=True,
        huge_tree=True,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,
    )


def _refuse_dtd(el, part: str | None) -> None:
    """Excel never writes a DTD; one is only there to declare entities (an XML bomb)."""
    if el.getroottree().docinfo.doctype:
        raise InvalidWorkbook(archive.XML_BOMB, stage="parsing", part=part)


def read_shared_strings(
    source: IO[bytes], budget: archive.Budget | None = None, part: str | None = None
) -> list[str]:
    """The shared strings table, as openpyxl's read_string_table gives it (text only).

    Each <si> is read and dropped as it ends, counted against the budget (how many, how many
    characters); an unused string costs one short str.
    """
    budget = budget or archive.Budget()
    strings: list[str] = []
    checked = False
    for event, el in _events(source, (STRING_ITEM,)):
        if not checked:
            _refuse_dtd(el, part)
            checked = True
        if event == "start":
            continue
        text = el.findtext(TEXT)
        if text is None or len(el) > 1:
            text = "".join(
                [t.text or "" for t in el.iterchildren(TEXT)]
                + [run.findtext(TEXT) or "" for run in el.iterchildren(RUN)]
            )
        text = text.replace("x005F_", "")
        budget.add_string(text)
        strings.append(text)
        el.clear()
        while el.getprevious() is not None:
            del el.getparent()[0]
    return strings


class SheetReader:
    def __init__(
        self, shared_strings: list, data_only: bool, budget: archive.Budget | None = None, sheet: str = ""
    ):
        self.shared_strings = shared_strings
        self.data_only = data_only
        # Counts the cells of this read (give it to one of a sheet's two reads, not both).
        self.budget = budget
        self.sheet = sheet
        self.shared_formulae: dict[str, Translator] = {}
        # Read along the way, for SUBTOTAL and AGGREGATE: rows saved as hidden (1-based), and
        # the sheet's AutoFilter range when one of its columns is filtered.
        self.hidden_rows: list[int] = []
        self.filter_ref: str | None = None

    def rows(self, source: IO[bytes]) -> Iterator[tuple[int, list[Cell]]]:
        row_counter = 0
        col_counter = 0
        cells: list[Cell] = []
        checked = False
        for event, el in _events(source, (ROW, CELL, AUTO_FILTER)):
            if not checked:
                _refuse_dtd(el, self.sheet)
                checked = True
            if el.tag == CELL:
                if event == "end":
                    cell = self._cell(el, row_counter, col_counter)
                    col_counter = cell["column"]
                    cells.append(cell)
                    if self.budget is not None and cell["value"] is not None:
                        self.budget.add_cell(self.sheet, el.get("r") or f"R{cell['row']}C{col_counter}")
                continue
            if el.tag == AUTO_FILTER:
                if event == "end" and el.find(FILTER_COLUMN) is not None:
                    self.filter_ref = el.get("ref")
                continue
            if event == "start":
                r = el.get("r")
                row_counter = _row_number(r) if r is not None else row_counter + 1
                if el.get("hidden") in ("1", "true"):
                    self.hidden_rows.append(row_counter)
                col_counter = 0
                cells = []
            else:
                yield row_counter, cells
                el.clear()
                parent = el.getparent()
                while el.getprevious() is not None:
                    del parent[0]

    def _cell(self, el, row_counter: int, col_counter: int) -> Cell:
        data_type = el.get("t", "n")
        coordinate = el.get("r")
        if data_type == "inlineStr":
            value = None
        else:
            value = el.findtext(VALUE, None) or None
        if coordinate:
            row, column = coordinate_to_tuple(coordinate)
        else:
            row, column = row_counter, col_counter + 1
        if not (0 < row <= MAX_ROW and 0 < column <= MAX_COLUMN):
            where = coordinate or f"row {row}, column {column}"
            raise InvalidWorkbook(
                f"Cell {where} of sheet {self.sheet or '?'} is outside Excel's grid (A1:XFD1048576).",
                stage="parsing",
                sheet=self.sheet,
                cell=where,
            )
        formula = None if self.data_only else el.find(FORMULA)
        if formula is not None:
            data_type = "f"
            value = self._formula(formula, coordinate)
        elif value is not None:
            if data_type == "n":
                value = _cast_number(value)
            elif data_type == "s":
                value = self._shared_string(value, coordinate)
            elif data_type == "b":
                value = bool(int(value))
            elif data_type == "str":
                data_type = "s"
            elif data_type == "d":
                value = from_ISO8601(value)
        elif data_type == "inlineStr":
            child = el.find(INLINE)
            if child is not None:
                data_type = "s"
                value = Text.from_tree(child).content
        return {"row": row, "column": column, "value": value, "data_type": data_type}

    def _shared_string(self, index: str, coordinate: str | None) -> str:
        try:
            position = int(index)
            if position < 0:
                raise IndexError(position)
            return self.shared_strings[position]
        except IndexError:
            raise InvalidWorkbook(
                f"Cell {coordinate} of sheet {self.sheet or '?'} points to shared string {index}, "
                f"but the workbook has {len(self.shared_strings):,}.",
                stage="parsing",
                sheet=self.sheet,
                cell=coordinate,
            ) from None

    def _formula(self, formula, coordinate: str | None):
        kind = formula.get("t")
        value = "=" + (formula.text or "")
        if kind == "array":
            return ArrayFormula(ref=formula.get("ref"), text=value)
        if kind == "shared":
            idx = formula.get("si")
            if idx in self.shared_formulae:
                return self.shared_formulae[idx].translate_formula(coordinate)
            if value != "=":
                self.shared_formulae[idx] = Translator(value, coordinate)
            return value
        if kind == "dataTable":
            return DataTableFormula(**dict(formula.attrib))
        return value


def _row_number(r: str) -> int:
    try:
        return int(r)
    except ValueError:
        value = float(r)
        if value.is_integer():
            return int(value)
        raise ValueError(f"{r} is not a valid row number") from None
