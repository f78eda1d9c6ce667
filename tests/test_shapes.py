"""Formula shapes (importer/shapes.py): what is derived once per shape is what each formula of
it would have given on its own."""

import pytest

from importer import evaluate, graph, shapes, workbook
from importer import formula as formula_text
from tests import workbooks


def test_copies_down_and_across_share_a_shape_and_keep_their_own_references():
    down = [shapes.of(f"=B{r}*(1+$C$1)+SUM(D{r - 1}:D{r})", r + 1, 2) for r in (2, 3, 50)]
    assert len({s.key for s in down}) == 1
    assert [s.refs for s in down] == [
        ("B2", "$C$1", "D1:D2"),
        ("B3", "$C$1", "D2:D3"),
        ("B50", "$C$1", "D49:D50"),
    ]
    across = [shapes.of(f"={col}5+Inputs!$B$2+{col}$4", 6, c) for c, col in enumerate("BCD", 2)]
    assert len({s.key for s in across}) == 1
    # The same text one row lower reads other cells relative to itself: another shape.
    assert shapes.of("=B2", 3, 2).key != shapes.of("=B2", 4, 2).key
    # A large range copied: absolute, it is the same range everywhere.
    assert shapes.of("=SUM($A$1:$B$200000)*A5", 5, 3).key == shapes.of("=SUM($A$1:$B$200000)*A6", 6, 3).key
    # Mixed anchors: the row fixed in one, the column in the other.
    assert shapes.of("=$A1+A$1", 2, 2).key != shapes.of("=$A1+A$1", 3, 3).key


@pytest.mark.parametrize(
    "formula",
    [
        "=SUM($A$1:A5)",  # grows as it is filled down
        "=SUM(A$1:$A5)",
        "=Sales[@Amount]*2",  # structured: read by position
        "=SUM(Table1[Amount])",
        "=@A1:A9",  # implicit intersection
        "=[1]Rates!B2",  # another workbook
        "='C:\\d\\[b.xlsx]S'!A1",
        "=SUM(A1:Z5000)",  # more than translate.LARGE_RANGE cells: clipped by position
        "=SUM($A1:$Z5000)",
        "=SUM($A:B)",
    ],
)
def test_formulas_read_by_where_they_are_have_no_shape(formula):
    assert shapes.of(formula, 10, 3) is None


def test_text_in_strings_and_quoted_names_is_not_a_reference():
    shape = shapes.of("=\"A1\"&'Q1 2024'!B2&LOG10(C3)&Sheet1!D4&TAX2023", 5, 5)
    assert shape.refs == ("'Q1 2024'!B2", "C3", "Sheet1!D4", "TAX2023")


def test_a_template_exists_only_when_every_reference_passes_through_in_order():
    refs = ("A2", "B1")
    made = shapes.template("=IF(A2=1,Inputs!$B$2,B1)", refs)  # a name written as its range
    assert made.fill(("A9", "B8")) == "=IF(A9=1,Inputs!$B$2,B8)"
    assert shapes.template("=IF(A2=1,C5,B1)", refs) is None  # a reference of its own, relative
    assert shapes.template("=IF(B1=1,A2)", refs) is None  # out of order
    assert shapes.template("=IF(A2=1,#VALUE!)", refs) is None  # one dropped
    assert shapes.slots(("A2", "Rate", "B1"), refs) == (0, "Rate", 1)
    assert shapes.slots(("Sheet1:Sheet3!A2", "B1"), refs) is None


class _Forget(dict):
    """A template cache that keeps nothing: every formula translated on its own."""

    def __setitem__(self, key, value):
        pass


def _agree(wb) -> int:
    """Each formula's engine text and operands, through the shapes and without: the same."""
    shaped, alone = evaluate.Translator(wb), evaluate.Translator(wb)
    alone.templates = _Forget()
    reader = graph._Reader()
    count = 0
    for sheet in wb.sheets:
        for c in sheet.cells:
            if c.formula is None:
                continue
            text = shaped.formula(c.formula, sheet.name, c.row, c.col)
            assert text == alone.formula(c.formula, sheet.name, c.row, c.col), (sheet.name, c.row, c.formula)
            try:
                direct = formula_text.read(c.formula)
            except formula_text.FormulaError:
                continue
            assert reader(c.formula, c.row, c.col) == direct, (sheet.name, c.row, c.col, c.formula)
            count += 1
    return count


def _copied_formulas(wb):
    """Formulas filled down 30 rows, of every kind the translation rewrites by where it is."""
    inputs = wb.add_worksheet("Inputs")
    inputs.write_number("B2", 0.1)
    wb.define_name("Rate", "=Inputs!$B$2")
    wb.define_name("Amounts", "=Calc!$A$2:$A$31")
    ws = wb.add_worksheet("Calc")
    ws.add_table("H1:I31", {"name": "Sales", "columns": [{"header": "Qty"}, {"header": "Price"}]})
    for r in range(2, 32):
        ws.write_number(f"A{r}", r)
        ws.write_string(f"B{r}", "east" if r % 3 else "west")
        ws.write_number(f"H{r}", r % 7)
        ws.write_number(f"I{r}", r * 1.5)
        for col, formula in enumerate(
            [
                f"=A{r}*(1+Rate)",  # a name written as its range
                f'=IF(A{r}>10,"big","small")&B{r}',
                f"=SUMIF(B$2:B$31,B{r},A2)",  # a one-cell sum range, resized
                f"=_xlfn.IFS(A{r}>20,1,TRUE,0)",
                f"=SUM(A:A)-A{r}",  # a whole column
                f"=SUM($A$2:A{r})",  # a running total: grows, no shape
                f"=Sales[[#This Row],[Qty]]*A{r}",
                "=@A2:A31*2",
                f"=ROWS(A1:A{r})",
                f"=A{r} A$2:A$31",  # intersection
                f"=SUM(Inputs!A1:Inputs!B{r})",
                f'=SUMIF($B$2:B{r},"east",$A$2:$A$2)',  # the same size in row 2 only
                f"=_xlfn.SINGLE(Amounts)+A{r}",  # the name's cell in this row
                f"=INDEX($A$2:$A$200001,MATCH(A{r},$A$2:$A$200001,0))",  # large, absolute
                f"=SUM($A$1:$A$200000)+A{r}",  # large, absolute, cut to the used rows
                f"=_xlfn.SINGLE($A$2:$A$31)+A{r}",
                f"=A{r} $A$2:$C$20",  # intersection: empty below row 20
            ],
            start=3,
        ):
            ws.write_formula(r - 1, col, formula, None, 0)


def test_generated_formulas_translate_alike_through_their_shapes():
    assert _agree(workbook.read(workbooks.build(_copied_formulas))) == 30 * 17
    assert _agree(workbook.read(workbooks.basic())) > 5


@pytest.mark.corpus
def test_every_corpus_formula_translates_alike_through_its_shape(corpus_files):
    checked = 0
    for path in corpus_files:
        try:
            wb = workbook.read(path.read_bytes())
        except Exception:  # a file the importer refuses has its own tests (test_corpus.py)
            continue
        checked += _agree(wb)
    assert checked > 200_000
