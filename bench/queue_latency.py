"""Queue latencies: enqueue, pickup (defer -> task start) and progress (row -> follower).

python -m bench.queue_latency [--jobs 200]
"""

from __future__ import annotations

import argparse
import threading
import time

import psycopg

from bench import generate, harness
from worker import enqueue
from worker.follow import follow


def enqueue_and_pickup(url: str, jobs: int) -> dict:
    data = generate.tiny_model()  # the job itself takes milliseconds
    enqueue_ms, pickup_ms = [], []
    with harness.worker(url), psycopg.connect(url, autocommit=True) as conn:
        for i in range(jobs):
            t0 = time.perf_counter()
            queued = enqueue.enqueue_import(data, f"latency {i}", file_name="tiny.xlsx")
            enqueue_ms.append((time.perf_counter() - t0) * 1000)
            harness.wait_finished(conn, queued.job_id, timeout=60)
        rows = conn.execute(
            "SELECT extract(epoch FROM s.at - d.at) * 1000 FROM procrastinate_events d "
            "JOIN procrastinate_events s ON s.job_id = d.job_id AND s.type = 'started' "
            "WHERE d.type = 'deferred' ORDER BY d.job_id"
        ).fetchall()
        pickup_ms = [float(r[0]) for r in rows]
    return {"enqueue": harness.percentiles(enqueue_ms), "pickup": harness.percentiles(pickup_ms), "n": jobs}


def progress_latency(url: str, samples: int = 50) -> tuple[float, float]:
    with psycopg.connect(url, autocommit=True) as conn:
        job_id = conn.execute(
            "INSERT INTO job_runs (job_type) VALUES ('import') RETURNING job_id"
        ).fetchone()[0]
        seen: dict[str, float] = {}
        ready = threading.Event()

        def on_progress(stage, percent, message):
            seen[message] = time.perf_counter()
            ready.set()

        follower = threading.Thread(
            target=follow, args=(job_id, on_progress), kwargs={"poll_interval": 5.0}, daemon=True
        )
        follower.start()
        time.sleep(0.5)
        latencies = []
        for i in range(samples):
            ready.clear()
            t0 = time.perf_counter()
            conn.execute(
                "INSERT INTO job_progress (job_id, stage, percent, message) VALUES (%s, 'parsing', %s, %s)",
                (job_id, 10 + i * 0.1, f"m{i}"),
            )
            ready.wait(timeout=10)
            latencies.append((seen[f"m{i}"] - t0) * 1000)
        conn.execute(
            "UPDATE job_runs SET status = 'success', completed_at = now() WHERE job_id = %s", (job_id,)
        )
        follower.join(timeout=10)
    return harness.percentiles(latencies)


def print_latency(result: dict, progress: tuple[float, float]) -> None:
    rows = [
        ("enqueue (file + job_runs + defer, 1 tx)", result["enqueue"], 10),
        ("pickup (deferred -> started)", result["pickup"], 20),
        ("progress (row committed -> follower)", progress, 250),
    ]
    print(f"queue latency over {result['n']} jobs (ms)        p50      p95   goal (p50)")
    for label, (p50, p95), goal in rows:
        print(f"  {label:<40} {p50:7.2f}  {p95:7.2f}   <= {goal}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=200)
    args = parser.parse_args()
    with harness.scratch_database() as url:
        result = enqueue_and_pickup(url, args.jobs)
        progress = progress_latency(url)
    print_latency(result, progress)


if __name__ == "__main__":
    main()
