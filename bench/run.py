"""`make bench`: every figure of issue 13's report in one run, then the queue's latencies.

    python -m bench.run [--sizes 100000,1000000] [--jobs 200] [--skip-queue]
                        [--bench-python .venv-bench/bin/python] [--chart bench/stages.png]
                        [--debt-cells 60000] [--lookup-rows 100000] [--corpus ../shared/corpus/excel]

First the machine, the date and the command. Then, on one warm worker, through the full queue
path (enqueue -> success): the operating model (bench/generate.py) at each size, the circular
debt schedule and the same without the cycle, the lookup-heavy workbook with and without its
lookups, and the corpus's five workbooks with the most cells. For each: seconds per stage (from
the job's result), wall time, cells per second, peak RSS of the worker and of its Node engine,
the longest silence between two progress rows, matched cells.

With --bench-python (.venv-bench, never the product's environment), each in a child process
after the imports: formualizer and IronCalc load + evaluate of the same workbooks
(bench/engine_timing.py), the `formulas` library on the sizes up to --formulas-max, and the
stage chart (bench/stages_chart.py, matplotlib). Last, issue 13's goals, PASS or MISS from the
numbers measured above (bench/goals.py).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import tempfile
import time
import zipfile
from pathlib import Path

import psycopg

from bench import generate, goals, harness, queue_latency, report
from importer.progress import STAGES
from worker import enqueue

STAGE_NAMES = [s for s in STAGES if s != "complete"]


def import_through_queue(url: str, workbooks: list[tuple[str, bytes]]) -> list[dict]:
    """Import each (label, bytes) through the queue on one warm worker; measure each. A job that
    does not succeed is kept with its status and error (a corpus file may fail)."""
    rows = []
    with harness.worker(url) as proc, psycopg.connect(url, autocommit=True) as conn:
        warm = enqueue.enqueue_import(generate.financial_model(50), "warm-up", file_name="warm.xlsx")
        harness.wait_finished(conn, warm.job_id)  # Node started and warm, as in production
        for label, data in workbooks:
            with harness.PeakRSS(proc.pid) as rss:
                t0 = time.perf_counter()
                file_name = label if label.endswith((".xlsx", ".xlsm")) else f"{label}.xlsx"
                queued = enqueue.enqueue_import(data, f"bench {label}", file_name=file_name, force=True)
                status, result, error = harness.wait_finished(conn, queued.job_id, timeout=3600)
                wall = time.perf_counter() - t0
            gap = conn.execute(
                'SELECT coalesce(max(gap), 0) FROM (SELECT extract(epoch FROM "timestamp" - '
                'lag("timestamp") OVER (ORDER BY id)) AS gap FROM job_progress WHERE job_id = %s) g',
                (queued.job_id,),
            ).fetchone()[0]
            result = result or {}
            rows.append(
                {
                    "label": label,
                    "status": status,
                    "error": error,
                    "cells": result.get("cells", 0),
                    "formulas": result.get("formula_cells", 0),
                    "seconds": result.get("seconds", {}),
                    "wall": wall,
                    "rss_worker": rss.python,
                    "rss_node": rss.node,
                    "rss_total": rss.total,
                    "matched": result.get("matched", 0),
                    "comparable": result.get("comparable", 0),
                    "silent": float(gap),
                    "data": data,
                }
            )
    return rows


def largest_in_corpus(folder: Path, n: int) -> list[Path]:
    """The ``n`` workbooks of ``folder`` with the most cells (``<c>`` elements in their sheets'
    XML, constants included), largest first; a file that is no zip counts none."""

    def cells(path: Path) -> int:
        try:
            with zipfile.ZipFile(path) as zf:
                return sum(
                    len(CELL_TAG.findall(zf.read(name)))
                    for name in zf.namelist()
                    if name.startswith("xl/worksheets/") and name.endswith(".xml")
                )
        except (zipfile.BadZipFile, OSError):
            return 0

    files = [p for p in folder.iterdir() if p.suffix.lower() in (".xlsx", ".xlsm")]
    return sorted(files, key=lambda p: (-cells(p), p.name))[:n]


CELL_TAG = re.compile(rb"<c[ >]")


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
    print(f"{head[0]:<14}" + "  ".join(f"{h:>12}" for h in head[1:]))
    for r in rows:
        if r["status"] != "success":
            why = json.dumps(r["error"])[:200]
            print(f"{r['label'][:14]:<14}{r['status']} after {r['wall']:.2f} s: {why}")
            continue
        stages = [r["seconds"].get(s, 0.0) for s in STAGE_NAMES]
        cols = [
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
        print(f"{r['label'][:14]:<14}" + "  ".join(f"{c:>12}" for c in cols))


def size_label(cells: int) -> str:
    return f"{cells // 1_000_000}M" if cells >= 1_000_000 and cells % 1_000_000 == 0 else f"{cells // 1000}k"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000", help="operating model cells, e.g. 1000,2000")
    parser.add_argument("--jobs", type=int, default=200, help="jobs for the queue latency benchmark")
    parser.add_argument("--skip-queue", action="store_true", help="leave out the queue latencies")
    parser.add_argument(
        "--bench-python",
        "--formulas-python",
        help="the benchmark environment's Python (.venv-bench: formualizer, IronCalc, formulas, matplotlib)",
    )
    parser.add_argument("--formulas-max", type=int, default=150_000, help="most cells given to formulas")
    parser.add_argument("--debt-cells", type=int, default=60_000, help="cells, iterative case (0: none)")
    parser.add_argument("--lookup-rows", type=int, default=0, help="rows of the lookup-heavy workbook")
    parser.add_argument("--corpus", type=Path, help="real workbooks; the 5 with most cells are imported")
    parser.add_argument("--chart", type=Path, help="write the stage chart here (needs --bench-python)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    python = args.bench_python
    with harness.scratch_database() as url:
        with psycopg.connect(url) as conn:
            report.header(conn.execute("SELECT version()").fetchone()[0])
        if not args.skip_queue:
            result = queue_latency.enqueue_and_pickup(url, args.jobs)
            progress = queue_latency.progress_latency(url)
            print()
            queue_latency.print_latency(result, progress)
        books = [(size_label(size), generate.operating_model(size)) for size in sizes]
        if args.debt_cells:
            books += [
                ("circular debt", generate.debt_schedule(args.debt_cells)),
                ("acyclic debt", generate.debt_schedule(args.debt_cells, circular=False)),
            ]
        if args.lookup_rows:
            k = args.lookup_rows // 1000
            books += [
                (f"lookups {k}k", generate.lookup_model(args.lookup_rows)),
                (f"direct {k}k", generate.lookup_model(args.lookup_rows, lookups=False)),
            ]
        corpus = []
        if args.corpus and args.corpus.is_dir():
            corpus = largest_in_corpus(args.corpus, 5)
            books += [(p.name, p.read_bytes()) for p in corpus]
        rows = import_through_queue(url, books)
    ops, rest = rows[: len(sizes)], rows[len(sizes) :]
    debt, rest = (rest[:2], rest[2:]) if args.debt_cells else ([], rest)
    lookups, real = (rest[:2], rest[2:]) if args.lookup_rows else ([], rest)
    for r in ops + debt + lookups:  # a generated workbook must import (a corpus file may fail)
        if r["status"] != "success":
            raise SystemExit(f"bench import of {r['label']} {r['status']}: {r['error']}")
    print("\nimports through the queue, one warm worker (operating model, debt schedules, lookups, corpus)")
    print_sizes(rows)

    if python:  # the other engines, one at a time, after the imports (2 cores: nothing else runs)
        for r in ops + debt:
            r["formualizer"] = report.time_engine(python, "formualizer", r["data"])
            r["ironcalc"] = report.time_engine(python, "ironcalc", r["data"])
        for r in real:
            if r["status"] == "success":
                r["formualizer"] = report.time_engine(python, "formualizer", r["data"])
    report.side_by_side(ops)
    by_size = {
        size: {
            "wall": r["wall"],
            "formualizer": report.engine_total(r.get("formualizer")),
            "rss": r["rss_total"],
            "silent": r["silent"],
        }
        for size, r in zip(sizes, ops, strict=True)
    }
    report.print_goals("issue 13's goals, operating model", goals.operating_goals(by_size))
    if debt:
        report.print_goals("issue 13's goal, iterative calculation", [report.iterative(*debt)])
    if args.corpus:
        if real:
            corpus_goals = report.corpus_table(real, "cell count")
            report.print_goals("issue 13's goal, corpus (each within 10x)", corpus_goals)
        else:
            print(f"\ncorpus: skipped, {args.corpus} is not there")
    if lookups:
        with_, without = lookups
        print(f"\nlookups: {with_['wall']:.2f} s with, {without['wall']:.2f} s without "
              f"({with_['wall'] / without['wall']:.2f}x, goal <= 2x)")  # fmt: skip
    if python:
        print("\nthe `formulas` library, load + calculate of the same workbook")
        for r in ops:
            if r["cells"] <= args.formulas_max:
                seconds = formulas_seconds(python, r["data"], timeout=1800)
                ratio = f"{float(seconds) / r['wall']:.1f}x" if seconds.replace(".", "").isdigit() else "n/a"
                ours = f"CapitalLens {r['wall']:6.2f} s"
                print(f"  {r['label']:>12}  formulas {seconds:>8} s   {ours}   {ratio}")
        if args.chart:
            report.chart(python, ops, STAGE_NAMES, args.chart)


if __name__ == "__main__":
    main()
