"""`make bench`: queue latencies, then workbooks through the full queue path.

    python -m bench.run [--sizes 10000,100000] [--jobs 200] [--skip-queue]
                        [--formulas-python .venv-bench/bin/python] [--lookup-rows 20000]
                        [--corpus ../shared/corpus/excel]

For each size: seconds per stage (from the job's result), wall time from enqueue to success,
cells per second, and the peak RSS of the worker process and of its Node engine; then the time
the Python `formulas` library needs just to evaluate the same workbook (run from a separate
environment, never a dependency of the product), a lookup-heavy workbook against the same
workbook without lookups, and the largest real workbooks of the corpus.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import tempfile
import time
from pathlib import Path

import psutil
import psycopg

from bench import generate, harness, queue_latency
from importer.progress import STAGES
from worker import enqueue

STAGE_NAMES = [s for s in STAGES if s != "complete"]


def import_through_queue(url: str, workbooks: list[tuple[str, bytes]]) -> list[dict]:
    """Import each (label, bytes) through the queue on one warm worker; measure each."""
    rows = []
    with harness.worker(url) as proc, psycopg.connect(url, autocommit=True) as conn:
        warm = enqueue.enqueue_import(generate.financial_model(50), "warm-up", file_name="warm.xlsx")
        harness.wait_finished(conn, warm.job_id)  # Node started and warm, as in production
        for label, data in workbooks:
            with harness.PeakRSS(proc.pid) as rss:
                t0 = time.perf_counter()
                queued = enqueue.enqueue_import(data, f"bench {label}", file_name=f"{label}.xlsx", force=True)
                status, result, error = harness.wait_finished(conn, queued.job_id, timeout=3600)
                wall = time.perf_counter() - t0
            if status != "success":
                raise SystemExit(f"bench import of {label} {status}: {error}")
            gap = conn.execute(
                'SELECT coalesce(max(gap), 0) FROM (SELECT extract(epoch FROM "timestamp" - '
                'lag("timestamp") OVER (ORDER BY id)) AS gap FROM job_progress WHERE job_id = %s) g',
                (queued.job_id,),
            ).fetchone()[0]
            rows.append(
                {
                    "label": label,
                    "cells": result["cells"],
                    "formulas": result["formula_cells"],
                    "seconds": result["seconds"],
                    "wall": wall,
                    "rss_worker": rss.python,
                    "rss_node": rss.node,
                    "matched": result["matched"],
                    "comparable": result["comparable"],
                    "silent": float(gap),
                    "data": data,
                }
            )
    return rows


def formulas_seconds(python: str, data: bytes, timeout: float) -> str:
    """Seconds the `formulas` library needs to load and calculate the workbook, or why not."""
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as f:
        f.write(data)
        f.flush()
        try:
            out = subprocess.run(
                [python, str(Path(__file__).with_name("formulas_timing.py")), f.name],
                capture_output=True,
                text=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            return f"> {timeout:.0f}"
    try:
        result = json.loads(out.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return "error"
    return f"{result['seconds']:.1f}" if "seconds" in result else "error"


def print_sizes(rows: list[dict]) -> None:
    head = [
        "workbook",
        "cells",
        "formulas",
        *STAGE_NAMES,
        "total s",
        "cells/s",
        "worker MB",
        "node MB",
        "max silent s",
        "matched",
    ]
    print("  ".join(f"{h:>12}" for h in head))
    for r in rows:
        stages = [r["seconds"].get(s, 0.0) for s in STAGE_NAMES]
        cols = [
            r["label"][:12],
            f"{r['cells']:,}",
            f"{r['formulas']:,}",
            *(f"{s:.2f}" for s in stages),
            f"{r['wall']:.2f}",
            f"{r['cells'] / r['wall']:,.0f}",
            f"{r['rss_worker'] / 2**20:,.0f}",
            f"{r['rss_node'] / 2**20:,.0f}",
            f"{r['silent']:.2f}",
            f"{r['matched']}/{r['comparable']}",
        ]
        print("  ".join(f"{c:>12}" for c in cols))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated cell counts")
    parser.add_argument("--jobs", type=int, default=200, help="jobs for the queue latency benchmark")
    parser.add_argument("--skip-queue", action="store_true")
    parser.add_argument("--formulas-python", help="a Python with the `formulas` library (.venv-bench)")
    parser.add_argument("--formulas-max", type=int, default=150_000, help="most cells given to formulas")
    parser.add_argument("--lookup-rows", type=int, default=0, help="rows of the lookup-heavy workbook")
    parser.add_argument("--corpus", type=Path, help="folder of real workbooks; the 3 largest are imported")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    print(
        f"machine: {platform.platform()}, {psutil.cpu_count()} CPUs, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB, Python {platform.python_version()}"
    )
    with harness.scratch_database() as url:
        if not args.skip_queue:
            result = queue_latency.enqueue_and_pickup(url, args.jobs)
            progress = queue_latency.progress_latency(url)
            print()
            queue_latency.print_latency(result, progress)
        books = [(f"{size // 1000}k", generate.financial_model(generate.periods_for(size))) for size in sizes]
        if args.lookup_rows:
            books += [
                (f"lookups {args.lookup_rows // 1000}k", generate.lookup_model(args.lookup_rows)),
                (
                    f"direct {args.lookup_rows // 1000}k",
                    generate.lookup_model(args.lookup_rows, lookups=False),
                ),
            ]
        if args.corpus:
            largest = sorted(args.corpus.glob("*.xls[xm]"), key=lambda p: p.stat().st_size)[-3:]
            books += [(p.stem[-12:], p.read_bytes()) for p in largest]
        rows = import_through_queue(url, books)
        print("\nimports through the queue (synthetic model: 7 formulas per 8 cells; then lookups, corpus)")
        print_sizes(rows)
        if args.formulas_python:
            print("\nthe `formulas` library, load + calculate of the same workbook")
            for r in rows:
                if r["label"].endswith("k") and r["cells"] <= args.formulas_max:
                    seconds = formulas_seconds(args.formulas_python, r["data"], timeout=1800)
                    ratio = (
                        f"{float(seconds) / r['wall']:.1f}x" if seconds.replace(".", "").isdigit() else "n/a"
                    )
                    ours = f"CapitalLens {r['wall']:6.2f} s"
                    print(f"  {r['label']:>12}  formulas {seconds:>8} s   {ours}   {ratio}")


if __name__ == "__main__":
    main()
