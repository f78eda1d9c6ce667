"""Rewrite an Excel formula, as stored in the .xlsx, into text HyperFormula 3.5 reads alike.

We work on tokens (importer/formula.py, from openpyxl's tokenizer), never on the whole string,
so string literals and quoted sheet names cannot be rewritten by accident. Each token keeps its
exact source text: a formula with nothing to rewrite comes back byte-identical.

HyperFormula reads these natively, so they pass through: whole columns and rows (``A:A``,
``$B:$D``, ``1:1``, ``Sheet2!C:C``), quoted sheet names (``'Bob''s'!A1``), TRUE and FALSE (the
engine defines them as names), the literals #N/A #DIV/0! #REF! #NUM! #VALUE! #NAME?.
What it does not read (measured on 3.5.0), and what we do instead:

- ``_xlfn.`` ``_xlws.`` ``_xludf.`` prefixes (its function names start with a letter): dropped.
- ``_xleta.SUM`` (a function passed by name to GROUPBY, PIVOTBY): the string ``"_xleta.SUM"``.
- ``_xlfn.SINGLE(x)`` and ``@x`` (implicit intersection): computed for a plain range, else
  dropped.
- Structured references (``Table1[Col]``): replaced by the ranges they stand for.
- Defined names it rejects (``Liste2``, ``TAX2023``, ``a\\b``...): renamed, see engine_name.
- ``#NULL!`` and ``#GETTING_DATA``: ``CL_ERROR("#NULL!")``, which makes that error (see values.py).
- ``Sheet1!#REF!`` and ``#REF!A1``: #REF!.
- The intersection operator (a space): computed when both sides are plain ranges.
- 3D references (``Sheet1:Sheet3!A1``) as a function argument: one argument per sheet.
- ``"a""b"`` and a backslash before a closing quote: rebuilt with CHAR(34) and CHAR(92).
- ``1E+20``: its numbers take a lower-case ``e`` only.
- SUMIF and AVERAGEIF with a sum range of another size than the criteria range: the sum range
  resized from its top-left cell, as Excel reads it.
- Unquoted sheet names outside ``[A-Za-z\\u00C0-\\u02AF0-9_]`` (``表1!A1``) or starting with
  "offset" (its OFFSET token swallows them): quoted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from openpyxl.formula.tokenizer import Token
from openpyxl.utils.cell import column_index_from_string, get_column_letter

from importer import errors, external, limits
from importer import formula as formula_text
from importer.formula import Tok
from importer.values import EXCEL_ONLY_ERRORS

MAX_ROW = 1_048_576
MAX_COL = 16_384


@dataclass(frozen=True)
class Table:
    """An Excel table (ListObject) as defined in the file."""

    name: str
    sheet: str
    ref: str  # "B3:F20", header and totals rows included
    columns: tuple[str, ...]
    header_rows: int = 1
    totals_rows: int = 0
    filter_ref: str | None = None  # its AutoFilter's range, when a column is filtered


@dataclass(frozen=True)
class Context:
    """Where the formula sits, and the workbook objects its names may refer to."""

    sheet: str
    row: int  # 1-based, for [#This Row], @ and implicit intersection
    col: int
    sheets: tuple[str, ...] = ()  # in workbook order, for 3D references
    tables: Mapping[str, Table] = field(default_factory=dict)  # key: table name upper-cased
    names: Mapping[str, str] = field(default_factory=dict)  # NAME upper-cased -> engine name
    # Optional: NAME upper-cased -> its refers-to text ("Sheet1!$B$2:$B$9"), so that
    # `Revenue Year2020` (intersection) and `@Revenue` can be computed too.
    name_refs: Mapping[str, str] = field(default_factory=dict)
    # NAME upper-cased -> the absolute range it stands for, as engine text, for the names in
    # scope on this sheet. Such names are written into the formula as their range: the engine
    # then knows an array formula's size (TRANSPOSE(Name) spills) and tracks the cells directly.
    inline: Mapping[str, str] = field(default_factory=dict)
    # Sheet name casefolded -> (last row, last column) holding anything (a cell, an array
    # formula's range, a data table): the used rectangle. Every cell past it is empty. A range
    # bigger than LARGE_RANGE is clipped to it where that cannot change the result.
    extents: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    # Other workbooks' cached values (importer/external.py): `[1]Sheet1!A1` reads them.
    links: external.Links | None = None


def to_engine(formula: str, ctx: Context) -> str:
    """The formula as HyperFormula should receive it. Unknown tables, names and sheets are left
    as they are, so that the engine reports them (#NAME?, #REF!, #ERROR!)."""
    if not formula.startswith("="):
        return formula
    toks = _range_operators(_merge_broken_refs(formula_text.tokens(formula)))
    arguments = _whole_arguments(toks)
    for i, tok in enumerate(toks):
        tok.text = _rewrite(tok, ctx, i in arguments)
    _intersect(toks, ctx)
    _implicit_intersections(toks, ctx)
    _dynamic_offsets(toks)
    _sum_ranges(toks)
    _large_ranges(toks, ctx)
    _lambda_calls(toks, ctx)
    _check_referenced_cells(toks, ctx, formula)
    return "=" + "".join(tok.text for tok in toks)


# A range with its sheet and every row and column absolute: `'Q 1'!$B$2:$C$9`, `S!$A:$A`.
_ABSOLUTE_RANGE = re.compile(
    r"(?:'(?:[^']|'')+'|[A-Za-z0-9_.\u00C0-\u02AF]+)!"
    r"(?:\$[A-Z]{1,3}\$[0-9]+(?::\$[A-Z]{1,3}\$[0-9]+)?|\$[A-Z]{1,3}:\$[A-Z]{1,3}|\$[0-9]+:\$[0-9]+)"
)


def absolute_range(engine_text: str) -> str | None:
    """The text itself when it is one absolute range on a named sheet (`=S!$A$1:$B$2`), else None."""
    body = engine_text[1:] if engine_text.startswith("=") else engine_text
    return body if _ABSOLUTE_RANGE.fullmatch(body) else None


# -- Names ---------------------------------------------------------------------------------

# HyperFormula's NamedExpressions.isNameValid (parser-consts.js) plus its lexer: a name must
# match _HF_NAME, must not look like an A1 or R1C1 reference whatever the column length (so
# `Liste2` and `TAX2023` are out), and must not start with "offset": the lexer reads that as
# the OFFSET function, so such a name is accepted but every formula using it fails to parse.
_HF_NAME = re.compile(r"[A-Za-z\u00C0-\u02AF_][A-Za-z\u00C0-\u02AF0-9_.]*")
_HF_NAME_CHAR = re.compile(r"[A-Za-z\u00C0-\u02AF0-9.]")
_A1_LIKE = re.compile(r"[A-Za-z]+[0-9]+")
_R1C1_LIKE = re.compile(r"[rR][0-9]*[cC][0-9]*")
ESCAPE_PREFIX = "_N_"


def engine_name(name: str) -> str:
    """A name HyperFormula accepts: the name itself when it does; otherwise ``_N_`` and the name
    with ``_`` doubled and each unusable character as ``_<hex>_``. Escaped names start with
    ``_N_``, kept ones never do, and the escape decodes uniquely: names distinct ignoring case
    (as Excel and HyperFormula compare them) stay distinct."""
    if _hf_accepts_name(name) and not name.upper().startswith(ESCAPE_PREFIX):
        return name
    return ESCAPE_PREFIX + "".join(_escape_name_char(ch) for ch in name)


def _hf_accepts_name(name: str) -> bool:
    return bool(
        _HF_NAME.fullmatch(name)
        and not _A1_LIKE.fullmatch(name)
        and not _R1C1_LIKE.fullmatch(name)
        and not name.lower().startswith("offset")
    )


def _escape_name_char(ch: str) -> str:
    if ch == "_":
        return "__"
    return ch if _HF_NAME_CHAR.fullmatch(ch) else f"_{ord(ch):X}_"


# -- Tokens (importer/formula.py) ------------------------------------------------------------


def _whole_arguments(toks: list[Tok]) -> set[int]:
    """Indexes of tokens that alone make a function argument: where a 3D reference may become
    a list of references."""
    solid = [k for k, t in enumerate(toks) if t.type != Token.WSPACE]
    opens = {k for k in solid if formula_text.is_call(toks[k]) or toks[k].type == Token.SEP}
    closes = {k for k in solid if toks[k].type == Token.SEP or toks[k].text == ")"}
    triples = zip(solid, solid[1:], solid[2:], strict=False)
    return {k for a, k, b in triples if a in opens and b in closes}


def _merge_broken_refs(toks: list[Tok]) -> list[Tok]:
    """Excel writes a reference to a deleted sheet as `#REF!A1`: one error, two tokens."""
    out: list[Tok] = []
    for tok in toks:
        broken = out and out[-1].subtype == Token.ERROR and out[-1].text == "#REF!"
        if not (broken and tok.subtype in (Token.RANGE, Token.ERROR)):
            out.append(tok)
    return out


# -- One token at a time -------------------------------------------------------------------

# An eta-reduced lambda (`_xleta.SUM`, a function name given as an argument): HyperFormula has
# no such value, so it becomes the string "_xleta.SUM" that GROUPBY and PIVOTBY read.
_ETA = re.compile(r"^_xleta\.[A-Za-z][A-Za-z0-9_.]*$", re.IGNORECASE)
# HyperFormula has no #NULL! nor #GETTING_DATA: a plugin function makes them.
_ERRORS = EXCEL_ONLY_ERRORS


def _rewrite(tok: Tok, ctx: Context, whole_argument: bool) -> str:
    if formula_text.is_call(tok):
        return formula_text.strip_prefixes(tok.text)
    if tok.type != Token.OPERAND:
        return tok.text
    if tok.subtype == Token.TEXT:
        return _string(tok.text)
    if tok.subtype == Token.NUMBER:
        return tok.text.replace("E", "e")
    if tok.subtype == Token.ERROR:
        return _ERRORS.get(tok.text, tok.text)
    if tok.subtype == Token.RANGE:
        if _ETA.match(tok.text):  # `_xleta.SUM`: a function passed by name (GROUPBY, PIVOTBY)
            return f'"{tok.text}"'
        if _PARAM.match(tok.text):  # `_xlpm.x`: a LAMBDA parameter or LET name
            return f'{PARAM}"{tok.text[6:]}")'
        return _reference(tok.text, ctx, whole_argument)
    return tok.text


def _string(text: str) -> str:
    """Rebuild a string HyperFormula would misread, with CHAR(34) for `"` and CHAR(92) for a
    backslash that would escape the closing quote. Other strings are returned untouched."""
    value = text[1:-1].replace('""', '"')
    if '"' not in value and not _odd_trailing_backslashes(value):
        return text
    parts = []
    for k, piece in enumerate(value.split('"')):
        odd = _odd_trailing_backslashes(piece)
        parts += ["CHAR(34)"] * (k > 0) + [f'"{piece[: len(piece) - odd]}"'] * (len(piece) > odd)
        parts += ["CHAR(92)"] * odd
    return "(" + "&".join(parts) + ")"


def _odd_trailing_backslashes(text: str) -> int:
    return (len(text) - len(text.rstrip("\\"))) % 2


def _reference(text: str, ctx: Context, whole_argument: bool) -> str:
    body = text[1:] if text.startswith("@") else text  # `@` is applied by the SINGLE pass
    sheet, rest = formula_text.split_sheet(body)
    if sheet is not None and "[" in sheet:  # another workbook, or [0] (this one)
        found, own = external.engine_reference(sheet, rest, ctx.links, whole_argument)
        return _reference(found, ctx, whole_argument) if own else found
    if rest.startswith("#"):
        return _ERRORS.get(rest, rest)  # `Sheet1!#REF!`: a reference to deleted cells
    if sheet is None and ("[" in rest or rest.upper() in ctx.tables):
        return _structured(rest, ctx) or text
    if sheet is None and rest.upper() in ctx.inline:
        return ctx.inline[rest.upper()]
    if rest.upper() in ctx.names:
        return ctx.names[rest.upper()]  # a sheet-scoped name: the caller registers the scope
    if sheet is None:
        return _bounding_box(body) or body
    if ":" in formula_text.unquote(sheet):
        return (_expand_3d(sheet, rest, ctx) if whole_argument else None) or text
    return (sheet if sheet.startswith("'") else _quote(sheet)) + "!" + rest


_HF_BARE_SHEET = re.compile(r"[A-Za-z\u00C0-\u02AF_][A-Za-z\u00C0-\u02AF0-9_]*")


def _quote(name: str) -> str:
    """A sheet name as a prefix HyperFormula reads: bare where its lexer allows it."""
    if _HF_BARE_SHEET.fullmatch(name) and not name.lower().startswith("offset"):
        return name
    return "'" + name.replace("'", "''") + "'"


def _expand_3d(sheet: str, rest: str, ctx: Context) -> str | None:
    """`Sheet1:Sheet3!A1` -> `Sheet1!A1,Sheet2!A1,Sheet3!A1`, in workbook order."""
    position = {name.casefold(): k for k, name in enumerate(ctx.sheets)}
    ends = [position.get(end.casefold()) for end in formula_text.unquote(sheet).split(":")]
    if len(ends) != 2 or None in ends:
        return None
    return ",".join(_quote(name) + "!" + rest for name in ctx.sheets[min(ends) : max(ends) + 1])


# -- Plain ranges, the intersection operator and implicit intersection -----------------------

_RANGE = re.compile(
    r"\$?(?P<c1>[A-Z]{1,3})\$?(?P<r1>[0-9]+)(?::\$?(?P<c2>[A-Z]{1,3})\$?(?P<r2>[0-9]+))?"
    r"|\$?(?P<cc1>[A-Z]{1,3}):\$?(?P<cc2>[A-Z]{1,3})"
    r"|\$?(?P<rr1>[0-9]+):\$?(?P<rr2>[0-9]+)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Range:
    sheet: str | None  # the prefix as written, quotes included
    c1: int
    r1: int
    c2: int
    r2: int

    def sheet_name(self, ctx: Context) -> str:
        return formula_text.unquote(self.sheet or ctx.sheet).casefold()

    def text(self, absolute: bool = False) -> str:
        """A1 text; `absolute` gives `$B$4:$D$9` (a table's cells do not move with the formula,
        and HyperFormula accepts only absolute references in a named expression)."""
        prefix, d = ("" if self.sheet is None else self.sheet + "!"), "$" if absolute else ""
        a, b = d + get_column_letter(self.c1), d + get_column_letter(self.c2)
        if (self.r1, self.r2) == (1, MAX_ROW):
            return f"{prefix}{a}:{b}"
        if (self.c1, self.c2) == (1, MAX_COL):
            return f"{prefix}{d}{self.r1}:{d}{self.r2}"
        first = f"{prefix}{a}{d}{self.r1}"
        if (self.c1, self.r1) == (self.c2, self.r2):
            return first
        return f"{first}:{b}{d}{self.r2}"


def _parse_range(text: str) -> _Range | None:
    """`'Q 1'!$B$2:C9`, `B:B` or `3:3` -> a _Range; None for anything else (names, tables...)."""
    sheet, rest = formula_text.split_sheet(text)
    m = _RANGE.fullmatch(rest)
    if m is None or (sheet is not None and "[" in sheet):
        return None
    g, col = m.groupdict(), column_index_from_string
    if g["c1"]:
        c1, r1 = col(g["c1"].upper()), int(g["r1"])
        c2, r2 = (col(g["c2"].upper()), int(g["r2"])) if g["c2"] else (c1, r1)
    elif g["cc1"]:
        c1, r1, c2, r2 = col(g["cc1"].upper()), 1, col(g["cc2"].upper()), MAX_ROW
    else:
        c1, r1, c2, r2 = 1, int(g["rr1"]), MAX_COL, int(g["rr2"])
    c1, c2, r1, r2 = min(c1, c2), max(c1, c2), min(r1, r2), max(r1, r2)
    if not (c2 <= MAX_COL and 1 <= r1 and r2 <= MAX_ROW):
        return None
    return _Range(sheet, c1, r1, c2, r2)


def _static_range(tok: Tok, ctx: Context) -> _Range | None:
    """The plain range a reference token stands for, looking defined names up in name_refs."""
    found = _parse_range(tok.text)
    if found is None and tok.is_range:
        refers_to = ctx.name_refs.get(formula_text.split_sheet(tok.source.lstrip("@"))[1].upper())
        found = _parse_range(refers_to.lstrip("=")) if refers_to else None
    return found


_CELL = re.compile(r"\$?([A-Z]{1,3})\$?([0-9]+)", re.IGNORECASE)


def _bounding_box(text: str) -> str | None:
    """`Z12:AA13:AF12` -> `Z12:AF13`: Excel's `:` between references is the smallest range
    holding both, so a chain of them is the box around every cell named."""
    parts = text.split(":")
    cells = [_CELL.fullmatch(p) for p in parts]
    if len(parts) < 3 or not all(cells):
        return None
    cols = [column_index_from_string(m[1].upper()) for m in cells]
    rows = [int(m[2]) for m in cells]
    if max(cols) > MAX_COL or not 1 <= min(rows) <= max(rows) <= MAX_ROW:
        return None
    return _Range(None, min(cols), min(rows), max(cols), max(rows)).text()


def _intersect(toks: list[Tok], ctx: Context) -> None:
    """`B:B 3:3` -> `B3`: the space operator over plain ranges of one sheet, `(A1:C3) B2:D4`
    included. An empty intersection is #NULL!, and so is its intersection with anything."""
    while _unwrap_intersected(toks) | _intersect_pairs(toks, ctx):
        pass


def _intersect_pairs(toks: list[Tok], ctx: Context) -> bool:
    i, changed = 1, False
    while i + 1 < len(toks):
        left, space, right = toks[i - 1 : i + 2]
        a = _static_range(left, ctx) if space.type == Token.WSPACE and left.is_range else None
        b = _static_range(right, ctx) if a and right.is_range else None
        null = space.type == Token.WSPACE and _NULL in (left.text, right.text)
        if null and (left.is_range or left.text == _NULL) and (right.is_range or right.text == _NULL):
            left.text = left.source = _NULL
        elif a and b and a.sheet_name(ctx) == b.sheet_name(ctx):
            c1, r1, c2, r2 = max(a.c1, b.c1), max(a.r1, b.r1), min(a.c2, b.c2), min(a.r2, b.r2)
            meet = _Range(a.sheet or b.sheet, c1, r1, c2, r2)
            left.text = left.source = meet.text() if c1 <= c2 and r1 <= r2 else _NULL
        else:
            i += 1
            continue
        del toks[i : i + 2]
        changed = True
    return changed


_NULL = _ERRORS["#NULL!"]


def _unwrap_intersected(toks: list[Tok]) -> bool:
    """`(A1:C3) B2:D4` -> `A1:C3 B2:D4`: parentheses around one reference next to a space
    operator change nothing in Excel, but would hide the reference from _intersect_pairs."""

    def operand(k: int, paren: str) -> bool:  # a reference, or `paren` (a parenthesis) around one
        tok = toks[k] if 0 <= k < len(toks) else None
        if tok is None:
            return False
        return tok.is_range or tok.text == _NULL or (tok.type == Token.PAREN and tok.text == paren)

    def space(k: int) -> bool:
        return 0 <= k < len(toks) and toks[k].type == Token.WSPACE

    for k in range(len(toks) - 2):
        opening, inner, closing = toks[k : k + 3]
        wrapped = opening.type == Token.PAREN and opening.text == "(" and closing.type == Token.PAREN
        if (
            wrapped
            and (inner.is_range or inner.text == _NULL)
            and ((space(k + 3) and operand(k + 4, "(")) or (space(k - 1) and operand(k - 2, ")")))
        ):
            toks[k : k + 3] = [inner]
            return True
    return False


def _implicit_intersections(toks: list[Tok], ctx: Context) -> None:
    """`_xlfn.SINGLE(A1:A9)` and `@A1:A9` -> the cell of A1:A9 in the formula's row (or column).
    SINGLE around anything else becomes plain parentheses. Innermost calls first."""
    for i in reversed(range(len(toks))):
        tok = toks[i]
        if tok.is_range and tok.source.startswith("@"):
            tok.text = _implicit(tok, ctx)
        elif formula_text.is_call(tok) and formula_text.strip_prefixes(tok.source).upper() == "SINGLE(":
            end = _matching_close(toks, i)
            inner = [t for t in toks[i + 1 : end] if t.type != Token.WSPACE]
            if end is not None and len(inner) == 1 and inner[0].type == Token.OPERAND:
                inner[0].text = _implicit(inner[0], ctx) if inner[0].is_range else inner[0].text
                toks[i : end + 1] = inner
            else:
                tok.text = "("


def _implicit(tok: Tok, ctx: Context) -> str:
    """Excel's implicit intersection: the range's cell in the formula's row and column."""
    found = _static_range(tok, ctx)
    if found is None:
        return tok.text
    row = found.r1 if found.r1 == found.r2 else ctx.row if found.r1 <= ctx.row <= found.r2 else 0
    col = found.c1 if found.c1 == found.c2 else ctx.col if found.c1 <= ctx.col <= found.c2 else 0
    return _Range(found.sheet, col, row, col, row).text() if row and col else "#VALUE!"


def _matching_close(toks: list[Tok], i: int) -> int | None:
    depth = 0
    for k in range(i, len(toks)):
        depth += (toks[k].subtype == Token.OPEN) - (toks[k].subtype == Token.CLOSE)
        if depth == 0:
            return k
    return None


# -- The range operator around a function call ----------------------------------------------

RANGE_OF = "CL_RANGE("


def _range_operators(toks: list[Tok]) -> list[Tok]:
    """`A2:OFFSET(A3,n,0)`, `INDEX(L,1,1):INDEX(L,1,n)`, `INDEX(L,1):B9` -> `CL_RANGE(A2,OFFSET(...))`...
    HyperFormula's `:` takes only references written in the formula; CL_RANGE
    (hyperformula/plugins/dynamic_refs.js) joins two computed references while evaluating.
    openpyxl glues the `:` (and a reference before it) to the function's token."""
    i = 0
    while i < len(toks):
        tok = toks[i]
        if tok.is_range and tok.source.startswith(":") and i and toks[i - 1].subtype == Token.CLOSE:
            start = _matching_open(toks, i - 1)  # `INDEX(...):B9`
            if start is not None:
                end = Tok(tok.source[1:], Token.OPERAND, Token.RANGE, tok.source[1:])
                comma, close = Tok(",", Token.SEP, Token.ARG, ","), Tok(")", Token.FUNC, Token.CLOSE, ")")
                toks[i : i + 1] = [comma, end, close]
                toks[start:start] = [Tok(RANGE_OF, Token.FUNC, Token.OPEN, RANGE_OF)]
                i += 4
                continue
        left, colon, name = tok.source.rpartition(":")
        if not (formula_text.is_call(tok) and colon and "'" not in name and "!" not in name):
            i += 1
            continue
        close = _matching_close(toks, i)
        if left:  # `A2:OFFSET(`: the reference before the colon is the first argument
            start, first = i, [Tok(left, Token.OPERAND, Token.RANGE, left)]
        else:  # `...):OFFSET(`: the call that ends just before is the first argument
            start = _matching_open(toks, i - 1)
            first = []
        if close is None or start is None:
            i += 1
            continue
        call = Tok(name, Token.FUNC, Token.OPEN, name)
        toks[close + 1 : close + 1] = [Tok(")", Token.FUNC, Token.CLOSE, ")")]
        toks[i : i + 1] = [*first, Tok(",", Token.SEP, Token.ARG, ","), call]
        toks[start:start] = [Tok(RANGE_OF, Token.FUNC, Token.OPEN, RANGE_OF)]
        i += 3
    return toks


def _matching_open(toks: list[Tok], k: int) -> int | None:
    """The index of the call whose closing parenthesis is at k."""
    if k < 0 or toks[k].subtype != Token.CLOSE:
        return None
    depth = 0
    for j in range(k, -1, -1):
        depth += (toks[j].subtype == Token.CLOSE) - (toks[j].subtype == Token.OPEN)
        if depth == 0:
            return j if formula_text.is_call(toks[j]) else None
    return None


# -- LAMBDA calls ----------------------------------------------------------------------------

# A LAMBDA parameter or LET name (`_xlpm.x`), which HyperFormula's parser does not accept: it
# becomes CL_PARAM("x"), read by hyperformula/plugins/lambda.js where the name is bound.
_PARAM = re.compile(r"^_xlpm\.[A-Za-z_\\][A-Za-z0-9_.]*$", re.IGNORECASE)
PARAM = "CL_PARAM("
CALL = "CL_CALL("


def _lambda_calls(toks: list[Tok], ctx: Context) -> None:
    """Calls of a lambda, which HyperFormula cannot parse, become CL_CALL(lambda, args...)
    (hyperformula/plugins/lambda.js): `LAMBDA(x,x+1)(2)`; `_xlpm.f(2)` (a LET-bound lambda);
    `MYNAME(2)` where the defined name MYNAME is a LAMBDA, whose text is written in its place
    (a name that calls itself is left as it is, and the engine reports #NAME?)."""
    for i, tok in enumerate(toks):
        if not formula_text.is_call(tok):
            continue
        name = formula_text.strip_prefixes(tok.source)[:-1]
        refers_to = ctx.name_refs.get(name.upper(), "")
        if _PARAM.match(name):
            tok.text = CALL + f'{PARAM}"{name[6:]}")' + _comma_unless_no_arguments(toks, i)
        elif refers_to.upper().startswith("_XLFN.LAMBDA("):
            others = {k: v for k, v in ctx.name_refs.items() if k != name.upper()}
            lam = to_engine("=" + refers_to, replace(ctx, name_refs=others))[1:]
            tok.text = CALL + lam + _comma_unless_no_arguments(toks, i)
        elif name.upper() == "LAMBDA":
            close = _matching_close(toks, i)
            after = close + 1 if close is not None else len(toks)
            if after < len(toks) and toks[after].type == Token.PAREN and toks[after].subtype == Token.OPEN:
                tok.text = CALL + tok.text  # `LAMBDA(...)(args)`: the arguments follow the lambda
                toks[after].text = _comma_unless_no_arguments(toks, after)


def _comma_unless_no_arguments(toks: list[Tok], i: int) -> str:
    """`,` to put between the lambda and the arguments of the call opened at toks[i], or nothing
    when the call has none (`f()`)."""
    following = next((t for t in toks[i + 1 :] if t.type != Token.WSPACE), None)
    return "" if following is not None and following.subtype == Token.CLOSE else ","


# -- SUMIF's and AVERAGEIF's sum range ----------------------------------------------------

_SUM_RANGE_FUNCTIONS = ("SUMIF(", "AVERAGEIF(")


def _arguments(toks: list[Tok], i: int) -> list[list[int]] | None:
    """The token indexes of each argument of the call opened at toks[i] (blanks left out)."""
    close = _matching_close(toks, i)
    if close is None:
        return None
    args: list[list[int]] = [[]]
    depth = 0
    for k in range(i + 1, close):
        tok = toks[k]
        if depth == 0 and tok.type == Token.SEP and tok.subtype == Token.ARG:
            args.append([])
            continue
        depth += (tok.subtype == Token.OPEN) - (tok.subtype == Token.CLOSE)
        if tok.type != Token.WSPACE:
            args[-1].append(k)
    return args


def _sum_ranges(toks: list[Tok]) -> None:
    """`SUMIF(I28:I31,"a",H28)` -> `SUMIF(I28:I31,"a",H28:H31)`: Excel adds the cells of the
    same size and shape as the criteria range, from the top-left cell of sum_range (Microsoft's
    SUMIF page); HyperFormula wants both the same size. Written into the formula, the cells
    are ordinary dependencies. Only plain references are resized."""
    for i, tok in enumerate(toks):
        if not (formula_text.is_call(tok) and tok.text.upper() in _SUM_RANGE_FUNCTIONS):
            continue
        args = _arguments(toks, i)
        if args is None or len(args) != 3 or len(args[0]) != 1 or len(args[2]) != 1:
            continue
        criteria, sums = _parse_range(toks[args[0][0]].text), _parse_range(toks[args[2][0]].text)
        if criteria is None or sums is None:
            continue
        height, width = criteria.r2 - criteria.r1, criteria.c2 - criteria.c1
        if (sums.r2 - sums.r1, sums.c2 - sums.c1) == (height, width):
            continue
        if sums.r1 + height > MAX_ROW or sums.c1 + width > MAX_COL:
            continue
        resized = _Range(sums.sheet, sums.c1, sums.r1, sums.c1 + width, sums.r1 + height)
        toks[args[2][0]].text = resized.text()


# -- OFFSET with computed arguments --------------------------------------------------------

DYNAMIC_OFFSET = "CL_OFFSET("


def _dynamic_offsets(toks: list[Tok]) -> None:
    """`OFFSET(` -> `CL_OFFSET(`. HyperFormula resolves OFFSET when it parses the formula, and
    only with a single cell and whole positive literals (`OFFSET(A1,B1,0)` and
    `OFFSET(A1:B2,1,1)` are parse errors); CL_OFFSET (hyperformula/plugins/dynamic_refs.js)
    resolves it while evaluating, as Excel does."""
    for tok in toks:
        if formula_text.is_call(tok) and tok.text.upper() == "OFFSET(":
            tok.text = DYNAMIC_OFFSET


# -- Structured references -----------------------------------------------------------------


def _structured(ref: str, ctx: Context) -> str | None:
    """`Table1[[#Data],[A]:[C]]` -> `'Sheet 2'!B4:D9`. None when the table, a column or the
    syntax is unknown, so that the reference reaches the engine unchanged and fails there."""
    found = table_area(ref, ctx)
    if not isinstance(found, tuple):
        return found
    sheet, r1, c1, r2, c2 = found
    prefix = None if sheet.casefold() == ctx.sheet.casefold() else _quote(sheet)
    return _Range(prefix, c1, r1, c2, r2).text(absolute=True)


def table_area(ref: str, ctx: Context) -> tuple[str, int, int, int, int] | str | None:
    """The rectangle a structured reference denotes, as (sheet, first row, first column, last
    row, last column), 1-based; `[#This Row]` and `@` are the row of the formula (ctx.row). An
    error text (#REF!, #VALUE!) where Excel gives one; None for an unknown table, column or
    syntax. `Table1` alone is its data rows, as `Table1[]` is."""
    if ref.startswith("@"):
        ref = ref[1:]
    name, bracket, spec = ref.partition("[")
    table = ctx.tables.get(name.upper()) if name else _table_at(ctx)
    box = _parse_range(table.ref) if table else None
    selection = formula_text.table_specifier(spec[:-1]) if bracket and spec.endswith("]") else None
    if box is None or (bracket and selection is None):
        return None
    specials, columns = selection or (set(), [])
    index = {c.casefold(): k for k, c in enumerate(table.columns)}
    if any(c.casefold() not in index for c in columns):
        return None
    picked = sorted(index[c.casefold()] for c in columns) or [0, len(table.columns) - 1]
    rows = _rows(table, box, ctx.row, specials)
    if rows is None or isinstance(rows, str):
        return rows
    return table.sheet, rows[0], box.c1 + picked[0], rows[1], box.c1 + picked[-1]


def _table_at(ctx: Context) -> Table | None:
    """The table holding the formula cell, for `[Col]` written without a table name."""
    for table in ctx.tables.values():
        box = _parse_range(table.ref)
        if box and table.sheet.casefold() == ctx.sheet.casefold():
            if box.r1 <= ctx.row <= box.r2 and box.c1 <= ctx.col <= box.c2:
                return table
    return None


def _rows(table: Table, box: _Range, row: int, specials: set[str]):
    """(first, last) row of the selection; the error Excel gives (#REF! for a missing header or
    totals row, #VALUE! for a row outside the data); None for an unknown specifier."""
    data = (box.r1 + table.header_rows, box.r2 - table.totals_rows)
    if "#THIS ROW" in specials:
        if specials != {"#THIS ROW"}:
            return None
        return (row, row) if data[0] <= row <= data[1] else "#VALUE!"
    parts = {
        "#ALL": (box.r1, box.r2),
        "#DATA": data,
        "#HEADERS": (box.r1, box.r1 + table.header_rows - 1) if table.header_rows else None,
        "#TOTALS": (box.r2 - table.totals_rows + 1, box.r2) if table.totals_rows else None,
    }
    if not set(specials) <= parts.keys():
        return None
    chosen = [parts[s] for s in specials or {"#DATA"}]
    if None in chosen:
        return "#REF!"
    return min(r[0] for r in chosen), max(r[1] for r in chosen)


# -- Ranges far larger than the sheet's used area -------------------------------------------

# Ranges of more cells than this are looked at: clipped, answered, or counted against the budget.
LARGE_RANGE = 100_000
# Functions whose result ignores empty cells and the range's shape: any range argument may be
# cut to the sheet's used rectangle (Microsoft's pages: "empty cells are ignored").
_IGNORE_EMPTY = frozenset(
    "SUM( COUNT( COUNTA( AVERAGE( AVERAGEA( MIN( MAX( MINA( MAXA( PRODUCT( SUMSQ( MEDIAN( "
    "STDEV( STDEV.S( STDEV.P( STDEVP( STDEVA( STDEVPA( VAR( VAR.S( VAR.P( VARP( VARA( VARPA(".split()
)


_CELL_RANGE = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]+):\$?([A-Za-z]{1,3})\$?([0-9]+)")


def _small_cell_range(written: str) -> bool:
    """Whether `A1:B9` (cells at both ends) spans LARGE_RANGE cells or fewer, from the text alone:
    the common case, decided without building the range (the fast path runs per formula)."""
    m = _CELL_RANGE.fullmatch(written)
    if m is None:
        return False
    rows = abs(int(m[4]) - int(m[2])) + 1
    if rows * MAX_COL <= LARGE_RANGE:
        return True
    cols = abs(column_index_from_string(m[3].upper()) - column_index_from_string(m[1].upper())) + 1
    return rows * cols <= LARGE_RANGE


def has_large_range(formula: str, sheet: str, extents: Mapping[str, tuple[int, int]]) -> bool:
    """Whether a formula without quotes or strings (the importer's fast path) holds a range of
    more than LARGE_RANGE cells as the engine would read it, so it must go through to_engine."""
    for prefix, written in formula_text.quick_ranges(formula):
        if _small_cell_range(written):
            continue
        found = _parse_range((prefix + "!" if prefix else "") + written)
        if found is None:
            continue
        if _engine_cells(found, written, found.sheet_name(_Here(sheet)), extents) > LARGE_RANGE:
            return True
    return False


@dataclass(frozen=True)
class _Here:
    sheet: str


def _engine_cells(found: _Range, written: str, sheet: str, extents: Mapping[str, tuple[int, int]]) -> int:
    """Cells the engine visits for a range: one written as columns (`A:C`) only down to the
    sheet's last used row, one written as rows (`1:5`) only across to its last used column,
    as HyperFormula does; any other range, every cell."""
    rows, cols = found.r2 - found.r1 + 1, found.c2 - found.c1 + 1
    if sheet not in extents:  # an unknown sheet (#REF!), or no workbook to measure against
        return 0
    last_row, last_col = extents[sheet]
    rest = formula_text.split_sheet(written)[1]
    if _COLUMNS.fullmatch(rest):
        rows = min(rows, last_row)
    elif _ROWS.fullmatch(rest):
        cols = min(cols, last_col)
    return rows * cols


_COLUMNS = re.compile(r"\$?[A-Za-z]{1,3}:\$?[A-Za-z]{1,3}")
_ROWS = re.compile(r"\$?[0-9]+:\$?[0-9]+")


def _enclosing_call(toks: list[Tok], i: int) -> int | None:
    depth = 0
    for k in range(i - 1, -1, -1):
        depth += (toks[k].subtype == Token.CLOSE) - (toks[k].subtype == Token.OPEN)
        if depth < 0:
            return k if formula_text.is_call(toks[k]) else None
    return None


def _large_ranges(toks: list[Tok], ctx: Context) -> None:
    """A range beyond the used rectangle of its sheet, `SUM(A1:XFD1048576)` in a 3x3 sheet,
    costs the engine every one of its cells. Exact rewrites, only for ranges of more than
    LARGE_RANGE cells:

    - inside SUM, COUNT, AVERAGE, MIN, MAX... (_IGNORE_EMPTY), as a whole argument: cut to
      the used rectangle (one empty cell of the range when they do not meet);
    - ROWS(r) and COLUMNS(r): the number itself;
    - COUNTBLANK(r): the empty cells cut away added to COUNTBLANK of the rest;
    - elsewhere (INDEX, MATCH, OFFSET, array formulas: the shape counts), a range spanning
      every row is written as columns (`A:XFD`), every column as rows: the same range, which
      HyperFormula visits only down to the last used row. Other ranges stay, and are counted
      against MAX_REFERENCED_CELLS.
    """
    whole = _whole_arguments(toks)
    for i, tok in enumerate(toks):
        found = _parse_range(tok.text) if tok.is_range else None
        if found is None:
            continue
        sheet = found.sheet_name(ctx)
        size = (found.r2 - found.r1 + 1) * (found.c2 - found.c1 + 1)
        if size <= LARGE_RANGE or sheet not in ctx.extents:
            continue
        absolute = "$" in tok.text
        call = _enclosing_call(toks, i) if i in whole else None
        name = formula_text.strip_prefixes(toks[call].text).upper() if call is not None else ""
        last_row, last_col = ctx.extents[sheet]
        clipped = _Range(found.sheet, found.c1, found.r1, min(found.c2, last_col), min(found.r2, last_row))
        meets = clipped.c1 <= clipped.c2 and clipped.r1 <= clipped.r2
        sole = call is not None and _arguments(toks, call) == [[i]]
        if name in _IGNORE_EMPTY:
            corner = _Range(found.sheet, found.c1, found.r1, found.c1, found.r1)
            tok.text = (clipped if meets else corner).text(absolute)
        elif name in ("ROWS(", "COLUMNS(") and sole:
            toks[call].text = "("
            tok.text = str(found.r2 - found.r1 + 1 if name == "ROWS(" else found.c2 - found.c1 + 1)
        elif name == "COUNTBLANK(" and sole:
            inside = (clipped.r2 - clipped.r1 + 1) * (clipped.c2 - clipped.c1 + 1) if meets else 0
            if meets:
                toks[call].text = f"({size - inside}+COUNTBLANK("
                tok.text = clipped.text(absolute) + ")"
            else:
                toks[call].text = "("
                tok.text = str(size)
        else:
            tok.text = found.text(absolute)  # A:XFD or 1:1048576 when it spans the sheet


def _check_referenced_cells(toks: list[Tok], ctx: Context, formula: str) -> None:
    """The budget of cells one formula may make the engine read (limits.MAX_REFERENCED_CELLS),
    counted on the ranges left after _large_ranges."""
    total = 0
    for tok in toks:
        found = _parse_range(tok.text) if tok.is_range else None
        if found is not None:
            total += _engine_cells(found, tok.text, found.sheet_name(ctx), ctx.extents)
    if total > limits.MAX_REFERENCED_CELLS:
        raise errors.WorkbookTooComplex(
            f"A formula in {ctx.sheet!r} row {ctx.row}, column {ctx.col} refers to {total:,} cells, "
            f"more than the limit of {limits.MAX_REFERENCED_CELLS:,} cells referenced by one formula "
            "(CAPITALLENS_MAX_REFERENCED_CELLS).",
            limit="max_referenced_cells",
            setting="CAPITALLENS_MAX_REFERENCED_CELLS",
            value=total,
            maximum=limits.MAX_REFERENCED_CELLS,
            sheet=ctx.sheet,
            formula=formula[:200],
        )
