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


def circular() -> bytes:
    def fill(wb):
        ws = wb.add_worksheet("S")
        ws.write_number("A1", 100)
        ws.write_formula("B1", "=A1+C1*0.1", None, 0)
        ws.write_formula("C1", "=B1*0.5", None, 0)
        ws.write_formula("D1", "=A1*2", None, 200)

    return build(fill)


def large(rows: int) -> bytes:
    """A sheet of ``rows`` rows: an input, growth, a running total (cached values computed here)."""

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

    return build(fill)
