import io
import zipfile

import pytest

from importer import workbook
from importer.errors import InvalidWorkbook, WorkbookTooLarge
from importer.values import Value
from tests import workbooks
from tests.hostile import cases


def _cells(wb, sheet):
    s = next(s for s in wb.sheets if s.name == sheet)
    return {(c.row, c.col): c for c in s.cells}


def test_reads_formulas_and_cached_values_separately():
    wb = workbook.read(workbooks.basic())
    calc = _cells(wb, "Calc")
    a1 = calc[(1, 1)]
    assert a1.kind == workbook.FORMULA
    assert a1.formula == "=Inputs!B1*(1+Rate)"
    assert a1.raw == Value(1100.0, None, "number")
    assert calc[(3, 1)].raw == Value(None, "yes", "text")
    assert calc[(4, 1)].raw == Value(None, "#DIV/0!", "error")
    assert calc[(6, 1)].raw == Value(1.0, None, "boolean")
    assert calc[(9, 1)].raw == Value(None, "", "text")  # cached empty string, not an empty cell
    assert [n.name for n in wb.names] == ["Rate"]


def test_dates_stay_serial_numbers():
    wb = workbook.read(workbooks.basic())
    inputs = _cells(wb, "Inputs")
    assert inputs[(4, 2)].constant == Value(45351.0, None, "number")  # 2024-02-29
    assert _cells(wb, "Calc")[(5, 1)].raw == Value(45352.0, None, "number")


def test_1904_date_system():
    import datetime as dt

    data = workbooks.build(
        lambda wb: wb.add_worksheet("S").write_datetime(
            "A1", dt.datetime(1904, 1, 2), wb.add_format({"num_format": "yyyy-mm-dd"})
        ),
        date1904=True,
    )
    wb = workbook.read(data)
    assert wb.date1904 is True
    assert wb.calc["date1904"] is True
    assert wb.sheets[0].cells[0].constant == Value(1.0, None, "number")


def test_text_that_looks_like_a_number_stays_text():
    wb = workbook.read(workbooks.basic())
    assert _cells(wb, "Inputs")[(5, 2)].constant == Value(None, "123", "text")


def _with_app_xml(data: bytes, app_xml: bytes | None) -> bytes:
    """The package with docProps/app.xml replaced (or removed when None)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename != "docProps/app.xml":
                dst.writestr(item, src.read(item.filename))
        if app_xml is not None:
            dst.writestr("docProps/app.xml", app_xml)
    return out.getvalue()


def test_reads_the_application_that_saved_the_workbook():
    # CHAR and CODE use the Mac character set when Mac Excel saved the file (engine: text_extra.js).
    assert workbook.read(workbooks.basic()).application == "Microsoft Excel"
    mac = _with_app_xml(
        workbooks.basic(),
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        b"<Application>Microsoft Macintosh Excel</Application></Properties>",
    )
    assert workbook.read(mac).application == "Microsoft Macintosh Excel"
    assert workbook.read(_with_app_xml(workbooks.basic(), None)).application == ""


def test_hidden_rows_and_the_rows_an_autofilter_hides():
    wb = workbook.read(workbooks.hidden_rows())
    f, m = wb.sheets
    assert f.hidden_rows == (3, 4, 7) and f.filtered_rows == (3, 4)
    assert m.hidden_rows == (2,) and m.filtered_rows == ()


def test_array_formula_members_are_not_inputs():
    def fill(wb):
        ws = wb.add_worksheet("S")
        for r, v in enumerate([1, 2, 3]):
            ws.write_number(r, 0, v)
        ws.write_array_formula("B1:B3", "{=A1:A3*2}", None, 2)

    wb = workbook.read(workbooks.build(fill))
    cells = _cells(wb, "S")
    assert cells[(1, 2)].kind == workbook.FORMULA
    assert cells[(1, 2)].formula == "{=A1:A3*2}"
    assert cells[(2, 2)].kind == workbook.ARRAY_MEMBER
    assert cells[(2, 2)].constant is None  # never sent to the engine as an input


@pytest.mark.parametrize(
    ("data", "phrase"),
    [
        (b"", "empty file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "legacy Excel 97-2003"),
        (b"%PDF-1.7\n...", "PDF"),
        (b"a,b,c\n1,2,3\n", "CSV"),
        (b"PK\x03\x04truncated", "damaged or truncated zip"),
    ],
)
def test_not_a_workbook(data, phrase):
    with pytest.raises(InvalidWorkbook) as info:
        workbook.read(data)
    assert phrase in info.value.message
    assert info.value.stage == "parsing"


def test_xlsb_is_named():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/workbook.bin", b"\0" * 10)
    with pytest.raises(InvalidWorkbook, match="xlsb"):
        workbook.read(buf.getvalue())


def test_a_part_is_counted_as_it_decompresses_not_from_its_header(monkeypatch):
    from importer import archive, limits

    data = cases.stored_part(4 * 1024 * 1024)  # stored: a ratio of 1x, 4 MB
    zf = archive.Archive(data, archive.Budget())  # within the default budgets
    monkeypatch.setattr(limits, "MAX_PART_BYTES", 1024 * 1024)  # the header is not looked at again
    with zf.open("xl/worksheets/sheet1.xml") as src, pytest.raises(WorkbookTooLarge) as info:
        while src.read(65536):
            pass
    assert "CAPITALLENS_MAX_PART_BYTES" in info.value.message
    assert src.seen <= 1024 * 1024 + 65536  # stopped at the first read over the limit


def test_the_workbook_total_counts_each_part_once(monkeypatch):
    from importer import archive, limits

    budget = archive.Budget()
    budget.add_bytes("a", 600, 1000, "X")
    budget.add_bytes("a", 600, 1000, "X")  # the values pass reads the same part again
    assert budget.total_bytes == 600
    monkeypatch.setattr(limits, "MAX_UNCOMPRESSED_BYTES", 1000)
    with pytest.raises(WorkbookTooLarge, match="CAPITALLENS_MAX_UNCOMPRESSED_BYTES"):
        budget.add_bytes("b", 500, 1000, "X")


def test_a_stored_part_over_the_part_budget_is_refused(monkeypatch):
    from importer import limits

    monkeypatch.setattr(limits, "MAX_PART_BYTES", 1024 * 1024)
    with pytest.raises(WorkbookTooLarge, match="CAPITALLENS_MAX_PART_BYTES"):
        workbook.read(cases.stored_part(4 * 1024 * 1024))


def test_progress_fractions_never_exceed_one():
    seen = []
    workbook.read(workbooks.large(3000), lambda f, m: seen.append(f))
    assert seen and all(0.0 <= f <= 1.0 for f in seen)
    assert seen[-1] == 1.0


MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


@pytest.mark.parametrize("prefix", ["", "x:"])
def test_cells_are_counted_before_parsing_exactly_across_chunk_edges(monkeypatch, prefix):
    from importer import archive

    p = prefix
    ns = f'xmlns:{p[:-1]}="{MAIN_NS}"' if p else f'xmlns="{MAIN_NS}"'
    rows = "".join(
        f'<{p}row r="{r}"><{p}c r="A{r}"><{p}v>{r}</{p}v></{p}c>'
        f'<{p}c r="B{r}" s="1"/></{p}row>'  # styled but empty: not a cell
        for r in range(1, 101)
    )
    sheet = f'<?xml version="1.0"?><{p}worksheet {ns}><{p}sheetData>{rows}</{p}sheetData></{p}worksheet>'
    data = cases._replace_parts(cases._one_sheet(), {"xl/worksheets/sheet1.xml": sheet.encode()})
    part = ["xl/worksheets/sheet1.xml"]
    monkeypatch.setattr(archive, "CHUNK", 7)  # tags split across every chunk edge
    monkeypatch.setattr(archive, "MIN_CELL_BYTES", 0)  # always count
    monkeypatch.setattr(workbook.limits, "MAX_CELLS", 100)
    with archive.Archive(data, archive.Budget()) as zf:
        archive.precount_cells(zf, part)  # exactly at the limit: no error
    monkeypatch.setattr(workbook.limits, "MAX_CELLS", 99)
    with archive.Archive(data, archive.Budget()) as zf, pytest.raises(WorkbookTooLarge) as refused:
        archive.precount_cells(zf, part)
    assert "counted before parsing" in refused.value.message
    assert refused.value.details["setting"] == "CAPITALLENS_MAX_CELLS"


def test_a_sheet_of_six_million_cells_is_refused_before_it_is_parsed():
    import time

    started = time.monotonic()
    with pytest.raises(WorkbookTooLarge, match="CAPITALLENS_MAX_CELLS") as refused:
        workbook.read(cases.many_cells())
    assert "counted before parsing" in refused.value.message
    assert time.monotonic() - started < 20  # parsing 5M cells first took minutes


def test_a_sheet_scoped_name_keeps_its_sheet_when_a_chartsheet_comes_first():
    # localSheetId counts every sheet in workbook.xml, chartsheets included.
    def fill(wb):
        wb.add_worksheet("Sheet1").write_number("A1", 1)
        chart = wb.add_chart({"type": "line"})
        chart.add_series({"values": "=Sheet1!$A$1:$A$1"})
        wb.add_chartsheet("Chart1").set_chart(chart)
        second = wb.add_worksheet("Second")
        second.write_number("B1", 5)
        wb.add_worksheet("Sheet4").write_number("A1", 2)
        wb.define_name("Second!local_thing", "=Second!$B$1")

    parsed = workbook.read(workbooks.build(fill))
    assert [s.name for s in parsed.sheets] == ["Sheet1", "Second", "Sheet4"]
    assert [(n.name, n.scope) for n in parsed.names] == [("local_thing", "Second")]
