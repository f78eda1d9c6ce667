from importer import report
from importer.progress import Reporter


def test_reporter_maps_fractions_into_bands_and_never_goes_back():
    seen = []
    reporter = Reporter(lambda *e: seen.append(e))
    reporter.begin("parsing")
    reporter.report(0.5, "half")
    reporter.report(0.25, "less")  # a smaller fraction does not move the percent back
    reporter.begin("evaluation")
    reporter.report(2.0, "more than all")  # clamped to the band
    assert [p for _, p, _ in seen] == [10.0, 20.0, 20.0, 40.0, 80.0]
    assert set(reporter.timings) == {"parsing"}


def test_summary_lines_name_the_reasons():
    lines = report.summary_lines(
        {
            "model_id": 3,
            "name": "M",
            "sheets": 1,
            "cells": 10,
            "formula_cells": 4,
            "cycle_cells": 0,
            "evaluated": 4,
            "comparable": 4,
            "matched": 3,
            "mismatched": 1,
            "mismatch_reasons": {"value_differs": 1},
            "seconds": {"evaluation": 0.5, "parsing": 0.1},
            "warnings": ["VBA ignored"],
        }
    )
    assert lines[0] == "Model 3: M"
    assert "matched 3 (75.00%)" in lines[2]
    assert any("value_differs" in line for line in lines)
    assert lines[-2] == "  seconds: parsing 0.10, evaluation 0.50"
    assert lines[-1] == "  warning: VBA ignored"
