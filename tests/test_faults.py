"""Faults injected into real worker processes, during each stage of an import.

Each case: a real ``capitallens worker``, an import big enough to be caught in the stage wanted
(job_progress shows it), then the fault -- a cancel, pg_terminate_backend of the worker's
connections, SIGKILL of the worker, or SIGKILL of its Node engine. Each asserts the terminal
state and error code, that a failed or cancelled job leaves no model and no cells, and how long
recovery took; then a good import on the same worker (for SIGKILL, the worker that took over)
must succeed.
"""

from __future__ import annotations

import signal
import time

import psutil
import psycopg
import pytest

from tests import workbooks
from tests.test_worker import FAST_MAINTENANCE, Workers, finished, wait_for
from worker import enqueue

pytestmark = pytest.mark.slow

STAGES = ["parsing", "dependencies", "evaluation", "insertion"]
ORDER = ["hashing", *STAGES, "validation", "complete"]
STALLED_AFTER = float(FAST_MAINTENANCE["CAPITALLENS_STALLED_AFTER"])


@pytest.fixture(scope="module")
def big_workbook():
    """120,000 cells: every stage lasts long enough to be caught (seconds, not milliseconds).
    The engine works while the dependency graph is built; 150 formulas that keep it busy for
    seconds more give the evaluation stage its own seconds."""
    return workbooks.large(60_000, engine_tail=150)


@pytest.fixture
def workers(database, tmp_path):
    w = Workers(database, tmp_path)
    yield w
    w.stop_all()


def wait_for_stage(conn, job_id, stage, timeout=120.0):
    """Wait until the job reports ``stage``; fail clearly if it went past it unseen.

    For evaluation, wait until the engine has been computing for a second (its "evaluating
    (N s)" rows come while a request is in flight), so the fault lands inside an engine request.
    """

    def reached():
        row = conn.execute("SELECT stage, message FROM job_status WHERE job_id = %s", (job_id,)).fetchone()
        now, message = row if row else (None, None)
        if now in ORDER and ORDER.index(now) > ORDER.index(stage):
            raise AssertionError(f"job {job_id} went past {stage} (now {now}) before it was seen")
        return now == stage and (stage != "evaluation" or (message or "").startswith("evaluating ("))

    wait_for(reached, timeout=timeout, interval=0.02, what=f"stage {stage}")


def job_models(conn, name):
    return conn.execute("SELECT id FROM models WHERE name = %s", (name,)).fetchall()


def assert_nothing_left(conn, name):
    assert job_models(conn, name) == []
    assert conn.execute("SELECT count(*) FROM cells").fetchone()[0] == 0


def assert_one_model(conn, name, result):
    models = job_models(conn, name)
    assert len(models) == 1, models
    cells, distinct = conn.execute(
        "SELECT count(*), count(DISTINCT (sheet, row, col)) FROM cells WHERE model_id = %s", models[0]
    ).fetchone()
    assert cells == distinct == result["cells"]


def good_import_succeeds(conn, workers, label):
    queued = enqueue.enqueue_import(workbooks.basic(), f"Good after {label}", file_name="good.xlsx")
    status, _, model_id, error, result = wait_for(
        lambda: finished(conn, queued.job_id), timeout=90, what="the next good import"
    )
    assert status == "success", (error, workers.logs()[-3000:])
    assert result["matched"] == result["comparable"] > 0
    return model_id


def terminate_backends(conn, database):
    dbname = psycopg.conninfo.conninfo_to_dict(database)["dbname"]
    return conn.execute(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
        "WHERE datname = %s AND pid <> pg_backend_pid()",
        (dbname,),
    ).fetchone()[0]


def engine_processes(proc):
    return [
        child
        for child in psutil.Process(proc.pid).children(recursive=True)
        if any("engine.js" in part for part in child.cmdline())
    ]


@pytest.mark.parametrize("stage", STAGES)
def test_cancel_during_each_stage(conn, workers, big_workbook, stage):
    proc = workers.start()
    name = f"Cancel in {stage}"
    queued = enqueue.enqueue_import(big_workbook, name, file_name="big.xlsx")
    wait_for_stage(conn, queued.job_id, stage)
    asked = time.monotonic()
    assert enqueue.cancel(queued.job_id) == "processing"
    status, _, model_id, error, _ = wait_for(lambda: finished(conn, queued.job_id), timeout=60, what="abort")
    took = time.monotonic() - asked
    assert (status, model_id, error["type"]) == ("cancelled", None, "cancelled"), workers.logs()[-3000:]
    print(f"[fault] cancel in {stage}: cancelled {took:.2f} s after the request")
    assert took < 10, f"the cancel took {took:.1f} s"
    assert_nothing_left(conn, name)
    assert proc.poll() is None
    good_import_succeeds(conn, workers, f"cancel in {stage}")


@pytest.mark.parametrize("stage", STAGES)
def test_database_connections_terminated_during_each_stage(conn, database, workers, big_workbook, stage):
    proc = workers.start()
    name = f"Terminated in {stage}"
    queued = enqueue.enqueue_import(big_workbook, name, file_name="big.xlsx")
    wait_for_stage(conn, queued.job_id, stage)
    struck = time.monotonic()
    assert terminate_backends(conn, database) >= 1
    status, attempts, _, error, result = wait_for(
        lambda: finished(conn, queued.job_id), timeout=180, what="job end"
    )
    took = time.monotonic() - struck
    assert status == "success", (error, workers.logs()[-3000:])
    assert attempts <= 2  # at most one retry for one fault
    assert_one_model(conn, name, result)
    print(f"[fault] terminate in {stage}: success (attempt {attempts}) {took:.2f} s after")
    assert took < 120, f"recovery took {took:.1f} s"
    assert proc.poll() is None
    good_import_succeeds(conn, workers, f"terminate in {stage}")


@pytest.mark.parametrize("stage", STAGES)
def test_sigkill_during_each_stage(conn, workers, big_workbook, stage):
    first = workers.start()
    name = f"Killed in {stage}"
    queued = enqueue.enqueue_import(big_workbook, name, file_name="big.xlsx")
    wait_for_stage(conn, queued.job_id, stage)
    workers.kill(first)
    killed = time.monotonic()
    first.wait(timeout=10)
    second = workers.start()
    wait_for(
        lambda: conn.execute(
            "SELECT worker_deaths = 1 FROM job_runs WHERE job_id = %s", (queued.job_id,)
        ).fetchone()[0],
        timeout=STALLED_AFTER + 15,
        what="the rescue to put the job back in the queue",
    )
    requeued = time.monotonic() - killed
    status, attempts, _, error, result = wait_for(
        lambda: finished(conn, queued.job_id), timeout=180, what="retried job end"
    )
    assert status == "success", (error, workers.logs()[-3000:])
    assert attempts == 2
    assert_one_model(conn, name, result)
    print(
        f"[fault] SIGKILL in {stage}: requeued after {requeued:.2f} s, done {time.monotonic() - killed:.2f} s"
    )
    assert requeued <= STALLED_AFTER + 15
    assert second.poll() is None
    good_import_succeeds(conn, workers, f"SIGKILL in {stage}")


def test_node_killed_during_evaluation(conn, workers, big_workbook):
    proc = workers.start()
    name = "Node killed"
    queued = enqueue.enqueue_import(big_workbook, name, file_name="big.xlsx")
    wait_for_stage(conn, queued.job_id, "evaluation")
    engines = wait_for(lambda: engine_processes(proc), timeout=10, what="the worker's engine.js")
    struck = time.monotonic()
    for engine in engines:
        engine.send_signal(signal.SIGKILL)
    status, _, model_id, error, _ = wait_for(
        lambda: finished(conn, queued.job_id), timeout=60, what="job end"
    )
    took = time.monotonic() - struck
    assert (status, model_id, error["type"]) == ("failed", None, "engine_crashed"), error
    assert error["stage"] == "evaluation"
    print(f"[fault] Node killed in evaluation: failed {took:.2f} s after")
    assert took < 15, f"the crash took {took:.1f} s to be reported"
    assert_nothing_left(conn, name)
    assert proc.poll() is None
    good_import_succeeds(conn, workers, "a Node kill")


def test_a_job_that_kills_every_worker_fails_after_two_deaths(conn, workers, big_workbook):
    """A poison pill: each worker that takes it dies. The second death ends it; other jobs run."""
    name = "Poison"
    queued = enqueue.enqueue_import(big_workbook, name, file_name="big.xlsx")
    for attempt in (1, 2):
        victim = workers.start()
        wait_for(
            lambda attempt=attempt: conn.execute(
                "SELECT status = 'processing' AND attempts = %s FROM job_runs WHERE job_id = %s",
                (attempt, queued.job_id),
            ).fetchone()[0],
            timeout=60,
            what=f"attempt {attempt}",
        )
        time.sleep(1)  # well into the import
        workers.kill(victim)
        victim.wait(timeout=10)
    killed = time.monotonic()
    survivor = workers.start()
    status, _, model_id, error, _ = wait_for(
        lambda: finished(conn, queued.job_id), timeout=STALLED_AFTER + 15, what="the poison pill's end"
    )
    took = time.monotonic() - killed
    assert (status, model_id, error["type"]) == ("failed", None, "worker_lost_repeatedly")
    assert error["details"]["worker_deaths"] == 2 and error["details"]["attempts"] == 2
    print(f"[fault] poison pill: failed {took:.2f} s after the second death")
    assert took <= STALLED_AFTER + 15
    assert conn.execute(
        "SELECT j.status::text FROM procrastinate_jobs j JOIN job_runs r ON r.procrastinate_job_id = j.id "
        "WHERE r.job_id = %s",
        (queued.job_id,),
    ).fetchone() == ("failed",)
    assert_nothing_left(conn, name)
    time.sleep(STALLED_AFTER)  # not picked up again
    assert finished(conn, queued.job_id)[1] == 2
    assert survivor.poll() is None
    good_import_succeeds(conn, workers, "a poison pill")


def test_a_job_cancelled_after_its_worker_died_ends_cancelled(conn, workers, big_workbook):
    first = workers.start()
    name = "Cancelled after death"
    queued = enqueue.enqueue_import(big_workbook, name, file_name="big.xlsx")
    wait_for_stage(conn, queued.job_id, "parsing")
    workers.kill(first)
    first.wait(timeout=10)
    assert enqueue.cancel(queued.job_id) == "processing"  # nobody is left to notice the abort
    asked = time.monotonic()
    second = workers.start()
    status, _, model_id, error, _ = wait_for(
        lambda: finished(conn, queued.job_id), timeout=STALLED_AFTER + 15, what="the cancel"
    )
    took = time.monotonic() - asked
    assert (status, model_id, error["type"]) == ("cancelled", None, "cancelled"), error
    print(f"[fault] cancel after SIGKILL: cancelled {took:.2f} s after the request")
    assert took <= STALLED_AFTER + 15
    assert_nothing_left(conn, name)
    assert second.poll() is None
    good_import_succeeds(conn, workers, "a cancel after a death")
