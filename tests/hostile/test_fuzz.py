"""Fuzzing: the reference extractor and the value conversions raise nothing but our own errors."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from importer import references, translate, values
from importer.formula import FormulaError

FORMULA_ALPHABET = st.sampled_from(
    [*list("=A1B2:$!'\"[]#@(){},; .\\_xlfnSUM&+-*/^%E5\n"), "Sheet1", "'My Sheet'"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(FORMULA_ALPHABET, max_size=30).map(lambda parts: "=" + "".join(parts)))
def test_reference_extraction_raises_only_our_error(formula):
    try:
        refs, funcs = references.analyse(formula)
    except FormulaError:
        return
    assert all(isinstance(r, references.Area | references.NameRef | references.TableRef) for r in refs)
    assert all(isinstance(f, str) for f in funcs)


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=40).map(lambda t: "=" + t))
def test_arbitrary_text_raises_only_our_errors(formula):
    for fn in (references.analyse, lambda f: translate.to_engine(f, translate.Context("S", 1, 1))):
        try:
            fn(formula)
        except FormulaError:
            pass


@given(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(10**15), 10**15),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=20),
        st.datetimes(min_value=dt.datetime(1900, 1, 1)),
        st.dates(min_value=dt.date(1900, 1, 1)),
        st.times(),
        st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=10_000)),
    ),
    st.booleans(),
)
def test_value_conversion_is_total(value, date1904):
    stored = values.from_python(value, date1904=date1904)
    assert stored.type in ("number", "text", "boolean", "error", "empty")
    if stored.type == "number":
        assert stored.value == stored.value  # never NaN
    values.to_engine(stored)


@given(
    st.one_of(st.none(), st.text(max_size=10), st.integers(), st.booleans()),
    st.sampled_from(["n", "s", "str", "b", "e", "d", "inlineStr"]),
)
def test_cell_conversion_is_total(value, data_type):
    assert values.from_cell(value, data_type).type in ("number", "text", "boolean", "error", "empty")
