"""Small workbooks for the fidelity features: data tables, implicit intersection, names.

Cached values are the ones Excel would compute, worked out by hand in each docstring.
"""

from __future__ import annotations

import io
import re
import zipfile

from tests.workbooks import build


def _rewrite_sheet(data: bytes, edit) -> bytes:
    """The same package with the first worksheet's XML passed through ``edit``."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = edit(content)
            dst.writestr(info, content)
    return out.getvalue()


def data_table_2d() -> bytes:
    """Payment = principal * rate, as a two-input data table (xlsxwriter cannot write one, so
    the top-left result cell gets Excel's <f t="dataTable"> element afterwards).

    B1 principal 100, B2 rate 0.05, B3 =B1*B2 (5). The table: D5 =B3 is the formula cell,
    E5:F5 the principals 100 and 200 (row input B1), D6:D7 the rates 0.1 and 0.2 (column
    input B2). Results E6:F7 = [[10, 20], [20, 40]]; G6 =SUM(E6:F7) reads the table (90).
    """

    def fill(wb):
        ws = wb.add_worksheet("S")
        ws.write_number("B1", 100)
        ws.write_number("B2", 0.05)
        ws.write_formula("B3", "=B1*B2", None, 5)
        ws.write_formula("D5", "=B3", None, 5)
        ws.write_number("E5", 100)
        ws.write_number("F5", 200)
        ws.write_number("D6", 0.1)
        ws.write_number("D7", 0.2)
        ws.write_formula("E6", "=999", None, 10)  # replaced by the data table below
        ws.write_number("F6", 20)
        ws.write_number("E7", 20)
        ws.write_number("F7", 40)
        ws.write_formula("G6", "=SUM(E6:F7)", None, 90)

    def to_data_table(xml: bytes) -> bytes:
        table = b'<f t="dataTable" ref="E6:F7" dt2D="1" dtr="0" r1="B1" r2="B2"/>'
        return re.sub(rb"<f>999</f>", table, xml)

    return _rewrite_sheet(build(fill), to_data_table)


def data_table_1d() -> bytes:
    """One input down a column: B1 rate 0.05, B2 =100*B1 (5). D2:D3 the rates 0.1 and 0.3
    (column input B1), E1 =B2 the formula; results E2:E3 = 10 and 30."""

    def fill(wb):
        ws = wb.add_worksheet("S")
        ws.write_number("B1", 0.05)
        ws.write_formula("B2", "=100*B1", None, 5)
        ws.write_formula("E1", "=B2", None, 5)
        ws.write_number("D2", 0.1)
        ws.write_number("D3", 0.3)
        ws.write_formula("E2", "=999", None, 10)
        ws.write_number("E3", 30)

    def to_data_table(xml: bytes) -> bytes:
        return re.sub(rb"<f>999</f>", b'<f t="dataTable" ref="E2:E3" dt2D="0" dtr="0" r1="B1"/>', xml)

    return _rewrite_sheet(build(fill), to_data_table)


def implicit_intersection() -> bytes:
    """Plain cells intersect a range with their own row; array formulas compute element-wise.

    A1:A3 = 1, 2, 3 and B1:B3 = 10, 20, 30.
    - C2 =A1:A3*10 (plain cell, row 2): 20. C5 the same in row 5, outside the range: #VALUE!.
    - D1 {=SUM(A1:A3*B1:B3)} (CSE): 140. D2 =SUMPRODUCT((A1:A3>1)*B1:B3) (plain): 50.
    - E1 =INDEX(A1:C1,3) (one-row range: the index counts columns): the value of C1, 10.
    - F1:F2 {=TRANSPOSE(Row)} over the name Row = S!$A$5:$B$5 (7, 8): 7 and 8 down the column.
    - G1 =SUM(Col) over the name Col = S!$B$1:$B$3: 60.
    """

    def fill(wb):
        ws = wb.add_worksheet("S")
        for r, (a, b) in enumerate([(1, 10), (2, 20), (3, 30)]):
            ws.write_number(r, 0, a)
            ws.write_number(r, 1, b)
        ws.write_formula("C1", "=A1*10", None, 10)
        ws.write_formula("C2", "=A1:A3*10", None, 20)
        ws.write_formula("C5", "=A1:A3*10", None, "#VALUE!")
        ws.write_array_formula("D1:D1", "{=SUM(A1:A3*B1:B3)}", None, 140)
        ws.write_formula("D2", "=SUMPRODUCT((A1:A3>1)*B1:B3)", None, 50)
        ws.write_formula("E1", "=INDEX(A1:C1,3)", None, 10)
        ws.write_number("A5", 7)
        ws.write_number("B5", 8)
        wb.define_name("Row", "=S!$A$5:$B$5")
        wb.define_name("Col", "=S!$B$1:$B$3")
        ws.write_array_formula("F1:F2", "{=TRANSPOSE(Row)}", None, 7)
        ws.write_number("F2", 8)
        ws.write_formula("G1", "=SUM(Col)", None, 60)

    return build(fill)


def _rewrite_part(data: bytes, part: str, edit) -> bytes:
    """The same package with one part's XML passed through ``edit``."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info)
            dst.writestr(info, edit(content) if info.filename == part else content)
    return out.getvalue()


# Interest on average debt, solved by hand: B4 = 0.1 * (1000 + B5) / 2 and B5 = 1000 - (200 - B4)
# give B4 = 0.05 * (1800 + B4), so B4 = 90 / 0.95.
INTEREST = 90 / 0.95
CLOSING = 800 + INTEREST


def circular_model(iterate: bool = True) -> bytes:
    """A debt schedule whose interest depends on the closing balance (iterative calculation
    on or off), a cycle that never settles, and dynamic references.

    B1 opening 1000, B2 cash flow 200, B3 rate 0.1, B4 interest =B3*(B1+B5)/2, B5 closing
    =B1-(B2-B4), B6 =B5*2 (downstream). C1 =1-C1 swings between 0 and 1 for ever; C2 =C1+1
    reads it. B7 2; D1 =SUM(OFFSET(B1,0,0,B7,1)) = 1200; D2 =INDIRECT("B"&B7) = 200;
    D3 =SUM(B1:INDEX(B1:B3,B7)) = 1200.
    """

    def fill(wb):
        ws = wb.add_worksheet("S")
        ws.write_number("B1", 1000)
        ws.write_number("B2", 200)
        ws.write_number("B3", 0.1)
        ws.write_formula("B4", "=B3*(B1+B5)/2", None, INTEREST)
        ws.write_formula("B5", "=B1-(B2-B4)", None, CLOSING)
        ws.write_formula("B6", "=B5*2", None, 2 * CLOSING)
        ws.write_formula("C1", "=1-C1", None, 1)
        ws.write_formula("C2", "=C1+1", None, 2)
        ws.write_number("B7", 2)
        ws.write_formula("D1", "=SUM(OFFSET(B1,0,0,B7,1))", None, 1200)
        ws.write_formula("D2", '=INDIRECT("B"&B7)', None, 200)
        ws.write_formula("D3", "=SUM(B1:INDEX(B1:B3,B7))", None, 1200)

    def calc_settings(xml: bytes) -> bytes:
        settings = b' iterate="1" iterateCount="100" iterateDelta="0.001"' if iterate else b""
        return re.sub(rb"<calcPr([^/]*)/>", rb"<calcPr\1" + settings + rb"/>", xml)

    return _rewrite_part(build(fill), "xl/workbook.xml", calc_settings)


def array_ranges() -> bytes:
    """Array formulas entered over more cells than their result, which Excel fills: a single
    value everywhere, a one-column result repeated across, #N/A past a two-dimensional one.

    A1:A2 = 1, 2; B1:B2 = 10, 20. D1:D3 {=SUM(A1:A2*B1:B2)} -> 50 in each. E1:F3 {=A1:A2*2}
    -> 2, 4 in both columns, #N/A in row 3. G1:H2 {=A1:B1}, a one-row result repeated down:
    1, 10 in both rows.
    """

    def fill(wb):
        ws = wb.add_worksheet("S")
        for row, (a, b) in enumerate([(1, 10), (2, 20)]):
            ws.write_number(row, 0, a)
            ws.write_number(row, 1, b)
        ws.write_array_formula("D1:D3", "{=SUM(A1:A2*B1:B2)}", None, 50)
        ws.write_array_formula("E1:F3", "{=A1:A2*2}", None, 2)
        ws.write_array_formula("G1:H2", "{=A1:B1}", None, 1)

    return build(fill)


# A three-statement model whose scenario is chosen by OFFSET/MATCH and INDIRECT selectors
# (issue 11, cause 13). The inputs are public so that a test computes the expected values from
# them in plain Python; the formulas' cached values are left 0 (nothing is copied from them).
SCENARIOS = ("Base", "Upside", "Downside")
DRIVERS = {  # name: (Base, Upside, Downside)
    "growth": (0.05, 0.08, 0.01),
    "cogs": (0.6, 0.55, 0.65),
    "opex": (0.15, 0.14, 0.17),
    "capex": (0.07, 0.08, 0.05),
    "dep": (0.1, 0.1, 0.12),
    "tax": (0.25, 0.25, 0.25),
    "interest": (0.06, 0.05, 0.08),
    "dso": (45, 40, 60),
    "dpo": (30, 35, 25),
    "payout": (0.3, 0.4, 0.1),
    "repay": (50, 80, 20),
    "revenue0": (1000, 1000, 950),
    "ppe0": (500, 500, 480),
    "debt0": (400, 400, 420),
    "cash0": (100, 120, 80),
}
PRICE_INDEX = {"Base": 1.02, "Upside": 1.03, "Downside": 1.0}  # per year, compounded


def scenario_model(scenario: str = "Upside", years: int = 10) -> bytes:
    """Inputs!D3 names the scenario. Each driver k has a block at row r = 20 + 5k: the selector
    J{r} =OFFSET($J{r},MATCH($D$3,$B{r+1}:$B{r+3},0),0) over the three scenario rows below it
    (the last driver is selected with INDIRECT instead), and row 100 holds a per-year price index
    chosen by OFFSET from each year's column. `cumulative` adds up revenue through OFFSET of
    the year before. Model!: revenue, costs, depreciation, debt,
    interest, tax, working capital, the cash flow and the balance sheet, one column per year.
    """
    from xlsxwriter.utility import xl_col_to_name

    names = list(DRIVERS)

    def fill(wb):
        inp = wb.add_worksheet("Inputs")
        inp.write_string("C3", "Scenario")
        inp.write_string("D3", scenario)
        cell = {}
        for k, name in enumerate(names):
            r = 20 + 5 * k
            inp.write_string(f"B{r}", name)
            for i, label in enumerate(SCENARIOS):
                inp.write_string(f"B{r + 1 + i}", label)
                inp.write_number(f"J{r + 1 + i}", DRIVERS[name][i])
            if k == len(names) - 1:
                formula = f'=INDIRECT("J"&({r}+MATCH($D$3,$B{r + 1}:$B{r + 3},0)))'
            else:
                formula = f"=OFFSET($J{r},MATCH($D$3,$B{r + 1}:$B{r + 3},0),0)"
            inp.write_formula(f"J{r}", formula, None, 0)
            cell[name] = f"Inputs!$J${r}"
        for i, label in enumerate(SCENARIOS):
            inp.write_string(f"B{101 + i}", label)
        for t in range(years):
            col = xl_col_to_name(10 + t)  # K...
            for i, label in enumerate(SCENARIOS):
                inp.write_number(f"{col}{101 + i}", PRICE_INDEX[label] ** (t + 1))
            inp.write_formula(f"{col}100", f"=OFFSET({col}$100,MATCH($D$3,$B$101:$B$103,0),0)", None, 0)

        m = wb.add_worksheet("Model")
        rows = scenario_model_rows()
        at = {name: i + 2 for i, name in enumerate(rows)}  # Excel rows
        for name, row in at.items():
            m.write_string(f"A{row}", name)
        d = cell
        for t in range(years):
            c = xl_col_to_name(2 + t)  # C...
            p = xl_col_to_name(1 + t)  # the previous year (B: opening balances)
            idx = f"Inputs!{xl_col_to_name(10 + t)}$100"

            def ref(name, col=c):
                return f"{col}{at[name]}"

            prev = {
                "revenue": d["revenue0"] if t == 0 else ref("revenue", p),
                "ppe": d["ppe0"] if t == 0 else ref("ppe", p),
                "debt": d["debt0"] if t == 0 else ref("debt", p),
                "cash": d["cash0"] if t == 0 else ref("cash", p),
                "nwc": "0" if t == 0 else ref("nwc", p),
                "equity": f"({d['cash0']}+{d['ppe0']}-{d['debt0']})" if t == 0 else ref("equity", p),
            }
            formulas = {
                "revenue": f"={prev['revenue']}*(1+{d['growth']})",
                "cogs": f"={ref('revenue')}*{d['cogs']}",
                "gross": f"={ref('revenue')}-{ref('cogs')}",
                "opex": f"={ref('revenue')}*{d['opex']}",
                "ebitda": f"={ref('gross')}-{ref('opex')}",
                "dep": f"={prev['ppe']}*{d['dep']}",
                "ebit": f"={ref('ebitda')}-{ref('dep')}",
                "interest": f"={prev['debt']}*{d['interest']}",
                "ebt": f"={ref('ebit')}-{ref('interest')}",
                "tax": f"=MAX({ref('ebt')},0)*{d['tax']}",
                "ni": f"={ref('ebt')}-{ref('tax')}",
                "capex": f"={ref('revenue')}*{d['capex']}",
                "ppe": f"={prev['ppe']}+{ref('capex')}-{ref('dep')}",
                "debt": f"=MAX({prev['debt']}-{d['repay']},0)",
                "ar": f"={ref('revenue')}*{d['dso']}/365",
                "ap": f"={ref('cogs')}*{d['dpo']}/365",
                "nwc": f"={ref('ar')}-{ref('ap')}",
                "dnwc": f"={ref('nwc')}-{prev['nwc']}",
                "div": f"=MAX({ref('ni')},0)*{d['payout']}",
                "cfo": f"={ref('ni')}+{ref('dep')}-{ref('dnwc')}",
                "cfi": f"=-{ref('capex')}",
                "cff": f"={ref('debt')}-{prev['debt']}-{ref('div')}",
                "cash": f"={prev['cash']}+{ref('cfo')}+{ref('cfi')}+{ref('cff')}",
                "equity": f"={prev['equity']}+{ref('ni')}-{ref('div')}",
                "assets": f"={ref('cash')}+{ref('ar')}+{ref('ppe')}",
                "liabilities": f"={ref('ap')}+{ref('debt')}",
                "check": f"=ROUND({ref('assets')}-{ref('liabilities')}-{ref('equity')}"
                f"-{ref('nwc')}+{ref('ar')}-{ref('ap')},6)",
                "real_revenue": f"={ref('revenue')}/{idx}",
                # A running total through OFFSET of the year before: a chain of dynamic
                # references as long as the model has years.
                "cumulative": f"={ref('revenue')}"
                if t == 0
                else f"=OFFSET({ref('cumulative')},0,-1)+{ref('revenue')}",
            }
            for name, formula in formulas.items():
                m.write_formula(f"{c}{at[name]}", formula, None, 0)

    return build(fill)


def scenario_model_rows() -> list[str]:
    """The Model sheet's line names, from row 2 down (as scenario_model writes them)."""
    return [
        "revenue",
        "cogs",
        "gross",
        "opex",
        "ebitda",
        "dep",
        "ebit",
        "interest",
        "ebt",
        "tax",
        "ni",
        "capex",
        "ppe",
        "debt",
        "ar",
        "ap",
        "nwc",
        "dnwc",
        "div",
        "cfo",
        "cfi",
        "cff",
        "cash",
        "equity",
        "assets",
        "liabilities",
        "check",
        "real_revenue",
        "cumulative",
    ]


# The Backlog table of structured_references(): order date, quantity and Q#1 per data row.
BACKLOG = [(45000, 2, 10), (45010, 4, 20), (45020, 5, 30)]


def structured_references() -> bytes:
    """Excel tables (real table parts) read through every structured-reference form.

    Sheet Orders, table Backlog at A1:E5 (header row 1, data rows 2-4, totals row 5), columns
    Order Date, Qty, Q#1 (constants, BACKLOG), Ship Date = TODAY()+[#This Row] Qty*10 and
    Lead = ROUND((Ship Date - Order Date)/Qty, 0), both per row; the totals row sums Qty and Q#1.
    H2:H4 read [#This Row] from outside the table; G1:G12 read the other forms; sheet Report
    reads Backlog from another sheet. Table NoHead (no header row, headerRowCount="0") at
    I2:J4 holds 1..3 and 4..6. Cached values are left at 0: the tests compute their own.
    """

    def fill(wb):
        ws = wb.add_worksheet("Orders")
        columns = ["Order Date", "Qty", "Q#1", "Ship Date", "Lead"]
        data = [[*row, None, None] for row in BACKLOG]
        ws.add_table(
            "A1:E5",
            {"name": "Backlog", "total_row": True, "data": data, "columns": [{"header": c} for c in columns]},
        )
        for r in range(2, 5):
            ws.write_formula(f"D{r}", "=TODAY()+Backlog[[#This Row],[Qty]]*10", None, 0)
            ws.write_formula(
                f"E{r}",
                "=ROUND((Backlog[[#This Row],[Ship Date]]-Backlog[[#This Row],[Order Date]])"
                "/Backlog[[#This Row],[Qty]],0)",
                None,
                0,
            )
            ws.write_formula(f"H{r}", "=Backlog[[#This Row],[Q'#1]]*100", None, 0)
        ws.write_formula("B5", "=SUBTOTAL(109,Backlog[Qty])", None, 0)
        ws.write_formula("C5", "=SUBTOTAL(109,Backlog[Q'#1])", None, 0)
        outside = {
            "G1": "=SUM(Backlog[Qty])",
            "G2": "=Backlog[[#Totals],[Qty]]*2",
            "G3": "=COUNTA(Backlog[#Headers])",
            "G4": "=ROWS(Backlog[#All])",
            "G5": "=ROWS(Backlog[[#Headers],[#Data],[Qty]])",
            "G6": "=SUM(Backlog[[Order Date]:[Q'#1]])",
            "G7": "=SUM(Backlog)",
            "G8": "=SUM(Backlog[])",
            "G9": "=SUM(Backlog[#Data])",
            "G10": "=MAX(Backlog[Ship Date])",
            "G11": "=SUM(NoHead[Column2])",
            "G12": "=ROWS(NoHead[#All])",
        }
        for cell, formula in outside.items():
            ws.write_formula(cell, formula, None, 0)
        ws.add_table("I2:J4", {"name": "NoHead", "header_row": False, "data": [[1, 4], [2, 5], [3, 6]]})
        report = wb.add_worksheet("Report")
        report.write_formula("A1", "=SUM(Backlog[Lead])", None, 0)
        report.write_formula("A2", "=Backlog[[#Totals],[Q'#1]]+1", None, 0)
        report.write_formula("A3", "=SUMPRODUCT(Backlog[Qty],Backlog[Q'#1])", None, 0)

    return build(fill)


def debt_schedule_iteration_off(periods: int, cached: list[tuple[float, float]]) -> bytes:
    """A debt schedule saved with iteration off (calcPr has no iterate): interest on the
    average of opening and closing debt, so each period is a circular reference of two cells.

    Inputs: H1 rate, H2 opening debt, H3 repayment per period. Row r = period r - 1 (2..):
    B opening (=H2, then the previous closing E), C repayment =MIN(B, H3), D interest
    =H1*(B+E)/2, E closing =B-C+D, F debt service =C+D (downstream of the cycle).
    ``cached``: (interest, closing) per period, the values the caller expects Excel to have
    saved after an iterative session (B and F are cached from them).
    """

    def fill(wb):
        ws = wb.add_worksheet("Debt")
        ws.write_number("H1", 0.08)
        ws.write_number("H2", 1_000_000)
        ws.write_number("H3", 150_000)
        opening = 1_000_000.0
        for i in range(periods):
            r = i + 2
            interest, closing = cached[i]
            repayment = min(opening, 150_000.0)
            ws.write_formula(f"B{r}", "=$H$2" if i == 0 else f"=E{r - 1}", None, opening)
            ws.write_formula(f"C{r}", f"=MIN(B{r},$H$3)", None, repayment)
            ws.write_formula(f"D{r}", f"=$H$1*(B{r}+E{r})/2", None, interest)
            ws.write_formula(f"E{r}", f"=B{r}-C{r}+D{r}", None, closing)
            ws.write_formula(f"F{r}", f"=C{r}+D{r}", None, repayment + interest)
            opening = closing

    return build(fill)


def self_referencing_total(cached_total: float) -> bytes:
    """Iteration off. Row 2: J2 = F2+H2+J2 (a total that adds itself: each iteration adds
    F2+H2 = 7, so it never settles), K2 = J2*2 downstream. Row 3: J3 = F3+H3+J3 with
    F3+H3 = 0 (settles at once at 0). ``cached_total``: J2's cached value; J3 caches 0."""

    def fill(wb):
        ws = wb.add_worksheet("S")
        for r, (f, h) in ((2, (3, 4)), (3, (5, -5))):
            ws.write_number(f"F{r}", f)
            ws.write_number(f"H{r}", h)
        ws.write_formula("J2", "=F2+H2+J2", None, cached_total)
        ws.write_formula("K2", "=J2*2", None, cached_total * 2)
        ws.write_formula("J3", "=F3+H3+J3", None, 0)

    return build(fill)
