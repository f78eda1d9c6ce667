"""HTTP uploads through the Procfile's gunicorn line: p50/p95 from sending a 1 MB workbook to its
202, and 50 concurrent uploads of which none may be lost (each a 202 and a queued job).

    python -m bench.upload_latency [--uploads 40] [--concurrent 50] [--mb 1]

The rate limit is raised out of the way (its SQL still runs on every upload); no worker runs,
so this measures the web path alone: multipart streaming, sniffing, and the one-transaction
enqueue of file + job_runs + procrastinate job.
"""

from __future__ import annotations

import argparse
import os
import threading
import time
from pathlib import Path

import psycopg

from bench import generate, harness
from bench.serving import gunicorn, upload


def workbook_of(megabytes: float) -> bytes:
    target = int(megabytes * 1_000_000)
    periods = 12_000
    data = generate.financial_model(periods)
    while len(data) < target:
        periods = int(periods * target / len(data)) + 50
        data = generate.financial_model(periods)
    return data


def sequential(port: int, data: bytes, n: int) -> list[float]:
    for i in range(3):  # warm the processes and their pools
        upload(port, data, f"warm {i}")
    samples = []
    for i in range(n):
        t0 = time.perf_counter()
        status, body, _ = upload(port, data, f"sequential {i}")
        samples.append((time.perf_counter() - t0) * 1000)
        if status != 202:
            raise SystemExit(f"upload {i} answered {status}: {body}")
    return samples


def concurrent(port: int, data: bytes, n: int) -> tuple[float, dict[int, int], list[int]]:
    """n uploads started at once; returns wall seconds, status counts and the job ids."""
    barrier = threading.Barrier(n)
    results: list[tuple[int, dict | None]] = [(0, None)] * n

    def one(i: int) -> None:
        barrier.wait()
        try:
            status, body, _ = upload(port, data, f"concurrent {i}")
        except OSError as exc:
            status, body = -1, {"error": str(exc)}
        results[i] = (status, body)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    counts: dict[int, int] = {}
    for status, _ in results:
        counts[status] = counts.get(status, 0) + 1
    ids = [body["job_id"] for status, body in results if status == 202]
    return wall, counts, ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploads", type=int, default=40, help="sequential uploads timed")
    parser.add_argument("--concurrent", type=int, default=50)
    parser.add_argument("--mb", type=float, default=1.0, help="workbook size in MB")
    args = parser.parse_args()
    data = workbook_of(args.mb)
    with (
        harness.scratch_database() as url,
        gunicorn(url, Path(os.devnull), CAPITALLENS_UPLOAD_RATE_LIMIT="1000000") as port,
    ):
        samples = sequential(port, data, args.uploads)
        p50, p95 = harness.percentiles(samples)
        print(f"upload -> 202, {len(data) / 1e6:.2f} MB workbook, {args.uploads} sequential uploads")
        print(f"  p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   (goal: p50 <= 100 ms)")

        wall, counts, ids = concurrent(port, data, args.concurrent)
        with psycopg.connect(url, autocommit=True) as conn:
            stored = conn.execute(
                "SELECT count(*) FROM job_runs r JOIN procrastinate_jobs j "
                "ON j.id = r.procrastinate_job_id WHERE r.job_id = ANY(%s)",
                (ids,),
            ).fetchone()[0]
        lost = args.concurrent - stored
        print(
            f"{args.concurrent} concurrent uploads: {wall:.2f} s wall, answers {counts}, "
            f"{len(set(ids))} distinct jobs, {stored} queued, lost {lost}"
        )
        if lost or len(set(ids)) != args.concurrent:
            raise SystemExit("uploads were lost")


if __name__ == "__main__":
    main()
