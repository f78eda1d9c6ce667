import pytest

from importer import formula, references
from importer.references import Area, NameRef


def test_extracts_cells_ranges_sheets_and_names():
    refs = references.extract("=SUM('My Sheet'!A1:B$3)+Rate*A:A+[1]Ext!C4+\"A1\"+TRUE+1:3+Sheet2!Total")
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
    assert formula.functions("=_xlfn.XLOOKUP(1,A:A,B:B)+sum(1)+_xlfn._xlws.SORT(A1:A2)") == {
        "XLOOKUP",
        "SUM",
        "SORT",
    }


def test_external_detection():
    assert formula.is_external("=[1]Sheet1!A1*2")
    assert not formula.is_external("=Sheet1!A1*2")


def test_unreadable_formula_raises_project_error():
    with pytest.raises(formula.FormulaError):
        references.extract('=SUM("unterminated')


@pytest.mark.parametrize(
    "text",
    [
        "=A1+B$2*$C3",
        "=SUM(Sheet2!A1:B10,Data!$C:$C,3:5)/Rate",
        '=IF(G12>0,"profit","loss")',
        '=IF(A1="x, y(z)",Sheet1!B2,"A1")',
        "=INDEX(Assumptions!$E$2:$E$6,MATCH(MOD(A9,5)+1,Assumptions!$D$2:$D$6,0))",
        "=_xlfn.XLOOKUP(A2,Tbl_x.Key,B:B)+LOG10(100)+1.5E+3",
        "=my_name.total*TAX2023-Sheet_1!Other",
        "=NPV(0.1,B2:B9)+TRUE-FALSE",
    ],
)
def test_fast_scan_agrees_with_the_tokenizer(text):
    plain = formula._STRING.sub("0", text)
    assert formula._PLAIN.match(plain), "the fast path must apply to this formula"
    scanned, tokenized = formula._scanned(plain), formula._tokenized(text)
    assert scanned.functions == tokenized.functions
    assert references.of(scanned.operands) == references.of(tokenized.operands)


@pytest.mark.parametrize(
    ("formula", "text"),
    [
        ("=[@Col]*2", "[@Col]"),
        ("=Table1[@Col]", "Table1[@Col]"),
        ("=[@[Col With Space]]", "[@[Col With Space]]"),
        ("=@T[A]", "T[A]"),
        ("=SUM(Table1[[#Headers],[#Data],[Col]])", "Table1[[#Headers],[#Data],[Col]]"),
        ("=SUM(Table1[[A]:[C]])", "Table1[[A]:[C]]"),
        ("=SUM(Table1[])", "Table1[]"),
        ("=T[Q'#1]", "T[Q'#1]"),
        ("=T[[#This Row],[A]]-1", "T[[#This Row],[A]]"),
    ],
)
def test_structured_references_are_extracted_as_written(formula, text):
    assert references.extract(formula) == [references.TableRef(text)]


def test_a_table_named_alone_reads_as_a_name_and_other_books_tables_are_not_ours():
    assert references.extract("=SUM(Table1)") == [NameRef("Table1")]
    assert references.extract("=[1]!T[A]+Sheet2!A1") == [Area("Sheet2", 1, 1, 1, 1)]
