"""The import pipeline: hashing, parsing, dependencies, evaluation, insertion, validation.

``run_import(source, name, progress=callback)`` runs every stage and returns an ImportResult.
The model and all its cells are written in one transaction: they appear together or not at all.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psycopg
from psycopg.rows import dict_row

from db import engine as db_engine
from db import queries, store
from hyperformula.bridge import Engine, shared_engine
from importer import evaluate, graph, validate, workbook
from importer.errors import CapitalLensError, DatabaseUnavailable, NotFound
from importer.progress import Callback, Reporter
from importer.values import Value
from importer.workbook import CONSTANT, ParsedWorkbook

Connect = Callable[[], psycopg.Connection]


@dataclass
class ImportResult:
    model_id: int
    name: str
    sha256: str
    sheets: int
    cells: int
    formula_cells: int
    evaluated: int
    comparable: int
    matched: int
    mismatched: int
    volatile: int
    cycle_cells: int
    mismatch_reasons: dict[str, int]
    seconds: dict[str, float]
    calc_settings: dict = field(default_factory=dict)
    engine_version: str | None = None
    engine_seconds: dict[str, float] = field(default_factory=dict)  # inside Node: load, evaluate...
    warnings: list[str] = field(default_factory=list)

    @property
    def matched_share(self) -> float | None:
        return self.matched / self.comparable if self.comparable else None

    def to_dict(self) -> dict:
        out = asdict(self)
        out["matched_share"] = self.matched_share
        return out


@dataclass
class Analysis:
    """Everything known about a workbook before it is stored."""

    sha256: str
    workbook: ParsedWorkbook
    deps: graph.Dependencies
    outcomes: dict
    volatile: set
    engine_info: dict


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def analyse(data: bytes, reporter: Reporter, engine: Engine | None = None) -> Analysis:
    """Hashing, parsing, dependencies and evaluation: everything but the database."""
    reporter.begin("hashing", "hashing the file")
    sha256 = sha256_of(data)
    reporter.report(1.0, f"sha256 {sha256[:12]}")

    reporter.begin("parsing", "reading formulas and Excel's cached values")
    wb = workbook.read(data, reporter)
    reporter.report(1.0, f"{wb.cell_count:,} cells, {wb.formula_count:,} formulas in {len(wb.sheets)} sheets")

    reporter.begin("dependencies", "extracting references")
    deps = graph.build(wb, reporter)
    volatile = _volatile_cells(deps)

    reporter.begin("evaluation", f"evaluating {len(deps.cells):,} formulas")
    engine = engine or shared_engine()

    def waiting(elapsed: float) -> None:
        # The engine computes in one call; keep the percent creeping so pollers see life.
        reporter.report(1 - math.exp(-elapsed / 30), f"evaluating ({elapsed:.0f} s)")

    outcomes, info = evaluate.evaluate(wb, deps, engine, on_wait=waiting)
    reporter.report(1.0, f"evaluated {len(outcomes):,} formula cells")
    return Analysis(sha256, wb, deps, outcomes, volatile, info)


def _volatile_cells(deps: graph.Dependencies) -> set[tuple[int, int, int]]:
    """Formula cells that call a volatile function, and every cell that depends on one."""
    return {deps.cells[n] for n in deps.dependents_of(deps.volatile)} if deps.volatile else set()


def cell_rows(analysis: Analysis, compare: bool = True) -> Iterator[tuple]:
    """The rows to COPY, in queries.copy_cells order (without model_id).

    With ``compare`` off the verdict is left NULL, but a cell the engine could not evaluate
    still says why.
    """
    from openpyxl.utils.cell import get_column_letter

    letters: dict[int, str] = {}
    for si, sheet in enumerate(analysis.workbook.sheets):
        for c in sheet.cells:
            col = letters.get(c.col) or letters.setdefault(c.col, get_column_letter(c.col))
            raw = c.raw
            if c.kind == CONSTANT:
                calculated, has_mismatch, reason = None, None, None
            else:
                outcome = analysis.outcomes.get((si, c.row, c.col))
                if outcome is None:
                    outcome = evaluate.Outcome(None, "engine_error")
                calculated = outcome.value
                if compare:
                    has_mismatch, reason = validate.verdict(
                        raw, calculated, outcome.reason, (si, c.row, c.col) in analysis.volatile
                    )
                else:
                    has_mismatch, reason = None, outcome.reason
            calc = calculated or Value(None, None, None)
            yield (
                sheet.name,
                f"{col}{c.row}",
                c.row,
                c.col,
                c.formula,
                raw.value,
                raw.text,
                raw.type,
                calc.value,
                calc.text,
                calc.type,
                has_mismatch,
                reason,
            )


def run_import(
    source: bytes | str | Path,
    name: str,
    *,
    progress: Callback | None = None,
    should_abort: Callable[[], bool] | None = None,
    file_name: str | None = None,
    engine: Engine | None = None,
    connect: Connect | None = None,
    validate: bool = True,
) -> ImportResult:
    """Import a workbook: every stage, then one transaction for the model and its cells.

    ``validate=False`` stores our values without comparing them with Excel's (``has_mismatch``
    stays NULL); ``capitallens validate`` can compare later.
    """
    if isinstance(source, str | Path):
        file_name = file_name or Path(source).name
        data = Path(source).read_bytes()
    else:
        data = source
    reporter = Reporter(progress, should_abort=should_abort)
    try:
        analysis = analyse(data, reporter, engine)
        model_id, summary = _store(
            analysis,
            data,
            name,
            file_name or "workbook.xlsx",
            reporter,
            connect or db_engine.connect,
            validate,
        )
    except CapitalLensError as exc:
        exc.stage = exc.stage or reporter.stage
        raise
    reporter.finish()
    wb, deps = analysis.workbook, analysis.deps
    warnings = []
    if wb.has_vba:
        warnings.append("The workbook contains VBA macros; they were ignored.")
    if wb.external_links:
        warnings.append(f"The workbook links to {wb.external_links} external workbook(s).")
    for rejected in analysis.engine_info.get("rejected_names", []):
        warnings.append(f"Defined name {rejected['name']} was not understood by the engine.")
    return ImportResult(
        model_id=model_id,
        name=name,
        sha256=analysis.sha256,
        sheets=len(wb.sheets),
        cells=wb.cell_count,
        formula_cells=len(deps.cells),
        evaluated=summary["evaluated"],
        comparable=summary["comparable"],
        matched=summary["matched"],
        mismatched=summary["mismatched"],
        volatile=summary["volatile"],
        cycle_cells=deps.cycle_cell_count,
        mismatch_reasons=summary["reasons"],
        seconds=reporter.timings,
        calc_settings=wb.calc,
        engine_version=analysis.engine_info.get("engine_version"),
        engine_seconds=analysis.engine_info.get("timings") or {},
        warnings=warnings,
    )


def _store(
    analysis: Analysis,
    data: bytes,
    name: str,
    file_name: str,
    reporter: Reporter,
    connect: Connect,
    compare: bool = True,
) -> tuple[int, dict]:
    wb = analysis.workbook
    total = wb.cell_count or 1
    reporter.begin("insertion", f"writing {total:,} cells")
    try:
        conn = connect()
    except psycopg.OperationalError as exc:
        raise DatabaseUnavailable(f"Cannot connect to the database: {exc}", stage="insertion") from exc
    with conn:  # one transaction: commit on success, roll back on any error
        store.save_source_file(conn, sha256=analysis.sha256, content=data, file_name=file_name)
        model_id = store.insert_model(
            conn,
            name=name,
            sha256=analysis.sha256,
            sheets=[s.name for s in wb.sheets],
            cell_count=wb.cell_count,
            formula_count=len(analysis.deps.cells),
            cycle_cell_count=analysis.deps.cycle_cell_count,
            calc_settings=wb.calc,
            engine_version=analysis.engine_info.get("engine_version"),
        )
        store.insert_names(conn, model_id, ((n.name, n.scope, n.value) for n in wb.names))
        store.copy_cells(
            conn,
            model_id,
            cell_rows(analysis, compare),
            progress=lambda n: reporter.report(n / total, f"wrote {n:,} of {total:,} cells"),
        )
        reporter.begin("validation", "counting matches")
        summary = store.summarize(conn, model_id)
        reporter.report(1.0, f"{summary['matched']:,} of {summary['comparable']:,} comparable cells match")
    conn.close()
    return model_id, summary


def run_validation(
    model_id: int,
    *,
    progress: Callback | None = None,
    should_abort: Callable[[], bool] | None = None,
    engine: Engine | None = None,
    connect: Connect | None = None,
) -> dict:
    """Re-evaluate a stored model from its stored source file with the current engine.

    Calculated values and verdicts are replaced in one transaction; the result says which
    cells started or stopped matching.
    """
    connect = connect or db_engine.connect
    reporter = Reporter(progress, should_abort=should_abort)
    try:
        with connect() as conn, conn.cursor(row_factory=dict_row) as cur:
            model = cur.execute(queries.get_model, {"model_id": model_id}).fetchone()
            if model is None:
                raise NotFound(f"There is no model {model_id}.", stage="hashing")
            source = store.load_source_file(conn, model["file_sha256"])
        analysis = analyse(source["content"], reporter, engine)
        reporter.begin("insertion", "updating calculated values")
        with connect() as conn:
            changes = store.revalidate(
                conn,
                model_id,
                (row[0:1] + row[2:4] + row[8:] for row in cell_rows(analysis)),
                analysis.engine_info.get("engine_version"),
            )
            reporter.begin("validation", "counting matches")
    except CapitalLensError as exc:
        exc.stage = exc.stage or reporter.stage
        raise
    reporter.finish()
    summary = changes.pop("summary")
    return {
        "model_id": model_id,
        **changes,
        "comparable": summary["comparable"],
        "matched": summary["matched"],
        "mismatched": summary["mismatched"],
        "mismatch_reasons": summary["reasons"],
        "seconds": reporter.timings,
        "engine_version": analysis.engine_info.get("engine_version"),
    }
