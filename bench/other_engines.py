"""Other engines' fidelity on the same workbooks, with the same rule as ``importer.fidelity``.

Run in the benchmark environment (``make fidelity-others``)::

    .venv-bench/bin/python -m bench.other_engines ../shared/corpus/excel --out FIDELITY_OTHERS.json

For each workbook and each engine (IronCalc, formualizer) a child process loads the file,
evaluates everything, and prints the value of every comparable cell; a file the engine cannot
load, that crashes it or that takes longer than ``--timeout`` seconds counts all its comparable
cells as misses. The JSON written holds, per engine, the matched share of all comparable cells,
of the financial models' and of the engine-test workbooks', the median workbook, the files that
failed, and the per-file figures; ``importer/fidelity.py`` renders them in FIDELITY.md.

Standalone on purpose: ``.venv-bench`` has none of the product's packages, so nothing here
imports ``importer``. The rule is kept the same as the product's by reading the same things:

- *Comparable* cells (``importer/workbook.py``): every cell with a formula (``<f>``, shared
  formulas' dependents included), every member of a multi-cell array formula or data table
  (the range its anchor declares), with a value Excel cached (``<v>``; ``t="str"`` with no
  value is the text ""). Cached values are read from the sheet XML as ``importer/sheetxml.py``
  and ``importer/values.py`` do (dates as serials, ``_xHHHH_`` escapes undone), never through
  a number format.
- *Match* (``importer/validate.py``): numbers within relative 1e-9 of the larger magnitude,
  with 1 as the floor of the scale (so absolute 1e-9 near zero); text, booleans and error codes
  exactly; a boolean never equals a number; an empty result never equals a value.
- *Left out* (``importer/validate.py``, ``importer/analysis.py``): a cell that mismatches and
  calls RAND, RANDBETWEEN, RANDARRAY, INFO or CELL, or depends on one that does (references
  followed through cell and range references, other sheets and defined names). TODAY and NOW
  are compared like any other cell, as the product does since it computes them at the file's
  save time; formualizer is given that instant (``set_deterministic_clock``), IronCalc has no
  such setting and uses its own clock.
- *Groups* (``importer/fidelity.py``): a workbook is an engine test when a part of its
  repository (MANIFEST.tsv's ``repo`` column, else the ``owner__repo__`` file name prefix) is
  one of ``ENGINE_TEST_REPOS``; the function and the list are copied from there.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import posixpath
import re
import statistics
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from xml.etree import ElementTree

ENGINES = ("ironcalc", "formualizer")
TIMEOUT_SECONDS = 120.0
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
COMMAND = (
    "make fidelity-others  # .venv-bench/bin/python -m bench.other_engines "
    "../shared/corpus/excel --out FIDELITY_OTHERS.json"
)

# Copied from importer/fidelity.py (this script cannot import it): keep the two equal.
ENGINE_TEST_REPOS = frozenset(
    name.casefold()
    for name in (
        "IronCalc", "npoi", "koala", "SheetJS", "ClosedXML", "EPPlus", "PhpSpreadsheet",
        "calamine", "formulas", "xlcalculator",
    )
)  # fmt: skip
# Copied from importer/validate.py and importer/formula.py.
REL_TOL = 1e-9
VOLATILE_FUNCTIONS = frozenset({"RAND", "RANDBETWEEN", "RANDARRAY", "INFO", "CELL"})

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
WORKSHEET_REL = "/worksheet"
DAY_1900 = dt.datetime(1899, 12, 30)
DAY_1904 = dt.datetime(1904, 1, 1)

# -- Values: (type, value) with type number, text, boolean, error or empty ---------------------

EMPTY = ("empty", None)


def same(raw: tuple, ours: tuple) -> bool:
    """importer.validate.compare's verdict: True when the two match."""
    if raw[0] != ours[0]:
        return False
    if raw[0] == "number":
        a, b = raw[1], ours[1]
        return abs(a - b) <= REL_TOL * max(abs(a), abs(b), 1.0)
    return raw[1] == ours[1]


def _serial(value: dt.datetime | dt.date | dt.time | dt.timedelta, date1904: bool) -> float:
    if isinstance(value, dt.timedelta):
        return value.total_seconds() / 86400
    if isinstance(value, dt.time):
        return (value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6) / 86400
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    value = value.replace(tzinfo=None)
    if date1904:
        return (value - DAY_1904).total_seconds() / 86400
    serial = (value - DAY_1900).total_seconds() / 86400
    return serial - 1 if serial < 61 else serial  # Excel's 29 February 1900


def _unescape(text: str) -> str:
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), text)


def _number(text: str) -> tuple:
    x = float(text)
    return ("number", x) if math.isfinite(x) else ("error", "#NUM!")


# -- The reference: Excel's cached values of the comparable cells ------------------------------


def _rels(zf: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, target part) of a part."""
    folder, name = posixpath.split(part)
    rels_part = posixpath.join(folder, "_rels", name + ".rels")
    if rels_part not in zf.namelist():
        return {}
    out = {}
    for rel in ElementTree.fromstring(zf.read(rels_part)).iter(PKG_REL + "Relationship"):
        target = rel.get("Target", "")
        target = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join(folder, target))
        )
        out[rel.get("Id")] = (rel.get("Type", ""), target)
    return out


def _cell_ref(ref: str) -> tuple[int, int]:
    m = re.fullmatch(r"\$?([A-Za-z]{1,3})\$?(\d+)", ref)
    if not m:
        raise ValueError(ref)
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


def _range(ref: str) -> tuple[int, int, int, int]:
    first, _, last = ref.partition(":")
    r1, c1 = _cell_ref(first)
    r2, c2 = _cell_ref(last or first)
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def read_reference(path: Path) -> dict:
    """The workbook's sheets, names, save time, and per sheet its comparable cells:
    {(row, col): [formula text, cached value]} (members of an array or data table carry the
    anchor's formula)."""
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        root_rels = _rels(zf, "")
        book = next((t for ty, t in root_rels.values() if ty.endswith("/officeDocument")), "xl/workbook.xml")
        wb = ElementTree.fromstring(zf.read(book))
        pr = wb.find(MAIN + "workbookPr")
        date1904 = pr is not None and pr.get("date1904", "0").lower() in ("1", "true")
        book_rels = _rels(zf, book)
        strings: list[str] = []
        for ty, target in book_rels.values():
            if ty.endswith("/sharedStrings") and target in names:
                for si in ElementTree.fromstring(zf.read(target)).iter(MAIN + "si"):
                    strings.append(_string_item(si))
        sheets = []
        for sheet in wb.iter(MAIN + "sheet"):
            ty, target = book_rels.get(sheet.get(REL + "id"), ("", ""))
            if ty.endswith(WORKSHEET_REL) and target in names:
                sheets.append((sheet.get("name"), target))
        defined = {}
        for dn in wb.iter(MAIN + "definedName"):
            defined[(dn.get("name") or "").casefold()] = dn.text or ""
        modified = None
        if "docProps/core.xml" in names:
            m = re.search(rb"<dcterms:modified[^>]*>([^<]+)<", zf.read("docProps/core.xml"))
            modified = m.group(1).decode().strip() if m else None
        cells = {name: _read_sheet(zf.read(part), strings, date1904) for name, part in sheets}
    return {"sheets": [n for n, _ in sheets], "cells": cells, "names": defined,
            "modified": modified, "date1904": date1904}  # fmt: skip


def _string_item(si) -> str:
    """A shared string's text: its <t>, or its rich runs' <r><t>; phonetic runs (<rPh>) left out."""
    parts = []
    for child in si:
        if child.tag == MAIN + "t":
            parts.append(child.text or "")
        elif child.tag == MAIN + "r":
            parts.append(child.findtext(MAIN + "t") or "")
    return _unescape("".join(parts))


def _read_sheet(xml: bytes, strings: list[str], date1904: bool) -> dict:
    cells: dict[tuple[int, int], list] = {}
    spans: list[tuple[int, int, int, int, str]] = []
    shared: set[str] = set()
    row_counter = 0
    for _, el in ElementTree.iterparse(_bytes_io(xml)):
        if el.tag == MAIN + "row":
            el.clear()
            continue
        if el.tag != MAIN + "c":
            continue
        ref = el.get("r")
        if ref:
            row, col = _cell_ref(ref)
        else:  # no address: the next cell of the row (rare; Excel always writes r)
            row, col = row_counter or 1, 1 + max((c for r, c in cells if r == row_counter), default=0)
        row_counter = row
        raw = _cached(el, strings, date1904)
        f = el.find(MAIN + "f")
        formula = None
        if f is not None:
            kind = f.get("t")
            formula = "=" + (f.text or "")
            if kind == "array" and f.get("ref"):
                spans.append((*_range(f.get("ref")), "{" + formula + "}"))
            elif kind == "dataTable" and f.get("ref"):
                formula = "=TABLE()"
                spans.append((*_range(f.get("ref")), formula))
            elif kind == "shared":
                si = f.get("si")
                if formula == "=" and si not in shared:
                    formula = None  # a dependent whose master is missing: a constant
                shared.add(si)
        else:
            for r1, c1, r2, c2, text in spans:
                if r1 <= row <= r2 and c1 <= col <= c2:
                    formula = text
                    break
        if formula is not None and raw != EMPTY:
            cells[(row, col)] = [formula, raw]
        el.clear()
    return cells


def _bytes_io(data: bytes):
    import io

    return io.BytesIO(data)


def _cached(el, strings: list[str], date1904: bool) -> tuple:
    t = el.get("t", "n")
    if t == "inlineStr":
        node = el.find(MAIN + "is")
        return (
            ("text", _unescape("".join(x.text or "" for x in node.iter(MAIN + "t"))))
            if node is not None
            else EMPTY
        )
    v = el.findtext(MAIN + "v") or None
    if v is None:
        return ("text", "") if t == "str" else EMPTY
    if t == "s":
        return ("text", strings[int(v)])
    if t == "str":
        return ("text", _unescape(v))
    if t == "b":
        return ("boolean", bool(int(v)))
    if t == "e":
        return ("error", v)
    if t == "d":
        return ("number", _serial(dt.datetime.fromisoformat(v), date1904))
    return _number(v)


# -- Which cells are volatile: they call RAND... or depend on a cell that does -----------------

_FUNC = re.compile(r"(?:_xlfn\.|_xlws\.)?([A-Z][A-Z0-9.]*)\s*\(", re.I)
_REF = re.compile(
    r"(?<![\w.])(?:(?P<sheet>'(?:[^']|'')+'|[A-Za-z_][\w.]*)!)?"
    r"(?P<a>\$?[A-Za-z]{1,3}\$?\d+|\$?[A-Za-z]{1,3}|\$?\d+)(?::(?P<b>\$?[A-Za-z]{1,3}\$?\d+|\$?[A-Za-z]{1,3}|\$?\d+))?"
    r"(?![\w(!])"
)
_STRING = re.compile(r'"(?:[^"]|"")*"')
MAX_ROW, MAX_COL = 1048576, 16384


def _calls_volatile(formula: str) -> bool:
    return any(m.group(1).upper() in VOLATILE_FUNCTIONS for m in _FUNC.finditer(_STRING.sub('""', formula)))


def _edge(text: str, first: bool) -> tuple[int, int]:
    text = text.replace("$", "")
    if text.isdigit():
        return int(text), (1 if first else MAX_COL)
    if text.isalpha():
        col = 0
        for ch in text.upper():
            col = col * 26 + ord(ch) - 64
        return (1 if first else MAX_ROW), col
    return _cell_ref(text)


def _references(formula: str, sheet: str, names: dict, depth: int = 0) -> list[tuple]:
    """(sheet, r1, c1, r2, c2) rectangles a formula reads, through defined names too."""
    text = _STRING.sub('""', formula)
    out = []
    for m in _REF.finditer(text):
        a, b = m.group("a"), m.group("b")
        if (a.replace("$", "").isdigit() or a.replace("$", "").isalpha()) and not b:
            word = m.group(0)
            if word.casefold() in names and depth < 5:  # a defined name
                out += _references(names[word.casefold()], sheet, names, depth + 1)
            continue
        try:
            r1, c1 = _edge(a, True)
            r2, c2 = _edge(b, False) if b else (r1, c1)
        except ValueError:
            continue
        target = m.group("sheet")
        target = target.strip("'").replace("''", "'") if target else sheet
        out.append((target, min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))
    for word in re.findall(r"[A-Za-z_\\][\w.]*", text):
        if word.casefold() in names and depth < 5 and not _REF.fullmatch(word):
            out += _references(names[word.casefold()], sheet, names, depth + 1)
    return out


def volatile_cells(ref: dict) -> set[tuple[str, int, int]]:
    """Cells calling a volatile function, and every formula cell that reads one, to a fixpoint."""
    volatile = {
        (s, r, c)
        for s, cells in ref["cells"].items()
        for (r, c), (f, _) in cells.items()
        if _calls_volatile(f)
    }
    if not volatile:
        return volatile
    reads = {
        (s, r, c): _references(f.lstrip("{").rstrip("}"), s, ref["names"])
        for s, cells in ref["cells"].items()
        for (r, c), (f, _) in cells.items()
    }
    changed = True
    while changed:
        changed = False
        by_sheet: dict[str, list[tuple[int, int]]] = {}
        for s, r, c in volatile:
            by_sheet.setdefault(s, []).append((r, c))
        for cell, rects in reads.items():
            if cell in volatile:
                continue
            for s, r1, c1, r2, c2 in rects:
                if any(r1 <= r <= r2 and c1 <= c <= c2 for r, c in by_sheet.get(s, ())):
                    volatile.add(cell)
                    changed = True
                    break
    return volatile


# -- The engines, each in a child process ------------------------------------------------------


def _as_of(modified: str | None) -> dt.datetime | None:
    if not modified:
        return None
    try:
        instant = dt.datetime.fromisoformat(modified.replace("Z", "+00:00"))
    except ValueError:
        return None
    return instant if instant.tzinfo else instant.replace(tzinfo=dt.UTC)  # W3CDTF: UTC when unsaid


def _ironcalc_values(path: Path, ref: dict) -> dict:
    import ironcalc

    model = ironcalc.load_from_xlsx(str(path), "en", "UTC")
    model.evaluate()
    index = {p["name"]: i for i, p in enumerate(model.get_worksheets_properties())}
    kinds = ironcalc.CellType
    out = {}
    for sheet, cells in ref["cells"].items():
        i = index.get(sheet)
        for row, col in cells:
            if i is None:
                continue
            kind = model.get_cell_type(i, row, col)
            value = model.get_cell_value(i, row, col)
            if value is None:
                v = EMPTY
            elif kind == kinds.ErrorValue:
                v = ("error", str(value))
            elif kind == kinds.LogicalValue:
                v = ("boolean", bool(value))
            elif kind == kinds.Number:
                v = _number(str(value))
            else:
                v = ("text", str(value)) if isinstance(value, str) else _plain(value, ref["date1904"])
            out[f"{sheet}!{row},{col}"] = v
    return out


FORMUALIZER_ERRORS = {
    "Ref": "#REF!", "Value": "#VALUE!", "Div": "#DIV/0!", "Name": "#NAME?", "Na": "#N/A",
    "Null": "#NULL!", "Num": "#NUM!", "Spill": "#SPILL!", "Calc": "#CALC!",
    "GettingData": "#GETTING_DATA", "Circ": "#CIRC!",
}  # fmt: skip


def _plain(value: object, date1904: bool) -> tuple:
    """An engine's Python value as (type, value)."""
    if value is None:
        return EMPTY
    if isinstance(value, bool):
        return ("boolean", value)
    if isinstance(value, int | float):
        return _number(repr(float(value)))
    if isinstance(value, str):
        return ("text", value)
    if isinstance(value, dt.datetime | dt.date | dt.time | dt.timedelta):
        return ("number", _serial(value, date1904))
    if isinstance(value, dict) and value.get("type") == "Error":
        kind = str(value.get("kind"))
        return ("error", FORMUALIZER_ERRORS.get(kind, "#" + kind.upper()))
    if isinstance(value, list):  # an array left in one cell: its top-left value, as Excel shows
        first = value[0] if value else None
        return _plain(first[0] if isinstance(first, list) and first else first, date1904)
    return ("text", str(value))


def _formualizer_values(path: Path, ref: dict) -> dict:
    import formualizer

    wb = formualizer.load_workbook(str(path))
    as_of = _as_of(ref["modified"])
    if as_of is not None:
        wb.set_deterministic_clock(as_of)  # TODAY and NOW at the save time, as the product
    wb.evaluate_all()
    present = set(wb.sheet_names)
    out = {}
    for sheet, cells in ref["cells"].items():
        for row, col in cells:
            value = wb.get_value(sheet, row, col) if sheet in present else None
            out[f"{sheet}!{row},{col}"] = _plain(value, ref["date1904"])
    return out


def child(engine: str, path: Path) -> None:
    """In the child process: evaluate with one engine, print the values of the comparable cells."""
    ref = read_reference(path)
    values = (_ironcalc_values if engine == "ironcalc" else _formualizer_values)(path, ref)
    # On a line of its own, last: an engine may print its own notes on stdout while loading.
    sys.stdout.write("\n" + json.dumps(values) + "\n")


def _evaluate(engine: str, path: Path, timeout: float) -> tuple[dict | None, str | None, float]:
    """(values, error, seconds) from a child process running one engine on one file."""
    start = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bench.other_engines", "--child", engine, str(path)],
            capture_output=True, text=True, timeout=timeout, cwd=Path(__file__).resolve().parent.parent,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return None, f"timed out after {timeout:g} s", time.monotonic() - start
    seconds = time.monotonic() - start
    if done.returncode != 0:
        lines = [x for x in done.stderr.strip().splitlines() if x.strip()]
        return None, (lines[-1] if lines else f"exit status {done.returncode}")[:300], seconds
    try:
        last = done.stdout.strip().rsplit("\n", 1)[-1]
        return {k: tuple(v) for k, v in json.loads(last).items()}, None, seconds
    except ValueError:
        return None, "no readable output", seconds


# -- Grouping, as importer/fidelity.py does ----------------------------------------------------


def workbooks(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files += sorted(f for f in p.iterdir() if f.suffix.lower() in WORKBOOK_SUFFIXES)
        else:
            files.append(p)
    return files


def manifest_repos(paths: list[Path]) -> dict[str, str]:
    repos: dict[str, str] = {}
    for folder in {Path(p).resolve().parent for p in paths}:
        for manifest in (folder / "MANIFEST.tsv", folder.parent / "MANIFEST.tsv"):
            if manifest.is_file():
                with manifest.open(newline="") as fh:
                    for row in csv.DictReader(fh, delimiter="\t"):
                        repos.setdefault(row["file"], row["repo"])
    return repos


def group_of(file_name: str, repos: dict[str, str]) -> str:
    parts = file_name.split("__")
    repo = repos.get(file_name) or ("/".join(parts[:2]) if len(parts) > 2 else "")
    engine_test = any(part.casefold() in ENGINE_TEST_REPOS for part in repo.split("/"))
    return "engine test" if engine_test else "financial"


# -- Measuring ---------------------------------------------------------------------------------


def measure_file(path: Path, engines: tuple[str, ...], timeout: float) -> dict[str, dict]:
    ref = read_reference(path)
    volatile = volatile_cells(ref)
    out = {}
    for engine in engines:
        values, error, seconds = _evaluate(engine, path, timeout)
        comparable = matched = 0
        for sheet, cells in ref["cells"].items():
            for (row, col), (_, raw) in cells.items():
                ours = values.get(f"{sheet}!{row},{col}", EMPTY) if values is not None else None
                if ours is not None and same(raw, ours):
                    comparable += 1
                    matched += 1
                elif (sheet, row, col) not in volatile:
                    comparable += 1
        out[engine] = {"comparable": comparable, "matched": matched, "error": error,
                       "seconds": round(seconds, 2)}  # fmt: skip
    return out


def _share(matched: int, comparable: int) -> float | None:
    return matched / comparable if comparable else None


def summarise(files: dict[str, dict], engine: str) -> dict:
    rows = {name: f[engine] for name, f in files.items()}

    def total(group: str | None) -> dict:
        members = [r for name, r in rows.items() if group is None or files[name]["group"] == group]
        m, c = sum(r["matched"] for r in members), sum(r["comparable"] for r in members)
        return {"workbooks": len(members), "comparable": c, "matched": m, "share": _share(m, c)}

    shares = [s for r in rows.values() if (s := _share(r["matched"], r["comparable"])) is not None]
    return {
        "all": total(None),
        "financial": total("financial"),
        "engine_test": total("engine test"),
        "median_workbook": statistics.median(shares) if shares else None,
        "files_failed": sorted(name for name, r in rows.items() if r["error"]),
    }


def _version(engine: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(engine)
    except metadata.PackageNotFoundError:
        return "not installed"


def run(paths: list[Path], out: Path | None, engines: tuple[str, ...], timeout: float) -> dict:
    files = workbooks(paths)
    repos = manifest_repos(files)
    per_file: dict[str, dict] = {}
    for path in files:
        print(f"measuring {path.name}", file=sys.stderr)
        try:
            measured = measure_file(path, engines, timeout)
        except (zipfile.BadZipFile, ElementTree.ParseError, KeyError, ValueError) as exc:
            # Excel's values cannot be read: no comparable cell to count, for any engine.
            measured = {e: {"comparable": 0, "matched": 0, "error": f"reference: {exc}"[:300], "seconds": 0}
                        for e in engines}  # fmt: skip
        per_file[path.name] = {"group": group_of(path.name, repos), **measured}
    report = {
        "command": COMMAND,
        "rule": "importer/validate.py: numbers within relative 1e-9 (floor 1), text, booleans and "
        "errors exactly; formula cells and array/data-table members with a cached value; a "
        "mismatch that RAND, RANDBETWEEN, RANDARRAY, INFO or CELL feeds left out; a file that "
        "fails or times out counts its comparable cells as misses",
        "timeout_seconds": timeout,
        "measured_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "engines": {
            engine: {"version": _version(engine), **summarise(per_file, engine)} for engine in engines
        },
        "files": per_file,
    }
    text = json.dumps(report, indent=1, sort_keys=True) + "\n"
    if out is not None:
        Path(out).write_text(text)
    for engine, s in report["engines"].items():
        print(f"{engine} {s['version']}: all {_pct(s['all']['share'])}, financial "
              f"{_pct(s['financial']['share'])}, engine tests {_pct(s['engine_test']['share'])}, "
              f"median {_pct(s['median_workbook'])}, failed {len(s['files_failed'])}")  # fmt: skip
    return report


def _pct(share: float | None) -> str:
    return f"{100 * share:.2f}%" if share is not None else "n/a"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, help="workbooks or folders of workbooks")
    parser.add_argument("--out", type=Path, help="write the figures here (FIDELITY_OTHERS.json)")
    parser.add_argument("--engines", default=",".join(ENGINES), help="comma-separated: ironcalc,formualizer")
    parser.add_argument("--timeout", type=float, default=TIMEOUT_SECONDS, help="seconds per engine per file")
    parser.add_argument("--child", nargs=2, metavar=("ENGINE", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    if not args.paths:
        parser.error("give workbooks or folders")
    engines = tuple(e.strip() for e in args.engines.split(",") if e.strip())
    unknown = set(engines) - set(ENGINES)
    if unknown:
        parser.error(f"unknown engines: {', '.join(sorted(unknown))}")
    run(args.paths, args.out, engines, args.timeout)


if __name__ == "__main__":
    main()
