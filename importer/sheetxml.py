"""Stream a worksheet part with lxml, giving each cell exactly as openpyxl's parser would.

openpyxl's WorkSheetParser drives the standard library's pure-Python ElementTree handlers,
which spend most of a big import's parsing time. This reader walks the same XML with lxml's C
iterparse and applies openpyxl's own per-cell rules (numbers, shared strings, booleans, inline
strings, shared/array/data-table formulas), minus number formats: dates stay serial numbers.
tests/test_sheetxml.py checks that it agrees with openpyxl on every sheet of the corpus.

Entities are never resolved and no network is touched, so XML bombs stay inert.
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

ROW = f"{{{SHEET_MAIN_NS}}}row"
CELL = f"{{{SHEET_MAIN_NS}}}c"
VALUE = f"{{{SHEET_MAIN_NS}}}v"
FORMULA = f"{{{SHEET_MAIN_NS}}}f"
INLINE = f"{{{SHEET_MAIN_NS}}}is"
AUTO_FILTER = f"{{{SHEET_MAIN_NS}}}autoFilter"
FILTER_COLUMN = f"{{{SHEET_MAIN_NS}}}filterColumn"

Cell = dict  # {"row", "column", "value", "data_type"}, as openpyxl's parse_cell returns


class SheetReader:
    def __init__(self, shared_strings: list, data_only: bool):
        self.shared_strings = shared_strings
        self.data_only = data_only
        self.shared_formulae: dict[str, Translator] = {}
        # Read along the way, for SUBTOTAL and AGGREGATE: rows saved as hidden (1-based), and
        # the sheet's AutoFilter range when one of its columns is filtered.
        self.hidden_rows: list[int] = []
        self.filter_ref: str | None = None

    def rows(self, source: IO[bytes]) -> Iterator[tuple[int, list[Cell]]]:
        events = etree.iterparse(source, events=("start", "end"), tag=(ROW, CELL, AUTO_FILTER),
                                 resolve_entities=False, no_network=True, huge_tree=True,
                                 load_dtd=False)
        row_counter = 0
        col_counter = 0
        cells: list[Cell] = []
        for event, el in events:
            if el.tag == CELL:
                if event == "end":
                    cell = self._cell(el, row_counter, col_counter)
                    col_counter = cell["column"]
                    cells.append(cell)
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
        formula = None if self.data_only else el.find(FORMULA)
        if formula is not None:
            data_type = "f"
            value = self._formula(formula, coordinate)
        elif value is not None:
            if data_type == "n":
                value = _cast_number(value)
            elif data_type == "s":
                value = self.shared_strings[int(value)]
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
