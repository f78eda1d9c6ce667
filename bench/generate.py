"""Synthetic financial workbooks with Excel-style cached values, for benchmarks and the demo.

Each Model row is one period: row-over-row revenue, costs, EBITDA, a running total, an
INDEX/MATCH tax-rate lookup, net income and an IF label (7 formulas, 1 constant). A Summary
sheet links across sheets with SUMs. The cached values are computed here, in the order Excel
would compute them, and written with the formulas by xlsxwriter.

    python -m bench.generate --cells 100000 --out model.xlsx
"""

from __future__ import annotations

import argparse
import io
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
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(financial_model(periods_for(args.cells), lookups=not args.no_lookups))
    print(args.out)


if __name__ == "__main__":
    main()
