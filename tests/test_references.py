import pytest

from importer import references
from importer.references import Area, NameRef


def test_extracts_cells_ranges_sheets_and_names():
    refs = references.extract(
        "=SUM('My Sheet'!A1:B$3)+Rate*A:A+[1]Ext!C4+\"A1\"+TRUE+1:3+Sheet2!Total"
    )
    assert refs == [
        Area("My Sheet", 1, 1, 3, 2),
        NameRef("Rate"),
        Area(None, 1, 1, 1_048_576, 1),
        Area("Ext", 4, 3, 4, 3, external=True),
        Area(None, 1, 1, 3, 16_384),
        NameRef("Total", "Sheet2"),
    ]


def test_quoted_sheet_names_with_quotes():
    assert references.extract("='Bob''s Q1'!C7") == [Area("Bob's Q1", 7, 3, 7, 3)]


def test_functions_strip_future_prefixes():
    assert references.functions("=_xlfn.XLOOKUP(1,A:A,B:B)+sum(1)+_xlfn._xlws.SORT(A1:A2)") == {
        "XLOOKUP",
        "SUM",
        "SORT",
    }


def test_external_detection():
    assert references.is_external("=[1]Sheet1!A1*2")
    assert not references.is_external("=Sheet1!A1*2")


def test_unreadable_formula_raises_project_error():
    with pytest.raises(references.ReferenceError_):
        references.extract('=SUM("unterminated')
