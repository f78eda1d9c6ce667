"""The formula front-end: every reading of Excel formula text the importer does.

One place knows Excel's formula syntax as the file stores it (Microsoft's "Overview of formulas"
and "Using structured references with Excel tables"; ECMA-376 Part 1, §18.17):

- tokens, from openpyxl's tokenizer: strings (``""`` inside them), sheet-qualified references
  (``'Bob''s Q1'!A1``, with ``''`` inside quoted names), structured references (``T[[#This
  Row],[A]:[C]]``, ``[@Col]``, ``'`` escapes inside the brackets), function calls, operators
  (the space is the intersection operator, ``,`` inside a call separates arguments), error
  literals and array constants (``{1,2;3,4}``);
- a sheet prefix, and the external-reference test: ``[1]Sheet!A1``, ``'[Book.xlsx]S'!A1``,
  ``'C:\\dir\\[b.xlsx]S'!A1`` read another workbook; ``[0]Sheet!A1`` is the workbook itself;
- function names, with ``_xlfn.``, ``_xlws.`` and ``_xludf.`` prefixes removed; ``_xll.`` and
  ``_xludf.`` calls as code outside the file (add-ins, VBA);
- the fast paths: a plain formula (no string, quote, bracket, error or blank) is scanned by one
  regex rather than tokenized, and one that translate.py would leave as it is skips it;
- the function-name sets that the graph, validation and evaluation read.

Who reads what: references.py (what a formula reads, via ``read``), graph.py (``read`` once per
formula: references, functions, the volatile and as-of sets, external references), translate.py
(``tokens``, ``split_sheet``, ``strip_prefixes``, table specifiers), evaluate.py (the fast paths,
``outside_code``), external.py (``split_sheet``, ``mentions_external``, ``is_a1_reference``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from openpyxl.formula.tokenizer import Token, Tokenizer, TokenizerError

from importer import errors

# -- Function-name sets ----------------------------------------------------------------------

# Left out of the match rate (validate.py's `volatile` reason): random draws, and what depends on
# the session (INFO, CELL).
VOLATILE_FUNCTIONS = frozenset({"RAND", "RANDBETWEEN", "RANDARRAY", "INFO", "CELL"})
# Computed at the as-of instant (the file's save time unless the user gives one) and compared.
AS_OF_FUNCTIONS = frozenset({"TODAY", "NOW"})


class FormulaError(errors.BadInput):
    """The formula text could not be read."""

    code = "formula_error"


# -- Tokens ----------------------------------------------------------------------------------

# What openpyxl's tokenizer raises on text it cannot read (IndexError: an unbalanced ")").
_UNREADABLE = (TokenizerError, IndexError, ValueError, AssertionError)


def items(formula: str) -> list[Token]:
    """openpyxl's tokens of ``formula`` as written."""
    try:
        return Tokenizer(formula).items
    except _UNREADABLE as exc:
        raise FormulaError(f"Cannot read the formula {formula[:80]!r}: {exc}", formula=formula) from exc


_BLANKS = str.maketrans("\n\r\t", "   ")
_NUMBER = re.compile(r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:E[+-]?[0-9]+)?", re.IGNORECASE)


@dataclass
class Tok:
    """A token that keeps its exact source text, for rewriting (translate.py)."""

    text: str  # what will be emitted; starts as the exact source text
    type: str
    subtype: str
    source: str

    @property
    def is_range(self) -> bool:
        return self.type == Token.OPERAND and self.subtype == Token.RANGE


def tokens(formula: str) -> list[Tok]:
    """openpyxl's tokens, each with its exact source text, so that joining them gives the
    formula back. openpyxl keeps one character of a run of whitespace and puts a newline that
    ends an operand before that operand, so it reads a copy with blanks for newlines and tabs;
    and float() makes `NaN` or `Infinity` a number, which is a name here."""
    shadow = formula.translate(_BLANKS)
    found = items(shadow)
    toks, pos = [], 1
    for item in found:
        end = pos + len(item.value)
        if item.type == Token.WSPACE:
            end = len(shadow) - len(shadow[pos:].lstrip(" "))
        elif shadow[pos:end] != item.value:
            raise FormulaError("Cannot read the formula.", formula=formula)
        subtype = item.subtype
        if subtype == Token.NUMBER and not _NUMBER.fullmatch(item.value):
            subtype = Token.RANGE
        toks.append(Tok(formula[pos:end], item.type, subtype, formula[pos:end]))
        pos = end
    return toks


def is_call(tok: Tok | Token) -> bool:
    """A function call's opening token (`SUM(`)."""
    return tok.type == Token.FUNC and tok.subtype == Token.OPEN


# -- Sheet prefixes and other workbooks --------------------------------------------------------

_QUOTED_PREFIX = re.compile(r"'(?:[^']|'')*'!")


def split_sheet(ref: str) -> tuple[str | None, str]:
    """`'Bob''s'!A1` -> ("'Bob''s'", "A1"): the prefix as written, quotes included, and the
    rest; (None, ref) without one. A `!` inside brackets (`[1]`, table specifiers) does not count."""
    if "!" not in ref:
        return None, ref
    if ref.startswith("'"):
        m = _QUOTED_PREFIX.match(ref)
        return (ref[: m.end() - 1], ref[m.end() :]) if m else (None, ref)
    if "[" not in ref and "]" not in ref:
        prefix, _, rest = ref.partition("!")
        return prefix, rest
    depth = 0
    for k, ch in enumerate(ref):
        depth += (ch == "[") - (ch == "]")
        if ch == "!" and depth == 0:
            return ref[:k], ref[k + 1 :]
    return None, ref


def unquote(prefix: str) -> str:
    """`'Bob''s'` -> `Bob's`; a bare prefix as it is."""
    return prefix[1:-1].replace("''", "'") if prefix.startswith("'") and prefix.endswith("'") else prefix


def is_external_prefix(prefix: str) -> bool:
    """Whether a sheet prefix names another workbook: `[1]Sheet1`, `'[Book.xlsx]S'`,
    `'C:\\dir\\[b.xlsx]S'`, `[2]` (of `[2]!Name`). `[0]` is the workbook itself."""
    return "[" in prefix and not unquote(prefix).startswith("[0]")


def is_external(formula: str) -> bool:
    """Whether the formula refers to another workbook (`[1]Sheet1!A1`, `[2]!Rate`); text in
    strings and table specifiers (`Sales[Amount]`) does not count."""
    if not formula.startswith(("=", "{")):
        return False
    body = formula[1:-1] if formula.startswith("{") and formula.endswith("}") else formula
    return any(
        prefix is not None and is_external_prefix(prefix)
        for tok in items(body)
        if tok.type == Token.OPERAND and tok.subtype in (Token.RANGE, Token.ERROR)
        for prefix in (split_sheet(tok.value.lstrip("@"))[0],)
    )


# Text that may hold an external reference: a `]` then a sheet part and a `!`.
_MENTION = re.compile(r"\][^\[\]\"]*!")


def mentions_external(text: str) -> bool:
    """A quick test on the text: whether it may hold an external reference at all."""
    return "]" in text and bool(_MENTION.search(text))


_A1_REFERENCE = re.compile(
    r"^\$?[A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}\$?\d+)?$|^\$?[A-Za-z]{1,3}:\$?[A-Za-z]{1,3}$|^\$?\d+:\$?\d+$"
)


def is_a1_reference(text: str) -> bool:
    """`A1`, `$A$1:C9`, `A:A`, `1:3` (no sheet, bounds unchecked), as opposed to a name."""
    return bool(_A1_REFERENCE.match(text))


# -- Structured references ---------------------------------------------------------------------

_TABLE_REF = re.compile(r"^@?(?:[A-Za-z_\\][\w.\\?]*)?\[.*\]$", re.DOTALL)


def is_structured(text: str) -> bool:
    """`Table1[Col]`, `[@Col]`, `@T[A]`, `Table1[]` (an operand without a sheet prefix)."""
    return bool(_TABLE_REF.match(text))


_SPEC_ITEM = re.compile(r"\s*(?:\[((?:'.|[^'\]])*)\]|([,:])|$)")


def table_specifier(spec: str) -> tuple[set[str], list[str]] | None:
    """The inside of `Table1[...]` -> (specifiers upper-cased, [first, last] column), with `@`
    as `#THIS ROW`. Reads `Col`, `#Totals`, `@Col`, `@[Col]`, `@`, `[#All],[Col]`, `[A]:[C]`
    and `'` escapes. None for anything else (e.g. `[[A],[C]]`, which Excel rejects too)."""
    this_row = spec.startswith("@")
    spec = spec[1:].strip() if this_row else spec
    if spec and not spec.startswith("["):
        spec = "[" + spec + "]"
    parts, colon, pos = [], False, 0
    while pos < len(spec):
        m = _SPEC_ITEM.match(spec, pos)
        if m is None:
            return None
        parts += [m[1]] if m[1] is not None else []
        colon, pos = colon or m[2] == ":", m.end()
    specials = {raw.upper() for raw in parts if raw.startswith("#")}
    specials |= {"#THIS ROW"} if this_row else set()
    columns = [re.sub(r"'(.)", r"\1", raw) for raw in parts if not raw.startswith("#")]
    if len(columns) > 2 or colon != (len(columns) == 2):
        return None
    return specials, columns


# -- Function names ----------------------------------------------------------------------------

# Excel stores functions newer than 2007 as `_xlfn.XLOOKUP(`, `_xlfn._xlws.SORT(`, and a VBA
# function as `_xludf.MYFUNC(`: the function is the name without them.
_FN_PREFIXES = re.compile(r"^(?:_xlfn\.|_xlws\.|_xludf\.)+", re.IGNORECASE)


def strip_prefixes(text: str) -> str:
    """`_xlfn._xlws.SORT(` -> `SORT(`, case kept; a leading `@` (implicit intersection) is dropped."""
    return _FN_PREFIXES.sub("", text.lstrip("@"))


def function_name(text: str) -> str:
    """`_xlfn.xlookup` -> `XLOOKUP`: the upper-case name of a called function."""
    return strip_prefixes(text).upper()


# An add-in function (`_xll.ciqfunctions.udf.CIQ(`) or a VBA one (`_xludf.MYFUNC(`): code outside
# the file computes it.
_OUTSIDE_CODE = re.compile(
    r"(?<![A-Za-z0-9_.])_(xll|xludf)\.(?:[A-Za-z0-9_]+\.)*([A-Za-z_][A-Za-z0-9_]*)\s*\(", re.I
)
_STRING = re.compile(r'"[^"]*"')


def outside_code(formula: str) -> tuple[str, str] | None:
    """("xll", NAME) for the first add-in call, ("xludf", NAME) for a VBA one, None when the
    formula calls neither (text in strings does not count)."""
    if "_x" not in formula and "_X" not in formula:
        return None
    m = _OUTSIDE_CODE.search(_STRING.sub('""', formula) if '"' in formula else formula)
    return (m[1].lower(), m[2].upper()) if m else None


# -- Reading a formula once: what it references and calls --------------------------------------


@dataclass(frozen=True, slots=True)
class Read:
    """A formula's reference operands as written (`Sheet2!A1:B3`, `Rate`, `T[@A]`, `[1]S!A1`)
    and the upper-case names of the functions it calls, without prefixes."""

    operands: tuple[str, ...]
    functions: frozenset[str]


# Formulas made only of these characters hold no string, quoted name, bracket, error or blank:
# one regex reads them (the common case, and a hot path); any other goes through the tokenizer.
# A test checks on the corpus that both agree wherever the fast path applies.
_PLAIN = re.compile(r"^=[A-Za-z0-9$:!+\-*/^(),.<>=&%_]*$")
_IDENT = r"[A-Za-z_][A-Za-z0-9_.]*"
_SCAN = re.compile(
    rf"(?P<func>{_IDENT})\("
    rf"|(?P<ref>(?:{_IDENT}!)?(?:\$?[A-Za-z]{{1,3}}\$?[0-9]+(?::\$?[A-Za-z]{{1,3}}\$?[0-9]+)?"
    rf"|\$?[A-Za-z]{{1,3}}:\$?[A-Za-z]{{1,3}}|\$?[0-9]+:\$?[0-9]+))(?![A-Za-z0-9_.(!])"
    rf"|(?P<name>(?:{_IDENT}!)?{_IDENT})(?![A-Za-z0-9_.(!])"
    r"|(?P<num>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?)"
    r"|(?P<other>.)"
)


def read(formula: str) -> Read:
    """What the formula references and calls; raises FormulaError on unreadable text. An array
    formula (`{=...}`) reads as its inside."""
    if formula.startswith("{") and formula.endswith("}"):
        formula = formula[1:-1]
    plain = _plain(formula)
    return _scanned(plain) if plain is not None else _tokenized(formula)


def reads_fast(formula: str) -> bool:
    """Whether ``read`` scans the formula with one regex rather than the tokenizer."""
    if formula.startswith("{") and formula.endswith("}"):
        formula = formula[1:-1]
    return _plain(formula) is not None


def _plain(formula: str) -> str | None:
    """The formula with strings as 0 (they hold no references) when one regex can scan it."""
    plain = _STRING.sub("0", formula) if '"' in formula else formula
    return plain if _PLAIN.match(plain) else None


def _scanned(formula: str) -> Read:
    operands: list[str] = []
    called: set[str] = set()
    for m in _SCAN.finditer(formula, 1):
        kind = m.lastgroup
        if kind == "func":
            called.add(function_name(m["func"]))
        elif kind in ("ref", "name"):
            operands.append(m[kind])
    return Read(tuple(operands), frozenset(called))


def _tokenized(formula: str) -> Read:
    operands: list[str] = []
    called: set[str] = set()
    for tok in items(formula):
        if tok.type == Token.OPERAND and tok.subtype == Token.RANGE:
            operands.append(tok.value)
        elif is_call(tok):
            called.add(function_name(tok.value[:-1]))
    return Read(tuple(operands), frozenset(called))


def functions(formula: str) -> frozenset[str]:
    """Upper-case names of the functions a formula calls, without prefixes."""
    return read(formula).functions


# -- Fast paths for translation (evaluate.py, translate.py) ------------------------------------

# A plain formula (no `_`: prefixes are rewritten) needs no rewriting for the engine unless it
# has an exponent literal, a 3D reference, OFFSET, the range operator next to a function call
# (`A1:INDEX(...)`, `INDEX(...):B9`) or chained (`A1:B2:C3`), or SUMIF/AVERAGEIF (their sum
# range may be resized), which translate.py rewrites; evaluate.py checks names and ranges.
_RISKY = re.compile(
    r"\d[Ee][+-]?\d|[A-Za-z0-9_.]+:[A-Za-z0-9_.]+!|(?i:offset)|:[A-Za-z_][A-Za-z0-9_.]*\(|\):"
    r"|\d:\$?[A-Za-z]{1,3}\$?\d+:|(?i:sumif\(|averageif\()"
)
_WORD = re.compile(r"[A-Za-z_\\][A-Za-z0-9_.]*")


def is_plain_for_engine(formula: str) -> bool:
    """Whether the formula holds nothing translate.py rewrites, names and large ranges apart."""
    return bool(_PLAIN.match(formula)) and "_" not in formula and not _RISKY.search(formula)


def words(formula: str) -> list[str]:
    """Every name-like word of the formula (function names, names, tables, cell references)."""
    return _WORD.findall(formula)


_QUICK_RANGE = re.compile(
    r"(?:([A-Za-z0-9_.]+)!)?(?<![A-Za-z0-9_.$])(\$?[A-Za-z]{1,3}\$?[0-9]+:\$?[A-Za-z]{1,3}\$?[0-9]+"
    r"|\$?[A-Za-z]{1,3}:\$?[A-Za-z]{1,3}|\$?[0-9]+:\$?[0-9]+)(?![A-Za-z0-9_.(!])"
)


def quick_ranges(formula: str) -> Iterator[tuple[str | None, str]]:
    """(sheet or None, `A1:B9` / `A:C` / `1:3`) for each range of a plain formula."""
    if ":" not in formula:
        return
    for m in _QUICK_RANGE.finditer(formula):
        yield m[1], m[2]
