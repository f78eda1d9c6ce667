"""Time another engine loading and evaluating a workbook, for the side-by-side table (issue 13).

Runs in the benchmark environment only (.venv-bench, see the Makefile), from the repository's
root so that ``bench.other_engines`` imports; the product never depends on these engines:

    .venv-bench/bin/python -m bench.engine_timing formualizer model.xlsx [--check 2000]

Prints one JSON line, last: {"engine", "version", "load", "evaluate", "checked", "matched"} or
{"engine", "error"}. ``load`` is reading the file into the engine, ``evaluate`` computing every
cell, both timed in this process (the interpreter's start and the imports are left out). Then,
untimed, up to ``--check`` formula cells spread evenly over the workbook are compared with
Excel's cached values by bench/other_engines.py's rule, so that a fast engine that computed
something else shows: ``matched`` of ``checked``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from bench import other_engines


def _formualizer(path: Path):
    import formualizer

    t0 = time.perf_counter()
    wb = formualizer.load_workbook(str(path))
    t1 = time.perf_counter()
    wb.evaluate_all()
    t2 = time.perf_counter()

    def value(sheet: str, row: int, col: int) -> tuple:
        return other_engines._plain(wb.get_value(sheet, row, col), False)

    return t1 - t0, t2 - t1, value


def _ironcalc(path: Path):
    import ironcalc

    t0 = time.perf_counter()
    model = ironcalc.load_from_xlsx(str(path), "en", "UTC")
    t1 = time.perf_counter()
    model.evaluate()
    t2 = time.perf_counter()
    index = {p["name"]: i for i, p in enumerate(model.get_worksheets_properties())}
    kinds = ironcalc.CellType

    def value(sheet: str, row: int, col: int) -> tuple:
        i = index[sheet]
        kind, v = model.get_cell_type(i, row, col), model.get_cell_value(i, row, col)
        if v is None:
            return other_engines.EMPTY
        if kind == kinds.ErrorValue:
            return ("error", str(v))
        if kind == kinds.LogicalValue:
            return ("boolean", bool(v))
        if kind == kinds.Number:
            return other_engines._number(str(v))
        return other_engines._plain(v, False)

    return t1 - t0, t2 - t1, value


ENGINES = {"formualizer": _formualizer, "ironcalc": _ironcalc}


def measure(engine: str, path: Path, check: int) -> dict:
    load, evaluate, value = ENGINES[engine](path)
    out = {"engine": engine, "version": other_engines._version(engine), "load": load, "evaluate": evaluate}
    if check:
        ref = other_engines.read_reference(path)
        cells = [(s, r, c, raw) for s, sheet in ref["cells"].items() for (r, c), (_, raw) in sheet.items()]
        step = max(1, len(cells) // check)
        sample = cells[::step][:check]
        out["checked"] = len(sample)
        out["matched"] = sum(other_engines.same(raw, value(s, r, c)) for s, r, c, raw in sample)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("engine", choices=sorted(ENGINES))
    parser.add_argument("path", type=Path)
    parser.add_argument("--check", type=int, default=2000, help="formula cells to compare (0: none)")
    args = parser.parse_args()
    try:
        result = measure(args.engine, args.path, args.check)
    except Exception as exc:  # report, do not crash the benchmark
        result = {"engine": args.engine, "error": f"{type(exc).__name__}: {exc}"[:300]}
    # On a line of its own, last: an engine may print its own notes on stdout while loading.
    sys.stdout.write("\n" + json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
