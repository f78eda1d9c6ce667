"""Synthetic workbooks with Excel-style cached values, for benchmarks, tests and the demo.

- ``financial_model``: each Model row is one period: row-over-row revenue, costs, EBITDA, a
  running total, an INDEX/MATCH tax-rate lookup, net income and an IF label (7 formulas, 1
  constant). A Summary sheet links across sheets with SUMs. ``make run`` imports one.
- ``operating_model`` (issue 13's side-by-side model): 5 sheets; each row a constant, a growth
  formula, a cross-sheet link, a 12-row rolling SUM, an IF, and every 10th row an exact
  INDEX/MATCH over the whole data column.
- ``debt_schedule`` (issue 13's iterative case): interest on average debt, a circular reference
  per period with iterative calculation on, or interest on opening debt without the cycle.
- ``lookup_model``, ``tiny_model``: the lookup benchmark and the queue's latency job.

The cached values are computed here, in the order Excel would compute them, and written with
the formulas by xlsxwriter, so that an import matches every formula cell.

    python -m bench.generate --cells 100000 --out model.xlsx [--kind operating|debt|acyclic-debt]
"""

from __future__ import annotations

import argparse
import io
import re
import zipfile
from pathlib import Path

import xlsxwriter

FORMULAS_PER_ROW = 7
CELLS_PER_ROW = 8
TAX_TABLE = [(1, 0.21), (2, 0.25), (3, 0.19), (4, 0.30), (5, 0.12)]


def financial_model(periods: int, *, lookups: bool = True) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "constant_memory": False})
    start, step, cost_share = 1000.0, 2.5, 0.62

    a = wb.add_worksheet("Assumptions")
    a.write("A1", "Starting revenue")
    a.write_number("B1", start)
    a.write("A2", "Revenue step")
    a.write_number("B2", step)
    a.write("A3", "Cost share")
    a.write_number("B3", cost_share)
    a.write_row("D1", ["Bucket", "Tax rate"])
    for i, (bucket, rate) in enumerate(TAX_TABLE, start=2):
        a.write_number(f"D{i}", bucket)
        a.write_number(f"E{i}", rate)

    m = wb.add_worksheet("Model")
    m.write_row(0, 0, ["Period", "Revenue", "Cost", "EBITDA", "Cumulative", "Tax rate", "Net", "Label"])
    revenue = cumulative = 0.0
    totals = {"revenue": 0.0, "net": 0.0}
    last = periods + 1
    for t in range(1, periods + 1):
        r = t + 1  # Excel row
        m.write_number(r - 1, 0, t)
        revenue = start if t == 1 else revenue + step
        m.write_formula(r - 1, 1, f"=IF(A{r}=1,Assumptions!$B$1,B{r - 1}+Assumptions!$B$2)", None, revenue)
        cost = revenue * cost_share
        m.write_formula(r - 1, 2, f"=B{r}*Assumptions!$B$3", None, cost)
        ebitda = revenue - cost
        m.write_formula(r - 1, 3, f"=B{r}-C{r}", None, ebitda)
        cumulative = ebitda if t == 1 else cumulative + ebitda
        m.write_formula(r - 1, 4, f"=D{r}" if t == 1 else f"=E{r - 1}+D{r}", None, cumulative)
        bucket = t % 5 + 1
        rate = dict(TAX_TABLE)[bucket]
        if lookups:
            m.write_formula(
                r - 1,
                5,
                f"=INDEX(Assumptions!$E$2:$E$6,MATCH(MOD(A{r},5)+1,Assumptions!$D$2:$D$6,0))",
                None,
                rate,
            )
        else:
            m.write_formula(r - 1, 5, f"=Assumptions!$E${bucket + 1}", None, rate)
        net = ebitda * (1 - rate)
        m.write_formula(r - 1, 6, f"=D{r}*(1-F{r})", None, net)
        m.write_formula(r - 1, 7, f'=IF(G{r}>0,"profit","loss")', None, "profit" if net > 0 else "loss")
        totals["revenue"] += revenue
        totals["net"] += net

    s = wb.add_worksheet("Summary")
    s.write("A1", "Total revenue")
    s.write_formula("B1", f"=SUM(Model!B2:B{last})", None, totals["revenue"])
    s.write("A2", "Total net income")
    s.write_formula("B2", f"=SUM(Model!G2:G{last})", None, totals["net"])
    s.write("A3", "Net margin")
    s.write_formula("B3", "=B2/B1", None, totals["net"] / totals["revenue"])
    wb.close()
    return buf.getvalue()


def lookup_model(rows: int, *, lookups: bool = True) -> bytes:
    """``rows`` orders, each with an exact-match price lookup and a SUMIFS over all orders of its
    customer (or, without lookups, the same arithmetic on direct links). Cached values included."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    prices = wb.add_worksheet("Prices")
    prices.write_row(0, 0, ["Product", "Price"])
    products = max(10, rows // 10)
    for p in range(1, products + 1):
        prices.write_number(p, 0, p)
        prices.write_number(p, 1, 10 + p % 97)
    orders = wb.add_worksheet("Orders")
    orders.write_row(0, 0, ["Customer", "Product", "Qty", "Price", "Amount", "Customer total"])
    customers = max(5, rows // 50)
    amounts: dict[int, float] = {}
    line = []
    for r in range(1, rows + 1):
        customer, product, qty = r % customers + 1, r % products + 1, r % 7 + 1
        price = 10 + product % 97
        line.append((customer, product, qty, price, qty * price))
        amounts[customer] = amounts.get(customer, 0.0) + qty * price
    last = rows + 1
    for r, (customer, product, qty, price, amount) in enumerate(line, start=2):
        orders.write_number(r - 1, 0, customer)
        orders.write_number(r - 1, 1, product)
        orders.write_number(r - 1, 2, qty)
        if lookups:
            orders.write_formula(
                r - 1, 3, f"=VLOOKUP(B{r},Prices!$A$2:$B${products + 1},2,FALSE)", None, price
            )
        else:
            orders.write_formula(r - 1, 3, f"=Prices!B{product + 1}", None, price)
        orders.write_formula(r - 1, 4, f"=C{r}*D{r}", None, amount)
        if lookups:
            orders.write_formula(
                r - 1, 5, f"=SUMIFS($E$2:$E${last},$A$2:$A${last},A{r})", None, amounts[customer]
            )
        else:
            orders.write_formula(r - 1, 5, f"=E{r}*{amounts[customer] / amount!r}", None, amounts[customer])
    wb.close()
    return buf.getvalue()


OPERATING_SHEETS = ("Sales", "Costs", "Capex", "Working capital", "Cash")
OPERATING_COLUMNS = ("Period", "Value", "Link", "Rolling 12", "Gap", "Lookup")
ROLLING = 12  # rows in the rolling SUM
LOOKUP_EVERY = 10  # one INDEX/MATCH every this many rows
LOOKUP_BACK = 5  # the lookup fetches the rolling sum of the period this many rows earlier


def operating_rows(cells: int) -> int:
    """Rows per sheet for about ``cells`` cells: 5 per row, 1 more every 10th, 8 fixed per sheet."""
    per_sheet = cells / len(OPERATING_SHEETS) - 8
    return max(2 * LOOKUP_EVERY, round(per_sheet * LOOKUP_EVERY / (5 * LOOKUP_EVERY + 1)))


def operating_model(cells: int) -> bytes:
    """About ``cells`` cells over five sheets of ``operating_rows(cells)`` periods each.

    Sheet k has its growth rate in H1 and its starting value in H2. Row r (2..) is period
    r - 1: A the period (a constant, the lookup key), B =H2 then =B{r-1}*(1+$H$1) (growth),
    C ='<sheet k-1>'!B{r} (the first sheet links to the last), D =SUM(B{r-11}:B{r}) (12 rows,
    fewer at the top), E =IF(B{r}>C{r},D{r}-C{r},C{r}-B{r}); every 10th period, F
    =INDEX($D$2:$D$n,MATCH(A{r}-5,$A$2:$A$n,0)): exact, over the whole data column (2..n, the
    last row; not A:A, whose million empty rows would measure nothing of the model).
    """
    rows = operating_rows(cells)
    last = rows + 1
    rates = [0.0001 * (k + 1) for k in range(len(OPERATING_SHEETS))]
    starts = [100.0 * (k + 1) for k in range(len(OPERATING_SHEETS))]
    growth = []
    for rate, start in zip(rates, starts, strict=True):
        values = [start]
        for _ in range(rows - 1):
            values.append(values[-1] * (1 + rate))
        growth.append(values)
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    for k, name in enumerate(OPERATING_SHEETS):
        ws = wb.add_worksheet(name)
        linked = OPERATING_SHEETS[k - 1]
        b, c = growth[k], growth[k - 1]
        ws.write_row(0, 0, OPERATING_COLUMNS)
        ws.write_number("H1", rates[k])
        ws.write_number("H2", starts[k])
        rolling = []
        for i in range(rows):
            r = i + 2
            ws.write_number(i + 1, 0, i + 1)
            ws.write_formula(i + 1, 1, "=$H$2" if i == 0 else f"=B{r - 1}*(1+$H$1)", None, b[i])
            ws.write_formula(i + 1, 2, f"='{linked}'!B{r}", None, c[i])
            top = max(0, i - ROLLING + 1)
            total = sum(b[top : i + 1])
            rolling.append(total)
            ws.write_formula(i + 1, 3, f"=SUM(B{top + 2}:B{r})", None, total)
            gap = total - c[i] if b[i] > c[i] else c[i] - b[i]
            ws.write_formula(i + 1, 4, f"=IF(B{r}>C{r},D{r}-C{r},C{r}-B{r})", None, gap)
            if (i + 1) % LOOKUP_EVERY == 0:
                formula = f"=INDEX($D$2:$D${last},MATCH(A{r}-{LOOKUP_BACK},$A$2:$A${last},0))"
                ws.write_formula(i + 1, 5, formula, None, rolling[i - LOOKUP_BACK])
    wb.close()
    return buf.getvalue()


DEBT_RATE = 0.00005  # per period
DEBT_OPENING = 1_000_000.0
DEBT_COLUMNS = ("Period", "Opening", "Repayment", "Interest", "Closing", "Debt service")
ITERATE_COUNT, ITERATE_DELTA = 100, 0.001  # Excel's defaults, written in calcPr
ITERATION_PASSES = 1000  # the Python fixed point's bound (hyperformula/iteration.js MAX_PASSES)


def debt_periods(cells: int) -> int:
    return max(2, (cells - 6 - 3) // len(DEBT_COLUMNS))


def debt_schedule(cells: int, *, circular: bool = True) -> bytes:
    """About ``cells`` cells of a debt schedule, one period per row: A period, B opening (=$H$2,
    then the previous closing), C repayment =MIN(B{r},$H$3), D interest, E closing
    =B{r}-C{r}+D{r}, F debt service =C{r}+D{r}; H1 the rate per period, H2 the opening debt,
    H3 the repayment (the opening debt over the periods).

    Circular: D =$H$1*(B{r}+E{r})/2, interest on the average debt, so each period's D and E are
    a cycle; calcPr has iterate="1" iterateCount="100" iterateDelta="0.001". The cached values
    are the converged ones: Excel's rule (each pass computes D then E from the newest values,
    starting from 0) repeated until a pass changes nothing, as a model Excel recalculated
    again and again sits at its fixed point (hyperformula/iteration.js iterates alike).
    Without the cycle: D =$H$1*B{r}, interest on the opening debt, iteration off.
    """
    periods = debt_periods(cells)
    repayment = DEBT_OPENING / periods
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("Debt")
    ws.write_row(0, 0, DEBT_COLUMNS)
    ws.write_number("H1", DEBT_RATE)
    ws.write_number("H2", DEBT_OPENING)
    ws.write_number("H3", repayment)
    opening = DEBT_OPENING
    for i in range(periods):
        r = i + 2
        paid = min(opening, repayment)
        if circular:
            interest = _converged_interest(opening, paid)
            formula = f"=$H$1*(B{r}+E{r})/2"
        else:
            interest = DEBT_RATE * opening
            formula = f"=$H$1*B{r}"
        closing = opening - paid + interest
        ws.write_number(i + 1, 0, i + 1)
        ws.write_formula(i + 1, 1, "=$H$2" if i == 0 else f"=E{r - 1}", None, opening)
        ws.write_formula(i + 1, 2, f"=MIN(B{r},$H$3)", None, paid)
        ws.write_formula(i + 1, 3, formula, None, interest)
        ws.write_formula(i + 1, 4, f"=B{r}-C{r}+D{r}", None, closing)
        ws.write_formula(i + 1, 5, f"=C{r}+D{r}", None, paid + interest)
        opening = closing
    wb.close()
    data = buf.getvalue()
    return with_iteration(data, ITERATE_COUNT, ITERATE_DELTA) if circular else data


def _converged_interest(opening: float, paid: float) -> float:
    """D of one period by Excel's iteration (D then E, newest values, from 0), to no change."""
    interest = closing = 0.0
    for _ in range(ITERATION_PASSES):
        new = DEBT_RATE * (opening + closing) / 2
        closing = opening - paid + new
        if new == interest:
            break
        interest = new
    return interest


def with_iteration(data: bytes, count: int, delta: float) -> bytes:
    """The workbook with iterative calculation on in workbook.xml's calcPr, as Excel saves it."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    settings = f' iterate="1" iterateCount="{count}" iterateDelta="{delta}"'.encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename == "xl/workbook.xml":
                content, n = re.subn(rb"<calcPr([^>]*?)\s*/>", rb"<calcPr\1" + settings + rb"/>", content)
                if n != 1:
                    raise ValueError("workbook.xml has no calcPr to set iteration on")
            dst.writestr(info, content)
    return out.getvalue()


def tiny_model() -> bytes:
    """Four cells, one calling a function no engine knows: a job that takes milliseconds, for
    measuring the queue rather than the engine."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("S")
    ws.write_number("A1", 2)
    ws.write_formula("B1", "=FROBNICATE(A1)", None, 4)
    ws.write_formula("C1", "=B1+1", None, 5)
    ws.write_formula("D1", "=A1+1", None, 3)
    wb.close()
    return buf.getvalue()


def periods_for(cells: int) -> int:
    return max(1, cells // CELLS_PER_ROW)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=4000, help="about this many cells")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--no-lookups", action="store_true", help="replace INDEX/MATCH by direct links")
    parser.add_argument(
        "--kind", choices=("financial", "operating", "debt", "acyclic-debt"), default="financial"
    )
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if args.kind == "operating":
        data = operating_model(args.cells)
    elif args.kind in ("debt", "acyclic-debt"):
        data = debt_schedule(args.cells, circular=args.kind == "debt")
    else:
        data = financial_model(periods_for(args.cells), lookups=not args.no_lookups)
    args.out.write_bytes(data)
    print(args.out)


if __name__ == "__main__":
    main()
