"""Shared pieces of the benchmarks: a scratch database, a worker process, percentiles, RSS."""

from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import psutil
import psycopg
from psycopg import sql

from db import engine as db_engine
from db import migrate

SERVER_URL = os.environ.get("BENCH_SERVER_URL", os.environ.get("TEST_DATABASE_URL", "postgresql:///postgres"))


@contextmanager
def scratch_database():
    """A fresh migrated database, dropped afterwards; DATABASE_URL points at it meanwhile."""
    name = f"cl_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(SERVER_URL, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = psycopg.conninfo.make_conninfo(SERVER_URL, dbname=name)
    params = psycopg.conninfo.conninfo_to_dict(url)
    host = params.get("host")
    uri = f"postgresql:///{name}" + (f"?host={host}" if host else "")
    old = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = uri
    db_engine.reset()
    try:
        migrate.upgrade()
        with psycopg.connect(uri, autocommit=True) as conn:
            conn.execute("ANALYZE")
        yield uri
    finally:
        if old is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = old
        db_engine.reset()
        with psycopg.connect(SERVER_URL, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@contextmanager
def worker(url: str, concurrency: int = 1, log: Path | None = None):
    """A `capitallens worker` process for the duration of the block."""
    out = open(log or os.devnull, "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli", "worker", "--concurrency", str(concurrency)],
        env={
            **os.environ,
            "DATABASE_URL": url,
            "CAPITALLENS_LOG_LEVEL": "WARNING",
            "CAPITALLENS_POLL_INTERVAL": "0.5",
        },
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        time.sleep(2.0)  # let it register and LISTEN
        yield proc
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        out.close()


class PeakRSS:
    """Samples every 50 ms the RSS of a process and of its children: ``python`` the process
    with its Python helpers (importer/values_pass.py), ``node`` its engines, ``total`` the
    most all of them held at one moment (not the sum of the two peaks)."""

    def __init__(self, pid: int):
        self.pid = pid
        self.python = 0
        self.node = 0
        self.total = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakRSS:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        try:
            root = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        while not self._stop.wait(0.05):
            try:
                python, node = root.memory_info().rss, 0
                for child in root.children(recursive=True):
                    rss = child.memory_info().rss
                    if "node" in child.name():
                        node += rss
                    else:
                        python += rss
                self.python = max(self.python, python)
                self.node = max(self.node, node)
                self.total = max(self.total, python + node)
            except psutil.Error:
                pass


def percentiles(samples_ms: list[float]) -> tuple[float, float]:
    ordered = sorted(samples_ms)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return p50, p95


def wait_finished(conn: psycopg.Connection, job_id: int, timeout: float = 900) -> tuple:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = conn.execute(
            "SELECT status, result, error FROM job_runs WHERE job_id = %s", (job_id,)
        ).fetchone()
        if row and row[0] in ("success", "failed", "cancelled"):
            return row
        time.sleep(0.02)
    raise TimeoutError(f"job {job_id} did not finish")


ROOT = Path(__file__).resolve().parent.parent


def child_json(python: str, args: list[str], timeout: float) -> dict:
    """Run ``python args...`` from the repository's root (the benchmark environment's Python,
    for the engines and libraries the product must not depend on) and read the JSON object it
    prints on its last line; {"error": why} when it times out, crashes or prints none."""
    try:
        done = subprocess.run(
            [python, *args], capture_output=True, text=True, timeout=timeout, cwd=ROOT
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:g} s"}
    lines = done.stdout.strip().splitlines()
    try:
        return json.loads(lines[-1])
    except (ValueError, IndexError):
        err = [x for x in done.stderr.strip().splitlines() if x.strip()]
        return {"error": (err[-1] if err else f"exit status {done.returncode}")[:300]}
