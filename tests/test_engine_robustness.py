"""The engine never fails a workbook, and dynamic references settle fast (issue 11, causes 12, 13).

The scenario model's expected values are computed here from its inputs in plain Python, never
from the engine's output.
"""

from __future__ import annotations

import time

import pytest

from importer import analysis
from importer.progress import Reporter
from tests import fidelity_workbooks as fw


def _expected(scenario: str, years: int) -> dict[str, list[float]]:
    i = fw.SCENARIOS.index(scenario)
    d = {name: values[i] for name, values in fw.DRIVERS.items()}
    out: dict[str, list[float]] = {name: [] for name in fw.scenario_model_rows()}
    rev, ppe, debt, cash, nwc = d["revenue0"], d["ppe0"], d["debt0"], d["cash0"], 0.0
    cumulative = 0.0
    equity = d["cash0"] + d["ppe0"] - d["debt0"]
    for t in range(years):
        revenue = rev * (1 + d["growth"])
        cogs = revenue * d["cogs"]
        gross = revenue - cogs
        opex = revenue * d["opex"]
        ebitda = gross - opex
        dep = ppe * d["dep"]
        ebit = ebitda - dep
        interest = debt * d["interest"]
        ebt = ebit - interest
        tax = max(ebt, 0) * d["tax"]
        ni = ebt - tax
        capex = revenue * d["capex"]
        ppe_t = ppe + capex - dep
        debt_t = max(debt - d["repay"], 0)
        ar = revenue * d["dso"] / 365
        ap = cogs * d["dpo"] / 365
        nwc_t = ar - ap
        dnwc = nwc_t - nwc
        div = max(ni, 0) * d["payout"]
        cfo = ni + dep - dnwc
        cfi = -capex
        cff = debt_t - debt - div
        cash_t = cash + cfo + cfi + cff
        equity_t = equity + ni - div
        assets = cash_t + ar + ppe_t
        liabilities = ap + debt_t
        row = {
            "revenue": revenue,
            "cogs": cogs,
            "gross": gross,
            "opex": opex,
            "ebitda": ebitda,
            "dep": dep,
            "ebit": ebit,
            "interest": interest,
            "ebt": ebt,
            "tax": tax,
            "ni": ni,
            "capex": capex,
            "ppe": ppe_t,
            "debt": debt_t,
            "ar": ar,
            "ap": ap,
            "nwc": nwc_t,
            "dnwc": dnwc,
            "div": div,
            "cfo": cfo,
            "cfi": cfi,
            "cff": cff,
            "cash": cash_t,
            "equity": equity_t,
            "assets": assets,
            "liabilities": liabilities,
            "check": round(assets - liabilities - equity_t - nwc_t + ar - ap, 6),
            "real_revenue": revenue / fw.PRICE_INDEX[scenario] ** (t + 1),
        }
        cumulative += revenue
        row["cumulative"] = cumulative
        for name, value in row.items():
            out[name].append(value)
        rev, ppe, debt, cash, nwc, equity = revenue, ppe_t, debt_t, cash_t, nwc_t, equity_t
    return out


@pytest.mark.parametrize("scenario", ["Upside", "Downside"])
def test_scenario_selectors_settle_fast_and_match_plain_python(scenario):
    years = 40  # 1,215 formulas, 94 of them OFFSET or INDIRECT (a chain of 39)
    started = time.perf_counter()
    result = analysis.analyse(fw.scenario_model(scenario, years), Reporter())
    assert time.perf_counter() - started < 30
    sheets = [s.name for s in result.workbook.sheets]
    model = sheets.index("Model")
    expected = _expected(scenario, years)
    assert not [o for o in result.outcomes.values() if o.reason]
    for r, name in enumerate(fw.scenario_model_rows()):
        for t in range(years):
            outcome = result.outcomes[(model, r + 2, t + 3)]
            want = expected[name][t]
            assert outcome.value.value == pytest.approx(want, rel=1e-9, abs=1e-9), (name, t)
    inputs = sheets.index("Inputs")
    i = fw.SCENARIOS.index(scenario)
    for k, values in enumerate(fw.DRIVERS.values()):
        assert result.outcomes[(inputs, 20 + 5 * k, 10)].value.value == values[i]
