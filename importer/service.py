"""The import service: analysis (importer/analysis.py) composed with storage (db/store.py).

Framework-agnostic: the CLI's ``--direct``, the worker's tasks, the fidelity report and the tests
all call these, and none of them knows click, Flask or procrastinate.

- ``import_file(source, name)``: a workbook from bytes or a path; its file is stored with it.
- ``import_stored(sha256, name)``: a file already in source_files (a queued import): read once,
  never sent back.
- ``revalidate(model_id)``: a stored model's file analysed again with the current engine.

Each writes the model, all its cells and its figures in one transaction: they appear together
or not at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path

import psycopg
from psycopg.rows import dict_row

from db import engine as db_engine
from db import queries, store
from hyperformula.bridge import Engine
from importer import analysis as analysing
from importer.analysis import Analysis
from importer.errors import CapitalLensError, DatabaseUnavailable, NotFound
from importer.progress import Callback, Reporter

Connect = Callable[[], psycopg.Connection]
AsOfGiven = str | datetime | date | None


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
    # Comparable cells that depend on TODAY or NOW (computed at the as-of instant), and how many match.
    as_of_comparable: int = 0
    as_of_matched: int = 0
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


def import_file(
    source: bytes | str | Path,
    name: str,
    *,
    progress: Callback | None = None,
    should_abort: Callable[[], bool] | None = None,
    file_name: str | None = None,
    engine: Engine | None = None,
    connect: Connect | None = None,
    validate: bool = True,
    as_of: AsOfGiven = None,
) -> ImportResult:
    """Import a workbook given as bytes or a path; the file goes into source_files with the model.

    ``validate=False`` stores our values without comparing them with Excel's (``has_mismatch``
    stays NULL); ``capitallens validate`` can compare later. ``as_of`` is the instant TODAY()
    and NOW() are computed at (analysis.parse_as_of); by default the file's save time.
    """
    if isinstance(source, str | Path):
        file_name = file_name or Path(source).name
        data = Path(source).read_bytes()
    else:
        data = source
    file_name = file_name or "workbook.xlsx"
    reporter = Reporter(progress, should_abort=should_abort)

    def save_file(conn: psycopg.Connection, sha256: str) -> None:
        store.save_source_file(conn, sha256=sha256, content=data, file_name=file_name)

    return _import(data, file_name, name, reporter, engine, connect, validate, as_of, save_file)


def import_stored(
    sha256: str,
    name: str,
    *,
    progress: Callback | None = None,
    should_abort: Callable[[], bool] | None = None,
    engine: Engine | None = None,
    connect: Connect | None = None,
    validate: bool = True,
    as_of: AsOfGiven = None,
) -> ImportResult:
    """Import a file already in source_files (enqueue stored it): it is read once and never
    written back."""
    connect = connect or db_engine.connect
    reporter = Reporter(progress, should_abort=should_abort)
    with connect() as conn:
        source = store.load_source_file(conn, sha256)
    data, file_name = source["content"], source["file_name"]
    return _import(data, file_name, name, reporter, engine, connect, validate, as_of, save_file=None)


def _import(
    data: bytes,
    file_name: str,
    name: str,
    reporter: Reporter,
    engine: Engine | None,
    connect: Connect | None,
    validate: bool,
    as_of: AsOfGiven,
    save_file: Callable[[psycopg.Connection, str], None] | None,
) -> ImportResult:
    try:
        done = analysing.analyse(data, reporter, engine, as_of, compare=validate, file_name=file_name)
        model_id = _store(done, name, reporter, connect or db_engine.connect, save_file)
    except CapitalLensError as exc:
        exc.stage = exc.stage or reporter.stage
        raise
    reporter.finish()
    wb, deps, summary = done.workbook, done.deps, done.summary
    return ImportResult(
        model_id=model_id,
        name=name,
        sha256=done.sha256,
        sheets=len(wb.sheets),
        cells=wb.cell_count,
        formula_cells=len(deps.cells),
        evaluated=summary.evaluated,
        comparable=summary.comparable,
        matched=summary.matched,
        mismatched=summary.mismatched,
        volatile=summary.volatile,
        cycle_cells=deps.cycle_cell_count,
        mismatch_reasons=summary.reasons,
        seconds=reporter.timings,
        calc_settings=wb.calc,
        as_of_comparable=summary.as_of_comparable,
        as_of_matched=summary.as_of_matched,
        engine_version=done.engine_version,
        engine_seconds=done.engine_info.get("timings") or {},
        warnings=done.warnings(),
    )


def _store(
    done: Analysis,
    name: str,
    reporter: Reporter,
    connect: Connect,
    save_file: Callable[[psycopg.Connection, str], None] | None,
) -> int:
    """The insertion and validation stages: one transaction for the file (when it is not stored
    yet), the model, its names, its cells and its figures."""
    wb = done.workbook
    total = wb.cell_count or 1
    reporter.begin("insertion", f"writing {total:,} cells")
    try:
        conn = connect()
    except psycopg.OperationalError as exc:
        raise DatabaseUnavailable(f"Cannot connect to the database: {exc}", stage="insertion") from exc
    with conn:  # one transaction: commit on success, roll back on any error
        if save_file is not None:
            save_file(conn, done.sha256)
        model_id = store.insert_model(
            conn,
            name=name,
            sha256=done.sha256,
            sheets=[s.name for s in wb.sheets],
            cell_count=wb.cell_count,
            formula_count=len(done.deps.cells),
            cycle_cell_count=done.deps.cycle_cell_count,
            calc_settings=wb.calc,
            engine_version=done.engine_version,
        )
        store.insert_names(conn, model_id, ((n.name, n.scope, n.value) for n in wb.names))
        store.copy_cells(
            conn,
            model_id,
            done.rows(),
            progress=lambda n: reporter.report(n / total, f"wrote {n:,} of {total:,} cells"),
        )
        reporter.begin("validation", "recording the verdicts")
        store.record_summary(conn, model_id, done.summary_dict())
        summary = done.summary
        reporter.report(1.0, f"{summary.matched:,} of {summary.comparable:,} comparable cells match")
    conn.close()
    return model_id


def revalidate(
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
        # The instant the user chose at import stays the model's; else the file's save time again.
        calc = model.get("calc_settings") or {}
        as_of = calc.get("as_of") if calc.get("as_of_source") == "user" else None
        done = analysing.analyse(source["content"], reporter, engine, as_of, file_name=source["file_name"])
        reporter.begin("insertion", "updating calculated values")
        with connect() as conn:
            changes = store.revalidate(
                conn,
                model_id,
                (row[0:1] + row[2:4] + row[8:] for row in done.rows()),
                done.engine_version,
                done.summary_dict(),
            )
            reporter.begin("validation", "counting matches")
    except CapitalLensError as exc:
        exc.stage = exc.stage or reporter.stage
        raise
    reporter.finish()
    summary = done.summary
    return {
        "model_id": model_id,
        **changes,
        "comparable": summary.comparable,
        "matched": summary.matched,
        "mismatched": summary.mismatched,
        "mismatch_reasons": summary.reasons,
        "seconds": reporter.timings,
        "engine_version": done.engine_version,
    }
