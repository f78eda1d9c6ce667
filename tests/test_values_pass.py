"""The values pass in a helper process (importer/values_pass.py): the same cells as when both
reads run here, and a helper that fails costs nothing but time."""

import io
import re
import zipfile

import pytest

from bench import generate
from importer import limits, values_pass, workbook
from importer.errors import InvalidWorkbook
from tests import workbooks


def _cells(wb):
    return [
        (s.name, c.row, c.col, c.kind, c.formula, c.raw, c.constant, c.array_ref)
        for s in wb.sheets
        for c in s.cells
    ]


@pytest.fixture
def helper(monkeypatch):
    """Every workbook's values read by the helper, however small."""
    monkeypatch.setattr(limits, "PARALLEL_READ_BYTES", 1)
    yield
    values_pass._stop()


@pytest.fixture(scope="module")
def model():
    return generate.financial_model(3000)  # 5 sheets, about 24k cells


def _read_here(data, monkeypatch):
    monkeypatch.setattr(limits, "PARALLEL_READ_BYTES", 0)
    try:
        return workbook.read(data)
    finally:
        monkeypatch.undo()


def test_the_helper_reads_the_same_values(helper, model, monkeypatch):
    for data in (model, workbooks.basic()):
        elsewhere = workbook.read(data)
        assert values_pass._helper is not None and values_pass._helper.poll() is None
        monkeypatch.setattr(limits, "PARALLEL_READ_BYTES", 0)
        here = workbook.read(data)
        monkeypatch.setattr(limits, "PARALLEL_READ_BYTES", 1)
        assert _cells(elsewhere) == _cells(here)
        assert sum(len(s.cells) for s in here.sheets) > 10


def test_the_helper_is_kept_for_the_next_workbook(helper, model):
    workbook.read(model)
    pid = values_pass._helper.pid
    workbook.read(model)
    assert values_pass._helper.pid == pid


def test_a_helper_killed_mid_sheet_leaves_the_rest_to_this_process(helper, model, monkeypatch, caplog):
    expected = _cells(_read_here(model, monkeypatch))
    monkeypatch.setattr(limits, "PARALLEL_READ_BYTES", 1)
    calls, killed = [], []

    def kill_once(fraction, message):
        calls.append(fraction)
        if len(calls) == 3 and values_pass._helper is not None:  # 2,000 rows into the first sheet
            killed.append(values_pass._helper.pid)
            values_pass._helper.kill()

    with caplog.at_level("INFO", logger="importer.values_pass"):
        assert _cells(workbook.read(model, kill_once)) == expected
    assert killed
    resumed = [int(m) for m in re.findall(r"values read in-process from row (\d+)", caplog.text)]
    assert resumed and resumed[0] > 0, caplog.text
    # The next workbook starts a new helper.
    assert _cells(workbook.read(model)) == expected
    assert values_pass._helper.pid != killed[0]


def _with_bad_string_index(data: bytes) -> bytes:
    """The last sheet's first shared-string cell points past the table."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    sheets = sorted(n for n in src.namelist() if n.startswith("xl/worksheets/sheet"))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename == sheets[-1]:
                content = re.sub(rb'(t="s"[^>]*><v>)\d+', rb"\g<1>999999", content, count=1)
            dst.writestr(info, content)
    return out.getvalue()


def test_a_damaged_sheet_is_the_same_error_either_way(helper, model, monkeypatch):
    bad = _with_bad_string_index(model)
    with pytest.raises(InvalidWorkbook) as elsewhere:
        workbook.read(bad)
    monkeypatch.setattr(limits, "PARALLEL_READ_BYTES", 0)
    with pytest.raises(InvalidWorkbook) as here:
        workbook.read(bad)
    assert elsewhere.value.to_dict() == here.value.to_dict()
    assert "shared string 999999" in here.value.message
    monkeypatch.setattr(limits, "PARALLEL_READ_BYTES", 1)
    assert _cells(workbook.read(model)) == _cells(_read_here(model, monkeypatch))  # the helper serves on


def test_small_workbooks_are_read_here(model):
    values_pass._stop()
    assert limits.PARALLEL_READ_BYTES > len(workbooks.basic())
    workbook.read(workbooks.basic())
    assert values_pass._helper is None
