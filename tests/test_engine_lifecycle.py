"""The Node engine process's lifecycle: killed on any exception mid-request, stopped within
about a second of a cancel, never outliving the Python process that started it."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import psycopg
import pytest

from hyperformula.bridge import Engine
from importer import analysis
from importer.errors import Cancelled
from importer.progress import Reporter
from tests import workbooks
from tests.test_worker import Workers, finished, stage_of, wait_for
from worker import enqueue

ROOT = Path(__file__).resolve().parent.parent
ROWS = 20_000


def slow_sheets(formulas: int = 2_000) -> list[dict]:
    """A sheet HyperFormula needs minutes for (each formula walks 20,000 cells twice; about
    0.05 s each on one core), on little memory."""
    cells = [[r, 0, r % 97] for r in range(ROWS)]
    cells += [[r, 1, f"=SUMPRODUCT((A1:A{ROWS}>A{r + 1})*A1:A{ROWS})"] for r in range(formulas)]
    return [{"name": "S", "cells": cells}]


def slow_workbook() -> bytes:
    """slow_sheets() as an .xlsx (the cached values are placeholders, never read as ours)."""

    def fill(wb) -> None:
        ws = wb.add_worksheet("S")
        for r in range(ROWS):
            ws.write_number(r, 0, r % 97)
        for r in range(2_000):
            ws.write_formula(r, 1, f"=SUMPRODUCT((A1:A{ROWS}>A{r + 1})*A1:A{ROWS})", None, 0)

    return workbooks.build(fill)


def alive(pid: int) -> bool:
    """Running, not gone and not a zombie awaiting its reaper (which uses no CPU or memory)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def wait_gone(pid: int, timeout: float) -> float:
    """Seconds until pid is no longer running; fails past timeout."""
    started = time.monotonic()
    while alive(pid):
        if time.monotonic() - started > timeout:
            raise AssertionError(f"process {pid} still running after {timeout} s")
        time.sleep(0.02)
    return time.monotonic() - started


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.fixture
def workers(database, tmp_path):
    w = Workers(database, tmp_path)
    yield w
    w.stop_all()


def _six(engine: Engine) -> object:
    response = engine.evaluate([{"name": "S", "cells": [[0, 0, "=2*3"]]}], [])
    return response["sheets"][0]["values"][0][2]


@pytest.mark.parametrize(
    "failure",
    [Cancelled("The job was cancelled during evaluation."), psycopg.OperationalError("connection lost")],
    ids=["cancel", "lost_database"],
)
def test_an_exception_in_on_wait_ends_the_process_and_the_next_request_is_answered(failure):
    with Engine() as engine:
        engine.request({"op": "ping"})
        pid = engine.pid
        calls = []

        def on_wait(elapsed: float) -> None:
            calls.append(elapsed)
            if len(calls) == 2:
                raise failure

        with pytest.raises(type(failure)):
            engine.evaluate(slow_sheets(), [], on_wait=on_wait)
        assert engine.pid is None
        assert not alive(pid)
        started = time.monotonic()
        assert _six(engine) == 6  # not the old request's answer, nor "a different request"
        assert engine.pid != pid
        assert time.monotonic() - started < 30  # a fresh process, not one finishing the old work


def test_calls_of_on_wait_are_about_a_second_apart():
    with Engine() as engine:
        calls = []

        def on_wait(elapsed: float) -> None:
            calls.append(time.monotonic())
            if len(calls) == 4:
                raise Cancelled()

        with pytest.raises(Cancelled):
            engine.evaluate(slow_sheets(), [], on_wait=on_wait)
    gaps = [b - a for a, b in itertools.pairwise(calls)]
    assert len(gaps) == 3 and all(0.8 < gap < 1.5 for gap in gaps), gaps


def test_a_cancel_during_evaluation_kills_node_within_2_s():
    """Through the pipeline's own path: should_abort -> Reporter -> the engine's wait."""
    data = slow_workbook()
    cancel, done = threading.Event(), threading.Event()
    measured: dict[str, float] = {}
    with Engine() as engine:
        engine.request({"op": "ping"})
        pid = engine.pid

        def canceller() -> None:
            # Cancel once Node has been computing for a while.
            while cpu_seconds(pid) < 3:
                if done.wait(0.05):
                    return
            cancel.set()
            started = time.monotonic()
            while alive(pid) and time.monotonic() - started < 10:
                time.sleep(0.02)
            measured["cancel_to_gone"] = time.monotonic() - started

        watcher = threading.Thread(target=canceller)
        watcher.start()
        try:
            with pytest.raises(Cancelled, match="during evaluation"):
                analysis.analyse(data, Reporter(should_abort=cancel.is_set), engine)
        finally:
            done.set()
            watcher.join()
        assert cancel.is_set() and engine.pid is None
        assert measured["cancel_to_gone"] <= 2.0, measured
        assert _six(engine) == 6


CHILD = textwrap.dedent(
    """
    import sys, threading
    sys.path.insert(0, {root!r})
    from hyperformula.bridge import Engine
    from tests.test_engine_lifecycle import slow_sheets

    engine = Engine()
    # Started from a thread that then ends, as a worker's pool thread may: Node must not die with it.
    starter = threading.Thread(target=engine.request, args=({{"op": "ping"}},))
    starter.start()
    starter.join()
    print(engine.pid, flush=True)
    engine.evaluate(slow_sheets(), [])
    print("finished", flush=True)
    """
)


def test_node_dies_with_its_python_parent_even_mid_computation():
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD.format(root=str(ROOT))],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        node = int(child.stdout.readline())
        # Busy in the long synchronous evaluation, well after the starting thread ended.
        deadline = time.monotonic() + 60
        while cpu_seconds(node) < 3:
            assert time.monotonic() < deadline and child.poll() is None
            time.sleep(0.05)
        assert alive(node)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        assert wait_gone(node, timeout=2.0) <= 2.0
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()


def test_node_exits_when_its_stdin_closes():
    engine = Engine()
    engine.request({"op": "ping"})
    pid, proc = engine.pid, engine._proc
    proc.stdin.close()
    assert proc.wait(timeout=5) == 0
    assert not alive(pid)
    engine.kill()


def engines_of(parent: int) -> list[int]:
    """Pids of the engine.js processes whose parent is ``parent``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (entry / "cmdline").read_bytes()
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        if ppid == parent and b"engine.js" in cmdline:
            found.append(int(entry.name))
    return found


def busy_engine(conn, worker: subprocess.Popen, job_id: int) -> int:
    """The worker's Node process, once it has computed this job's evaluation for a few seconds."""
    wait_for(lambda: stage_of(conn, job_id) == "evaluation", timeout=120, what="evaluation")
    node = wait_for(lambda: engines_of(worker.pid), what="the worker's engine")[0]
    wait_for(lambda: cpu_seconds(node) > 3, what="Node busy")
    return node


@pytest.mark.slow
def test_a_cancel_through_the_worker_stops_node_and_the_next_import_succeeds(conn, workers):
    worker = workers.start()
    slow = enqueue.enqueue_import(slow_workbook(), "cancelled mid-evaluation", file_name="slow.xlsx")
    node = busy_engine(conn, worker, slow.job_id)
    assert enqueue.cancel(slow.job_id) == "processing"
    seconds = wait_gone(node, timeout=10)
    assert seconds <= 2.0, seconds
    status, _, model_id, error, _ = wait_for(lambda: finished(conn, slow.job_id), what="cancelled")
    assert (status, model_id, error["type"]) == ("cancelled", None, "cancelled")
    # The same worker (and thread) imports the next file with a fresh engine, not the old answer.
    good = enqueue.enqueue_import(workbooks.basic(), "after the cancel", file_name="basic.xlsx")
    status, _, _, error, result = wait_for(lambda: finished(conn, good.job_id), what="next job")
    assert (status, error) == ("success", None), workers.logs()
    assert result["mismatched"] == 0 and result["matched"] > 0
    assert worker.poll() is None


@pytest.mark.slow
def test_node_dies_with_a_sigkilled_worker_mid_evaluation(conn, workers):
    worker = workers.start()
    slow = enqueue.enqueue_import(slow_workbook(), "orphan?", file_name="slow.xlsx")
    node = busy_engine(conn, worker, slow.job_id)
    os.kill(worker.pid, signal.SIGKILL)  # the worker alone, not its process group
    worker.wait(timeout=10)
    assert wait_gone(node, timeout=2.0) <= 2.0
