import pytest

from hyperformula import errors as engine_errors
from hyperformula.bridge import Engine
from importer import evaluate
from importer.errors import Cancelled, EngineCrashed, EngineError, EngineTimeout, WorkbookTooComplex


def _one(engine, cells, names=()):
    response = engine.evaluate([{"name": "S", "cells": cells}], list(names))
    return {(r, c): v for r, c, v in response["sheets"][0]["values"]}


def test_evaluates_with_excel_settings(engine):
    values = _one(
        engine,
        [
            [0, 0, 0.1],
            [0, 1, "=A1+0.2-0.3"],  # no smart rounding to 0
            [1, 0, "=DATE(1900,3,1)"],  # Excel's 1900 serials
            [2, 0, "=VLOOKUP(1,A4:B4,2,FALSE)"],  # bare FALSE understood
            [3, 0, 1],
            [3, 1, 42],
            [4, 0, "=ARRAYFORMULA(SUM(A4:B4*2))"],  # array formulas evaluate arrays
            [5, 0, "=Z99"],  # empty is zero
            [6, 0, "'123"],
            [6, 1, "=ISTEXT(A7)"],  # quoted text stays text
        ],
    )
    assert values[(0, 1)] == pytest.approx(5.551115123125783e-17, rel=1e-6)
    assert values[(1, 0)] == 61
    assert values[(2, 0)] == 42
    assert values[(4, 0)] == 86
    assert values[(5, 0)] == 0
    assert values[(6, 1)] is True


def test_errors_come_back_as_values(engine):
    values = _one(engine, [[0, 0, "=1/0"], [0, 1, "=NOSUCHFN(1)"]])
    assert values[(0, 0)]["e"] == "#DIV/0!"
    assert values[(0, 1)]["e"] == "#NAME?"
    assert "NOSUCHFN" in values[(0, 1)]["m"]


def test_large_row_and_column_limits(engine):
    values = _one(engine, [[1_048_575, 16_383, 5], [0, 0, "=XFD1048576*2"]])
    assert values[(0, 0)] == 10


def test_rejected_names_are_reported_not_fatal(engine):
    response = engine.evaluate(
        [{"name": "S", "cells": [[0, 0, "=1"]]}],
        [{"name": "Liste2", "expression": "=1", "scope": None}],
    )
    assert response["rejected_names"][0]["name"] == "Liste2"


def test_the_process_is_reused(engine):
    engine.request({"op": "ping"})
    pid = engine.pid
    _one(engine, [[0, 0, "=1+1"]])
    assert engine.pid == pid


@pytest.fixture
def test_engine(monkeypatch):
    monkeypatch.setenv("CAPITALLENS_ENGINE_TEST_OPS", "1")
    with Engine(timeout=3, max_memory_mb=64) as e:
        yield e


def test_hang_times_out_and_next_request_gets_a_fresh_process(test_engine):
    test_engine.request({"op": "ping"})
    first = test_engine.pid
    with pytest.raises(EngineTimeout, match="did not answer within 3 s") as timeout:
        evaluate.request(test_engine, {"op": "hang"})
    assert isinstance(timeout.value.__cause__, engine_errors.EngineTimeout)
    assert "CAPITALLENS_ENGINE_TIMEOUT" in timeout.value.message
    assert timeout.value.code == "workbook_too_complex"
    assert timeout.value.details["limit"] == "engine_timeout"
    assert test_engine.pid is None
    assert _one(test_engine, [[0, 0, "=2*3"]])[(0, 0)] == 6
    assert test_engine.pid != first


def test_crash_is_reported_and_recovered(test_engine):
    with pytest.raises(EngineCrashed, match="exited with code 3") as crash:
        evaluate.request(test_engine, {"op": "crash"})
    assert type(crash.value.__cause__) is engine_errors.EngineCrashed
    assert crash.value.details == {"exit_code": 3, "reason": None}
    assert _one(test_engine, [[0, 0, "=2*4"]])[(0, 0)] == 8


def test_out_of_memory_is_the_workbooks_cost_and_node_stderr_stays_in_the_log(test_engine, caplog):
    test_engine.timeout = 60
    with pytest.raises(WorkbookTooComplex, match="limit of 64 MB") as oom:
        evaluate.request(test_engine, {"op": "exhaust"})
    assert isinstance(oom.value.__cause__, engine_errors.EngineOutOfMemory)
    error = oom.value.to_dict()
    assert error["type"] == "workbook_too_complex"
    assert "CAPITALLENS_ENGINE_MAX_MEMORY_MB" in error["message"]
    assert error["details"] == {
        "limit": "engine_max_memory_mb",
        "limit_value": 64,
        "setting": "CAPITALLENS_ENGINE_MAX_MEMORY_MB",
    }
    # V8's report (GC traces, native stack) is logged for operators, never sent to the user.
    assert "heap out of memory" in caplog.text and "heap" not in str(error)
    assert _one(test_engine, [[0, 0, "=1"]])[(0, 0)] == 1


def test_a_node_killed_from_outside_is_a_crash_with_a_short_reason(test_engine):
    import os
    import signal
    import threading

    test_engine.timeout = 30
    test_engine.request({"op": "ping"})
    threading.Timer(0.5, os.kill, (test_engine.pid, signal.SIGKILL)).start()
    with pytest.raises(engine_errors.EngineCrashed, match="killed by signal 9") as crash:
        test_engine.request({"op": "hang"})
    assert crash.value.details == {"exit_code": -9, "reason": None}
    assert _one(test_engine, [[0, 0, "=2"]])[(0, 0)] == 2


def test_engine_side_failures_are_errors_not_crashes(engine):
    with pytest.raises(engine_errors.EngineError, match="unknown op") as failed:
        engine.request({"op": "nope"})
    assert not isinstance(failed.value, engine_errors.EngineCrashed)
    assert failed.value.details["engine_error"]["type"] == "ProtocolError"
    with pytest.raises(EngineError, match="unknown op") as translated:
        evaluate.request(engine, {"op": "nope"})
    assert translated.value.code == "engine_error"
    assert _one(engine, [[0, 0, "=3"]])[(0, 0)] == 3


class _Failing:
    """An engine whose every request raises ``error``."""

    def __init__(self, error):
        self.error = error

    def request(self, payload, on_wait=None, rest=None):
        raise self.error


@pytest.mark.parametrize(
    ("raised", "expected", "code"),
    [
        (
            engine_errors.EngineOutOfMemory("out", limit="engine_max_memory_mb"),
            WorkbookTooComplex,
            "workbook_too_complex",
        ),
        (engine_errors.EngineTimeout("late", limit="engine_timeout"), EngineTimeout, "workbook_too_complex"),
        (engine_errors.EngineCrashed("died", exit_code=3, reason=None), EngineCrashed, "engine_crashed"),
        (engine_errors.EngineError("failed", engine_error={"type": "X"}), EngineError, "engine_error"),
    ],
    ids=["out_of_memory", "timeout", "crash", "failure"],
)
def test_the_importer_raises_the_engines_errors_as_its_own(raised, expected, code):
    with pytest.raises(expected) as caught:
        evaluate.request(_Failing(raised), {"op": "ping"})
    assert type(caught.value) is expected
    assert (caught.value.code, caught.value.message, caught.value.details) == (
        code,
        raised.message,
        raised.details,
    )
    assert caught.value.__cause__ is raised


def test_what_on_wait_raises_is_not_an_engine_error():
    cancel = Cancelled("The job was cancelled during evaluation.")
    with pytest.raises(Cancelled) as caught:
        evaluate.request(_Failing(cancel), {"op": "ping"})
    assert caught.value is cancel


def test_the_engine_package_raises_only_its_own_exceptions():
    import ast
    from pathlib import Path

    import hyperformula

    for path in Path(hyperformula.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text())
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert "importer.errors" not in imported, path


def test_the_crash_reason_is_one_line_without_paths_or_frames():
    from hyperformula.bridge import _reason

    stderr = [
        "/srv/app/hyperformula/engine.js:280",
        "    throw new RangeError('Invalid array length')",
        "    ^",
        "",
        "RangeError: Invalid array length in /srv/app/hyperformula/functions/x.js",
        "    at fill (/srv/app/hyperformula/engine.js:280:11)",
        "",
        "Node.js v20.20.2",
    ]
    assert _reason(stderr) == "RangeError: Invalid array length in <path>"
    assert _reason(["Segmentation fault \x1b[0m", "Node.js v20"]) is None


def test_cell_filename_is_the_workbook_the_request_names(engine):
    # Excel's form: the directory, the file in brackets, the sheet.
    cells = [[0, 0, '=CELL("filename",C1)'], [0, 1, '=INFO("directory")']]
    sheets = [{"name": "Sheet1", "cells": cells}]
    named = engine.evaluate(sheets, [], workbook={"file_name": "Book.xlsx", "directory": "C:\\Models"})
    values = {(r, c): v for r, c, v in named["sheets"][0]["values"]}
    assert values == {(0, 0): "C:\\Models\\[Book.xlsx]Sheet1", (0, 1): "C:\\Models\\"}
    # The next request names no file: nothing is left of the previous one's.
    unnamed = engine.evaluate(sheets, [])
    assert {(r, c): v for r, c, v in unnamed["sheets"][0]["values"]} == {(0, 0): "", (0, 1): ""}


def test_config_overrides_the_engine_settings_for_one_request(engine):
    cells = [[0, 0, '="a"="A"']]
    assert _one(engine, cells)[(0, 0)] is True  # Excel compares text without case
    response = engine.evaluate([{"name": "S", "cells": cells}], [], config={"caseSensitive": True})
    assert response["sheets"][0]["values"][0][2] is False
    assert _one(engine, cells)[(0, 0)] is True  # for that request only


# -- A request whose rest follows (engine.js "follows") ------------------------------------------

_CYCLE = [[0, 0, "=B1+1"], [0, 1, "=MIN(A1,10)"]]  # A1 <-> B1


def _cycle_request(iterate: bool) -> tuple[dict, dict]:
    sheets = [{"name": "S", "cells": [list(c) for c in _CYCLE], "read": [], "arrays": []}]
    rest = {
        "iteration": {"iterate": iterate, "count": 100, "delta": 0.001, "cycles": [[[0, 0, 0], [0, 0, 1]]]}
    }
    return {"op": "evaluate", "sheets": sheets, "names": []}, rest


def test_the_rest_of_a_request_is_computed_while_the_engine_works_and_used(engine):
    payload, rest = _cycle_request(iterate=True)
    pid, called = engine.pid, []

    def later():
        called.append(engine.pid)
        return rest

    response = engine.request(payload, rest=later)
    assert called == [pid]
    values = {(r, c): v for r, c, v in response["sheets"][0]["values"]}
    assert values == {(0, 0): 11, (0, 1): 10}  # iterated with the cycle that followed
    assert response["iteration"]["passes"]
    assert engine.pid == pid
    assert _one(engine, [[0, 0, "=5"]])[(0, 0)] == 5  # nothing left waiting


def test_what_the_rest_raises_ends_the_request_and_its_process(engine):
    payload, _ = _cycle_request(iterate=True)
    pid = engine.pid or engine.request({"op": "ping"})["pid"]

    def cancelled():
        raise Cancelled("The job was cancelled during dependencies.")

    with pytest.raises(Cancelled):
        evaluate.request(engine, payload, rest=cancelled)
    assert engine.pid is None  # Node was mid-request: never reused
    assert _one(engine, [[0, 0, "=6"]])[(0, 0)] == 6
    assert engine.pid != pid


def test_a_failure_before_the_rest_is_the_answer_after_it(engine):
    payload, rest = _cycle_request(iterate=True)
    payload["config"] = {"maxRows": -1}  # HyperFormula refuses the setting before any sheet is read
    pid = engine.request({"op": "ping"})["pid"]
    with pytest.raises(engine_errors.EngineError, match="maxRows"):
        engine.request(payload, rest=lambda: rest)
    assert engine.pid == pid  # a failure engine.js caught: the process is sound
    assert _one(engine, [[0, 0, "=7"]])[(0, 0)] == 7


def test_a_rest_nobody_waits_for_is_a_protocol_error(engine):
    with pytest.raises(engine_errors.EngineError, match="no request 99 waits") as failed:
        engine.request({"op": "continue", "id": 99})
    assert failed.value.details["engine_error"]["type"] == "ProtocolError"
