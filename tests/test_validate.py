from importer import validate
from importer.values import Value, boolean, error, number, text


def test_numbers_match_within_relative_tolerance():
    assert validate.compare(number(1e6), number(1e6 * (1 + 5e-10))) is None
    assert validate.compare(number(5.6e-17), number(0.0)) is None
    assert validate.compare(number(1e6), number(1e6 * (1 + 5e-8))) == "tolerance"
    assert validate.compare(number(1.0), number(2.0)) == "value_differs"


def test_other_types_match_exactly_and_symmetrically():
    cases = [
        (text("a"), text("A")),
        (error("#N/A"), error("#VALUE!")),
        (boolean(True), boolean(False)),
    ]
    for a, b in cases:
        assert validate.compare(a, b) == "value_differs"
        assert validate.compare(b, a) == "value_differs"
    assert validate.compare(boolean(True), number(1.0)) == "type_differs"
    assert validate.compare(number(1.0), boolean(True)) == "type_differs"
    assert validate.compare(text("2"), number(2.0)) == "type_differs"


def test_verdict_never_invents_a_value():
    empty = Value(None, None, "empty")
    assert validate.verdict(number(4), None, "unsupported_function:X", False) == (
        True,
        "unsupported_function:X",
    )
    assert validate.verdict(empty, None, "circular", False) == (None, "circular")
    assert validate.verdict(empty, number(1), None, False) == (None, None)
    assert validate.verdict(number(1), number(2), None, True) == (True, "volatile")
    assert validate.verdict(number(1), number(1), None, True) == (False, None)
