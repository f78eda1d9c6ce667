"""GETPIVOTDATA over a pivot table of the same workbook (issue 11, cause 10).

The workbook carries a real pivot table written here as ECMA-376 Part 1 §18.10 describes it: the
pivot definition (location, row/column fields, data fields with their subtotal) and its cache
(cacheFields with sharedItems, and the records). Expected values are computed in the test from
the same records, never read from the program's output.
"""

from __future__ import annotations

import io
import statistics
import zipfile

import pytest

from importer import service, workbook
from importer.errors import InvalidWorkbook
from tests import workbooks

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"

FIELDS = ["Region", "Fruit", "Sales"]
REGIONS = ["East", "West"]
FRUITS = ["Apples", "Pears"]
# (region, fruit, sales): regions and fruits by shared item index in the records part.
RECORDS = [("East", "Apples", 10.0), ("East", "Pears", 4.0), ("West", "Apples", 7.0), ("West", "Apples", 1.5)]
# data field name -> subtotal
DATA_FIELDS = {"Sum of Sales": "sum", "Average of Sales": "average", "StdDev of Sales": "stdDev"}

# (cell, formula, function of the matching records' sales or an error code)
CASES = [
    ("H1", '=GETPIVOTDATA("Sum of Sales",$A$3)', lambda: sum(s for *_, s in RECORDS)),
    ("H2", '=GETPIVOTDATA("Sales",B5,"region","EAST")', lambda: sum(s for r, _, s in RECORDS if r == "East")),
    (
        "H3",
        '=GETPIVOTDATA("Sum of Sales",A3:C4,"Region","West","Fruit","apples")',
        lambda: sum(s for r, f, s in RECORDS if (r, f) == ("West", "Apples")),
    ),
    (
        "H4",
        '=GETPIVOTDATA("Average of Sales",$A$3,"Fruit","Apples")',
        lambda: statistics.mean(s for _, f, s in RECORDS if f == "Apples"),
    ),
    (
        "H5",
        '=GETPIVOTDATA("StdDev of Sales",$A$3,"Fruit",G1)',
        lambda: statistics.stdev(s for _, f, s in RECORDS if f == "Apples"),
    ),
    ("H6", '=GETPIVOTDATA("Sum of Sales",$A$3,"Region","North")', lambda: "#REF!"),
    ("H7", '=GETPIVOTDATA("Sum of Sales",$F$20)', lambda: "#REF!"),
    ("H8", '=GETPIVOTDATA("Sum of Cost",$A$3)', lambda: "#REF!"),
]


def _cache_definition() -> bytes:
    shared = {
        "Region": "".join(f'<s v="{r}"/>' for r in REGIONS),
        "Fruit": "".join(f'<s v="{f}"/>' for f in FRUITS),
    }
    fields = "".join(
        f'<cacheField name="{name}" numFmtId="0"><sharedItems'
        + (
            f' count="{len(REGIONS if name == "Region" else FRUITS)}">{shared[name]}</sharedItems>'
            if name in shared
            else ' containsSemiMixedTypes="0" containsString="0" containsNumber="1"/>'
        )
        + "</cacheField>"
        for name in FIELDS
    )
    return (
        f'<pivotCacheDefinition xmlns="{MAIN}" xmlns:r="{REL}" r:id="rId1" recordCount="{len(RECORDS)}">'
        '<cacheSource type="worksheet"><worksheetSource ref="A1:C5" sheet="Data"/></cacheSource>'
        f'<cacheFields count="{len(FIELDS)}">{fields}</cacheFields></pivotCacheDefinition>'
    ).encode()


def _records() -> bytes:
    rows = "".join(
        f'<r><x v="{REGIONS.index(r)}"/><x v="{FRUITS.index(f)}"/><n v="{s}"/></r>' for r, f, s in RECORDS
    )
    return f'<pivotCacheRecords xmlns="{MAIN}" count="{len(RECORDS)}">{rows}</pivotCacheRecords>'.encode()


def _pivot_table(location: str = "A3:D7") -> bytes:
    data = "".join(
        f'<dataField name="{name}" fld="2" subtotal="{subtotal}" baseField="0" baseItem="0"/>'
        for name, subtotal in DATA_FIELDS.items()
    )
    return (
        f'<pivotTableDefinition xmlns="{MAIN}" name="PivotTable1" cacheId="1" dataCaption="Values">'
        f'<location ref="{location}" firstHeaderRow="1" firstDataRow="2" firstDataCol="1"/>'
        '<pivotFields count="3"><pivotField axis="axisRow" showAll="0"/>'
        '<pivotField axis="axisCol" showAll="0"/>'
        '<pivotField dataField="1" showAll="0"/></pivotFields>'
        '<rowFields count="1"><field x="0"/></rowFields>'
        '<colFields count="2"><field x="1"/><field x="-2"/></colFields>'
        f'<dataFields count="{len(DATA_FIELDS)}">{data}</dataFields></pivotTableDefinition>'
    ).encode()


def pivot_book(pivot_table: bytes | None = None, records: bytes | None = None) -> bytes:
    """Sheet Data: the source rows; sheet Pivot: the pivot at A3:D7 (its rendered cells are
    left out: constants either way) and the GETPIVOTDATA formulas, cached with the answers."""

    def fill(wb):
        data = wb.add_worksheet("Data")
        data.write_row(0, 0, FIELDS)
        for i, row in enumerate(RECORDS, start=1):
            data.write_row(i, 0, row)
        ws = wb.add_worksheet("Pivot")
        ws.write_string("A3", "Sum of Sales")
        ws.write_string("G1", "Apples")
        for cell, formula, expected in CASES:
            ws.write_formula(cell, formula, None, expected())

    data = workbooks.build(fill)
    parts = {
        "xl/worksheets/_rels/sheet2.xml.rels": (
            f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/pivotTable" '
            'Target="../pivotTables/pivotTable1.xml"/></Relationships>'
        ).encode(),
        "xl/pivotTables/pivotTable1.xml": pivot_table or _pivot_table(),
        "xl/pivotTables/_rels/pivotTable1.xml.rels": (
            f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/pivotCacheDefinition" '
            'Target="../pivotCache/pivotCacheDefinition1.xml"/></Relationships>'
        ).encode(),
        "xl/pivotCache/pivotCacheDefinition1.xml": _cache_definition(),
        "xl/pivotCache/_rels/pivotCacheDefinition1.xml.rels": (
            f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/pivotCacheRecords" '
            'Target="pivotCacheRecords1.xml"/></Relationships>'
        ).encode(),
        "xl/pivotCache/pivotCacheRecords1.xml": records or _records(),
    }
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        for name, content in parts.items():
            dst.writestr(name, content)
    return out.getvalue()


def test_the_pivot_parts_are_read():
    (pivot,) = workbook.read(pivot_book()).pivots
    assert (pivot.sheet, pivot.ref, pivot.fields) == ("Pivot", "A3:D7", tuple(FIELDS))
    assert (pivot.row_fields, pivot.col_fields) == ((0,), (1,))  # -2 (Values) left out
    assert pivot.records == tuple(RECORDS)
    assert [d[2] for d in pivot.data_fields] == list(DATA_FIELDS.values())


def test_getpivotdata_is_computed_from_the_cache_records(conn, engine):
    result = service.import_file(pivot_book(), "pivot", engine=engine)
    rows = {
        address: (value, text, reason)
        for address, value, text, reason in conn.execute(
            "SELECT address, calculated_value, calculated_text, mismatch_reason FROM cells "
            "WHERE model_id = %s AND sheet = 'Pivot' AND formula IS NOT NULL",
            (result.model_id,),
        )
    }
    for cell, formula, expected in CASES:
        want = expected()
        value, text, reason = rows[cell]
        if isinstance(want, str):
            assert text == want, (cell, formula, rows[cell])
        else:
            assert value == pytest.approx(want, rel=1e-12), (cell, formula, rows[cell])
        assert reason is None, (cell, formula, rows[cell])
    assert result.mismatched == 0 and result.matched == len(CASES)


@pytest.mark.parametrize(
    "parts",
    [
        {"pivot_table": b"<pivotTableDefinition"},
        {"pivot_table": _pivot_table(location="not a ref")},
        {
            "records": (
                f'<pivotCacheRecords xmlns="{MAIN}"><r><x v="9"/><x v="0"/><n v="1"/></r></pivotCacheRecords>'
            ).encode()
        },
    ],
    ids=["not_xml", "bad_location", "shared_item_out_of_range"],
)
def test_malformed_pivot_parts_are_invalid_workbooks(parts):
    with pytest.raises(InvalidWorkbook):
        workbook.read(pivot_book(**parts))
