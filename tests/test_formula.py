"""importer.formula: the one reading of formula text, on the syntax Microsoft documents
("Overview of formulas", "Using structured references with Excel tables", "Calculation
operators and precedence") and ECMA-376's external references."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from openpyxl.formula.tokenizer import Token

from importer import errors, references
from importer import formula as f
from importer.references import Area, NameRef, TableRef

IMPORTER = Path(__file__).resolve().parents[1] / "importer"


def operands(text: str) -> tuple[str, ...]:
    return f.read(text).operands


# -- Tokens --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "='Q1 Budget'!A1+'Bob''s Q1'!C7",
        '=IF(A1="a!b[c(d,e",B1,"say ""hi""")',
        "=SUM(Table1[[#This Row],[Col A]:[Col C]])",
        "=SUM(A1:C3 B2:D4)",
        "=SUM((A1:B2,C3:D4))",
        "=SUM({1,2;3,4})*#N/A",
        "=SUM(A1,\n  B1)\t+1",
        "=_xlfn.XLOOKUP(A2,B:B,C:C)",
    ],
)
def test_tokens_keep_their_exact_source(text):
    toks = f.tokens(text)
    assert "=" + "".join(t.source for t in toks) == text
    assert [t.text for t in toks] == [t.source for t in toks]


def test_quoted_sheet_names_with_spaces_and_apostrophes():
    assert operands("='Q1 Budget'!A1+'Bob''s Q1'!C7") == ("'Q1 Budget'!A1", "'Bob''s Q1'!C7")
    assert f.split_sheet("'Bob''s Q1'!C7") == ("'Bob''s Q1'", "C7")
    assert f.unquote("'Bob''s Q1'") == "Bob's Q1"
    assert f.split_sheet("'a!b'!A1") == ("'a!b'", "A1")
    assert references.extract("='Bob''s Q1'!C7") == [Area("Bob's Q1", 7, 3, 7, 3)]


def test_strings_holding_bangs_brackets_parentheses_and_commas_are_text():
    text = '=IF(A1="a!b[c(d,e",B1,"[1]S!A1")'
    assert operands(text) == ("A1", "B1")
    assert f.functions(text) == {"IF"}
    assert not f.is_external(text)
    assert f.outside_code('=IF(A1,"_xll.CIQ(",0)') is None


@pytest.mark.parametrize(
    ("text", "operand"),
    [
        ("=Table1[[#This Row],[Col]]*2", "Table1[[#This Row],[Col]]"),
        ("=[@Col]*2", "[@Col]"),
        ("=[@[Col With Space]]", "[@[Col With Space]]"),
        ("=SUM(Table1[[A]:[C]])", "Table1[[A]:[C]]"),
        ("=T[Q'#1]", "T[Q'#1]"),
        ("=SUM(T[[#Headers],[a!b]])", "T[[#Headers],[a!b]]"),
    ],
)
def test_structured_references_are_one_operand(text, operand):
    assert operands(text) == (operand,)
    assert f.split_sheet(operand) == (None, operand)  # a `!` inside the brackets is no sheet
    assert f.is_structured(operand)
    assert references.extract(text) == [TableRef(operand)]


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("[#This Row],[Col]", ({"#THIS ROW"}, ["Col"])),
        ("@Col", ({"#THIS ROW"}, ["Col"])),
        ("@[Col With Space]", ({"#THIS ROW"}, ["Col With Space"])),
        ("@", ({"#THIS ROW"}, [])),
        ("[A]:[C]", (set(), ["A", "C"])),
        ("[#Headers],[#Data],[Col]", ({"#HEADERS", "#DATA"}, ["Col"])),
        ("Q'#1", (set(), ["Q#1"])),
        ("[Q'[x']]", (set(), ["Q[x]"])),
        ("", (set(), [])),
        ("[[A],[C]]", None),
        ("[A],[B]", None),
    ],
)
def test_table_specifiers(spec, expected):
    assert f.table_specifier(spec) == expected


def test_r1c1_looking_names_are_names_not_cells():
    assert operands("=R1C1*RC+R2C") == ("R1C1", "RC", "R2C")
    assert references.extract("=R1C1*RC") == [NameRef("R1C1"), NameRef("RC")]
    assert references.extract("=XFD1+XFE1") == [
        Area(None, 1, 16_384, 1, 16_384)
    ]  # XFE1: past the last column


def test_error_literals_are_no_references():
    text = "=IF(ISNA(A1),#N/A,#REF!)+#DIV/0!"
    assert operands(text) == ("A1",)
    assert f.functions(text) == {"IF", "ISNA"}
    errors_ = [t.source for t in f.tokens(text) if t.subtype == Token.ERROR]
    assert errors_ == ["#N/A", "#REF!", "#DIV/0!"]


def test_array_constants_and_array_formulas():
    assert operands("=SUM({1,2;3,4})") == ()
    assert operands("{=SUM(A1:B2*{1,2;3,4})}") == ("A1:B2",)
    assert f.functions("{=SUM(A1:B2*{1,2;3,4})}") == {"SUM"}


def test_union_and_intersection_operators():
    assert operands("=SUM((A1:B2,C3:D4))") == ("A1:B2", "C3:D4")
    toks = f.tokens("=SUM(A1:C3 B2:D4)")
    assert [t.type for t in toks[1:4]] == [Token.OPERAND, Token.WSPACE, Token.OPERAND]


def test_unreadable_text_raises_the_project_error():
    for bad in ['=SUM("unterminated', "=SUM(A1))", "=Sales[[Amount]"]:
        with pytest.raises(f.FormulaError) as caught:
            f.tokens(bad)
        assert isinstance(caught.value, errors.BadInput)
        assert caught.value.code == "formula_error"
    with pytest.raises(f.FormulaError):
        f.read('=SUM("unterminated')


# -- Function names ------------------------------------------------------------------------


def test_function_names_lose_their_prefixes():
    text = "=_xlfn.XLOOKUP(1,A:A,B:B)+sum(1)+_xlfn._xlws.SORT(A1:A2)+_xludf.MyRate(2)+_XLFN.NOW()"
    assert f.functions(text) == {"XLOOKUP", "SUM", "SORT", "MYRATE", "NOW"}
    assert f.strip_prefixes("_xlfn._xlws.sort(") == "sort("
    assert f.strip_prefixes("@INDEX(") == "INDEX("
    assert f.function_name("_xlfn.xlookup") == "XLOOKUP"
    # The fast path and the tokenizer agree on prefixes.
    assert f.functions("=_xlfn.STDEV.S(A1:A3)") == f.functions("=_xlfn.STDEV.S('a b'!A1:A3)") == {"STDEV.S"}


def test_add_in_and_vba_calls_are_code_outside_the_file():
    assert f.outside_code('=_xll.ciqfunctions.udf.CIQ($E$10,"IQ_COMPANY_NAME")') == ("xll", "CIQ")
    assert f.outside_code("=1+_XLL.BDP(A1)") == ("xll", "BDP")
    assert f.outside_code("=_xludf.MyRate(2)*3") == ("xludf", "MYRATE")
    assert f.outside_code("=my_xll.CIQ(1)") is None


def test_the_function_name_sets():
    assert f.functions("=RAND()*TODAY()+NOW()+SUM(1)") & f.VOLATILE_FUNCTIONS == {"RAND"}
    assert f.functions("=RAND()*TODAY()+_xlfn.RANDARRAY(2)") & f.AS_OF_FUNCTIONS == {"TODAY"}
    assert f.functions("=_xlfn.RANDARRAY(2)") <= f.VOLATILE_FUNCTIONS


# -- Other workbooks -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "=[1]Sheet1!A1*2",
        "='[1]Data Sheet'!$B$41",
        "=SUM('[Book.xlsx]S'!A1:A3)",
        "=SUM('C:\\dir\\[b.xlsx]S'!A1:A3)",
        "=[2]!Rate",
        "=SUM([1]Sheet1!A:A)",
    ],
)
def test_external_references_in_every_form(text):
    assert f.is_external(text)
    assert f.mentions_external(text)
    prefix = f.split_sheet(operands(text)[0])[0]
    assert prefix is not None and f.is_external_prefix(prefix)


@pytest.mark.parametrize(
    "text",
    [
        "=[0]Sheet1!A1",  # the workbook itself
        "=Sheet1!A1*2",
        "='Bob''s'!A1",
        '="[1]Sheet1!A1"&Sales[Amount]&[@Qty]',
        "=T[[#Headers],[a!b]]",
    ],
)
def test_not_external(text):
    assert not f.is_external(text)


def test_external_areas_and_the_workbook_itself():
    assert references.extract("='C:\\dir\\[b.xlsx]Data'!B2") == [Area("Data", 2, 2, 2, 2, external=True)]
    assert references.extract("=[0]Sheet1!A1") == [Area("Sheet1", 1, 1, 1, 1)]
    assert f.is_a1_reference("$A$1:C9") and f.is_a1_reference("A:A") and f.is_a1_reference("1:3")
    assert not f.is_a1_reference("Rate")


# -- Fast paths ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("=A1+B$2*$C3", True),
        ("=SUM(Sheet2!A1:B10,Data!$C:$C,3:5)/Rate", True),
        ("=_xlfn.XLOOKUP(1,A:A,B:B)", False),  # the prefix is rewritten
        ('=IF(A1="x",1,2)', False),
        ("=1.5E+3", False),
        ("=OFFSET(A1,1,1)", False),
        ("=SUMIF(A1:A3,1,B1)", False),
        ("=Sheet1:Sheet3!A1", False),
        ("=A1:INDEX(B:B,2)", False),
        ("=INDEX(B:B,2):B9", False),
        ("=A1:B2:C3", False),
        ("=A1 B1", False),
    ],
)
def test_the_fast_path_for_translation(text, plain):
    assert f.is_plain_for_engine(text) is plain


def test_quick_ranges_and_words():
    text = "=SUM(Sheet2!A1:B9)+C:C+3:5+D4+Rate"
    assert list(f.quick_ranges(text)) == [("Sheet2", "A1:B9"), (None, "C:C"), (None, "3:5")]
    assert list(f.quick_ranges("=A1+B2")) == []
    assert f.words(text) == ["SUM", "Sheet2", "A1", "B9", "C", "C", "D4", "Rate"]


@pytest.mark.parametrize(
    "text",
    [
        "=A1+B$2*$C3",
        "=SUM(Sheet2!A1:B10,Data!$C:$C,3:5)/Rate",
        "=_xlfn.XLOOKUP(A2,Tbl_x.Key,B:B)+LOG10(100)+1.5E+3",
        "=my_name.total*TAX2023-Sheet_1!Other+R1C1",
        "=NPV(0.1,B2:B9)+TRUE-FALSE",
        "=IF(A1>0,SUM(A1:A3),-A2%)&B1",
    ],
)
def test_the_scan_agrees_with_the_tokenizer(text):
    assert f._PLAIN.match(text), "the fast path must apply to this formula"
    scanned, tokenized = f._scanned(text), f._tokenized(text)
    assert scanned.functions == tokenized.functions
    assert references.of(scanned.operands) == references.of(tokenized.operands)


# -- One front-end ---------------------------------------------------------------------------


def test_only_the_front_end_tokenizes_and_holds_the_name_sets():
    """No other importer module runs openpyxl's tokenizer or defines its own function-name set."""
    for path in sorted(IMPORTER.glob("*.py")):
        if path.name == "formula.py":
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "openpyxl.formula.tokenizer":
                assert {a.name for a in node.names} <= {"Token"}, path.name
            if isinstance(node, ast.Assign):
                names = {t.id for t in node.targets if isinstance(t, ast.Name)}
                assert not names & {"VOLATILE_FUNCTIONS", "AS_OF_FUNCTIONS"}, path.name
