"""Send a parsed workbook to the engine and read back every formula cell's value.

The engine only ever sees constants and formula text: never a cached value of a formula cell
(the cells of array results and data tables are left empty for the engine to fill).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from openpyxl.utils.cell import range_boundaries

from hyperformula import errors as engine_errors
from hyperformula.bridge import Engine
from importer import errors, references, shapes, translate, values
from importer import formula as formula_text
from importer.graph import Dependencies
from importer.values import Value
from importer.workbook import (
    ARRAY_MEMBER,
    CONSTANT,
    DATA_TABLE,
    FORMULA,
    DataTable,
    DefinedName,
    ParsedWorkbook,
    Pivot,
)

_UNKNOWN_FUNCTION = re.compile(r"Function name (\S+?) not recognized")
# The reason on a computed value that exists only because a cycle was iterated although the
# workbook has iteration off (Excel's iteration setting belongs to the session: such a file
# usually holds the values of an earlier iterative calculation).
ITERATION_OFF = "iteration_off"


@dataclass(frozen=True, slots=True)
class Outcome:
    """Our engine's verdict on one formula cell: a value, or None and the reason why not."""

    value: Value | None
    reason: str | None = None


class Translator:
    """Formula text as HyperFormula reads it (see importer/translate.py), per workbook."""

    def __init__(self, wb: ParsedWorkbook):
        self.sheets = tuple(s.name for s in wb.sheets)
        self.links = wb.links
        self.extents = _extents(wb)
        self.tables = {t.name.upper(): t for t in wb.tables}
        self.names = {n.name.upper(): translate.engine_name(n.name) for n in wb.names}
        self.renamed = any(k != v.upper() for k, v in self.names.items())
        self.name_refs = {n.name.upper(): n.value for n in wb.names if n.scope is None}
        for n in wb.names:
            self.name_refs.setdefault(n.name.upper(), n.value)
        # Names defined as a LAMBDA: a call `MYNAME(2)` is rewritten (translate._lambda_calls).
        self.lambdas = {k for k, v in self.name_refs.items() if v.upper().startswith("_XLFN.LAMBDA(")}
        # Empty while the names themselves are translated: no name is inlined into another.
        self.inline_by_scope: dict[str | None, dict[str, str]] = {}
        self.inline_by_sheet: dict[str, dict[str, str]] = {}
        # (sheet, shape key) -> the engine text of a formula of that shape as a template, or
        # None where each formula of it is translated on its own (importer/shapes.py).
        self.templates: dict[tuple[str, str], shapes.Template | None] = {}
        self.inline_by_scope = self._inline_names(wb.names)
        self.inline_by_sheet.clear()
        self.templates.clear()

    def _inline_names(self, names: list[DefinedName]) -> dict[str | None, dict[str, str]]:
        """Names that stand for one absolute range, by scope (None: workbook), as engine text."""
        by_scope: dict[str | None, dict[str, str]] = {}
        for n in names:
            if n.name.startswith("_xlnm."):
                continue
            # An empty sheet as context: every range the name yields carries its sheet.
            target = translate.absolute_range(self.formula("=" + n.value, "", 1, 1))
            if target is not None:
                by_scope.setdefault(n.scope.upper() if n.scope else None, {})[n.name.upper()] = target
        return by_scope

    def _inline_for(self, sheet: str) -> dict[str, str]:
        found = self.inline_by_sheet.get(sheet)
        if found is None:
            found = {**self.inline_by_scope.get(None, {}), **self.inline_by_scope.get(sheet.upper(), {})}
            self.inline_by_sheet[sheet] = found
        return found

    def formula(self, formula: str, sheet: str, row: int, col: int) -> str:
        """Engine text for a cell's formula. Array formulas (CSE and dynamic) are wrapped in
        ARRAYFORMULA: the engine evaluates plain cells with implicit intersection, as Excel
        does, and only array formulas element-wise."""
        if formula.startswith("{=") and formula.endswith("}"):
            return "=ARRAYFORMULA(" + self._plain(formula[1:-1], sheet, row, col)[1:] + ")"
        return self._plain(formula, sheet, row, col)

    def _plain(self, formula: str, sheet: str, row: int, col: int) -> str:
        inline = self._inline_for(sheet)
        if (
            not self.renamed
            and formula_text.is_plain_for_engine(formula)
            and not (  # a word that is a name to inline, a LAMBDA, or a table (`SUM(Table1)`)
                (inline or self.lambdas or self.tables)
                and any(
                    w.upper() in inline or w.upper() in self.lambdas or w.upper() in self.tables
                    for w in formula_text.words(formula)
                )
            )
            and not translate.has_large_range(formula, sheet, self.extents)
        ):
            return formula
        shape = shapes.of(formula, row, col)
        if shape is None:
            return self._translate(formula, sheet, row, col)
        key = (sheet, shape.key)
        if key in self.templates:
            found = self.templates[key]
            return found.fill(shape.refs) if found is not None else self._translate(formula, sheet, row, col)
        text = self._translate(formula, sheet, row, col)
        self.templates[key] = shapes.template(text, shape.refs)
        return text

    def _translate(self, formula: str, sheet: str, row: int, col: int) -> str:
        ctx = translate.Context(
            sheet=sheet,
            row=row,
            col=col,
            sheets=self.sheets,
            tables=self.tables,
            names=self.names,
            name_refs=self.name_refs,
            inline=self._inline_for(sheet),
            extents=self.extents,
            links=self.links,
        )
        try:
            return translate.to_engine(formula, ctx)
        except formula_text.FormulaError:
            return formula  # the engine reports it as a parse error

    def name(self, name: DefinedName) -> dict:
        # An empty sheet as context, so that table references yield ranges with their sheet:
        # the engine rejects a named expression whose reference has none.
        return {
            "name": self.names[name.name.upper()],
            "expression": self.formula("=" + name.value, "", 1, 1),
            "scope": name.scope,
        }


def _extents(wb: ParsedWorkbook) -> dict[str, tuple[int, int]]:
    """Each sheet's used rectangle (translate.Context.extents): its last row and column holding
    a cell, an array formula's range or a data table."""
    extents = {}
    for sheet in wb.sheets:
        rows = max((c.row for c in sheet.cells), default=0)
        cols = max((c.col for c in sheet.cells), default=0)
        for c in sheet.cells:
            if c.array_ref and ":" in c.array_ref:
                _, _, max_col, max_row = range_boundaries(c.array_ref)
                rows, cols = max(rows, max_row), max(cols, max_col)
        for table in wb.data_tables:
            if table.sheet == sheet.name:
                _, _, max_col, max_row = range_boundaries(table.ref)
                rows, cols = max(rows, max_row), max(cols, max_col)
        extents[sheet.name.casefold()] = (rows, cols)
    return extents


def _data_table(table: DataTable) -> dict:
    """A data table as the engine's fillDataTable takes it: 0-based rows and columns."""
    min_col, min_row, max_col, max_row = range_boundaries(table.ref)

    def cell(ref: str | None) -> dict | None:
        if not ref:
            return None
        col, row, _, _ = range_boundaries(ref)
        return {"row": row - 1, "col": col - 1}

    return {
        "sheet": table.sheet,
        "top": min_row - 1,
        "left": min_col - 1,
        "bottom": max_row - 1,
        "right": max_col - 1,
        "row_input": cell(table.row_input),
        "col_input": cell(table.col_input),
    }


def _array_extents(wb: ParsedWorkbook) -> dict[tuple[int, int, int], tuple[int, int]]:
    """The last row and column the engine computes of each multi-cell array formula, by (sheet
    index, anchor row, anchor col): no further than the cells the file saves and the cells other
    formulas read inside its range. An array formula may declare 5M cells and save three; the
    engine computes (and holds) only the rectangle from its top-left to there.

    Excel saves every cell of an array formula it wrote, so a range is usually whole and no
    formula is read again here; only when one is not are the references of every formula and
    defined name measured against it. A dynamic reference (INDIRECT, OFFSET) into the cells
    left out reads them empty."""
    extents: dict[tuple[int, int, int], tuple[int, int]] = {}
    short: dict[int, list[tuple[tuple[int, int, int], int, int, int, int]]] = {}
    for si, sheet in enumerate(wb.sheets):
        for c in sheet.cells:
            if c.array_ref and ":" in c.array_ref:
                min_col, min_row, max_col, max_row = range_boundaries(c.array_ref)
                key = (si, c.row, c.col)
                last_row, last_col = c.array_saved or (max_row, max_col)
                extents[key] = (min(max(last_row, min_row), max_row), min(max(last_col, min_col), max_col))
                if extents[key] != (max_row, max_col):
                    short.setdefault(si, []).append((key, min_row, min_col, max_row, max_col))
    if not short:
        return extents
    sheet_index = {s.name.upper(): i for i, s in enumerate(wb.sheets)}

    def grow(formula: str, si: int, own: tuple[int, int, int] | None) -> None:
        try:
            refs = references.extract(formula)
        except formula_text.FormulaError:
            return
        for ref in refs:
            if not isinstance(ref, references.Area) or ref.external:
                continue
            target = si if ref.sheet is None else sheet_index.get(ref.sheet.upper())
            for key, min_row, min_col, max_row, max_col in short.get(target, ()):
                if key == own or ref.min_row > max_row or ref.max_row < min_row:
                    continue  # an array formula reading its own range reads no member
                if ref.min_col > max_col or ref.max_col < min_col:
                    continue
                last_row, last_col = extents[key]
                extents[key] = (
                    max(last_row, min(ref.max_row, max_row)),
                    max(last_col, min(ref.max_col, max_col)),
                )

    for si, sheet in enumerate(wb.sheets):
        for c in sheet.cells:
            if c.formula and c.kind != ARRAY_MEMBER:
                array = c.formula.startswith("{=") and c.formula.endswith("}")
                grow(c.formula[1:-1] if array else c.formula, si, (si, c.row, c.col))
    for n in wb.names:
        grow("=" + n.value, sheet_index.get((n.scope or "").upper(), -1), None)
    return extents


def _pivot(pivot: Pivot) -> dict:
    """A pivot table as functions/pivot.js takes it: 0-based location, fields by index."""
    min_col, min_row, max_col, max_row = range_boundaries(pivot.ref)
    return {
        "sheet": pivot.sheet,
        "top": min_row - 1,
        "left": min_col - 1,
        "bottom": max_row - 1,
        "right": max_col - 1,
        "fields": list(pivot.fields),
        "row_fields": list(pivot.row_fields),
        "col_fields": list(pivot.col_fields),
        "page_fields": list(pivot.page_fields),
        "data_fields": [{"name": n, "field": f, "subtotal": t} for n, f, t in pivot.data_fields],
        "records": [list(r) for r in pivot.records],
    }


# Cells between two progress reports while the request is built and while values are taken in.
PROGRESS_EVERY = 20_000


def build_request(
    wb: ParsedWorkbook, progress: Callable[[float, str], None] | None = None
) -> tuple[list[dict], list[dict]]:
    """The sheets and names as the engine reads them; ``progress(fraction, message)`` every
    PROGRESS_EVERY cells."""
    translator = Translator(wb)
    array_extents = _array_extents(wb)
    sheets = []
    total, done = max(1, wb.cell_count), 0
    for si, sheet in enumerate(wb.sheets):
        cells, read, arrays = [], [], []
        for c in sheet.cells:
            done += 1
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress(done / total, f"translated {done:,} of {total:,} cells for the engine")
            if c.array_ref and ":" in c.array_ref:  # an array formula over several cells
                min_col, min_row, _, _ = range_boundaries(c.array_ref)
                max_row, max_col = array_extents[(si, c.row, c.col)]
                arrays.append([min_row - 1, min_col - 1, max_row - min_row + 1, max_col - min_col + 1])
            if c.kind == CONSTANT:
                content = values.to_engine(c.constant)
                if content is not None:
                    cells.append([c.row - 1, c.col - 1, content])
            elif c.kind == FORMULA:
                cells.append([c.row - 1, c.col - 1, translator.formula(c.formula, sheet.name, c.row, c.col)])
            elif c.kind in (ARRAY_MEMBER, DATA_TABLE):  # filled by the engine, then read
                read.append([c.row - 1, c.col - 1])
        sheets.append(
            {
                "name": sheet.name,
                "cells": cells,
                "read": read,
                "arrays": arrays,
                # 0-based, for SUBTOTAL and AGGREGATE (hyperformula/context.js)
                "hidden_rows": [r - 1 for r in sheet.hidden_rows],
                "filtered_rows": [r - 1 for r in sheet.filtered_rows],
            }
        )
    names = [translator.name(n) for n in wb.names if not n.name.startswith("_xlnm.")]
    # Other workbooks' cached cells, as hidden sheets after ours (importer/external.py).
    for name, cached in wb.links.engine_sheets():
        cells = [
            [r - 1, c - 1, content]
            for (r, c), v in cached.items()
            if (content := values.to_engine(v)) is not None
        ]
        sheets.append(
            {"name": name, "cells": cells, "read": [], "arrays": [], "hidden_rows": [], "filtered_rows": []}
        )
    return sheets, names


def evaluate(
    wb: ParsedWorkbook,
    deps: Dependencies,
    engine: Engine,
    on_wait: Callable[[float], None] | None = None,
    as_of: str | None = None,
    file_name: str | None = None,
) -> tuple[dict, dict]:
    """Outcomes keyed by (sheet index, row, col), and the engine's own timings.

    ``as_of`` is the wall clock TODAY() and NOW() read ("2024-03-15T10:30:00"); without it
    the engine's own clock. ``file_name`` is the workbook's, for CELL("filename") (the folder
    it came from is not known: Excel's answer holds the author's path)."""
    _, outcomes, info = evaluate_while(
        wb, lambda: deps, engine, on_wait=on_wait, as_of=as_of, file_name=file_name
    )
    return outcomes, info


def evaluate_while(
    wb: ParsedWorkbook,
    dependencies: Callable[[], Dependencies],
    engine: Engine,
    *,
    on_wait: Callable[[float], None] | None = None,
    as_of: str | None = None,
    file_name: str | None = None,
    progress: Callable[[float, str], None] | None = None,
    reading: Callable[[float, str], None] | None = None,
) -> tuple[Dependencies, dict, dict]:
    """``evaluate``, with the dependency graph made by ``dependencies()`` while the engine loads
    and evaluates the sheets (two cores at work): only the circular references, which the
    graph finds, wait for it. ``progress`` reports the translation for the engine, ``reading``
    the engine's values as they are taken in (every PROGRESS_EVERY cells)."""
    sheets, names = build_request(wb, progress)
    found: list[Dependencies] = []

    def rest() -> dict:
        found.append(dependencies())
        return {"iteration": _iteration(wb, found[0])}

    payload = {
        "op": "evaluate",
        "sheets": sheets,
        "names": names,
        "data_tables": [_data_table(t) for t in wb.data_tables],
        # CHAR and CODE follow the code page of the Excel that saved the file (Mac or Windows).
        "application": wb.application,
        # TODAY and NOW (hyperformula/functions/asof.js).
        "as_of": as_of,
        # CELL("filename"), INFO("directory") (hyperformula/functions/cell_info.js).
        "workbook": {"file_name": file_name or "", "directory": ""},
        # GETPIVOTDATA (hyperformula/functions/pivot.js): each pivot with its cache records.
        "pivots": [_pivot(p) for p in wb.pivots],
        # For INDIRECT("Table1[Col]"): tables as the engine resolves them while evaluating.
        "tables": [
            {
                "name": t.name,
                "sheet": t.sheet,
                "ref": t.ref,
                "columns": list(t.columns),
                "header_rows": t.header_rows,
                "totals_rows": t.totals_rows,
            }
            for t in wb.tables
        ],
    }
    response = request(engine, payload, on_wait, rest)
    deps = found[0]
    in_cycles = {deps.cells[n] for n in deps.in_cycles()}
    external = {deps.cells[n] for n in deps.dependents_of(deps.external)} if deps.external else set()
    iteration = response.get("iteration") or {}
    unsettled = _not_converged(deps, iteration)
    iterated_off = _downstream(deps, iteration.get("iterated_off", []))
    outcomes: dict[tuple[int, int, int], Outcome] = {}
    total = max(1, sum(len(sheet["values"]) for sheet in response["sheets"][: len(wb.sheets)]))
    taken = 0
    for si, sheet in enumerate(response["sheets"][: len(wb.sheets)]):
        for row, col, raw in sheet["values"]:
            if reading is not None and taken % PROGRESS_EVERY == 0:
                reading(taken / total, f"took in {taken:,} of {total:,} values")
            taken += 1
            key = (si, row + 1, col + 1)
            if key in unsettled and key not in external:
                outcomes[key] = Outcome(None, "circular_not_converged")
                continue
            outcome = _outcome(raw, key in in_cycles, key in external)
            if key in iterated_off and outcome.value is not None:
                # A value that exists only because a cycle was iterated although the file has
                # iteration off: the note travels with it (analysis.judge).
                outcome = Outcome(outcome.value, ITERATION_OFF)
            outcomes[key] = outcome
    for key, reason in outside_code(wb, deps).items():
        outcomes[key] = Outcome(None, reason)
    info = {
        "timings": response.get("timings", {}),
        "rejected_names": response.get("rejected_names", []),
        "engine_version": engine.version,
        "iteration_passes": iteration.get("passes", []),
        # Cycles solved although the workbook has iteration off (their members, 0-based rows).
        "iterated_off": _iterated_off_counts(deps, iteration.get("iterated_off", [])),
        # Stages of the engine that failed and were contained to their cells (engine_error).
        "engine_failures": response.get("failures", []),
    }
    return deps, outcomes, info


# The engine's exceptions as the importer's, most specific first: the same messages and details,
# the importer's codes (a heap exhausted is the workbook's cost, workbook_too_complex).
_ENGINE_ERRORS: list[tuple[type[engine_errors.EngineError], type[errors.CapitalLensError]]] = [
    (engine_errors.EngineOutOfMemory, errors.WorkbookTooComplex),
    (engine_errors.EngineTimeout, errors.EngineTimeout),
    (engine_errors.EngineCrashed, errors.EngineCrashed),
    (engine_errors.EngineError, errors.EngineError),
]


def request(
    engine: Engine,
    payload: dict,
    on_wait: Callable[[float], None] | None = None,
    rest: Callable[[], dict] | None = None,
) -> dict:
    """``engine.request``, with the engine's exceptions raised as the importer's (importer/errors.py).
    Whatever ``on_wait`` or ``rest`` raise (Cancelled...) passes through as it is."""
    try:
        return engine.request(payload, on_wait=on_wait, rest=rest)
    except engine_errors.EngineError as exc:
        ours = next(mine for theirs, mine in _ENGINE_ERRORS if isinstance(exc, theirs))
        raise ours(exc.message, **exc.details) from exc


def outside_code_reason(formula: str) -> str | None:
    """``add_in:NAME`` or ``vba:NAME`` for a formula calling an add-in or VBA function, else None."""
    found = formula_text.outside_code(formula)
    if found is None:
        return None
    kind, name = found
    return ("add_in:" if kind == "xll" else "vba:") + name


def outside_code(wb: ParsedWorkbook, deps: Dependencies) -> dict[tuple[int, int, int], str]:
    """The reason of each formula cell that calls an add-in or VBA function, or reads one that
    does (directly or not): the function's name. A cell fed by several takes the first name in
    alphabetical order, unless it calls one itself."""
    own: dict[tuple[int, int, int], str] = {}
    for si, sheet in enumerate(wb.sheets):
        for c in sheet.cells:
            if c.kind == FORMULA and (reason := outside_code_reason(c.formula)):
                own[(si, c.row, c.col)] = reason
    if not own:
        return {}
    node = {cell: n for n, cell in enumerate(deps.cells)}
    found = dict(own)
    for reason in sorted(set(own.values())):
        seeds = [node[k] for k, r in own.items() if r == reason and k in node]
        for n in deps.dependents_of(seeds):
            found.setdefault(deps.cells[n], reason)
    return found


def _iteration(wb: ParsedWorkbook, deps: Dependencies) -> dict:
    """What the engine needs to solve circular references as Excel does when the workbook
    enables iterative calculation: the settings and each cycle's cells (0-based), in evaluation
    order. With iteration off the engine computes the members that do not really read their
    cycle (IF(FALSE, cycle, 1)) as Excel does, then iterates the real circular references all
    the same, with the file's count and delta or Excel's defaults (100, 0.001), and lists them
    (`iterated_off`): their values and what depends on them carry the reason ITERATION_OFF."""
    calc = wb.calc or {}
    cycles = [
        [[deps.cells[n][0], deps.cells[n][1] - 1, deps.cells[n][2] - 1] for n in cycle]
        for cycle in deps.cycles
    ]
    return {
        "iterate": bool(calc.get("iterate")),
        "count": calc.get("iterate_count", 100),
        "delta": calc.get("iterate_delta", 0.001),
        "cycles": cycles,
    }


def _not_converged(deps: Dependencies, iteration: dict) -> set[tuple[int, int, int]]:
    """Cells of cycles that did not converge, and every cell downstream of them."""
    return _downstream(deps, iteration.get("not_converged", []))


def _iterated_off_counts(deps: Dependencies, members: list) -> dict:
    """How many cycles, and cells in them, were solved although the file has iteration off."""
    cells = {(si, row + 1, col + 1) for si, row, col in members}
    cycles = sum(1 for cycle in deps.cycles if any(deps.cells[n] in cells for n in cycle))
    return {"cycles": cycles, "cells": len(cells)}


def _downstream(deps: Dependencies, engine_cells: list) -> set[tuple[int, int, int]]:
    """The cells ([sheet index, row, col], 0-based rows and columns, as the engine sends
    them), and every cell downstream of them."""
    cells = {(si, row + 1, col + 1) for si, row, col in engine_cells}
    if not cells:
        return set()
    node = {cell: n for n, cell in enumerate(deps.cells)}
    seeds = [node[c] for c in cells if c in node]
    return cells | {deps.cells[n] for n in deps.dependents_of(seeds)}


def _outcome(raw: object, in_cycle: bool, external: bool) -> Outcome:
    if external:
        return Outcome(None, "external_link")
    if isinstance(raw, dict) and "e" in raw:
        kind, message = raw.get("t"), raw.get("m") or ""
        if message.startswith("Engine exception:"):
            return Outcome(None, "engine_error")
        if kind == "CYCLE":
            return Outcome(None, "circular")
        if kind == "ERROR":
            return Outcome(None, "parse_error")
        if kind == "LIC":
            return Outcome(None, "engine_error")
        if kind == "NAME" and (m := _UNKNOWN_FUNCTION.search(message)):
            return Outcome(None, f"unsupported_function:{m[1].upper()}")
    if isinstance(raw, float) and not math.isfinite(raw):
        return Outcome(None, "engine_error")
    return Outcome(values.from_engine(raw))
