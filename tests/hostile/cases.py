"""Generators for hostile and broken input files: each returns the bytes of one case."""

from __future__ import annotations

import io
import struct
import zipfile

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
    """A valid-looking workbook whose sheet part expands 1000x (200 MB from 200 KB)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        src = zipfile.ZipFile(io.BytesIO(workbooks.basic()))
        for info in src.infolist():
            zf.writestr(info.filename, src.read(info))
        zf.writestr("xl/worksheets/sheet3.xml", b"<a>" + b" " * (200 * 1024 * 1024) + b"</a>")
    return buf.getvalue()


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
    "zip_bomb": (zip_bomb, "workbook_too_large", "zip bomb"),
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
