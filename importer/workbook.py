"""Read a workbook twice with openpyxl: once for formulas, once for Excel's cached values.

openpyxl reads the package's manifest, workbook.xml (sheets, names, calculation settings) and
properties; the shared strings and both passes over each sheet stream through our lxml reader
(importer.sheetxml), so memory grows with the number of non-empty cells, not with the sheets'
dimensions. Every part is read through importer.archive, within the per-job budgets (bytes per
part and per workbook, cells, shared strings, worker memory) counted while it streams. Parts we
do not use (styles, theme, chartsheets, drawings) are never read. Number formats are ignored on
purpose: dates arrive as the serial numbers Excel stored, never as a datetime round trip.
"""

from __future__ import annotations

import heapq
import io
import posixpath
import warnings
import zipfile
import zlib
from bisect import bisect_right, insort
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from lxml import etree
from openpyxl.chartsheet import Chartsheet
from openpyxl.reader.excel import ExcelReader, _find_workbook_part
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.datetime import CALENDAR_MAC_1904
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula
from openpyxl.xml.constants import SHARED_STRINGS

from importer import archive, external, limits, sheetxml, values, values_pass
from importer.errors import CapitalLensError, InvalidWorkbook, WorkbookTooLarge
from importer.translate import Table
from importer.values import Value

# Kinds of cell, as the engine must treat them.
CONSTANT = "constant"  # an input: the engine sees its value
FORMULA = "formula"  # the engine computes it from the formula
ARRAY_MEMBER = "array_member"  # part of a multi-cell array formula's result; the engine spills it
DATA_TABLE = "data_table"  # part of a what-if data table {=TABLE(...)}

Progress = Callable[[float, str], None]


@dataclass(slots=True)
class CellRecord:
    row: int  # 1-based
    col: int  # 1-based
    kind: str
    formula: str | None  # as in the file, with its leading '='; '{=...}' for array formulas
    raw: Value  # the value Excel cached in the file
    constant: Value | None = None  # for constants: the value the engine sees
    array_ref: str | None = None  # for an array formula's top-left cell: the range it fills
    # ...and the last row and column of that range holding a cell the file saves (the anchor at
    # least): the engine need compute no further than this, plus what other formulas read.
    array_saved: tuple[int, int] | None = None


@dataclass(slots=True)
class Sheet:
    name: str
    cells: list[CellRecord] = field(default_factory=list)
    state: str = "visible"
    hidden_rows: tuple[int, ...] = ()  # 1-based, as saved (row hidden="1")
    filtered_rows: tuple[int, ...] = ()  # the hidden rows an AutoFilter hides


@dataclass(frozen=True, slots=True)
class DefinedName:
    name: str
    scope: str | None  # sheet name for sheet-scoped names
    value: str  # the formula text, without '='


@dataclass(frozen=True, slots=True)
class DataTable:
    """A what-if data table {=TABLE(row_input, col_input)}: its result cells and input cells."""

    sheet: str
    ref: str  # the result cells, e.g. "F10:U33"; the formula(s) and input values border it
    row_input: str | None  # the cell that takes each value of the row above the results
    col_input: str | None  # the cell that takes each value of the column left of the results


@dataclass(frozen=True, slots=True)
class Pivot:
    """A pivot table (xl/pivotTables/pivotTableN.xml) with its cache's fields and records, for
    GETPIVOTDATA (hyperformula/functions/pivot.js). Fields and axes by cache field index."""

    sheet: str
    ref: str  # the pivot's location, e.g. "A3:C10"
    name: str
    fields: tuple[str, ...]  # cache field names
    row_fields: tuple[int, ...]
    col_fields: tuple[int, ...]
    page_fields: tuple[int, ...]
    data_fields: tuple[tuple[str, int, str], ...]  # (name, cache field, subtotal)
    records: tuple[tuple[Any, ...], ...]  # one value per cache field: number, text, bool or None


@dataclass(slots=True)
class ParsedWorkbook:
    sheets: list[Sheet]
    names: list[DefinedName]
    tables: list[Table]
    calc: dict[str, Any]
    date1904: bool
    has_vba: bool
    external_links: int
    data_tables: list[DataTable] = field(default_factory=list)
    # docProps/app.xml <Application>, e.g. "Microsoft Macintosh Excel": CHAR and CODE use the
    # Mac character set there and Windows-1252 elsewhere.
    application: str = ""
    # docProps/core.xml <dcterms:modified>, the save time as written (W3CDTF, UTC), or None.
    modified: str | None = None
    # The values cached from other workbooks (xl/externalLinks/*.xml), see importer/external.py.
    links: external.Links = field(default_factory=external.Links)
    pivots: list[Pivot] = field(default_factory=list)

    @property
    def cell_count(self) -> int:
        return sum(len(s.cells) for s in self.sheets)

    @property
    def formula_count(self) -> int:
        return sum(1 for s in self.sheets for c in s.cells if c.kind != CONSTANT)


def sniff(data: bytes) -> str | None:
    """What the bytes look like when they are not an OOXML workbook, or None when they are."""
    what = _sniff_bytes(data)
    if what:
        return what
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = zf.namelist()
    except _ZIP_ERRORS as exc:
        return _damaged_zip(exc)
    return _sniff_names(names)


_ZIP_ERRORS = (zipfile.BadZipFile, EOFError, ValueError)


def _sniff_bytes(data: bytes) -> str | None:
    """What the bytes look like when they are not a zip archive, or None when they may be one."""
    if not data:
        return "an empty file"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        # The compound file's directory may sit anywhere in the file: search all of it.
        if "EncryptionInfo".encode("utf-16-le") in data:
            return "an encrypted (password-protected) Excel file"
        return "a legacy Excel 97-2003 .xls file (OLE2)"
    if data.startswith(b"%PDF"):
        return "a PDF document"
    if not data.startswith(b"PK"):
        head = data[:4096]
        try:
            decoded = head.decode("utf-8")
        except UnicodeDecodeError:
            return "binary data that is not a zip archive"
        if "<html" in decoded.lower():
            return "an HTML page"
        if "," in decoded or ";" in decoded or "\t" in decoded:
            return "a CSV or other text file"
        return "a text file"
    return None


def _damaged_zip(exc: BaseException) -> str:
    return f"a damaged or truncated zip archive ({exc})"


def _sniff_names(names) -> str | None:
    """What a zip archive holding these parts is when it is not an OOXML workbook, or None."""
    names = set(names)
    if "xl/workbook.bin" in names:
        return "an Excel binary workbook (.xlsb)"
    if "xl/workbook.xml" not in names:
        return "a zip archive that is not an Excel workbook"
    return None


def _not_a_workbook(what: str) -> InvalidWorkbook:
    return InvalidWorkbook(
        f"This file is {what}, not an Excel workbook (.xlsx or .xlsm). "
        "Save it from Excel as .xlsx and try again.",
        stage="parsing",
        looks_like=what,
    )


def _has_vba_part(part_names) -> bool:
    return any(n.lower().endswith("vbaproject.bin") for n in part_names)


def has_vba(data: bytes) -> bool:
    """Whether an OOXML package carries a VBA project (an .xlsm's macros)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return _has_vba_part(zf.namelist())


def read(data: bytes, progress: Progress | None = None) -> ParsedWorkbook:
    """Parse a workbook: formulas and constants from one pass, cached values from the other.

    The zip's directory is read once (the archive both sniffs and serves the parts), each part
    is decompressed once, and each worksheet twice (formulas, then cached values) plus, for a
    workbook large enough to need it, one scan that counts its cells before any is parsed."""
    what = _sniff_bytes(data)
    if what:
        raise _not_a_workbook(what)
    progress = progress or (lambda fraction, message: None)
    with warnings.catch_warnings():
        # openpyxl warns about parts it does not read (data validation, sparklines...).
        warnings.simplefilter("ignore", UserWarning)
        return _open_and_read(data, progress)


def _open_and_read(data: bytes, progress: Progress) -> ParsedWorkbook:
    budget = archive.Budget()
    try:
        zf = archive.Archive(data, budget, check_sizes=False)
    except _ZIP_ERRORS as exc:
        raise _not_a_workbook(_damaged_zip(exc)) from exc
    except Exception as exc:  # zipfile raises several types for damaged archives
        raise _damaged(exc) from exc
    try:
        what = _sniff_names(zf.namelist())
        if what:
            raise _not_a_workbook(what)
        zf.check_sizes()
    except BaseException:
        zf.close()
        raise
    try:
        reader = _Reader(zf, budget)
        wb = reader.load()
        parsed = _read(zf, wb, budget, progress, data)
        parsed.links = _external_links(zf, reader.parser, budget)
        parsed.links.name_engine_sheets([s.name for s in parsed.sheets])
        parsed.pivots = list(_pivots(zf, wb, budget))
        return parsed
    except CapitalLensError:
        raise
    except (
        ParseError,
        etree.LxmlError,
        KeyError,
        IndexError,
        ValueError,
        TypeError,
        EOFError,
        NotImplementedError,
        zlib.error,
        zipfile.BadZipFile,
    ) as exc:
        raise _damaged(exc) from exc
    finally:
        zf.close()


class _Reader(ExcelReader):
    """openpyxl's read-only load, minus what we never use, through the budgeted archive."""

    def __init__(self, zf: archive.Archive, budget: archive.Budget):
        # Not ExcelReader.__init__, which would open a zip of its own: its attributes, set here.
        self.archive = zf
        self.valid_files = zf.namelist()
        self.read_only = True
        self.keep_vba = False
        self.data_only = False
        self.keep_links = False
        self.rich_text = False
        self.shared_strings: list[str] = []
        self.budget = budget

    def load(self):
        self.read_manifest()
        self.read_strings()
        self.read_workbook()
        self.read_properties()
        self.read_worksheets()
        self.parser.assign_names()
        return self.wb

    def read_workbook(self) -> None:
        # workbook.xml is read whole again for its <externalReferences> (_external_links).
        self.archive.keep(_find_workbook_part(self.package).PartName[1:])
        super().read_workbook()

    def read_properties(self) -> None:
        # Never used: the one property read, the save time, is _modified's (docProps/core.xml).
        pass

    def read_strings(self) -> None:
        ct = self.package.find(SHARED_STRINGS)
        if ct is not None:
            part = ct.PartName[1:]
            with self.archive.open(part) as src:
                self.shared_strings = sheetxml.read_shared_strings(src, self.budget, part)

    def read_worksheets(self) -> None:
        # Worksheets only, opened lazily: chartsheets, drawings, comments and pivots are not read.
        # A sheet not read still takes its place in the list, as a bare Chartsheet: a defined
        # name's localSheetId counts every sheet of workbook.xml, chartsheets included.
        for sheet, rel in self.parser.find_sheets():
            if rel.target in self.valid_files and "chartsheet" not in rel.Type:
                ws = _LazySheet(self.wb, sheet.name, rel.target, self.shared_strings)
                ws.sheet_state = sheet.state
            else:
                ws = Chartsheet(parent=self.wb, title=sheet.name)
            self.wb._sheets.append(ws)


class _LazySheet(ReadOnlyWorksheet):
    """A read-only sheet that does not pre-read its XML for a <dimension> (openpyxl's parser
    reads the whole sheet with the standard library when there is none)."""

    def _get_size(self) -> None:
        pass


def _damaged(exc: BaseException) -> InvalidWorkbook:
    """A clear error for a package openpyxl could not read; XML bombs are named as such."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, DefusedXmlException):
            return InvalidWorkbook(
                "The workbook is damaged or hostile: its XML declares entities (an XML bomb), "
                "which Excel never writes.",
                stage="parsing",
                cause=type(cause).__name__,
            )
        cause = cause.__cause__ or cause.__context__
    first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return InvalidWorkbook(
        f"The workbook is damaged and could not be read ({type(exc).__name__}: {first_line}).",
        stage="parsing",
        cause=type(exc).__name__,
    )


def _read(zf: archive.Archive, wb, budget: archive.Budget, progress: Progress, data: bytes) -> ParsedWorkbook:
    date1904 = wb.epoch == CALENDAR_MAC_1904
    names_in_zip = set(zf.namelist())
    sizes = {
        ws.title: zf.getinfo(ws._worksheet_path).file_size if ws._worksheet_path in names_in_zip else 0
        for ws in wb.worksheets
    }
    parts = [ws._worksheet_path for ws in wb.worksheets if ws._worksheet_path in names_in_zip]
    archive.precount_cells(zf, parts)
    tables = list(_tables(zf, wb))
    application = _application(zf)
    total_size = sum(sizes.values()) or 1
    done = 0
    sheets = []
    data_tables: list[DataTable] = []
    with_parts = [
        (ws.title, ws._worksheet_path) for ws in wb.worksheets if ws._worksheet_path in names_in_zip
    ]
    strings = getattr(wb.worksheets[0], "_shared_strings", []) if wb.worksheets else []
    with values_pass.reading(data, with_parts, strings, sum(sizes.values())) as elsewhere:
        for ws in wb.worksheets:
            sheet = Sheet(ws.title, state=getattr(ws, "sheet_state", "visible"))
            size = sizes[ws.title]

            def sheet_progress(fraction: float, *, _done=done, _size=size, _name=sheet.name) -> None:
                progress((_done + fraction * _size) / total_size, f"reading sheet {_name}")

            sheet.cells, layout = _read_sheet(
                zf, ws, budget, date1904, sheet_progress, data_tables, elsewhere
            )
            sheet.hidden_rows = tuple(layout.hidden_rows)
            filters = [layout.filter_ref] + [t.filter_ref for t in tables if t.sheet == sheet.name]
            sheet.filtered_rows = _filtered(sheet.hidden_rows, [ref for ref in filters if ref])
            sheets.append(sheet)
            done += size
            progress(done / total_size, f"read sheet {sheet.name}: {len(sheet.cells):,} cells")

    calc = wb.calculation
    return ParsedWorkbook(
        sheets=sheets,
        names=list(_defined_names(wb)),
        tables=tables,
        calc={
            "iterate": bool(calc.iterate) if calc else False,
            "iterate_count": int(calc.iterateCount) if calc and calc.iterateCount else 100,
            "iterate_delta": float(calc.iterateDelta) if calc and calc.iterateDelta else 0.001,
            "calc_mode": (calc.calcMode if calc else None) or "auto",
            "full_calc_on_load": bool(calc.fullCalcOnLoad) if calc else False,
            "date1904": date1904,
        },
        date1904=date1904,
        has_vba=_has_vba_part(names_in_zip),
        external_links=sum(
            1 for n in names_in_zip if n.startswith("xl/externalLinks/") and n.endswith(".xml")
        ),
        data_tables=data_tables,
        application=application,
        modified=_modified(zf),
    )


def _external_links(zf: archive.Archive, parser, budget: archive.Budget) -> external.Links:
    """The external books, in the order of xl/workbook.xml's <externalReferences> ([1] is the
    first), each from its link part and that part's externalLinkPath relationship."""
    from openpyxl.packaging.relationship import get_dependents, get_rels_path
    from openpyxl.xml.functions import fromstring

    names = set(zf.namelist())
    ids = [
        e.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
        for e in fromstring(zf.read(parser.workbook_part_name)).iter()
        if isinstance(e.tag, str) and e.tag.endswith("}externalReference")
    ]
    links = external.Links()
    for index, rid in enumerate(ids, start=1):
        rel = parser.rels.get(rid)
        part = rel.Target.lstrip("/") if rel is not None else ""
        if part not in names:
            links.books.append(external.Book(index))
            continue
        file_name = ""
        if get_rels_path(part) in names:
            for link_rel in get_dependents(zf, get_rels_path(part)).to_dict().values():
                if link_rel.Type.endswith("/externalLinkPath"):
                    file_name = file_name or external.file_name_of(link_rel.Target or "")
        links.books.append(external.parse_book(fromstring(zf.read(part)), index, file_name, budget.add_cell))
    return links


def _application(zf: archive.Archive) -> str:
    """The <Application> of the extended properties part (docProps/app.xml), or ""."""
    from openpyxl.xml.functions import fromstring

    if "docProps/app.xml" not in zf.namelist():
        return ""
    root = fromstring(zf.read("docProps/app.xml"))
    for element in root:
        if element.tag.rsplit("}", 1)[-1] == "Application":
            return (element.text or "").strip()
    return ""


def _modified(zf: archive.Archive) -> str | None:
    """The <dcterms:modified> text of the core properties (docProps/core.xml), or None.

    Read here rather than from openpyxl, which puts the current time in place of a missing one.
    """
    from openpyxl.xml.functions import fromstring

    if "docProps/core.xml" not in zf.namelist():
        return None
    root = fromstring(zf.read("docProps/core.xml"))
    for element in root:
        if element.tag == "{http://purl.org/dc/terms/}modified":
            return (element.text or "").strip() or None
    return None


def _filtered(hidden_rows: tuple[int, ...], filter_refs: list[str]) -> tuple[int, ...]:
    """The hidden rows below the header of an AutoFilter that filters a column."""
    bounds = [range_boundaries(ref) for ref in filter_refs]
    return tuple(r for r in hidden_rows if any(top < r <= bottom for _, top, _, bottom in bounds))


def _read_sheet(
    zf: archive.Archive,
    ws,
    budget: archive.Budget,
    date1904: bool,
    progress: Callable[[float], None],
    data_tables: list[DataTable],
    elsewhere: values_pass.Reading | None = None,
) -> tuple[list[CellRecord], sheetxml.SheetReader]:
    """The sheet's cells, and the reader of its formulas pass (hidden rows, AutoFilter).

    The formulas pass counts the cells against the budget. The values pass streams from the
    helper process when there is one (``elsewhere``, importer/values_pass.py: the workbook's
    cells were counted before it started, archive.precount_cells, and it has the archive's own
    limits), a chunk or two ahead at most; otherwise it is read here, in step with the formulas.
    """
    cells: list[CellRecord] = []
    spans = _Spans()  # the sheet's multi-cell array formulas and data tables
    size = zf.getinfo(ws._worksheet_path).file_size or 1
    strings = ws._shared_strings
    layout = sheetxml.SheetReader(strings, False, budget, ws.title)
    with zf.open(ws._worksheet_path) as src_f, zf.open(ws._worksheet_path) as src_v:
        cached = values_pass.local_rows(sheetxml.SheetReader(strings, True, None, ws.title), src_v)
        if elsewhere is not None:
            cached = elsewhere.rows(ws._worksheet_path, cached)
        rows = zip(layout.rows(src_f), cached, strict=True)
        for n, ((row_f, cells_f), (row_v, cells_v)) in enumerate(rows):
            if row_f != row_v or len(cells_f) != len(cells_v):
                raise InvalidWorkbook("The two reads of a sheet disagree.", stage="parsing", sheet=ws.title)
            for f, v in zip(cells_f, cells_v, strict=True):
                record = _cell(f, v, date1904, spans)
                if isinstance(f["value"], DataTableFormula):
                    data_tables.append(_data_table(ws.title, f["value"], record))
                if record is not None:
                    cells.append(record)
            if n % 2000 == 0:
                progress(min(src_f.seen / size, 1.0))
    return cells, layout


def _cell(f: dict, v: tuple[object, str], date1904: bool, spans: dict) -> CellRecord | None:
    row, col = f["row"], f["column"]
    content = f["value"]
    raw = values.from_cell(v[0], v[1], date1904=date1904)
    if len(content) > limits.MAX_FORMULA_LENGTH if isinstance(content, str) else False:
        raise WorkbookTooLarge(
            f"A cell holds {len(content):,} characters; the limit is "
            f"{limits.MAX_FORMULA_LENGTH:,} (CAPITALLENS_MAX_FORMULA_LENGTH).",
            stage="parsing",
            row=row,
            col=col,
        )
    if isinstance(content, ArrayFormula):
        text = content.text or "="
        formula = "{" + text + "}"
        record = CellRecord(row, col, FORMULA, formula, raw, array_ref=content.ref, array_saved=(row, col))
        spans.add(content.ref, row, col, ARRAY_MEMBER, formula, record)
        return record
    if isinstance(content, DataTableFormula):
        formula = _table_formula(content)
        spans.add(content.ref, row, col, DATA_TABLE, formula, None)
        return CellRecord(row, col, DATA_TABLE, formula, raw)
    span = spans.find(row, col)
    if span is not None:
        if span.anchor is not None:  # the array reaches at least this far
            last_row, last_col = span.anchor.array_saved
            span.anchor.array_saved = (max(last_row, row), max(last_col, col))
        return CellRecord(row, col, span.kind, span.formula, raw)
    if f["data_type"] == "f":
        if content == "=":  # a shared formula's dependent with no text: nothing to compute
            return None if raw.type == "empty" else CellRecord(row, col, CONSTANT, None, raw, raw)
        return CellRecord(row, col, FORMULA, content, raw)
    constant = values.from_cell(content, f["data_type"], date1904=date1904)
    if constant.type == "empty" and raw.type == "empty":
        return None  # a styled but empty cell
    return CellRecord(row, col, CONSTANT, None, raw, constant)


@dataclass(slots=True)
class _Span:
    min_row: int
    min_col: int
    max_row: int
    max_col: int
    kind: str  # ARRAY_MEMBER or DATA_TABLE
    formula: str
    anchor: CellRecord | None  # an array formula's top-left cell; None for a data table
    top_left: tuple[int, int]


class _Spans:
    """The multi-cell array formulas and data tables of one sheet, and the one a cell lies in.

    Nothing is kept per cell of a span: an array formula may declare 5M cells and save three.
    Cells arrive row by row, as the sheet's XML must list them: the spans crossing the current
    row are kept by first column (they do not overlap), and leave once the rows pass their
    last. A cell before the current row (a file out of order) is looked up among all spans.
    """

    def __init__(self) -> None:
        self.every: list[_Span] = []
        self.crossing: list[tuple[int, int, _Span]] = []  # (min_col, seq, span), sorted
        self.ending: list[tuple[int, int, _Span]] = []  # heap of (max_row, seq, span)
        self.row = 0

    def add(self, ref: str | None, row: int, col: int, kind: str, formula: str, anchor) -> None:
        if not ref:
            return
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        area = (max_row - min_row + 1) * (max_col - min_col + 1)
        if kind == DATA_TABLE and area > limits.MAX_CELLS:  # each of its cells is computed
            raise WorkbookTooLarge(
                f"A data table spans {ref} ({area:,} cells); the limit is {limits.MAX_CELLS:,} "
                "(CAPITALLENS_MAX_CELLS).",
                stage="parsing",
            )
        span = _Span(min_row, min_col, max_row, max_col, kind, formula, anchor, (row, col))
        seq = len(self.every)
        self.every.append(span)
        self._advance(row)
        if max_row >= self.row:
            insort(self.crossing, (min_col, seq, span))
            heapq.heappush(self.ending, (max_row, seq, span))

    def find(self, row: int, col: int) -> _Span | None:
        if not self.every:
            return None
        if row < self.row:  # out of order: every span
            return next((s for s in self.every if _inside(s, row, col)), None)
        self._advance(row)
        at = bisect_right(self.crossing, (col, len(self.every))) - 1
        if at < 0:
            return None
        span = self.crossing[at][2]
        return span if _inside(span, row, col) else None

    def _advance(self, row: int) -> None:
        """Move to `row`: drop the spans that end before it, take in those that start by it."""
        if row <= self.row:
            return
        self.row = row
        while self.ending and self.ending[0][0] < row:
            _, seq, span = heapq.heappop(self.ending)
            self.crossing.remove((span.min_col, seq, span))


def _inside(span: _Span, row: int, col: int) -> bool:
    return (
        span.min_row <= row <= span.max_row
        and span.min_col <= col <= span.max_col
        and (row, col) != span.top_left
    )


def _data_table(sheet: str, dt: DataTableFormula, record: CellRecord) -> DataTable:
    """dt2D: r1 is the row input and r2 the column input; one input: r1, on the side dtr says."""
    from openpyxl.utils.cell import get_column_letter

    ref = dt.ref or f"{get_column_letter(record.col)}{record.row}"
    if _flag(dt.dt2D):
        return DataTable(sheet, ref, dt.r1 or None, dt.r2 or None)
    if _flag(dt.dtr):
        return DataTable(sheet, ref, dt.r1 or None, None)
    return DataTable(sheet, ref, None, dt.r1 or None)


def _flag(value: object) -> bool:
    """An XML boolean attribute as openpyxl passes it on: "1", "true", "0", "false" or a bool."""
    return value is True or str(value).lower() in ("1", "true")


def _table_formula(dt: DataTableFormula) -> str:
    """Excel's display form of a data table: {=TABLE(row_input, column_input)}."""
    r1, r2 = dt.r1 or "", dt.r2 or ""
    if _flag(dt.dt2D):
        return f"{{=TABLE({r1},{r2})}}"
    if _flag(dt.dtr):
        return f"{{=TABLE({r1},)}}"
    return f"{{=TABLE(,{r1})}}"


def _defined_names(wb) -> Iterator[DefinedName]:
    for name, dn in wb.defined_names.items():
        if dn.attr_text is not None:
            yield DefinedName(name, None, dn.attr_text)
    for ws in wb.worksheets:
        for name, dn in getattr(ws, "defined_names", {}).items():
            if dn.attr_text is not None:
                yield DefinedName(name, ws.title, dn.attr_text)


def _tables(zf: archive.Archive, wb) -> Iterator[Table]:
    """Excel tables (ListObjects), which read-only openpyxl does not load: read them from the zip."""
    from openpyxl.packaging.relationship import get_rels_path
    from openpyxl.worksheet.table import Table as TablePart
    from openpyxl.xml.functions import fromstring

    names = set(zf.namelist())
    for ws in wb.worksheets:
        rels_path = get_rels_path(ws._worksheet_path)
        if rels_path not in names:
            continue
        rels = fromstring(zf.read(rels_path))
        for rel in rels:
            if not rel.get("Type", "").endswith("/table"):
                continue
            target = posixpath.normpath(
                posixpath.join(posixpath.dirname(ws._worksheet_path), rel.get("Target", ""))
            )
            if rel.get("Target", "").startswith("/"):
                target = rel.get("Target").lstrip("/")
            if target not in names:
                continue
            table = TablePart.from_tree(fromstring(zf.read(target)))
            yield Table(
                name=table.displayName or table.name,
                sheet=ws.title,
                ref=table.ref,
                columns=tuple(c.name for c in table.tableColumns),
                header_rows=1 if table.headerRowCount is None else int(table.headerRowCount),
                totals_rows=int(table.totalsRowCount or 0),
                filter_ref=_filter_ref(table.autoFilter),
            )


def _filter_ref(auto_filter) -> str | None:
    """An AutoFilter's range when it filters a column (its hidden rows are "filtered")."""
    return auto_filter.ref if auto_filter is not None and auto_filter.filterColumn else None


_PIVOT_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def _related(zf: archive.Archive, part: str, kind: str, names: set[str]) -> list[str]:
    """The parts ``part``'s relationships of type ``kind`` (e.g. "pivotTable") point to."""
    from openpyxl.packaging.relationship import get_rels_path
    from openpyxl.xml.functions import fromstring

    rels_path = get_rels_path(part)
    if rels_path not in names:
        return []
    found = []
    for rel in fromstring(zf.read(rels_path)):
        if rel.get("Type", "") != _PIVOT_REL + kind:
            continue
        target = rel.get("Target", "")
        path = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join(posixpath.dirname(part), target))
        )
        if path in names:
            found.append(path)
    return found


def _local(element) -> str:
    return element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""


def _pivot_value(element, date1904: bool) -> Any:
    """A cache item (<n>, <s>, <b>, <d>, <e>, <m>) as a plain value; dates as serial numbers."""
    kind, v = _local(element), element.get("v")
    if kind == "n":
        return float(v)
    if kind == "s":
        return v or ""
    if kind == "b":
        return v in ("1", "true")
    if kind == "d":
        from openpyxl.utils.datetime import from_ISO8601, to_excel

        return float(to_excel(from_ISO8601(v), CALENDAR_MAC_1904 if date1904 else None))
    if kind == "e":
        return v
    if kind == "m":
        return None
    raise ValueError(f"unknown pivot cache item <{kind}>")


def _pivots(zf: archive.Archive, wb, budget: archive.Budget) -> Iterator[Pivot]:
    """Each worksheet's pivot tables with their cache definition and records (ECMA-376 Part 1
    §18.10), read through the budgeted archive; each record value counts as a cell."""
    from openpyxl.xml.functions import fromstring

    names = set(zf.namelist())
    date1904 = wb.epoch == CALENDAR_MAC_1904
    caches: dict[str, tuple[tuple[str, ...], tuple[tuple[Any, ...], ...]]] = {}
    for ws in wb.worksheets:
        for table_part in _related(zf, ws._worksheet_path, "pivotTable", names):
            root = fromstring(zf.read(table_part))
            definitions = _related(zf, table_part, "pivotCacheDefinition", names)
            if not definitions:
                continue
            if definitions[0] not in caches:
                caches[definitions[0]] = _pivot_cache(zf, definitions[0], names, budget, date1904)
            fields, records = caches[definitions[0]]
            children = {_local(e): e for e in root}
            location = children.get("location")
            if location is None or not location.get("ref"):
                raise ValueError(f"{table_part} has no location")
            range_boundaries(location.get("ref"))  # a malformed ref raises ValueError

            def axis(tag: str, attribute: str = "x", _c=children, _f=fields) -> tuple[int, ...]:
                return _pivot_axis(_c.get(tag), attribute, len(_f))

            data = children.get("dataFields")
            data_fields = tuple(
                (d.get("name") or fields[int(d.get("fld"))], int(d.get("fld")), d.get("subtotal") or "sum")
                for d in (data if data is not None else ())
                if _local(d) == "dataField"
            )
            if any(not 0 <= f < len(fields) for _, f, _ in data_fields):
                raise ValueError(f"{table_part}: a data field outside the cache")
            yield Pivot(
                sheet=ws.title,
                ref=location.get("ref"),
                name=root.get("name") or "",
                fields=fields,
                row_fields=axis("rowFields"),
                col_fields=axis("colFields"),
                page_fields=axis("pageFields", "fld"),
                data_fields=data_fields,
                records=records,
            )


def _pivot_axis(element, attribute: str, count: int) -> tuple[int, ...]:
    """The cache field indexes of a <rowFields>, <colFields> or <pageFields> element, without
    the Values pseudo-field (-2)."""
    if element is None:
        return ()
    out = (int(f.get(attribute)) for f in element if _local(f) in ("field", "pageField"))
    return tuple(i for i in out if 0 <= i < count)


def _pivot_cache(zf: archive.Archive, part: str, names: set[str], budget: archive.Budget, date1904: bool):
    """(field names, records) of a pivot cache definition and its records part."""
    from openpyxl.xml.functions import fromstring

    root = fromstring(zf.read(part))
    fields: list[str] = []
    shared: list[list[Any]] = []
    for e in root.iter():
        if _local(e) == "cacheField":
            fields.append(e.get("name") or "")
            items = [c for s in e if _local(s) == "sharedItems" for c in s]
            shared.append([_pivot_value(i, date1904) for i in items])
    records = []
    for records_part in _related(zf, part, "pivotCacheRecords", names):
        for n, r in enumerate(fromstring(zf.read(records_part))):
            if _local(r) != "r":
                continue
            row = []
            for k, item in enumerate(r):
                budget.add_cell(records_part, f"record {n + 1}")
                if _local(item) == "x":
                    row.append(shared[k][int(item.get("v"))])
                else:
                    row.append(_pivot_value(item, date1904))
            if len(row) != len(fields):
                raise ValueError(
                    f"{records_part}: record {n + 1} has {len(row)} values for {len(fields)} fields"
                )
            records.append(tuple(row))
    return tuple(fields), tuple(records)
