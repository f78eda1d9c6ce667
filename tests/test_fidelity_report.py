"""FIDELITY.md's other-engines table comes from FIDELITY_OTHERS.json, never from constants."""

from __future__ import annotations

import json
from collections import Counter

from importer import fidelity


def _results() -> list[fidelity.FileResult]:
    return [
        fidelity.FileResult("a__Models__dcf.xlsx", "financial", comparable=1000, matched=999),
        fidelity.FileResult(
            "ironcalc__IronCalc__t.xlsx",
            "engine test",
            comparable=200,
            matched=150,
            reasons=Counter(value_differs=50),
        ),
    ]


def _others(tmp_path, ironcalc_all: float, formualizer_financial: float) -> dict:
    data = {
        "command": "make fidelity-others  # measured by the test",
        "measured_at": "2031-02-03 04:05 UTC",
        "timeout_seconds": 7,
        "engines": {
            "ironcalc": {
                "version": "9.8.7",
                "all": {"workbooks": 2, "comparable": 1200, "matched": 1, "share": ironcalc_all},
                "financial": {"workbooks": 1, "comparable": 1000, "matched": 0, "share": 0.0},
                "engine_test": {"workbooks": 1, "comparable": 200, "matched": 1, "share": 0.005},
                "median_workbook": 0.0025,
                "files_failed": ["a__Models__dcf.xlsx"],
            },
            "formualizer": {
                "version": "6.5.4",
                "all": {"workbooks": 2, "comparable": 1200, "matched": 600, "share": 0.5},
                "financial": {
                    "workbooks": 1,
                    "comparable": 1000,
                    "matched": 500,
                    "share": formualizer_financial,
                },
                "engine_test": {"workbooks": 1, "comparable": 200, "matched": 100, "share": 0.5},
                "median_workbook": 0.5,
                "files_failed": [],
            },
        },
    }
    path = tmp_path / "FIDELITY_OTHERS.json"
    path.write_text(json.dumps(data))
    return fidelity.load_others(path)


def _engine_row(report: str, label: str) -> str:
    rows = [line for line in report.splitlines() if line.startswith(f"| {label} ")]
    assert len(rows) == 1, rows
    return rows[0]


def test_other_engines_rows_are_the_json_figures(tmp_path):
    report = fidelity.render(_results(), _others(tmp_path, 0.123456, 0.4321))
    assert _engine_row(report, "IronCalc") == ("| IronCalc 9.8.7 | 2 | 12.35% | 0.00% | 0.50% | 0.25% | 1 |")
    assert _engine_row(report, "formualizer") == (
        "| formualizer 6.5.4 | 2 | 50.00% | 43.21% | 50.00% | 50.00% | 0 |"
    )
    assert "make fidelity-others  # measured by the test" in report
    assert "2031-02-03 04:05 UTC" in report and "7 s limit" in report
    # This run's own row: 1,149 of 1,200; financial 99.90%; engine tests 75.00%; median 87.45%.
    assert (
        "| **CapitalLens (this run)** | **2** | **95.75%** | **99.90%** | **75.00%** | **87.45%** | **0** |"
        in report
    )
    assert "CapitalLens is ahead or level on every figure." in report


def test_other_engines_figures_follow_the_json_not_constants(tmp_path):
    first = fidelity.render(_results(), _others(tmp_path, 0.123456, 0.4321))
    second = fidelity.render(_results(), _others(tmp_path, 0.987654, 0.9999))
    assert "12.35%" in _engine_row(first, "IronCalc") and "98.77%" in _engine_row(second, "IronCalc")
    assert "99.99%" in _engine_row(second, "formualizer")
    # An engine ahead of us on a figure is said so, naming the figure and the engine.
    assert "CapitalLens is behind on: all (IronCalc), financial (formualizer)." in second


def test_without_the_json_the_other_engines_are_not_measured(tmp_path):
    others = fidelity.load_others(tmp_path / "FIDELITY_OTHERS.json")
    assert others is None
    report = fidelity.render(_results(), others)
    assert "Not measured: there is no FIDELITY_OTHERS.json" in report
    for label in ("IronCalc", "formualizer"):
        assert _engine_row(report, label).count("not measured") == 4
    for typed_in_before in ("73.7%", "69.8%", "52.5%", "48.6%"):
        assert typed_in_before not in report


def test_a_damaged_json_is_not_measured(tmp_path):
    path = tmp_path / "FIDELITY_OTHERS.json"
    path.write_text("{not json")
    assert fidelity.load_others(path) is None
    path.write_text(json.dumps({"engines": "none"}))
    assert fidelity.load_others(path) is None


def test_the_json_is_read_beside_the_report(tmp_path):
    assert fidelity.others_path(tmp_path / "FIDELITY.md") == tmp_path / "FIDELITY_OTHERS.json"
