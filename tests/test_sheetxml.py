"""The lxml sheet reader gives exactly what openpyxl's parser gives, on every corpus sheet."""

import io
import warnings

import openpyxl
import pytest
from openpyxl.worksheet._reader import WorkSheetParser

from importer import sheetxml
from tests import workbooks


def _openpyxl_rows(ws):
    wb = ws.parent
    with wb._archive.open(ws._worksheet_path) as src:
        parser = WorkSheetParser(
            src,
            ws._shared_strings,
            data_only=wb.data_only,
            epoch=wb.epoch,
            date_formats=set(),
            timedelta_formats=set(),
        )
        return [(r, [_plain(c) for c in cells]) for r, cells in parser.parse()]


def _our_rows(ws):
    wb = ws.parent
    with wb._archive.open(ws._worksheet_path) as src:
        reader = sheetxml.SheetReader(ws._shared_strings, wb.data_only)
        return [(r, [_plain(c) for c in cells]) for r, cells in reader.rows(src)]


def _plain(cell):
    value = cell["value"]
    if hasattr(value, "ref"):  # ArrayFormula / DataTableFormula: compare their attributes
        value = (type(value).__name__, sorted((k, str(v)) for k, v in vars(value).items()))
    return cell["row"], cell["column"], value, cell["data_type"]


def _compare(data: bytes) -> int:
    compared = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for data_only in (False, True):
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
            for ws in wb.worksheets:
                expected = _openpyxl_rows(ws)
                assert _our_rows(ws) == expected, ws.title
                compared += sum(len(cells) for _, cells in expected)
            wb.close()
    return compared


def test_agrees_with_openpyxl_on_generated_workbooks():
    assert _compare(workbooks.basic()) > 0
    assert _compare(workbooks.circular()) > 0


@pytest.mark.corpus
def test_agrees_with_openpyxl_on_the_corpus(corpus_files):
    total = sum(_compare(path.read_bytes()) for path in corpus_files)
    assert total > 200_000
