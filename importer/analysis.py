"""The analysis of a workbook: bytes in, every cell with Excel's value, ours and the verdict out.

Hashing, parsing, dependencies, evaluation (Node/HyperFormula) and the comparison with Excel's
cached values, with their progress. Nothing here touches a database: ``analyse(data, reporter)``
runs without one, and ``Analysis.rows()`` are the cells as plain tuples, ready for storage
(db/store.py) to write as they are. importer/service.py composes the two.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import math
import os
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hyperformula.bridge import Engine, shared_engine
from importer import evaluate, graph, limits, validate, workbook
from importer.errors import BadInput
from importer.progress import Reporter
from importer.values import Value
from importer.workbook import CONSTANT, ParsedWorkbook

# The time zone whose wall clock TODAY() and NOW() read at the as-of instant (an IANA name).
AS_OF_TZ_SETTING = "CAPITALLENS_AS_OF_TZ"
DEFAULT_AS_OF_TZ = "UTC"

Verdict = tuple[bool | None, str | None]  # (has_mismatch, mismatch_reason)
_ENGINE_ERROR = evaluate.Outcome(None, "engine_error")  # a formula cell the engine left out
_NO_VALUE = Value(None, None, None)


@dataclass
class Summary:
    """The model's figures, counted from the verdicts as db/queries.sql's model_summary would
    count them from the stored cells (tests/test_service.py checks that they agree)."""

    evaluated: int = 0  # formula cells with a value of ours
    comparable: int = 0  # with a verdict, volatile ones left out
    matched: int = 0
    mismatched: int = 0  # volatile ones left out
    volatile: int = 0
    reasons: dict[str, int] = field(default_factory=dict)  # of every cell not matched, by count
    # Comparable cells that depend on TODAY or NOW (computed at the as-of instant), and matched.
    as_of_comparable: int = 0
    as_of_matched: int = 0


@dataclass
class Analysis:
    """Everything known about a workbook before it is stored."""

    sha256: str
    workbook: ParsedWorkbook
    deps: graph.Dependencies
    outcomes: dict  # (sheet index, row, col) -> evaluate.Outcome, for every formula cell
    volatile: set
    engine_info: dict
    as_of: set = field(default_factory=set)  # cells that depend on TODAY or NOW, and no random one
    compared: bool = True  # False: verdicts left NULL (has_mismatch), reasons still say why
    # Per sheet, one entry per cell in sheet.cells order: None for a constant, else its verdict.
    verdicts: list[list[Verdict | None]] = field(default_factory=list)
    summary: Summary = field(default_factory=Summary)

    def rows(self) -> Iterator[tuple]:
        """Every cell, in db/queries.sql copy_cells column order (without model_id): sheet,
        address, row, col, formula, Excel's value (value, text, type), ours, has_mismatch,
        mismatch_reason. Nothing is computed here: the verdicts were made by ``analyse``."""
        from openpyxl.utils.cell import get_column_letter

        letters: dict[int, str] = {}
        outcomes = self.outcomes
        for si, (sheet, verdicts) in enumerate(zip(self.workbook.sheets, self.verdicts, strict=True)):
            for c, verdict in zip(sheet.cells, verdicts, strict=True):
                col = letters.get(c.col) or letters.setdefault(c.col, get_column_letter(c.col))
                raw = c.raw
                if verdict is None:
                    calc, has_mismatch, reason = _NO_VALUE, None, None
                else:
                    calc = (outcomes.get((si, c.row, c.col)) or _ENGINE_ERROR).value or _NO_VALUE
                    has_mismatch, reason = verdict
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

    def warnings(self) -> list[str]:
        """What the user should know about the workbook (shown with the result)."""
        wb = self.workbook
        out = []
        if wb.has_vba:
            out.append("The workbook contains VBA macros; they were ignored.")
        if wb.external_links:
            out.append(f"The workbook links to {wb.external_links} external workbook(s).")
        for rejected in self.engine_info.get("rejected_names", []):
            out.append(f"Defined name {rejected['name']} was not understood by the engine.")
        if wb.calc.get("cycles_solved_with_iteration_off"):
            out.append(
                f"{wb.calc['cycles_solved_with_iteration_off']:,} circular reference(s) "
                f"({wb.calc['cycle_cells_solved_with_iteration_off']:,} cells) were solved "
                "iteratively although the workbook has iterative calculation off; their cells and "
                f"the cells that depend on them carry the reason {evaluate.ITERATION_OFF}."
            )
        return out

    @property
    def engine_version(self) -> str | None:
        return self.engine_info.get("engine_version")

    def summary_dict(self) -> dict:
        return asdict(self.summary)


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
    reporter: Reporter | None = None,
    engine: Engine | None = None,
    as_of: str | datetime | date | None = None,
    *,
    compare: bool = True,
    file_name: str | None = None,
) -> Analysis:
    """Hashing, parsing, dependencies, evaluation and the verdicts: everything but storage.

    TODAY() and NOW() are computed at ``as_of`` if given, else at the file's save time; the
    instant and its source go into the workbook's calc settings. ``compare=False`` leaves the
    verdicts NULL (a cell the engine could not evaluate still says why).
    """
    with _fewer_collections():
        return _analyse(data, reporter or Reporter(), engine, as_of, compare, file_name)


@contextlib.contextmanager
def _fewer_collections(young: int = 100_000):
    """Python's cyclic collector less often while a workbook is analysed: its millions of
    long-lived cells (none in a cycle) made every young collection walk more, 15-20% of the
    parsing and dependencies stages at 300k cells. The thresholds are restored after."""
    before = gc.get_threshold()
    gc.set_threshold(max(young, before[0]), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _analyse(
    data: bytes,
    reporter: Reporter,
    engine: Engine | None,
    as_of: str | datetime | date | None,
    compare: bool,
    file_name: str | None,
) -> Analysis:
    reporter.begin("hashing", "hashing the file")
    sha256 = sha256_of(data)
    reporter.report(1.0, f"sha256 {sha256[:12]}")

    reporter.begin("parsing", "reading formulas and Excel's cached values")
    wb = workbook.read(data, reporter)
    reporter.report(1.0, f"{wb.cell_count:,} cells, {wb.formula_count:,} formulas in {len(wb.sheets)} sheets")
    instant = resolve_as_of(wb.modified, as_of)
    wb.calc.update(instant.settings())

    # The formulas are translated for the engine, which then loads and evaluates them while
    # the dependency graph is built here; the circular references it finds follow.
    reporter.begin("dependencies", "translating formulas for the engine")
    engine = engine or shared_engine(**limits.engine_options())

    def dependencies() -> graph.Dependencies:
        deps = graph.build(wb, lambda fraction, message: reporter.report(0.3 + 0.7 * fraction, message))
        reporter.begin("evaluation", f"evaluating {len(deps.cells):,} formulas")
        return deps

    def waiting(elapsed: float) -> None:
        # The engine computes in one call; keep the percent creeping so pollers see life.
        reporter.report(1 - math.exp(-elapsed / 30), f"evaluating ({elapsed:.0f} s)")

    deps, outcomes, info = evaluate.evaluate_while(
        wb,
        dependencies,
        engine,
        on_wait=waiting,
        as_of=instant.wall_clock.isoformat(),
        file_name=file_name,
        progress=lambda fraction, message: reporter.report(0.3 * fraction, message),
        reading=lambda fraction, message: reporter.report(0.9 + 0.1 * fraction, message),
    )
    volatile = _volatile_cells(deps)
    as_of_cells = _as_of_cells(deps, volatile)
    reporter.report(1.0, f"evaluated {len(outcomes):,} formula cells")
    solved_off = info.get("iterated_off") or {}
    if solved_off.get("cycles"):  # the model summary says so (calc_settings)
        wb.calc["cycles_solved_with_iteration_off"] = solved_off["cycles"]
        wb.calc["cycle_cells_solved_with_iteration_off"] = solved_off["cells"]
    analysis = Analysis(sha256, wb, deps, outcomes, volatile, info, as_of_cells, compare)
    judge(analysis, lambda n: reporter.report(1.0, f"compared {n:,} cells with Excel's"))
    reporter.report(1.0, "compared with Excel's cached values" if compare else "not compared")
    return analysis


def judge(analysis: Analysis, progress: Callable[[int], None] | None = None, every: int = 50_000) -> None:
    """Each formula cell's verdict against Excel's cached value, and the model's figures.
    ``progress(n)`` is called every ``every`` formula cells (a cancellation stops it there)."""
    compare, outcomes = analysis.compared, analysis.outcomes
    volatile, as_of = analysis.volatile, analysis.as_of
    interned: dict[Verdict, Verdict] = {}  # most cells share (False, None): keep one of each
    evaluated = comparable = matched = mismatched = volatile_count = 0
    as_of_comparable = as_of_matched = seen = 0
    reasons: Counter[str] = Counter()
    analysis.verdicts = []
    for si, sheet in enumerate(analysis.workbook.sheets):
        verdicts: list[Verdict | None] = []
        for c in sheet.cells:
            if c.kind == CONSTANT:
                verdicts.append(None)
                continue
            key = (si, c.row, c.col)
            seen += 1
            if progress is not None and seen % every == 0:
                progress(seen)
            outcome = outcomes.get(key) or _ENGINE_ERROR
            if compare:
                has_mismatch, reason = validate.verdict(c.raw, outcome.value, outcome.reason, key in volatile)
                reason = _with_note(outcome, reason)
                if key in as_of and has_mismatch is not None:
                    as_of_comparable += 1
                    as_of_matched += has_mismatch is False
            else:
                has_mismatch, reason = None, outcome.reason
            verdict = (has_mismatch, reason)
            verdicts.append(interned.setdefault(verdict, verdict))
            # Counted as db/queries.sql's model_summary and mismatch_reasons count stored cells.
            if c.formula is not None and outcome.value is not None and outcome.value.type is not None:
                evaluated += 1
            if reason == "volatile":
                volatile_count += 1
            elif has_mismatch is not None:
                comparable += 1
            if has_mismatch is False:
                matched += 1
            elif has_mismatch and reason is not None and reason != "volatile":
                mismatched += 1
            if reason is not None and has_mismatch is not False:
                reasons[reason] += 1
        analysis.verdicts.append(verdicts)
    analysis.summary = Summary(
        evaluated=evaluated,
        comparable=comparable,
        matched=matched,
        mismatched=mismatched,
        volatile=volatile_count,
        reasons=dict(sorted(reasons.items(), key=lambda item: (-item[1], item[0]))),
        as_of_comparable=as_of_comparable,
        as_of_matched=as_of_matched,
    )


def _volatile_cells(deps: graph.Dependencies) -> set[tuple[int, int, int]]:
    """Formula cells that call a volatile function, and every cell that depends on one."""
    return {deps.cells[n] for n in deps.dependents_of(deps.volatile)} if deps.volatile else set()


def _as_of_cells(deps: graph.Dependencies, volatile: set) -> set[tuple[int, int, int]]:
    """Formula cells that call TODAY or NOW, or depend on one, and on no random function:
    computed at the as-of instant and compared like any other."""
    if not deps.as_of:
        return set()
    return {deps.cells[n] for n in deps.dependents_of(deps.as_of)} - volatile


def _with_note(outcome: evaluate.Outcome, reason: str | None) -> str | None:
    """A computed value's note kept beside its verdict: ``iteration_off`` on a match (or with
    nothing to compare), ``iteration_off:value_differs`` on a mismatch; ``volatile`` stays
    itself (it is left out of the counts by that exact name)."""
    if outcome.reason != evaluate.ITERATION_OFF or outcome.value is None or reason == "volatile":
        return reason
    return outcome.reason if reason is None else f"{outcome.reason}:{reason}"
