"""Parsing: openpyxl's normal mode, its read-only (streaming) mode, and ours (lxml streaming),
on the same synthetic workbook; seconds and peak memory of each, both passes.

    python -m bench.parse_modes [--cells 100000]
"""

from __future__ import annotations

import argparse
import io
import time
import tracemalloc
import warnings

import openpyxl

from bench import generate
from importer import workbook


def _openpyxl(data: bytes, read_only: bool) -> int:
    n = 0
    for data_only in (False, True):
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=read_only, data_only=data_only)
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                n += sum(1 for v in row if v is not None)
        if read_only:
            wb.close()
    return n


def measure(label: str, fn) -> None:
    """Time one run; trace memory in a second run (tracing slows allocation-heavy code)."""
    t0 = time.perf_counter()
    fn()
    seconds = time.perf_counter() - t0
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"  {label:<34} {seconds:8.2f} s   peak Python heap {peak / 2**20:8.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=100_000)
    args = parser.parse_args()
    data = generate.financial_model(generate.periods_for(args.cells))
    print(f"two passes (formulas, cached values) over {args.cells:,} cells")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        measure("openpyxl, normal mode", lambda: _openpyxl(data, read_only=False))
        measure("openpyxl, read-only (streaming)", lambda: _openpyxl(data, read_only=True))
        measure("CapitalLens (lxml streaming)", lambda: workbook.read(data))


if __name__ == "__main__":
    main()
