"""Generators for hostile and broken input files: each returns the bytes of one case."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from tests import workbooks


def empty() -> bytes:
    return b""


def random_bytes() -> bytes:
    import random

    rng = random.Random(7)
    return bytes(rng.getrandbits(8) for _ in range(4096))


def csv_renamed() -> bytes:
    return b"period,revenue,cost\n1,1000,620\n2,1002.5,621.55\n"


def pdf_renamed() -> bytes:
    return b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def legacy_xls() -> bytes:
    """An OLE2 compound file header, as a .xls starts."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHH", 0x3E, 0x3, 0xFFFE)
    return header + b"\0" * (512 - len(header)) + b"W\0o\0r\0k\0b\0o\0o\0k\0" + b"\0" * 1024


def encrypted_ooxml() -> bytes:
    """A real password-protected workbook, encrypted by msoffcrypto-tool as Excel does."""
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(workbooks.basic())).encrypt("secret", out)
    return out.getvalue()


def xlsb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.bin", b"\x83\x01\x00")
    return buf.getvalue()


def truncated_zip() -> bytes:
    data = workbooks.basic()
    return data[: len(data) // 2]


def lying_sizes() -> bytes:
    """A workbook whose central directory understates a part's size (and so its CRC fails)."""
    data = bytearray(workbooks.basic())
    src = zipfile.ZipFile(io.BytesIO(bytes(data)))
    target = next(i for i in src.infolist() if i.filename.startswith("xl/worksheets/sheet"))
    # Central directory entry: uncompressed size at offset 24 from the entry signature.
    sig = b"PK\x01\x02"
    pos = 0
    while True:
        pos = data.index(sig, pos)
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if data[pos + 46 : pos + 46 + name_len].decode() == target.filename:
            struct.pack_into("<I", data, pos + 24, max(1, target.file_size // 10))
            break
        pos += 4
    return bytes(data)


def zip_bomb() -> bytes:
    """A valid-looking workbook with a part that expands to 600 MB (from under 1 MB), over
    CAPITALLENS_MAX_PART_BYTES."""
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = b" " * (1024 * 1024)
    start = deflate.compress(b"<a>") + deflate.flush(zlib.Z_FULL_FLUSH)
    block = deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
    end = deflate.compress(b"</a>") + deflate.flush(zlib.Z_FINISH)
    crc = zlib.crc32(b"<a>")
    for _ in range(600):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(b"</a>", crc)
    return _prededflated(
        workbooks.basic(),
        "xl/worksheets/sheet3.xml",
        start + block * 600 + end,
        crc,
        3 + 600 * len(chunk) + 4,
    )


def billion_laughs() -> bytes:
    """An XML entity bomb in the shared strings part."""
    lol = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
            for i in range(1, 10)
        )
        + ']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'count="1" uniqueCount="1">'
        "<si><t>&lol9;</t></si></sst>"
    )
    src = zipfile.ZipFile(io.BytesIO(workbooks.basic()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            content = src.read(info)
            if info.filename == "xl/sharedStrings.xml":
                content = lol.encode()
            zf.writestr(info.filename, content)
    return buf.getvalue()


BROKEN = {
    "empty": (empty, "invalid_workbook", "empty file"),
    "random_bytes": (random_bytes, "invalid_workbook", "not a zip archive"),
    "csv": (csv_renamed, "invalid_workbook", "CSV"),
    "pdf": (pdf_renamed, "invalid_workbook", "PDF"),
    "legacy_xls": (legacy_xls, "invalid_workbook", "legacy Excel 97-2003"),
    "encrypted": (encrypted_ooxml, "invalid_workbook", "encrypted"),
    "xlsb": (xlsb, "invalid_workbook", ".xlsb"),
    "truncated_zip": (truncated_zip, "invalid_workbook", "damaged or truncated zip"),
    "lying_sizes": (lying_sizes, "invalid_workbook", "damaged"),
    "zip_bomb": (zip_bomb, "workbook_too_large", "CAPITALLENS_MAX_PART_BYTES"),
    "billion_laughs": (billion_laughs, "invalid_workbook", "damaged"),
}


def no_sheets_with_data() -> bytes:
    return workbooks.build(lambda wb: (wb.add_worksheet("Empty"), wb.add_worksheet("Also empty")))


def long_formula() -> bytes:
    terms = "+".join(f"A{i % 50 + 1}" for i in range(2000))  # about 9,000 characters

    def fill(wb):
        ws = wb.add_worksheet("S")
        for r in range(50):
            ws.write_number(r, 0, r + 1)
        ws.write_formula("B1", "=" + terms, None, float(sum(i % 50 + 1 for i in range(2000))))

    return workbooks.build(fill)


def deep_nesting() -> bytes:
    formula = "=" + "(" * 64 + "A1+1" + ")" * 64
    inner = "A1"
    for _ in range(64):
        inner = f"IF(A1>0,{inner},0)"  # 64 nested function calls

    def fill(wb):
        ws = wb.add_worksheet("S")
        ws.write_number("A1", 2)
        ws.write_formula("B1", formula, None, 3)
        ws.write_formula("C1", "=" + inner, None, 2)

    return workbooks.build(fill)


def odd_sheet_names() -> bytes:
    def fill(wb):
        a = wb.add_worksheet("Bob's Q1 2024")
        a.write_number("A1", 5)
        b = wb.add_worksheet("Prévisions €")
        b.write_number("A1", 7)
        c = wb.add_worksheet("Σύνοψη")
        c.write_formula("A1", "='Bob''s Q1 2024'!A1*'Prévisions €'!A1", None, 35)

    return workbooks.build(fill)


def external_link() -> bytes:
    """A formula that reads another workbook, as Excel stores it ([1]Sheet1!A1)."""

    def fill(wb):
        ws = wb.add_worksheet("S")
        ws.write_number("A1", 1)
        ws.write_formula("B1", "=[1]Sheet1!A1*2", None, 84)
        ws.write_formula("C1", "=A1+1", None, 2)

    return workbooks.build(fill)


def million_rows() -> bytes:
    """1,048,576 numbers in one column, streamed straight into the sheet XML."""
    src = zipfile.ZipFile(io.BytesIO(workbooks.build(lambda wb: wb.add_worksheet("S").write_number("A1", 0))))
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, 1_048_577))
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{rows}</sheetData></worksheet>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            content = sheet.encode() if info.filename == "xl/worksheets/sheet1.xml" else src.read(info)
            zf.writestr(info.filename, content)
    return buf.getvalue()


# Hostile files: each costs little to make and would cost a naive reader minutes or gigabytes.
# Parts are written to the zip as they are generated (zipfile's streaming writer), or as one
# compressed block repeated, so none is ever built whole in memory.

SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
SHEET_TAIL = b"</worksheet>"
SST_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def _replace_parts(data: bytes, replacements: dict, *, stored: frozenset = frozenset()) -> bytes:
    """The package with some parts replaced: each value is bytes, or a function that writes the
    part to the open zip entry it is given (streaming)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    names = [i.filename for i in src.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in names + [n for n in replacements if n not in names]:
            content = replacements.get(name, src.read(name) if name in names else None)
            method = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            if callable(content):
                info = zipfile.ZipInfo(name)
                info.compress_type = method
                with zf.open(info, "w", force_zip64=True) as dst:
                    content(dst)
            else:
                zf.writestr(zipfile.ZipInfo(name), content, compress_type=method)
    return buf.getvalue()


def _one_sheet(cells: str = '<c r="A1"><v>1</v></c>') -> bytes:
    return workbooks.build(lambda wb: wb.add_worksheet("S").write_number("A1", 1))


def _repeat(dst, chunk: bytes, total: int) -> None:
    for _ in range(total // len(chunk)):
        dst.write(chunk)


def comment_padding(padding_bytes: int = 1_900_000_000) -> bytes:
    """A sheet padded with XML comments before its data (1.9 GB by default, a few MB zipped).

    The part's header says how big it is; a reader must refuse it from the budget, or drop the
    comments as it parses (the issue's poison pill grew a worker past 10 GB). Written as one
    compressed 1 MB block repeated (each ends with a full flush, so each decodes on its own)."""
    chunk = b"".join(b"<!-- padding %d: nothing to see here -->" % (i % 10) for i in range(25_000))
    head = SHEET_HEAD
    tail = b'<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>' + SHEET_TAIL
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = deflate.compress(head) + deflate.flush(zlib.Z_FULL_FLUSH)
    block = deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
    end = deflate.compress(tail) + deflate.flush(zlib.Z_FINISH)
    repeats = padding_bytes // len(chunk)
    crc = zlib.crc32(head)
    for _ in range(repeats):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + repeats * len(chunk) + len(tail)
    return _prededflated(_one_sheet(), "xl/worksheets/sheet1.xml", start + block * repeats + end, crc, size)


def _prededflated(data: bytes, name: str, deflated: bytes, crc: int, size: int) -> bytes:
    """The package with one part replaced by bytes already deflated: written stored, then its
    headers (local and central) patched to say deflated, with the true CRC and size."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            if info.filename != name:
                zf.writestr(info.filename, src.read(info))
        zf.writestr(zipfile.ZipInfo(name), deflated, compress_type=zipfile.ZIP_STORED)
        info = zf.getinfo(name)
        info.compress_type, info.CRC, info.file_size = zipfile.ZIP_DEFLATED, crc, size
        out = buf.getbuffer()
        struct.pack_into("<H", out, info.header_offset + 8, zipfile.ZIP_DEFLATED)
        struct.pack_into("<I", out, info.header_offset + 14, crc)
        struct.pack_into("<I", out, info.header_offset + 22, size)
        del out
    return buf.getvalue()


def long_legal_formula() -> bytes:
    """A 60,000-character formula (legal: under CAPITALLENS_MAX_FORMULA_LENGTH) in a sheet that
    deflates over 200x; a ratio test refused it as a zip bomb."""
    terms = 20_000  # "A1+" 20,000 times: 60,000 characters

    def fill(wb):
        ws = wb.add_worksheet("S")
        ws.write_number("A1", 1)
        ws.write_formula("B1", "=" + "+".join(["A1"] * terms), None, float(terms))
        ws.write_formula("B2", "=" + "+".join(["A1"] * terms), None, float(terms))

    return workbooks.build(fill)


def stored_part(size: int = 4 * 1024 * 1024) -> bytes:
    """A sheet stored without compression (ratio 1x), padded with a text-free row; a ratio test
    never looked at it, a byte budget must."""
    row = b'<row r="1"><c r="A1"><v>1</v></c></row>'

    def write(dst):
        dst.write(SHEET_HEAD + b"<sheetData>" + row + b"</sheetData>")
        _repeat(dst, b" " * 65536, size)
        dst.write(SHEET_TAIL)

    return _replace_parts(
        _one_sheet(), {"xl/worksheets/sheet1.xml": write}, stored=frozenset({"xl/worksheets/sheet1.xml"})
    )


def many_shared_strings(count: int = 3_000_000) -> bytes:
    """3M shared strings, of which 2 cells use two (about 8 MB zipped)."""

    def strings(dst):
        dst.write(SST_HEAD)
        for start in range(0, count, 100_000):
            stop = min(count, start + 100_000)
            dst.write(b"".join(b"<si><t>string %d</t></si>" % i for i in range(start, stop)))
        dst.write(b"</sst>")

    sheet = (
        SHEET_HEAD + b'<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c>'
        b'<c r="B1" t="s"><v>%d</v></c></row></sheetData>' % (count - 1) + SHEET_TAIL
    )
    return _with_strings_part(
        _replace_parts(_one_sheet(), {"xl/worksheets/sheet1.xml": sheet, "xl/sharedStrings.xml": strings})
    )


def _with_strings_part(data: bytes) -> bytes:
    """Declare xl/sharedStrings.xml in the manifest and the workbook's relationships."""
    src = zipfile.ZipFile(io.BytesIO(data))
    types = src.read("[Content_Types].xml")
    if b"sharedStrings" not in types:
        types = types.replace(
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        )
    rels = src.read("xl/_rels/workbook.xml.rels")
    if b"sharedStrings" not in rels:
        rels = rels.replace(
            b"</Relationships>",
            b'<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        )
    return _replace_parts(data, {"[Content_Types].xml": types, "xl/_rels/workbook.xml.rels": rels})


def many_cells(count: int = 6_000_000) -> bytes:
    """A sheet of 6M numbers (16 a row, no cell references: the row is one repeated block)."""
    row = b"<row>" + b"<c><v>1</v></c>" * 16 + b"</row>"

    def write(dst):
        dst.write(SHEET_HEAD + b"<sheetData>")
        _repeat(dst, row * 1000, count // 16 * len(row))
        dst.write(b"</sheetData>" + SHEET_TAIL)

    return _replace_parts(_one_sheet(), {"xl/worksheets/sheet1.xml": write})


def _bomb_in(part: str) -> bytes:
    """An entity bomb in one of the package's XML parts."""
    lol = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
            for i in range(1, 10)
        )
        + "]>"
    )
    root = {
        "docProps/app.xml": '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties"><Application>&lol9;</Application></Properties>',
        "docProps/core.xml": '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/'
        '2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        "<dc:title>&lol9;</dc:title></cp:coreProperties>",
    }[part]
    return _replace_parts(workbooks.basic(), {part: (lol + root).encode()})


def app_xml_bomb() -> bytes:
    """An entity bomb in docProps/app.xml (the extended properties: which application saved it)."""
    return _bomb_in("docProps/app.xml")


def core_xml_bomb() -> bytes:
    """An entity bomb in docProps/core.xml (the core properties: title, author...)."""
    return _bomb_in("docProps/core.xml")


def malformed_app_xml() -> bytes:
    """docProps/app.xml that is not well-formed XML."""
    return _replace_parts(workbooks.basic(), {"docProps/app.xml": b"<Properties><Application>Excel"})


def _cell_at(ref: str) -> bytes:
    sheet = (
        SHEET_HEAD + b'<sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
        b'<row r="%s"><c r="%s"><v>2</v></c></row></sheetData>'
        % (ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ").encode(), ref.encode())
        + SHEET_TAIL
    )
    return _replace_parts(_one_sheet(), {"xl/worksheets/sheet1.xml": sheet})


def cell_beyond_xfd() -> bytes:
    """A cell in column XFE, one past Excel's last column."""
    return _cell_at("XFE1")


def cell_past_last_row() -> bytes:
    """A cell in row 1,048,577, one past Excel's last row."""
    return _cell_at("A1048577")


# name -> (make, expected error code, phrase in the message); None: the file imports.
HOSTILE = {
    "comment_padding": (comment_padding, "workbook_too_large", "CAPITALLENS_MAX_PART_BYTES"),
    "long_legal_formula": (long_legal_formula, None, ""),
    "many_shared_strings": (many_shared_strings, "workbook_too_large", "CAPITALLENS_MAX_SHARED_STRINGS"),
    "many_cells": (many_cells, "workbook_too_large", "CAPITALLENS_MAX_CELLS"),
    "app_xml_bomb": (app_xml_bomb, "invalid_workbook", "XML bomb"),
    "core_xml_bomb": (core_xml_bomb, "invalid_workbook", "XML bomb"),
    "malformed_app_xml": (malformed_app_xml, "invalid_workbook", "damaged"),
    "cell_beyond_xfd": (cell_beyond_xfd, "invalid_workbook", "XFE1"),
    "cell_past_last_row": (cell_past_last_row, "invalid_workbook", "A1048577"),
}


# -- Tiny files that cost the engine minutes and gigabytes (issue 17, finding 3) -------------


def _iterate_on(data: bytes) -> bytes:
    """The workbook with iterative calculation on, as Excel saves it (100 passes, 0.001)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename == "xl/workbook.xml":
                settings = b' iterate="1" iterateCount="100" iterateDelta="0.001"/>'
                content = content.replace(b"<calcPr", b"<calcPr_", 1)
                head, _, tail = content.partition(b"<calcPr_")
                attrs, _, rest = tail.partition(b"/>")
                content = head + b"<calcPr" + attrs + settings + rest
            dst.writestr(info, content)
    return out.getvalue()


def _grid(ws) -> None:
    for r in range(3):
        for c in range(3):
            ws.write_number(r, c, r * 3 + c + 1)  # 1..9, sum 45


def whole_sheet_sum() -> bytes:
    """=SUM(Data!A1:XFD1048576) over nine numbers: 17 billion cells as written, 9 used."""

    def fill(wb):
        _grid(wb.add_worksheet("Data"))
        calc = wb.add_worksheet("Calc")
        calc.write_formula("A1", "=SUM(Data!A1:XFD1048576)", None, 45)
        calc.write_formula("A2", "=ROWS(Data!A1:XFD1048576)*COLUMNS(Data!A1:XFD1048576)", None, 2**34)
        calc.write_formula("A3", "=COUNTBLANK(Data!A1:XFD1048576)", None, 2**34 - 9)
        calc.write_formula("A4", "=INDEX(Data!A1:XFD1048576,3,2)", None, 8)
        calc.write_formula("A5", "=MATCH(6,INDEX(Data!A1:XFD1048576,2,0),0)", None, 3)
        calc.write_formula("A6", "=SUM(Data!A:XFD)+COUNT(Data!1:1048576)", None, 54)

    return workbooks.build(fill)


def whole_sheet_sum_of_itself() -> bytes:
    """=SUM(A1:XFD1048576) in a cell of its own range: a circular reference (Excel shows 0)."""

    def fill(wb):
        ws = wb.add_worksheet("S")
        _grid(ws)
        ws.write_formula("E5", "=SUM(A1:XFD1048576)", None, 0)

    return workbooks.build(fill)


def long_cycle(iterate: bool = True, cells: int = 100_000) -> bytes:
    """One circular reference through 100k cells: A1 = A100000/2+1, A<i> = A<i-1>/2+1; every
    cell's fixed point is 2."""

    def fill(wb):
        ws = wb.add_worksheet("S")
        ws.write_formula(0, 0, f"=A{cells}/2+1", None, 2)
        for r in range(1, cells):
            ws.write_formula(r, 0, f"=A{r}/2+1", None, 2)

    data = workbooks.build(fill)
    return _iterate_on(data) if iterate else data


def debt_schedule(periods: int = 10_000, circular: bool = True) -> bytes:
    """A debt schedule of 6 columns x `periods` rows: opening (B), repayment (C), interest (D),
    closing (E), debt service (F). Circular: interest on the average of opening and closing
    debt, iteration on; else interest on the opening debt. Cached values are left 0: only time
    is measured here (test_engine_cost checks a period against its closed form)."""

    def fill(wb):
        ws = wb.add_worksheet("Debt")
        ws.write_number("H1", 0.05)
        ws.write_number("H2", 1_000_000)
        for i in range(periods):
            r = i + 2
            ws.write_number(f"A{r}", i + 1)
            ws.write_formula(f"B{r}", "=$H$2" if i == 0 else f"=E{r - 1}", None, 0)
            ws.write_formula(f"C{r}", f"=MIN(B{r},$H$2/{periods})", None, 0)
            ws.write_formula(f"D{r}", f"=$H$1*(B{r}+E{r})/2" if circular else f"=$H$1*B{r}", None, 0)
            ws.write_formula(f"E{r}", f"=B{r}-C{r}+D{r}", None, 0)
            ws.write_formula(f"F{r}", f"=C{r}+D{r}", None, 0)

    data = workbooks.build(fill)
    return _iterate_on(data) if circular else data


# name: (make, the outcome expected: a value's reason (None: computed) or an error code, note)
ENGINE_COST = {
    "whole_sheet_sum": (whole_sheet_sum, None, "SUM, ROWS, COUNTBLANK, INDEX over A1:XFD1048576"),
    "whole_sheet_sum_of_itself": (
        whole_sheet_sum_of_itself,
        "circular_not_converged",
        "its own cell in the range",
    ),
    "long_cycle_iterate": (long_cycle, None, "100k-cell cycle, iteration on"),
    "long_cycle_no_iteration": (lambda: long_cycle(iterate=False), "iteration_off", "100k-cell cycle"),
    "circular_debt_schedule": (debt_schedule, None, "50k cells, interest on average debt"),
}


# Saved member cells of each huge array: (cell, row). ROW(A1:E1000000)*2 is a one-column
# result, so Excel repeats it across the five columns: the cell in row r shows 2 * r.
HUGE_ARRAY_MEMBERS = (("B1", 1), ("E1", 1), ("A2", 2), ("C3", 3), ("E5", 5))


def huge_array_formulas(rows: int = 1_000_000) -> bytes:
    """Three sheets, each with one array formula {=ROW(A1:E1000000)*2} anchored at A1 whose ref
    spans 5M cells, as Excel saves one whose members were never written out: a few saved
    members with their cached values, and formulas outside the array that read a member the
    file does not save (S1!G7 = D40 * 10; S2!G1 = S3!B25 + 1). About 6 KB zipped."""

    def fill(wb):
        for name in ("S1", "S2", "S3"):
            wb.add_worksheet(name).write_number("A1", 0)

    # Formulas outside the array that read a member the file does not save: (row, cell).
    readers = {
        1: (7, '<c r="G7"><f>D40*10</f><v>800</v></c>'),
        2: (1, '<c r="G1"><f>S3!B25+1</f><v>51</v></c>'),
    }

    def sheet(index: int) -> bytes:
        anchor = f'<c r="A1"><f t="array" ref="A1:E{rows}">ROW(A1:E{rows})*2</f><v>2</v></c>'
        by_row: dict[int, list[str]] = {1: [anchor]}
        for ref, row in HUGE_ARRAY_MEMBERS:
            by_row.setdefault(row, []).append(f'<c r="{ref}"><v>{2 * row}</v></c>')
        if index in readers:
            row, cell = readers[index]
            by_row.setdefault(row, []).append(cell)
        body = "".join(f'<row r="{r}">{"".join(cells)}</row>' for r, cells in sorted(by_row.items()))
        return SHEET_HEAD + b"<sheetData>" + body.encode() + b"</sheetData>" + SHEET_TAIL

    return _replace_parts(workbooks.build(fill), {f"xl/worksheets/sheet{i}.xml": sheet(i) for i in (1, 2, 3)})


ENGINE_COST["huge_array_formulas"] = (huge_array_formulas, None, "3 array formulas of 5M cells each")
