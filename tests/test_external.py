"""External links (issue 11, cause 6): formulas that read another workbook are evaluated with the
values the file cached from it (xl/externalLinks/externalLinkN.xml, ECMA-376 Part 1 §18.14), as
Excel does when links are not refreshed; `external_link` only where the cache lacks a cell.

The workbooks carry real externalLink parts written here into the zip. Every expected value is
computed in the test from the cached link values, never read from the program's output.
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from importer import service, workbook
from importer.errors import InvalidWorkbook
from tests import workbooks
from tests.hostile.cases import _replace_parts

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

# The other workbook, Prices.xlsx, as the link part caches it: sheet -> {cell: (t, v)}.
BOOK = {
    "Sheet1": {
        "A1": ("n", "10"),
        "A2": ("n", "20"),
        "A3": ("n", "30"),
        "B1": ("str", "a"),
        "B2": ("str", "b"),
        "B3": ("str", "c"),
        "C1": ("b", "1"),
        "C2": ("e", "#DIV/0!"),
        "C3": ("b", "0"),
    },
    "Data Sheet": {"A1": ("n", "7"), "B41": ("n", "45199"), "C41": ("n", "2.5")},
    "Sheet3": {"A1": ("n", "5")},
    "Empty": None,  # refreshError, no cells cached
}
# Names defined in the other workbook: (name, sheet position or None, refersTo).
BOOK_NAMES = [
    ("MyName", None, "=Sheet1!$A$1"),
    ("Local", 1, "='Data Sheet'!$B$41"),
    ("Nothing", None, None),
]


def _link_part(book=BOOK, names=BOOK_NAMES) -> bytes:
    sheets = "".join(f'<sheetName val="{s}"/>' for s in book)
    defined = "".join(
        f'<definedName name="{n}"'
        + (f' sheetId="{sid}"' if sid is not None else "")
        + (f' refersTo="{ref.replace(chr(39), "&apos;")}"' if ref else "")
        + "/>"
        for n, sid, ref in names
    )
    data = []
    for k, cells in enumerate(book.values()):
        if cells is None:
            data.append(f'<sheetData sheetId="{k}" refreshError="1"/>')
            continue
        rows: dict[int, list[str]] = {}
        for ref, (t, v) in cells.items():
            rows.setdefault(int(re.sub(r"[A-Z]", "", ref)), []).append(
                f'<cell r="{ref}" t="{t}"><v>{v}</v></cell>'
            )
        body = "".join(f'<row r="{r}">{"".join(c)}</row>' for r, c in sorted(rows.items()))
        data.append(f'<sheetData sheetId="{k}">{body}</sheetData>')
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<externalLink xmlns="{MAIN}"><externalBook xmlns:r="{REL}" r:id="rId1">'
        f"<sheetNames>{sheets}</sheetNames><definedNames>{defined}</definedNames>"
        f"<sheetDataSet>{''.join(data)}</sheetDataSet></externalBook></externalLink>"
    ).encode()


def with_link(data: bytes, link: bytes | None = None, target: str = "Prices.xlsx") -> bytes:
    """The package with one external link part, listed in workbook.xml as [1]."""
    src = zipfile.ZipFile(io.BytesIO(data))
    wb_xml = src.read("xl/workbook.xml").decode()
    wb_xml = wb_xml.replace(
        "</sheets>", '</sheets><externalReferences><externalReference r:id="rId900"/></externalReferences>', 1
    )
    rels = src.read("xl/_rels/workbook.xml.rels").decode()
    rels = rels.replace(
        "</Relationships>",
        f'<Relationship Id="rId900" Type="{REL}/externalLink" Target="externalLinks/externalLink1.xml"/>'
        "</Relationships>",
    )
    types = src.read("[Content_Types].xml").decode()
    types = types.replace(
        "</Types>",
        '<Override PartName="/xl/externalLinks/externalLink1.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"/></Types>',
    )
    link_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{REL}/externalLinkPath" Target="{target}" TargetMode="External"/>'
        "</Relationships>"
    )
    return _replace_parts(
        data,
        {
            "xl/workbook.xml": wb_xml.encode(),
            "xl/_rels/workbook.xml.rels": rels.encode(),
            "[Content_Types].xml": types.encode(),
            "xl/externalLinks/externalLink1.xml": link if link is not None else _link_part(),
            "xl/externalLinks/_rels/externalLink1.xml.rels": link_rels.encode(),
        },
    )


def _value(sheet: str, ref: str):
    """A cached link value as Excel shows it: a number, text, a boolean or an error code."""
    t, v = BOOK[sheet][ref]
    return {"n": float, "str": str, "b": lambda x: x == "1", "e": str}[t](v)


def _n(sheet: str, ref: str) -> float:
    return float(BOOK[sheet][ref][1])


# (cell, formula, what Excel shows computed from the cached link values; None: no value kept)
CASES = [
    ("A1", "=[1]Sheet1!A1*2", _n("Sheet1", "A1") * 2),
    ("A2", "='[1]Data Sheet'!$B$41+1", _n("Data Sheet", "B41") + 1),
    ("A3", "=SUM([1]Sheet1!A1:A3)", sum(_n("Sheet1", f"A{r}") for r in (1, 2, 3))),
    ("A4", "=VLOOKUP(20,[1]Sheet1!A1:B3,2,FALSE)", _value("Sheet1", "B2")),
    ("A5", "=[1]!MyName+1", _n("Sheet1", "A1") + 1),
    ("A6", "='[1]Data Sheet'!Local*2", _n("Data Sheet", "B41") * 2),
    ("A7", "=SUM([1]Sheet1:Sheet3!A1)", _n("Sheet1", "A1") + _n("Data Sheet", "A1") + _n("Sheet3", "A1")),
    ("A8", "=[1]Sheet1!Z99", None),  # the cache lacks the cell
    ("A9", "=A8+1", None),  # depends on it
    ("A10", "=[1]Empty!A1", None),  # a sheet the cache holds nothing of
    ("A11", "=[1]Nosuch!A1", None),  # a sheet the other book does not have
    ("A12", "=ExtName*3", _n("Sheet1", "A2") * 3),  # our name ExtName = [1]Sheet1!$A$2
    ("A13", "=[0]S!B1+1", 101.0),  # [0]: this workbook (B1 holds 100)
    ("A14", '=[1]Sheet1!B1&"-"&[1]Sheet1!C1', _value("Sheet1", "B1") + "-" + "TRUE"),
    ("A15", "=IF([1]Sheet1!C1,1,2)", 1.0 if _value("Sheet1", "C1") else 2.0),
    ("A16", "=ISERROR([1]Sheet1!C2)", True),
    ("A17", "=[1]Sheet1!C2", "#DIV/0!"),
    ("A18", "=[Prices.xlsx]Sheet1!A3", _n("Sheet1", "A3")),  # the book by its file name
    ("A19", "=[2]Sheet1!A1", None),  # no second link
    ("A20", "=[1]!Nothing+1", None),  # a name the cache keeps no reference for
    ("A21", "=A1+A3", _n("Sheet1", "A1") * 2 + 60.0),  # external values, no external_link
    ("A22", "=SUM([1]Sheet1!A1:A5)", 60.0),  # A4:A5 not cached: empty, as in a range
    ("A23", "=COUNTA([1]Sheet1!A1:C3)", 9.0),
    ("A24", "=MyMissing+1", None),  # our name MyMissing = [1]Sheet1!$Q$1, not cached
    ("A25", "=NOT([1]Sheet1!C3)", not _value("Sheet1", "C3")),
    ("A26", "=[1]Sheet1!B3", _value("Sheet1", "B3")),
    ("A27", "='[1]Data Sheet'!C41*[1]!MyName", _n("Data Sheet", "C41") * _n("Sheet1", "A1")),
]


def _cached(expected):
    return 0 if expected is None else expected


def _book_bytes(cases=CASES) -> bytes:
    def fill(wb):
        ws = wb.add_worksheet("S")
        ws.write_number("B1", 100)
        for cell, formula, expected in cases:
            ws.write_formula(cell, formula, None, _cached(expected))
        wb.define_name("ExtName", "=[1]Sheet1!$A$2")
        wb.define_name("MyMissing", "=[1]Sheet1!$Q$1")

    return with_link(workbooks.build(fill))


def _rows(conn, model_id):
    rows = conn.execute(
        "SELECT address, formula, calculated_value, calculated_text, calculated_type, has_mismatch, "
        "mismatch_reason FROM cells WHERE model_id = %s AND sheet = 'S'",
        (model_id,),
    ).fetchall()
    return {r[0]: r[1:] for r in rows}


def _as_stored(expected):
    """(calculated_value, calculated_text, calculated_type) for a value Excel shows."""
    if isinstance(expected, bool):
        return (1.0 if expected else 0.0, None, "boolean")
    if isinstance(expected, float):
        return (expected, None, "number")
    if expected.startswith("#"):
        return (None, expected, "error")
    return (None, expected, "text")


def test_every_form_of_external_reference_reads_the_cached_values(conn, engine):
    result = service.import_file(_book_bytes(), "links", engine=engine)
    rows = _rows(conn, result.model_id)
    for cell, formula, expected in CASES:
        stored_formula, value, text, kind, has_mismatch, reason = rows[cell]
        assert stored_formula == formula, cell  # the formula text as in the file
        if expected is None:
            assert (value, text, kind, reason) == (None, None, None, "external_link"), (cell, rows[cell])
        else:
            got = (value, text, kind)
            want = _as_stored(expected)
            assert got == pytest.approx(want) if kind == "number" else got == want, (cell, formula, got, want)
            assert (has_mismatch, reason) == (False, None), (cell, rows[cell])
    assert result.mismatch_reasons == {"external_link": sum(1 for *_, e in CASES if e is None)}


def test_link_values_are_inputs_not_the_formula_cells_cache(conn, engine):
    """Excel's cached result of a formula cell never enters the computation: with a wrong cached
    result the cell is computed from the link's values and reported as differing."""
    cases = [("A1", "=[1]Sheet1!A1*2", 999.0)]
    result = service.import_file(_book_bytes(cases), "wrong cache", engine=engine)
    value, kind, reason = conn.execute(
        "SELECT calculated_value, calculated_type, mismatch_reason FROM cells "
        "WHERE model_id = %s AND address = 'A1'",
        (result.model_id,),
    ).fetchone()
    assert (value, kind) == (_n("Sheet1", "A1") * 2, "number")
    assert reason == "value_differs"


def test_a_workbook_without_the_link_part_has_no_values(conn, engine):
    def fill(wb):
        ws = wb.add_worksheet("S")
        ws.write_formula("A1", "=[1]Sheet1!A1*2", None, 20)
        ws.write_formula("A2", "=A1+1", None, 21)
        ws.write_formula("A3", "=1+1", None, 2)

    result = service.import_file(workbooks.build(fill), "no part", engine=engine)
    rows = _rows(conn, result.model_id)
    assert rows["A1"][-1] == rows["A2"][-1] == "external_link"
    assert rows["A3"][1:4] == (2.0, None, "number")


def test_link_parts_are_read_in_external_references_order():
    wb = workbook.read(_book_bytes())
    (book,) = wb.links.books
    assert (book.index, book.file_name, book.sheets) == (1, "Prices.xlsx", list(BOOK))
    assert book.cells[0][(3, 2)].text == "c"
    assert book.cells[1][(41, 2)].value == 45199.0
    names = [name for name in book.engine_sheets if name is not None]
    assert len(names) == 3  # the sheet with nothing cached gets no engine sheet
    assert book.engine_sheets[list(BOOK).index("Empty")] is None
    assert all(len(name) > 31 for name in names)  # longer than any Excel sheet name


def test_engine_sheets_never_clash_with_a_real_sheet(conn, engine):
    """A workbook whose own sheet carries the engine's name for the linked sheet (only a writer
    other than Excel can write one that long) still reads the link's values."""
    taken = "CAPITALLENS_EXTERNAL_LINK_1_SHEET_1"

    def fill(wb):
        wb.add_worksheet("Placeholder").write_number("A1", -1)
        ws = wb.add_worksheet("S")
        ws.write_formula("A1", "=[1]Sheet1!A1+0", None, 10)
        ws.write_formula("A2", "=Placeholder!A1", None, -1)

    data = workbooks.build(fill)  # xlsxwriter refuses names over 31 characters: renamed after
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        parts = {n: zf.read(n).replace(b"Placeholder", taken.encode()) for n in zf.namelist()}
    result = service.import_file(with_link(_replace_parts(data, parts)), "clash", engine=engine)
    rows = _rows(conn, result.model_id)
    assert rows["A1"][1:4] == (_n("Sheet1", "A1"), None, "number")
    assert rows["A2"][1:4] == (-1.0, None, "number")


@pytest.mark.parametrize(
    "link",
    [
        b"<externalLink><externalBook>",  # truncated
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><externalLink>&a;</externalLink>',
    ],
)
def test_a_malformed_link_part_is_an_invalid_workbook(link):
    data = with_link(
        workbooks.build(lambda wb: wb.add_worksheet("S").write_formula("A1", "=[1]Sheet1!A1")), link
    )
    with pytest.raises(InvalidWorkbook):
        workbook.read(data)
