"""`make bench`: queue latencies, then synthetic workbooks through the full queue path.

    python -m bench.run [--sizes 10000,100000] [--jobs 200] [--skip-queue]

For each size: seconds per stage (from the job's result), wall time from enqueue to success,
cells per second, and the peak RSS of the worker process and of its Node engine.
"""

from __future__ import annotations

import argparse
import platform
import time

import psutil
import psycopg

from bench import generate, harness, queue_latency
from importer.progress import STAGES
from worker import enqueue

STAGE_NAMES = [s for s in STAGES if s != "complete"]


def import_sizes(url: str, sizes: list[int]) -> list[dict]:
    rows = []
    with harness.worker(url) as proc, psycopg.connect(url, autocommit=True) as conn:
        warm = enqueue.enqueue_import(generate.financial_model(50), "warm-up", file_name="warm.xlsx")
        harness.wait_finished(conn, warm.job_id)  # Node started and warm, as in production
        for size in sizes:
            t = time.perf_counter()
            data = generate.financial_model(generate.periods_for(size))
            gen_s = time.perf_counter() - t
            with harness.PeakRSS(proc.pid) as rss:
                t0 = time.perf_counter()
                queued = enqueue.enqueue_import(data, f"bench {size}", file_name=f"bench{size}.xlsx")
                status, result, error = harness.wait_finished(conn, queued.job_id, timeout=1800)
                wall = time.perf_counter() - t0
            if status != "success":
                raise SystemExit(f"bench import of {size} cells {status}: {error}")
            rows.append(
                {
                    "size": size,
                    "cells": result["cells"],
                    "formulas": result["formula_cells"],
                    "seconds": result["seconds"],
                    "wall": wall,
                    "rss_worker": rss.python,
                    "rss_node": rss.node,
                    "generate": gen_s,
                    "matched": result["matched"],
                    "comparable": result["comparable"],
                    "bytes": len(data),
                }
            )
    return rows


def print_sizes(rows: list[dict]) -> None:
    head = ["cells", "formulas", *STAGE_NAMES, "total s", "cells/s", "worker MB", "node MB", "matched"]
    print("  ".join(f"{h:>12}" for h in head))
    for r in rows:
        stages = [r["seconds"].get(s, 0.0) for s in STAGE_NAMES]
        cols = [
            f"{r['cells']:,}",
            f"{r['formulas']:,}",
            *(f"{s:.2f}" for s in stages),
            f"{r['wall']:.2f}",
            f"{r['cells'] / r['wall']:,.0f}",
            f"{r['rss_worker'] / 2**20:,.0f}",
            f"{r['rss_node'] / 2**20:,.0f}",
            f"{r['matched']}/{r['comparable']}",
        ]
        print("  ".join(f"{c:>12}" for c in cols))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated cell counts")
    parser.add_argument("--jobs", type=int, default=200, help="jobs for the queue latency benchmark")
    parser.add_argument("--skip-queue", action="store_true")
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
        if sizes:
            print("\nimports through the queue (synthetic financial model, 7 formulas per 8 cells)")
            print_sizes(import_sizes(url, sizes))


if __name__ == "__main__":
    main()
