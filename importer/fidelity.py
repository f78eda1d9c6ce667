"""How often our engine reproduces the values Excel cached: per workbook and in total.

``run(paths, write)`` imports each workbook directly (``importer.service``, no queue) into the
current database and returns a Markdown report: per workbook the comparable formula cells (those
with a cached value, volatile mismatches left out), how many match, the mismatches by reason and
the matched share; then totals for the financial models and the engine-test workbooks apart, and
the median workbook. With ``write``, the report goes to that file and the per-file figures to a
JSON file beside it (``FIDELITY.json``), which the corpus golden test reads as its floor.

Which workbooks are engine tests is decided by the repository they come from (the ``repo`` column
of the corpus MANIFEST.tsv, else the ``owner__repo__`` prefix of the file name): a report
grouping, never an input to the computation.
"""

from __future__ import annotations

import csv
import json
import statistics
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from psycopg.rows import dict_row

from db import engine as db_engine
from db import queries
from importer import causes, service
from importer.errors import CapitalLensError

# Repositories whose workbooks exercise spreadsheet engines rather than model a business.
ENGINE_TEST_REPOS = frozenset(
    name.casefold()
    for name in (
        "IronCalc",
        "npoi",
        "koala",
        "SheetJS",
        "ClosedXML",
        "EPPlus",
        "PhpSpreadsheet",
        "calamine",
        "formulas",
        "xlcalculator",
    )
)

# Other engines are measured by bench/other_engines.py (in .venv-bench, `make fidelity-others`)
# with the same rule on the same files; the report renders its FIDELITY_OTHERS.json, never
# figures typed in here.
OTHER_ENGINES = ("ironcalc", "formualizer")
OTHER_ENGINE_LABELS = {"ironcalc": "IronCalc", "formualizer": "formualizer"}
OTHERS_FILE = "FIDELITY_OTHERS.json"

# How the engine reaches the numbers where Excel's own rules are not HyperFormula's.
ENGINE_NOTES = (
    "## How some cells are computed",
    "",
    "- **Circular references**, when the workbook enables iterative calculation (calcPr `iterate`):",
    "  each cycle (a strongly connected component of our dependency graph, in evaluation order)",
    "  starts from 0 and is solved Gauss-Seidel style, each member computed at its own address",
    "  from the newest values (`hyperformula/iteration.js`). We iterate past Excel's stop",
    "  until the largest relative change is below 1e-13 (at most 1,000 passes): a saved Excel",
    "  model sits at the fixed point because every recalculation resumes from the last values.",
    "  A cycle still changing by `iterateDelta` or more after `iterateCount` passes is",
    "  `circular_not_converged` (no value), with everything downstream. Data tables over a cycle",
    "  solve it again for each input. With iteration off, Excel computes a cell of a cycle",
    "  whose evaluation never reads the cycle (`IF(FALSE, cycle, 1)`, `INDEX(r,1,1):INDEX(r,1,n)`",
    "  left of the cell): such members start as unknown and are computed until none changes;",
    "  the real circular references stay `circular` (no value), as Excel warns instead.",
    "- **OFFSET, INDIRECT, `a:b` around a function call, ANCHORARRAY (`C3#`)** resolve their",
    "  reference while evaluating (`hyperformula/functions/dynamic_refs.js`). They are volatile",
    "  (recomputed on every change) and, after the first evaluation, recomputed until their",
    "  values settle, because the graph cannot order them after the cells they reach.",
    "- **Array formulas** fill the range the file saved for them: a bigger result is cut, a",
    "  smaller one repeated (one value, one row, one column) or padded with #N/A, as Excel shows",
    "  it. Results whose size depends on the data (GROUPBY, FILTER, TEXTSPLIT...) take that range.",
    "- **SUBTOTAL and AGGREGATE** skip the rows the file saved as hidden (and those an AutoFilter",
    "  hides), as Excel does for the same rows.",
    "- **CHAR and CODE** use the code page of the Excel that saved the file (docProps/app.xml):",
    "  Windows-1252, or Mac Roman for Microsoft Macintosh Excel.",
)

# Mismatch reasons of cells fed by code outside the file (importer/evaluate.py).
OUTSIDE_CODE_REASONS = ("add_in:", "vba:")

COMMAND = "make fidelity  # capitallens fidelity --write FIDELITY.md ../shared/corpus/excel"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


@dataclass
class FileResult:
    file: str
    group: str  # "financial" or "engine test"
    comparable: int = 0
    matched: int = 0
    volatile: int = 0
    reasons: Counter = field(default_factory=Counter)
    error: str | None = None
    model_id: int | None = None
    # Comparable cells that depend on TODAY or NOW (computed at the file's save time), matched.
    as_of_comparable: int = 0
    as_of_matched: int = 0

    @property
    def outside_code(self) -> int:
        """Comparable cells an add-in or VBA function feeds: no engine can compute them."""
        return sum(n for r, n in self.reasons.items() if r.startswith(OUTSIDE_CODE_REASONS))

    @property
    def share(self) -> float | None:
        return self.matched / self.comparable if self.comparable else None


# Mismatch classes the report lists (`capitallens fidelity --by-cause` lists them all).
REPORT_CAUSES = 30


def run(paths: list[Path], write: Path | None) -> str:
    """Import each workbook, print and return the report; write it (and FIDELITY.json) if asked."""
    results = measure(paths)
    classes = mismatch_classes([r.model_id for r in results if r.model_id is not None], _names(results))
    others = load_others(others_path(Path(write) if write else Path("FIDELITY.md")))
    report = render(results, others, classes)
    print(report)
    if write is not None:
        write = Path(write)
        write.write_text(report)
        golden_path(write).write_text(json.dumps(golden(results), indent=1, sort_keys=True) + "\n")
    return report


def measure(paths: list[Path]) -> list[FileResult]:
    """Import each workbook given (or found in a folder given) directly, one result per file."""
    files = workbooks(paths)
    repos = _manifest_repos(files)
    return [_measure(p, repos) for p in files]


def by_cause(paths: list[Path] | None) -> list[causes.Cause]:
    """Mismatch classes of the workbooks given, imported first; with None, of the newest model
    of each name already stored."""
    if paths is None:
        return mismatch_classes(None)
    results = measure(paths)
    return mismatch_classes([r.model_id for r in results if r.model_id is not None], _names(results))


def summary(results: list[FileResult]) -> dict:
    """The figures of a run as data: per workbook, per group, in all."""

    def total(group: list[FileResult]) -> dict:
        matched, comparable, _ = _total(group)
        return {
            "workbooks": len(group),
            "comparable": comparable,
            "matched": matched,
            "share": matched / comparable if comparable else None,
        }

    return {
        "workbooks": {
            r.file: {
                "group": r.group,
                "comparable": r.comparable,
                "matched": r.matched,
                "share": r.share,
                "mismatch_reasons": dict(r.reasons.most_common()),
                "error": r.error,
            }
            for r in results
        },
        "financial": total([r for r in results if r.group == "financial"]),
        "engine_tests": total([r for r in results if r.group == "engine test"]),
        "total": total(results),
    }


def mismatch_classes(model_ids: list[int] | None, names: dict[int, str] | None = None) -> list[causes.Cause]:
    """The mismatches of these models (None: the newest model of each name) as classes, biggest
    first (importer/causes.py). ``names`` shows a model under its file name instead of its own."""
    with db_engine.connect() as conn, conn.cursor(row_factory=dict_row) as cur:
        if model_ids is None:
            model_ids = [row["id"] for row in cur.execute(queries.latest_models)]
        rows = cur.execute(queries.mismatched_cells, {"model_ids": model_ids})
        if names:
            rows = ({**row, "workbook": names.get(row["model_id"], row["workbook"])} for row in rows)
        return causes.group(rows)


def _names(results: list[FileResult]) -> dict[int, str]:
    return {r.model_id: r.file for r in results if r.model_id is not None}


def workbooks(paths: list[Path]) -> list[Path]:
    """The files given, and the .xlsx/.xlsm files inside any folder given, in name order."""
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files += sorted(f for f in p.iterdir() if f.suffix.lower() in WORKBOOK_SUFFIXES)
        else:
            files.append(p)
    return files


def golden_path(report: Path) -> Path:
    """Where the machine-readable figures go: FIDELITY.json beside FIDELITY.md."""
    return report.with_suffix(".json")


def others_path(report: Path) -> Path:
    """Where bench/other_engines.py writes the other engines' figures: beside FIDELITY.md."""
    return report.with_name(OTHERS_FILE)


def load_others(path: Path) -> dict | None:
    """The other engines' measured figures, or None when they were not measured (or unreadable)."""
    try:
        data = json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("engines"), dict) else None


def golden(results: list[FileResult]) -> dict:
    return {
        r.file: {"comparable": r.comparable, "matched": r.matched, "share": r.share}
        for r in results
        if r.error is None
    }


def _measure(path: Path, repos: dict[str, str]) -> FileResult:
    repo = repos.get(path.name) or _repo_from_name(path.name)
    group = "engine test" if _is_engine_test(repo) else "financial"
    result = FileResult(path.name, group)
    print(f"importing {path.name}", file=sys.stderr)
    try:
        imported = service.import_file(path, f"fidelity: {path.stem}"[:200])
    except CapitalLensError as exc:  # the report shows it; the other workbooks still run
        result.error = f"{type(exc).__name__}: {exc}"
        return result
    result.model_id = imported.model_id
    result.comparable, result.matched, result.volatile = (
        imported.comparable,
        imported.matched,
        imported.volatile,
    )
    result.reasons = Counter({r: n for r, n in imported.mismatch_reasons.items() if r != "volatile"})
    result.as_of_comparable, result.as_of_matched = imported.as_of_comparable, imported.as_of_matched
    return result


def _manifest_repos(paths: list[Path]) -> dict[str, str]:
    """file name -> 'owner/name' from a MANIFEST.tsv in or above the workbooks' folders."""
    repos: dict[str, str] = {}
    for folder in {Path(p).resolve().parent for p in paths}:
        for manifest in (folder / "MANIFEST.tsv", folder.parent / "MANIFEST.tsv"):
            if manifest.is_file():
                with manifest.open(newline="") as fh:
                    for row in csv.DictReader(fh, delimiter="\t"):
                        repos.setdefault(row["file"], row["repo"])
    return repos


def _repo_from_name(file_name: str) -> str:
    """Corpus files are named owner__repo__path; other files have no repository."""
    parts = file_name.split("__")
    return "/".join(parts[:2]) if len(parts) > 2 else ""


def _is_engine_test(repo: str) -> bool:
    return any(part.casefold() in ENGINE_TEST_REPOS for part in repo.split("/"))


# -- The report ------------------------------------------------------------------------------


def _pct(matched: int, comparable: int) -> str:
    return f"{100 * matched / comparable:.2f}%" if comparable else "n/a"


def _total(results: list[FileResult]) -> tuple[int, int, Counter]:
    reasons: Counter = Counter()
    for r in results:
        reasons.update(r.reasons)
    return sum(r.matched for r in results), sum(r.comparable for r in results), reasons


def _median(results: list[FileResult]) -> str:
    shares = [r.share for r in results if r.share is not None]
    return f"{100 * statistics.median(shares):.2f}%" if shares else "n/a"


def _reasons_text(reasons: Counter) -> str:
    return ", ".join(f"{reason} {n}" for reason, n in reasons.most_common()) or "-"


def _goals(results: list[FileResult], financial: list[FileResult]) -> str:
    """Each goal of issue 11 with whether this run meets it."""

    def share(members: list[FileResult]) -> float:
        matched, comparable, _ = _total(members)
        return matched / comparable if comparable else 0.0

    engine_errors = sum(r.reasons.get("engine_error", 0) for r in results)
    failed = sum(1 for r in results if r.error)
    goals = [
        ("all workbooks >= 99.7%", share(results) >= 0.997),
        ("financial models >= 99.95%", share(financial) >= 0.9995),
        (f"no engine_error ({engine_errors})", engine_errors == 0),
        (f"no failed import ({failed})", failed == 0),
    ]
    return "; ".join(f"{goal}: {'met' if ok else 'not met'}" for goal, ok in goals) + "."


def _as_of_and_outside_code_rows(results: list[FileResult]) -> list[str]:
    """Summary rows: the cells computed at the as-of instant (TODAY, NOW), and all cells but those
    an add-in or VBA function feeds."""
    dated = [r for r in results if r.as_of_comparable]
    as_of_matched = sum(r.as_of_matched for r in dated)
    as_of_comparable = sum(r.as_of_comparable for r in dated)
    matched, comparable, _ = _total(results)
    computable = comparable - sum(r.outside_code for r in results)
    fed = [r for r in results if r.outside_code]
    return [
        f"| as-of cells (depend on TODAY or NOW) | {len(dated)} | {as_of_comparable:,} | "
        f"{as_of_matched:,} | {_pct(as_of_matched, as_of_comparable)} | - |",
        f"| all cells no add-in or VBA function feeds | {len(results)} ({len(fed)} with such cells) | "
        f"{computable:,} | {matched:,} | {_pct(matched, computable)} | - |",
    ]


def _share_text(share: float | None) -> str:
    return f"{100 * share:.2f}%" if isinstance(share, int | float) else "n/a"


def _other_engines_table(groups: dict[str, list[FileResult]], others: dict | None) -> list[str]:
    """This run beside the other engines' figures as FIDELITY_OTHERS.json has them, measured by
    bench/other_engines.py with the same rule; "not measured" when there is no such file."""
    results = groups["all workbooks"]
    shares = [r.share for r in results if r.share is not None]
    ours = {
        "all": _total(results)[:2],
        "financial": _total(groups["financial models"])[:2],
        "engine_test": _total(groups["engine-test workbooks"])[:2],
    }
    ours_share = {k: (m / c if c else None) for k, (m, c) in ours.items()}
    ours_share["median_workbook"] = statistics.median(shares) if shares else None
    failed = sum(1 for r in results if r.error)
    lines = ["## Other engines, same files, same rule", ""]
    if others is None:
        lines += [f"Not measured: there is no {OTHERS_FILE} beside this report (`make fidelity-others`).", ""]
    else:
        lines += [
            f"Measured by: `{others.get('command', '?')}` (`bench/other_engines.py`), "
            f"{others.get('measured_at', '?')}, each engine in its own process with a "
            f"{others.get('timeout_seconds', '?')} s limit per file; a file an engine cannot "
            "load, or that fails or times out, counts its comparable cells as misses.",
            "",
        ]
    lines += [
        "| engine | workbooks | all workbooks | financial models | engine-test workbooks | "
        "median workbook | files failed |",
        "|---|---:|---:|---:|---:|---:|---:|",
        f"| **CapitalLens (this run)** | **{len(results)}** | **{_share_text(ours_share['all'])}** | "
        f"**{_share_text(ours_share['financial'])}** | **{_share_text(ours_share['engine_test'])}** | "
        f"**{_share_text(ours_share['median_workbook'])}** | **{failed}** |",
    ]
    engines = (others or {}).get("engines", {})
    behind = []
    for key in OTHER_ENGINES:
        label = OTHER_ENGINE_LABELS[key]
        e = engines.get(key)
        if not isinstance(e, dict):
            lines.append(f"| {label} | - | not measured | not measured | not measured | not measured | - |")
            continue
        figures = {k: (e.get(k) or {}).get("share") for k in ("all", "financial", "engine_test")}
        figures["median_workbook"] = e.get("median_workbook")
        n_failed = len(e.get("files_failed") or [])
        lines.append(
            f"| {label} {e.get('version', '')} | {(e.get('all') or {}).get('workbooks', '-')} | "
            f"{_share_text(figures['all'])} | {_share_text(figures['financial'])} | "
            f"{_share_text(figures['engine_test'])} | {_share_text(figures['median_workbook'])} | "
            f"{n_failed} |"
        )
        for k, theirs in figures.items():
            if isinstance(theirs, int | float) and ours_share[k] is not None and ours_share[k] < theirs:
                behind.append(f"{k.replace('_', ' ')} ({label})")
        if n_failed < failed:
            behind.append(f"files failed ({label})")
    if engines:
        lines += [
            "",
            "CapitalLens is ahead or level on every figure."
            if not behind
            else "CapitalLens is behind on: " + ", ".join(behind) + ".",
        ]
    return lines


def render(
    results: list[FileResult], others: dict | None = None, classes: list[causes.Cause] | None = None
) -> str:
    groups = {
        "all workbooks": results,
        "financial models": [r for r in results if r.group == "financial"],
        "engine-test workbooks": [r for r in results if r.group == "engine test"],
    }
    lines = [
        "# Fidelity: our engine against the values Excel cached",
        "",
        "Formula cells with a cached value are *comparable*; a cell *matches* when our engine's",
        "value equals Excel's (numbers within relative 1e-9, text, booleans and errors exactly; see",
        "`importer/validate.py`). Volatile cells (RAND, RANDBETWEEN, RANDARRAY, INFO, CELL and their",
        "dependents) that differ are left out. TODAY() and NOW() are computed at the time each file",
        "was saved (docProps/core.xml, as a UTC wall clock unless CAPITALLENS_AS_OF_TZ says",
        "otherwise) and compared like any other cell: the as-of line counts the cells that depend",
        "on them. Nothing is read from the cached values into the computation.",
        "",
        f"Produced by: `{COMMAND}` (`importer.fidelity.run`).",
        "",
        "## Summary",
        "",
        "| group | workbooks | comparable | matched | share | median workbook |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, members in groups.items():
        matched, comparable, _ = _total(members)
        lines.append(
            f"| {label} | {len(members)} | {comparable:,} | {matched:,} | "
            f"{_pct(matched, comparable)} | {_median(members)} |"
        )
    lines += _as_of_and_outside_code_rows(results)
    lines += ["", "Goals (issue 11): " + _goals(results, groups["financial models"]), ""]
    lines += _other_engines_table(groups, others)
    lines += ["", *ENGINE_NOTES]
    lines += [
        "",
        "## Mismatches by reason",
        "",
        "| reason | financial | engine tests | all |",
        "|---|---:|---:|---:|",
    ]
    fin = _total(groups["financial models"])[2]
    eng = _total(groups["engine-test workbooks"])[2]
    every = fin + eng
    for reason, n in every.most_common():
        lines.append(f"| `{reason}` | {fin[reason]} | {eng[reason]} | {n} |")
    if classes is not None:
        lines += [
            "",
            "## Mismatch classes, biggest first",
            "",
            "One reason, the functions the formula calls and its shape (references R, numbers N,",
            "strings S); every class: `capitallens fidelity --by-cause` (`importer/causes.py`).",
            "",
            *causes.render(classes, REPORT_CAUSES),
        ]
    for label in ("financial models", "engine-test workbooks"):
        lines += [
            "",
            f"## {label[0].upper()}{label[1:]}",
            "",
            "| workbook | comparable | matched | share | mismatches by reason |",
            "|---|---:|---:|---:|---|",
        ]
        for r in sorted(groups[label], key=lambda r: (r.share if r.share is not None else 2, r.file)):
            if r.error:
                lines.append(f"| {r.file} | - | - | failed | {r.error} |")
            else:
                lines.append(
                    f"| {r.file} | {r.comparable:,} | {r.matched:,} | "
                    f"{_pct(r.matched, r.comparable)} | {_reasons_text(r.reasons)} |"
                )
    return "\n".join(lines) + "\n"
