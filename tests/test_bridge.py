import pytest

from hyperformula.bridge import Engine
from importer.errors import EngineCrashed, EngineError, EngineTimeout


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
    with pytest.raises(EngineTimeout, match="did not answer within 3 s"):
        test_engine.request({"op": "hang"})
    assert test_engine.pid is None
    assert _one(test_engine, [[0, 0, "=2*3"]])[(0, 0)] == 6
    assert test_engine.pid != first


def test_crash_is_reported_and_recovered(test_engine):
    with pytest.raises(EngineCrashed, match="exited with code 3"):
        test_engine.request({"op": "crash"})
    assert _one(test_engine, [[0, 0, "=2*4"]])[(0, 0)] == 8


def test_out_of_memory_is_reported(test_engine):
    test_engine.timeout = 60
    with pytest.raises(EngineCrashed, match="ran out of memory"):
        test_engine.request({"op": "exhaust"})
    assert _one(test_engine, [[0, 0, "=1"]])[(0, 0)] == 1


def test_engine_side_failures_are_errors_not_crashes(engine):
    with pytest.raises(EngineError, match="unknown op"):
        engine.request({"op": "nope"})
    assert _one(engine, [[0, 0, "=3"]])[(0, 0)] == 3
