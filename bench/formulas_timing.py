"""Time the Python `formulas` library evaluating a workbook (load + calculate), for comparison.

Runs in the benchmark environment only (.venv-bench, see the Makefile), so the product never
depends on it:  .venv-bench/bin/python bench/formulas_timing.py model.xlsx
Prints one JSON line: {"seconds": ..., "cells": ...} or {"error": ...}.
"""

import json
import sys
import time


def main() -> None:
    import formulas

    path = sys.argv[1]
    t0 = time.perf_counter()
    try:
        model = formulas.ExcelModel().loads(path).finish()
        solution = model.calculate()
    except Exception as exc:  # report, do not crash the benchmark
        print(json.dumps({"error": f"{type(exc).__name__}: {exc}"[:300]}))
        return
    print(json.dumps({"seconds": time.perf_counter() - t0, "cells": len(solution)}))


if __name__ == "__main__":
    main()
