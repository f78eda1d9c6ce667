"""The import pipeline: hashing, parsing, dependencies, evaluation, insertion, validation.

``run_import(source, name, progress=callback)`` runs every stage and returns an ImportResult.
The model and all its cells are written in one transaction: they appear together or not at all.
"""

from __future__ import annotations

import hashlib
import math
import os
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import psycopg
from psycopg.rows import dict_row

from db import engine as db_engine
from db import queries, store
from hyperformula.bridge import Engine, shared_engine
from importer import evaluate, graph, validate, workbook
from importer.errors import BadInput, CapitalLensError, DatabaseUnavailable, NotFound
from importer.progress import Callback, Reporter
from importer.values import Value
from importer.workbook import CONSTANT, ParsedWorkbook

Connect = Callable[[], psycopg.Connection]

# The time zone whose wall clock TODAY() and NOW() read at the as-of instant (an IANA name).
AS_OF_TZ_SETTING = "CAPITALLENS_AS_OF_TZ"
DEFAULT_AS_OF_TZ = "UTC"


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


@dataclass
class Analysis:
    """Everything known about a workbook before it is stored."""

    sha256: str
    workbook: ParsedWorkbook
    deps: graph.Dependencies
    outcomes: dict
    volatile: set
    engine_info: dict
    as_of: set = field(default_factory=set)  # cells that depend on TODAY or NOW, and no random one


@dataclass(frozen=True)
class AsOf:
    """The instant TODAY() and NOW() are computed at, and the wall clock they read then."""

    instant: datetime  # aware, UTC
    wall_clock: datetime  # naive: the time in ``tz`` at ``instant``
    source: str  # "user", "file_modified" (docProps/core.xml) or "now" (the file has none)
    tz: str

    def settings(self) -> dict:
        """What calc_settings records."""
        return {
            "as_of": self.instant.isoformat().replace("+00:00", "Z"),
            "as_of_source": self.source,
            "as_of_tz": self.tz,
            "as_of_local": self.wall_clock.isoformat(),
        }


def parse_as_of(text: str | datetime | date) -> datetime:
    """An as-of instant as the user gives it (``--as-of``, upload field ``as_of``): an ISO 8601
    date (``2024-03-15``: midnight) or date-time, with or without a UTC offset (without one it is
    a wall-clock time in CAPITALLENS_AS_OF_TZ). Raises ValueError with a sentence to show."""
    if isinstance(text, datetime):
        value = text
    elif isinstance(text, date):
        value = datetime(text.year, text.month, text.day)
    else:
        raw = str(text).strip()
        try:
            value = datetime.fromisoformat(raw)
        except ValueError:
            value = None
        if value is None or len(raw) < 10:
            raise ValueError(
                f"as_of must be an ISO 8601 date or date-time such as 2024-03-15 or "
                f"2024-03-15T17:30:00Z, not {raw[:50]!r}."
            )
    if not 1900 <= value.year <= 9999:
        raise ValueError(f"as_of must be a date from 1900 to 9999, not {value.date().isoformat()}.")
    return value


def as_of_zone() -> tuple[str, ZoneInfo]:
    """CAPITALLENS_AS_OF_TZ (default UTC) as a time zone; a bad name is BadInput naming it."""
    name = (os.environ.get(AS_OF_TZ_SETTING) or "").strip() or DEFAULT_AS_OF_TZ
    try:
        return name, ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise BadInput(
            f"{AS_OF_TZ_SETTING}={name[:50]!r} is not a time zone; give an IANA name such as "
            "UTC or Europe/London."
        ) from exc


def resolve_as_of(modified: str | None, given: str | datetime | date | None = None) -> AsOf:
    """The user's instant if given, else the file's save time, else now."""
    tz_name, tz = as_of_zone()
    if given is not None:
        try:
            value = parse_as_of(given)
        except ValueError as exc:
            raise BadInput(str(exc)) from exc
        source = "user"
    else:
        value = _w3cdtf(modified)
        source = "file_modified" if value is not None else "now"
        value = value or datetime.now(UTC)
    if value.tzinfo is None:  # a wall-clock time in tz
        wall, instant = value, value.replace(tzinfo=tz).astimezone(UTC)
    else:
        instant = value.astimezone(UTC)
        wall = instant.astimezone(tz).replace(tzinfo=None)
    return AsOf(instant, wall, source, tz_name)


def _w3cdtf(text: str | None) -> datetime | None:
    """docProps/core.xml's dcterms:modified (W3CDTF, UTC when no offset is written), or None."""
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if not 1900 <= value.year <= 9999:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def analyse(
    data: bytes,
    reporter: Reporter,
    engine: Engine | None = None,
    as_of: str | datetime | date | None = None,
) -> Analysis:
    """Hashing, parsing, dependencies and evaluation: everything but the database.

    TODAY() and NOW() are computed at ``as_of`` if given, else at the file's save time; the
    instant and its source go into the workbook's calc settings.
    """
    reporter.begin("hashing", "hashing the file")
    sha256 = sha256_of(data)
    reporter.report(1.0, f"sha256 {sha256[:12]}")

    reporter.begin("parsing", "reading formulas and Excel's cached values")
    wb = workbook.read(data, reporter)
    reporter.report(1.0, f"{wb.cell_count:,} cells, {wb.formula_count:,} formulas in {len(wb.sheets)} sheets")
    instant = resolve_as_of(wb.modified, as_of)
    wb.calc.update(instant.settings())

    reporter.begin("dependencies", "extracting references")
    deps = graph.build(wb, reporter)
    volatile = _volatile_cells(deps)
    as_of_cells = _as_of_cells(deps, volatile)

    reporter.begin("evaluation", f"evaluating {len(deps.cells):,} formulas")
    engine = engine or shared_engine()

    def waiting(elapsed: float) -> None:
        # The engine computes in one call; keep the percent creeping so pollers see life.
        reporter.report(1 - math.exp(-elapsed / 30), f"evaluating ({elapsed:.0f} s)")

    outcomes, info = evaluate.evaluate(
        wb, deps, engine, on_wait=waiting, as_of=instant.wall_clock.isoformat()
    )
    reporter.report(1.0, f"evaluated {len(outcomes):,} formula cells")
    solved_off = info.get("iterated_off") or {}
    if solved_off.get("cycles"):  # the model summary says so (calc_settings)
        wb.calc["cycles_solved_with_iteration_off"] = solved_off["cycles"]
        wb.calc["cycle_cells_solved_with_iteration_off"] = solved_off["cells"]
    return Analysis(sha256, wb, deps, outcomes, volatile, info, as_of_cells)


def _volatile_cells(deps: graph.Dependencies) -> set[tuple[int, int, int]]:
    """Formula cells that call a volatile function, and every cell that depends on one."""
    return {deps.cells[n] for n in deps.dependents_of(deps.volatile)} if deps.volatile else set()


def _as_of_cells(deps: graph.Dependencies, volatile: set) -> set[tuple[int, int, int]]:
    """Formula cells that call TODAY or NOW, or depend on one, and on no random function:
    computed at the as-of instant and compared like any other."""
    if not deps.as_of:
        return set()
    return {deps.cells[n] for n in deps.dependents_of(deps.as_of)} - volatile


def as_of_counts(analysis: Analysis) -> tuple[int, int]:
    """(comparable, matched) among the cells that depend on the as-of instant."""
    comparable = matched = 0
    for key, raw in _cells_by_key(analysis, analysis.as_of).items():
        outcome = analysis.outcomes.get(key) or evaluate.Outcome(None, "engine_error")
        has_mismatch, _ = validate.verdict(raw, outcome.value, outcome.reason, False)
        if has_mismatch is not None:
            comparable += 1
            matched += has_mismatch is False
    return comparable, matched


def _cells_by_key(analysis: Analysis, keys: set) -> dict[tuple[int, int, int], Value]:
    """Excel's cached value of each formula cell in ``keys``."""
    sheets = {si for si, _, _ in keys}
    return {
        (si, c.row, c.col): c.raw
        for si in sheets
        for c in analysis.workbook.sheets[si].cells
        if (si, c.row, c.col) in keys
    }


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
                    reason = _with_note(outcome, reason)
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


def _with_note(outcome: evaluate.Outcome, reason: str | None) -> str | None:
    """A computed value's note kept beside its verdict: ``iteration_off`` on a match (or with
    nothing to compare), ``iteration_off:value_differs`` on a mismatch; ``volatile`` stays
    itself (it is left out of the counts by that exact name)."""
    if outcome.reason != evaluate.ITERATION_OFF or outcome.value is None or reason == "volatile":
        return reason
    return outcome.reason if reason is None else f"{outcome.reason}:{reason}"


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
    as_of: str | datetime | date | None = None,
) -> ImportResult:
    """Import a workbook: every stage, then one transaction for the model and its cells.

    ``validate=False`` stores our values without comparing them with Excel's (``has_mismatch``
    stays NULL); ``capitallens validate`` can compare later. ``as_of`` is the instant TODAY()
    and NOW() are computed at (see parse_as_of); by default the file's save time.
    """
    if isinstance(source, str | Path):
        file_name = file_name or Path(source).name
        data = Path(source).read_bytes()
    else:
        data = source
    reporter = Reporter(progress, should_abort=should_abort)
    try:
        analysis = analyse(data, reporter, engine, as_of)
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
    if wb.calc.get("cycles_solved_with_iteration_off"):
        warnings.append(
            f"{wb.calc['cycles_solved_with_iteration_off']:,} circular reference(s) "
            f"({wb.calc['cycle_cells_solved_with_iteration_off']:,} cells) were solved iteratively "
            "although the workbook has iterative calculation off; their cells and the cells that "
            f"depend on them carry the reason {evaluate.ITERATION_OFF}."
        )
    as_of_comparable, as_of_matched = as_of_counts(analysis) if validate else (0, 0)
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
        as_of_comparable=as_of_comparable,
        as_of_matched=as_of_matched,
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
        # The instant the user chose at import stays the model's; else the file's save time again.
        calc = model.get("calc_settings") or {}
        as_of = calc.get("as_of") if calc.get("as_of_source") == "user" else None
        analysis = analyse(source["content"], reporter, engine, as_of)
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
