"""The hostile matrix, end to end: every case of tests/hostile/cases.py, through the queue and
through HTTP, on one real worker that must survive them all.

Each case asserts its terminal state, its error code and phrase, its time, the peak memory of the
worker's whole process tree (the worker and its Node engine), that the worker is alive
afterwards, that no model or cell is left behind, and that the next good import succeeds.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

import web
from bench import serving
from tests import conftest, workbooks
from tests.hostile import cases
from tests.test_worker import Workers, finished, wait_for
from web import db as web_db
from worker import enqueue

pytestmark = pytest.mark.slow

# The bounds for any one file: it ends within a minute, and the worker's process tree
# (worker + Node) stays under 2 GB. The cases that are costly to compute (ENGINE_COST: 100k-cell
# cycles, 5M-cell arrays) must end too, but their time is a speed figure, not a pass/fail one: it
# varies two- to threefold with the machine's load (a 100k-cell cycle took 28-39 s on one
# afternoon and 60-130 s on a slower one). They are bounded at three minutes here, so that a hang
# still fails; how fast they are belongs to the benchmarks (issue 13).
MAX_SECONDS = 60.0
ENGINE_COST_SECONDS = 180.0
MAX_TREE_MB = 2048.0
HTTP_STATUS = {"invalid_workbook": 415, "workbook_too_large": 413, "macros_refused": 415}


@dataclass(frozen=True)
class Case:
    name: str
    make: object
    status: str  # the job's terminal state: "failed" or "success"
    code: str | None  # the error's type, for a failed job
    phrase: str | None  # words the error message must hold
    max_seconds: float = MAX_SECONDS


JOB_ERRORS = {"invalid_workbook", "workbook_too_large", "workbook_too_complex", "macros_refused"}


def _case(
    name: str, make, expected: str | None, phrase: str | None, max_seconds: float = MAX_SECONDS
) -> Case:
    """A table row as a Case: an expected job error code fails the job; anything else (None, or
    a cell-level outcome such as "circular") is a job that succeeds."""
    if expected in JOB_ERRORS:
        return Case(name, make, "failed", expected, phrase or None, max_seconds)
    return Case(name, make, "success", None, None, max_seconds)


def _all_cases() -> list[Case]:
    out = [_case(n, make, code, phrase) for n, (make, code, phrase) in cases.BROKEN.items()]
    out += [_case(n, make, code, phrase) for n, (make, code, phrase) in cases.HOSTILE.items()]
    out += [
        _case(n, make, expected, None, ENGINE_COST_SECONDS)
        for n, (make, expected, _note) in cases.ENGINE_COST.items()
    ]
    return sorted(out, key=lambda c: c.name)


CASES = _all_cases()


class TreeMemory:
    """The peak resident memory of a process and all its descendants, sampled every 50 ms."""

    def __init__(self, pid: int):
        self.pid = pid
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_mb = max(self.peak_mb, tree_rss_mb(self.pid))
            self._stop.wait(0.05)


def tree_rss_mb(root: int) -> float:
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        pid = int(entry.name)
        children.setdefault(int(fields.get("PPid", "0").strip() or 0), []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, ()))
    return total / 1024


@pytest.fixture(scope="module")
def matrix(template_db, tmp_path_factory):
    """One database and one worker for the whole matrix."""
    with (
        pytest.MonkeyPatch.context() as mp,
        conftest._scratch_database("cl_matrix", mp, template_db) as url,
    ):
        workers = Workers(url, tmp_path_factory.mktemp("matrix"))
        worker = workers.start()
        app = web.create_app({"TESTING": True, "UPLOAD_RATE_LIMIT": 0})
        with psycopg.connect(url, autocommit=True) as conn:
            yield conn, worker, workers, app.test_client()
        web_db.close(app)
        workers.stop_all()


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """Each case's bytes, made once for both routes."""
    folder = tmp_path_factory.mktemp("cases")
    paths: dict[str, Path] = {}

    def get(case: Case) -> bytes:
        if case.name not in paths:
            paths[case.name] = folder / case.name
            paths[case.name].write_bytes(case.make())
        return paths[case.name].read_bytes()

    return get


def _left_behind(conn, name: str) -> int:
    return conn.execute(
        "SELECT (SELECT count(*) FROM models WHERE name = %(n)s) + (SELECT count(*) FROM cells c "
        "JOIN models m ON m.id = c.model_id WHERE m.name = %(n)s)",
        {"n": name},
    ).fetchone()[0]


def _good_import_after(conn, worker, route: str, case: str) -> None:
    queued = enqueue.enqueue_import(workbooks.basic(), f"good after {route} {case}", file_name="good.xlsx")
    status, *_ = wait_for(lambda: finished(conn, queued.job_id), timeout=60, what="the next good import")
    assert status == "success", f"the good import after {case} ({route}) ended {status}"
    assert worker.poll() is None


@pytest.mark.parametrize("route", ["queue", "http"])
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_hostile_case(matrix, made, case, route):
    conn, worker, workers, client = matrix
    data = made(case)
    name = f"{case.name} via {route}"
    with TreeMemory(worker.pid) as memory:
        started = time.monotonic()
        if route == "queue":
            job_id = enqueue.enqueue_import(data, name, file_name=f"{case.name}.xlsx").job_id
        else:
            # Built here, not by werkzeug's test client, which spools a body over 500 KB to a
            # temporary file that it never closes.
            body, content_type = serving.multipart({"model_name": name}, data, f"{case.name}.xlsx")
            response = client.post("/api/import/upload", data=body, content_type=content_type)
            body = response.get_json()
            if response.status_code != 202:
                # Refused while the upload streamed in: a 4xx in the one error shape, no job.
                assert case.status == "failed", body
                assert response.status_code == HTTP_STATUS[case.code], body
                assert body["error"]["code"] == case.code
                job_id = None
            else:
                job_id = body["job_id"]
        if job_id is not None:
            status, attempts, model_id, error, _ = wait_for(
                lambda: finished(conn, job_id), timeout=case.max_seconds + 30, what=f"{case.name} to end"
            )
        elapsed = time.monotonic() - started
    logs = workers.logs()[-3000:]
    if job_id is not None:
        assert status == case.status, (error, logs)
        if case.status == "failed":
            assert attempts == 1 and model_id is None
            assert error["type"] == case.code, error
            if case.phrase:
                assert case.phrase in error["message"], error
            assert "stderr" not in (error.get("details") or {}), error
    assert elapsed <= case.max_seconds, f"{case.name} took {elapsed:.1f} s"
    assert memory.peak_mb <= MAX_TREE_MB, f"{case.name}: the worker's tree peaked at {memory.peak_mb:.0f} MB"
    assert worker.poll() is None, f"the worker died on {case.name}: {logs}"
    if case.status == "failed":
        assert _left_behind(conn, name) == 0
    _good_import_after(conn, worker, route, case.name)


def test_the_matrix_covers_every_case_table():
    names = [c.name for c in CASES]
    assert len(names) == len(set(names)), "two case tables use one name"
    assert set(cases.BROKEN) | set(cases.HOSTILE) | set(cases.ENGINE_COST) == set(names)
    assert os.path.exists("/proc/self/status"), "the memory sampler reads /proc"
