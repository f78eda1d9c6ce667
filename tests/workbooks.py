"""Small workbooks built for tests, with Excel-style cached values (xlsxwriter writes them)."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable

import xlsxwriter


def build(fill: Callable, *, date1904: bool = False) -> bytes:
    """Bytes of an .xlsx whose sheets ``fill(workbook)`` writes."""
    buf = io.BytesIO()
    options = {"in_memory": True, "date_1904": date1904}
    wb = xlsxwriter.Workbook(buf, options)
    # A fixed creation time makes the bytes depend on the content alone, so the same
    # workbook built twice has the same hash (xlsxwriter stamps the time otherwise).
    wb.set_properties({"created": dt.datetime(2024, 1, 1)})
    fill(wb)
    wb.close()
    return _excel_style_empty_strings(buf.getvalue())


def _excel_style_empty_strings(data: bytes) -> bytes:
    """Excel marks a formula's cached "" as t="str"; xlsxwriter leaves the type out."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                content = re.sub(
                    rb'<c r="([A-Z]+\d+)"( s="\d+")?><f>([^<]*)</f><v></v>',
                    rb'<c r="\1"\2 t="str"><f>\3</f><v></v>',
                    content,
                )
            dst.writestr(info, content)
    return out.getvalue()


def basic() -> bytes:
    """Numbers, text, booleans, errors, dates, cross-sheet links and a defined name."""

    def fill(wb):
        date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
        ws = wb.add_worksheet("Inputs")
        ws.write("A1", "Revenue")
        ws.write_number("B1", 1000)
        ws.write("A2", "Growth")
        ws.write_number("B2", 0.1)
        ws.write_boolean("B3", True)
        ws.write_datetime("B4", dt.datetime(2024, 2, 29), date_fmt)
        ws.write_string("B5", "123")  # text that looks like a number
        wb.define_name("Rate", "=Inputs!$B$2")
        calc = wb.add_worksheet("Calc")
        calc.write_formula("A1", "=Inputs!B1*(1+Rate)", None, 1100)
        calc.write_formula("A2", "=A1*2", None, 2200)
        calc.write_formula("A3", '=IF(Inputs!B3,"yes","no")', None, "yes")
        calc.write_formula("A4", "=1/0", None, "#DIV/0!")
        calc.write_formula("A5", "=Inputs!B4+1", date_fmt, 45352)
        calc.write_formula("A6", "=A1>1000", None, True)
        calc.write_formula("A7", '=Inputs!B5&"x"', None, "123x")
        calc.write_formula("A8", "=SUM(A1:A2)", None, 3300)
        calc.write_formula("A9", '=""', None, "")
        calc.write_formula("A10", "=NA()", None, "#N/A")

    return build(fill)


def with_unknown_function() -> bytes:
    """A cell calling a function no engine knows, whose cached value looks perfectly fine."""

    def fill(wb):
        ws = wb.add_worksheet("S")
        ws.write_number("A1", 2)
        ws.write_formula("B1", "=FROBNICATE(A1)", None, 4)
        ws.write_formula("C1", "=B1+1", None, 5)
        ws.write_formula("D1", "=A1+1", None, 3)

    return build(fill)


def wrong_cache() -> bytes:
    """A formula whose cached value is wrong: the import must report the mismatch."""

    def fill(wb):
        ws = wb.add_worksheet("S")
        ws.write_number("A1", 2)
        ws.write_formula("B1", "=A1*3", None, 7)  # Excel would say 6
        ws.write_formula("C1", "=A1*3", None, 6.0000000001)  # within tolerance? no: 1.7e-11 rel
        ws.write_formula("D1", "=A1*3", None, 6.000001)  # close: tolerance
        ws.write_formula("E1", '=A1&""', None, 2)  # text "2" in our engine, number in the cache

    return build(fill)


def null_errors() -> bytes:
    """#NULL! as a constant (A1), an empty intersection and a literal, with Excel's values."""

    def fill(wb):
        ws = wb.add_worksheet("S")
        ws.write_formula("A1", "=#NULL!", None, "#NULL!")  # made a constant below
        ws.write_formula("B1", "=SECOND(A1)", None, "#NULL!")
        ws.write_formula("C1", "=SUM(A2:A3 C2:C3)", None, "#NULL!")
        ws.write_formula("D1", "=ERROR.TYPE(A1)", None, 1)
        ws.write_formula("E1", "=ISNA(#NULL!)", None, False)
        ws.write_formula("F1", "=IFERROR(A1,7)", None, 7)

    data = zipfile.ZipFile(io.BytesIO(build(fill)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in data.infolist():
            content = data.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                content = content.replace(b"<f>#NULL!</f>", b"")
            dst.writestr(info, content)
    return out.getvalue()


def circular() -> bytes:
    def fill(wb):
        ws = wb.add_worksheet("S")
        ws.write_number("A1", 100)
        ws.write_formula("B1", "=A1+C1*0.1", None, 0)
        ws.write_formula("C1", "=B1*0.5", None, 0)
        ws.write_formula("D1", "=A1*2", None, 200)

    return build(fill)


def hidden_rows() -> bytes:
    """Sheet F: an AutoFilter over A1:A5 filtering A (rows 3 and 4 hidden by it) and row 7 hidden
    by hand; sheet M: row 2 hidden by hand. SUBTOTAL(9) skips filtered rows, 109 all hidden."""

    def fill(wb):
        ws = wb.add_worksheet("F")
        for r, v in enumerate(["Amount", 10, 20, 30, 40, None, 60], start=1):
            if v is not None:
                ws.write(f"A{r}", v)
        ws.autofilter("A1:A5")
        ws.filter_column("A", "x < 15 or x > 35")
        for r in (3, 4, 7):
            ws.set_row(r - 1, None, None, {"hidden": True})
        ws.write_formula("C1", "=SUBTOTAL(9,A2:A7)", None, 110)
        ws.write_formula("C2", "=SUBTOTAL(109,A2:A7)", None, 50)
        ws2 = wb.add_worksheet("M")
        ws2.write("A1", 1)
        ws2.write("A2", 2)
        ws2.set_row(1, None, None, {"hidden": True})
        ws2.write_formula("B1", "=SUBTOTAL(9,A1:A2)", None, 3)
        ws2.write_formula("B2", "=SUBTOTAL(109,A1:A2)", None, 1)

    return build(fill)


def false_cycle() -> bytes:
    """B1 and C1 refer to each other, but B1's IF never reads C1 (A1 is FALSE): Excel computes
    them although iteration is off (cached values as Excel saves them)."""

    def fill(wb):
        ws = wb.add_worksheet("S")
        ws.write_boolean("A1", False)
        ws.write_formula("B1", "=IF(A1,C1,5)", None, 5)
        ws.write_formula("C1", "=B1+1", None, 6)
        ws.write_formula("D1", "=C1*2", None, 12)

    return build(fill)


def large(rows: int, engine_tail: int = 0) -> bytes:
    """A sheet of ``rows`` rows: an input, growth, a running total (cached values computed here).

    ``engine_tail`` more formulas each make the engine scan the whole growth column, and little
    else: the engine is still computing for seconds after the dependency graph, built meanwhile,
    is done, so a fault can land in the evaluation stage."""

    def fill(wb):
        ws = wb.add_worksheet("Data")
        total = 0.0
        value = 100.0
        for r in range(1, rows + 1):
            if r == 1:
                ws.write_number(r - 1, 0, value)
            else:
                value = value * 1.01
                ws.write_formula(r - 1, 0, f"=A{r - 1}*1.01", None, value)
            total += value
            ws.write_formula(r - 1, 1, f"=A{r}+B{r - 1}" if r > 1 else "=A1", None, total)
        for r in range(1, engine_tail + 1):  # the growth column increases: rows - r cells exceed A{r}
            ws.write_formula(r - 1, 2, f"=SUMPRODUCT((A$1:A${rows}>A{r})*1)", None, rows - r)

    return build(fill)
