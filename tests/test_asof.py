"""As-of evaluation (issue 11, cause 7): TODAY() and NOW() at the file's save time, or at the
instant the user gives, and compared with Excel's cached values like any other cell.

Expected values are computed here from the calendar: a serial is the days since 1899-12-30.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from psycopg.rows import dict_row

from importer import analysis, service
from importer.errors import BadInput
from tests import workbooks

EPOCH = dt.date(1899, 12, 30)
SAVED = dt.datetime(2024, 3, 15, 14, 30, 0)  # UTC, as core.xml writes it


def serial(day: dt.date) -> int:
    return (day - EPOCH).days


def serial_time(moment: dt.datetime) -> float:
    midnight = dt.datetime.combine(moment.date(), dt.time())
    return serial(moment.date()) + (moment - midnight).total_seconds() / 86400


def with_modified(data: bytes, modified: str | None) -> bytes:
    """The workbook with docProps/core.xml's dcterms:modified set to ``modified`` (None: left out)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename == "docProps/core.xml":
                element = b""
                if modified is not None:
                    element = (
                        b'<dcterms:modified xsi:type="dcterms:W3CDTF">'
                        + modified.encode()
                        + b"</dcterms:modified>"
                    )
                content = re.sub(rb"<dcterms:modified[^>]*>[^<]*</dcterms:modified>", element, content)
            dst.writestr(info, content)
    return out.getvalue()


def dated_workbook(at: dt.datetime, modified: str | None) -> bytes:
    """TODAY/NOW cells with the values Excel shows at the wall-clock time ``at``."""
    today = at.date()

    def fill(wb):
        ws = wb.add_worksheet("S")
        ws.write_formula("A1", "=TODAY()", None, serial(today))
        ws.write_formula("A2", "=NOW()", None, serial_time(at))
        years = today.year - 2020 - ((today.month, today.day) < (1, 1))
        ws.write_formula("A3", '=DATEDIF(DATE(2020,1,1),TODAY(),"Y")', None, years)
        ws.write_formula(
            "A4", "=YEARFRAC(DATE(2024,1,1),TODAY(),3)", None, abs((today - dt.date(2024, 1, 1)).days) / 365
        )  # YEARFRAC is never negative
        ws.write_formula("A5", "=A1+30", None, serial(today) + 30)
        month_end = (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        ws.write_formula("A6", "=EOMONTH(TODAY(),0)", None, serial(month_end))
        ws.write_formula("A7", '=TEXT(TODAY(),"yyyy-mm-dd")', None, today.isoformat())
        ws.write_formula("A8", "=RAND()", None, 0.5)
        ws.write_formula("A9", "=TODAY()+RAND()", None, serial(today) + 0.5)
        ws.write_formula("A10", "=A8*2", None, 1.0)

    return with_modified(workbooks.build(fill), modified)


AS_OF_CELLS = ["A1", "A2", "A3", "A4", "A5", "A6", "A7"]


def _cells(conn, model_id):
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute("SELECT * FROM cells WHERE model_id = %s", (model_id,)).fetchall()
    return {r["address"]: r for r in rows}


def _calc(conn, model_id) -> dict:
    return conn.execute("SELECT calc_settings FROM models WHERE id = %s", (model_id,)).fetchone()[0]


def test_today_and_now_at_the_files_save_time_match_excel(conn, engine, monkeypatch):
    monkeypatch.delenv(analysis.AS_OF_TZ_SETTING, raising=False)
    result = service.import_file(dated_workbook(SAVED, "2024-03-15T14:30:00Z"), "saved", engine=engine)
    cells = _cells(conn, result.model_id)
    for address in AS_OF_CELLS:
        assert (address, cells[address]["has_mismatch"], cells[address]["mismatch_reason"]) == (
            address,
            False,
            None,
        )
    assert cells["A1"]["calculated_value"] == serial(dt.date(2024, 3, 15))
    assert cells["A2"]["calculated_value"] == pytest.approx(
        serial(dt.date(2024, 3, 15)) + 14.5 / 24, abs=1e-9
    )
    assert (result.as_of_comparable, result.as_of_matched) == (7, 7)
    # RAND and everything that reads it stay volatile, TODAY()+RAND() too.
    for address in ("A8", "A9", "A10"):
        assert cells[address]["mismatch_reason"] == "volatile", address
    assert result.volatile == 3
    assert result.comparable == 7 and result.matched == 7
    calc = _calc(conn, result.model_id)
    assert calc["as_of"] == "2024-03-15T14:30:00Z"
    assert (calc["as_of_source"], calc["as_of_tz"], calc["as_of_local"]) == (
        "file_modified",
        "UTC",
        "2024-03-15T14:30:00",
    )
    assert result.calc_settings["as_of_source"] == "file_modified"


def test_the_users_as_of_overrides_the_save_time(conn, engine, monkeypatch):
    monkeypatch.delenv(analysis.AS_OF_TZ_SETTING, raising=False)
    data = dated_workbook(SAVED, "2024-03-15T14:30:00Z")
    result = service.import_file(data, "later", engine=engine, as_of="2025-01-02T06:00:00")
    cells = _cells(conn, result.model_id)
    assert cells["A1"]["calculated_value"] == serial(dt.date(2025, 1, 2))
    assert cells["A2"]["calculated_value"] == pytest.approx(serial(dt.date(2025, 1, 2)) + 0.25, abs=1e-9)
    assert cells["A3"]["calculated_value"] == 5
    assert cells["A7"]["calculated_text"] == "2025-01-02"
    # Excel cached the 2024 values: at another instant they differ, and are counted so.
    assert cells["A1"]["mismatch_reason"] == "value_differs"
    assert (result.as_of_comparable, result.as_of_matched) == (7, 0)
    calc = _calc(conn, result.model_id)
    assert (calc["as_of"], calc["as_of_source"]) == ("2025-01-02T06:00:00Z", "user")

    # A workbook saved at the user's instant matches again; a date alone is midnight.
    at = dt.datetime(2023, 7, 1)
    result = service.import_file(
        dated_workbook(at, "2024-03-15T14:30:00Z"), "dated", engine=engine, as_of="2023-07-01"
    )
    assert (result.as_of_comparable, result.as_of_matched) == (7, 7)


def test_an_offset_in_as_of_is_converted_to_the_as_of_time_zone(conn, engine, monkeypatch):
    monkeypatch.setenv(analysis.AS_OF_TZ_SETTING, "Asia/Tokyo")  # UTC+9, no daylight saving
    # 2024-03-15T20:00-05:00 is 2024-03-16T01:00Z, 10:00 on the 16th in Tokyo.
    at = dt.datetime(2024, 3, 16, 10, 0)
    result = service.import_file(
        dated_workbook(at, None), "tokyo", engine=engine, as_of="2024-03-15T20:00:00-05:00"
    )
    assert (result.as_of_comparable, result.as_of_matched) == (7, 7)
    calc = _calc(conn, result.model_id)
    assert (calc["as_of"], calc["as_of_tz"], calc["as_of_local"]) == (
        "2024-03-16T01:00:00Z",
        "Asia/Tokyo",
        "2024-03-16T10:00:00",
    )


def test_the_save_time_is_read_in_the_as_of_time_zone(conn, engine, monkeypatch):
    # Saved at 02:30 UTC on the 15th: still the 14th in New York (UTC-4 in March 2024).
    monkeypatch.setenv(analysis.AS_OF_TZ_SETTING, "America/New_York")
    at = dt.datetime(2024, 3, 14, 22, 30)
    result = service.import_file(dated_workbook(at, "2024-03-15T02:30:00Z"), "ny", engine=engine)
    cells = _cells(conn, result.model_id)
    assert cells["A1"]["calculated_value"] == serial(dt.date(2024, 3, 14))
    assert (result.as_of_comparable, result.as_of_matched) == (7, 7)
    # The same file read in UTC gives the 15th, which is not what this Excel cached.
    monkeypatch.setenv(analysis.AS_OF_TZ_SETTING, "UTC")
    result = service.import_file(dated_workbook(at, "2024-03-15T02:30:00Z"), "utc", engine=engine)
    assert _cells(conn, result.model_id)["A1"]["calculated_value"] == serial(dt.date(2024, 3, 15))
    assert result.as_of_matched < 7


def test_a_file_without_a_save_time_is_computed_now(conn, engine, monkeypatch):
    monkeypatch.delenv(analysis.AS_OF_TZ_SETTING, raising=False)
    before = dt.datetime.now(dt.UTC)
    result = service.import_file(dated_workbook(SAVED, None), "undated", engine=engine)
    after = dt.datetime.now(dt.UTC)
    calc = _calc(conn, result.model_id)
    assert calc["as_of_source"] == "now"
    used = dt.datetime.fromisoformat(calc["as_of"])
    assert before <= used <= after
    today = _cells(conn, result.model_id)["A1"]["calculated_value"]
    assert today in (serial(before.date()), serial(after.date()))


def test_bad_as_of_values_and_time_zones_are_refused_with_a_sentence(monkeypatch):
    for bad in ("yesterday", "15/03/2024", "2024-13-01", "2024", "", "1899-12-31", "2024-03-15T25:00"):
        with pytest.raises(ValueError, match="as_of"):
            analysis.parse_as_of(bad)
    assert analysis.parse_as_of("2024-03-15") == dt.datetime(2024, 3, 15)
    assert analysis.parse_as_of("2024-03-15T10:30:00Z") == dt.datetime(2024, 3, 15, 10, 30, tzinfo=dt.UTC)
    with pytest.raises(BadInput, match="as_of"):
        analysis.resolve_as_of(None, "not a date")
    monkeypatch.setenv(analysis.AS_OF_TZ_SETTING, "Mars/Olympus")
    with pytest.raises(BadInput, match="CAPITALLENS_AS_OF_TZ"):
        analysis.resolve_as_of("2024-03-15T14:30:00Z")


def test_a_malformed_save_time_falls_back_to_now():
    assert analysis.resolve_as_of("last Tuesday").source == "now"
    assert analysis.resolve_as_of("2024-03-15T14:30:00").instant == dt.datetime(
        2024, 3, 15, 14, 30, tzinfo=dt.UTC
    )


# -- The user's instant through the CLI, the upload field and the queue ---------------------


def test_cli_as_of_direct_and_a_bad_value(database, tmp_path, monkeypatch):
    import json

    from click.testing import CliRunner

    from cli import main

    monkeypatch.delenv(analysis.AS_OF_TZ_SETTING, raising=False)
    path = tmp_path / "dated.xlsx"
    path.write_bytes(dated_workbook(dt.datetime(2025, 1, 2, 6, 0), "2024-03-15T14:30:00Z"))
    args = ["import", "--file", str(path), "--name", "D", "--direct", "--json"]
    result = CliRunner().invoke(main, [*args, "--as-of", "2025-01-02T06:00:00Z"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["calc_settings"]["as_of"], data["calc_settings"]["as_of_source"]) == (
        "2025-01-02T06:00:00Z",
        "user",
    )
    assert (data["as_of_comparable"], data["as_of_matched"]) == (7, 7)
    bad = CliRunner().invoke(main, [*args, "--as-of", "next week"])
    assert bad.exit_code == 2
    assert "--as-of must be an ISO 8601 date" in bad.output and "Traceback" not in bad.output


def test_upload_as_of_goes_through_the_queue_and_a_bad_one_is_400(database, conn, tmp_path):
    import web
    from tests.test_web import assert_error, upload
    from tests.test_worker import Workers, finished, wait_for
    from web import db as web_db

    app = web.create_app({"TESTING": True})
    try:
        client = app.test_client()
        data = dated_workbook(dt.datetime(2025, 1, 2), "2024-03-15T14:30:00Z")
        for bad in ("soon", "2025-02-30", "x" * 65):
            error = assert_error(upload(client, data, as_of=bad), 400, "bad_request")
            assert error["details"]["field"] == "as_of"
            assert "as_of" in error["message"]
        response = upload(client, data, as_of="2025-01-02")
        assert response.status_code == 202, response.get_data(as_text=True)
        job_id = response.get_json()["job_id"]
    finally:
        web_db.close(app)
    params = conn.execute("SELECT params FROM job_runs WHERE job_id = %s", (job_id,)).fetchone()[0]
    assert params["as_of"] == "2025-01-02"

    workers = Workers(database, tmp_path)
    try:
        workers.start(**{analysis.AS_OF_TZ_SETTING: "UTC"})
        status, _, model_id, error, result = wait_for(lambda: finished(conn, job_id), what="job end")
    finally:
        workers.stop_all()
    assert (status, error) == ("success", None), workers.logs()
    calc = _calc(conn, model_id)
    assert (calc["as_of"], calc["as_of_source"]) == ("2025-01-02T00:00:00Z", "user")
    assert (result["as_of_comparable"], result["as_of_matched"]) == (7, 7)


def test_fidelity_report_has_an_as_of_line_and_a_line_without_add_in_cells(database, tmp_path, monkeypatch):
    from importer import fidelity
    from tests.test_validate import _add_in_workbook

    monkeypatch.delenv(analysis.AS_OF_TZ_SETTING, raising=False)
    folder = tmp_path / "excel"
    folder.mkdir()
    (folder / "someone__models__dated.xlsx").write_bytes(dated_workbook(SAVED, "2024-03-15T14:30:00Z"))
    (folder / "someone__models__addins.xlsx").write_bytes(_add_in_workbook())
    report = fidelity.run([folder], None)
    # dated: 7 comparable as-of cells, all matching (RAND left out); add-ins: 9 comparable, of
    # which 7 are fed by an add-in or VBA function, 1 matches (D1) and 1 is FROBNICATE.
    assert "| as-of cells (depend on TODAY or NOW) | 1 | 7 | 7 | 100.00% | - |" in report
    assert (
        "| all cells no add-in or VBA function feeds | 2 (1 with such cells) | 9 | 8 | 88.89% | - |" in report
    )
    assert "| all workbooks | 2 | 16 | 8 | 50.00% |" in report


def test_revalidation_keeps_the_users_as_of(conn, engine, monkeypatch):
    monkeypatch.delenv(analysis.AS_OF_TZ_SETTING, raising=False)
    data = dated_workbook(dt.datetime(2025, 1, 2, 6, 0), "2024-03-15T14:30:00Z")
    imported = service.import_file(data, "kept", engine=engine, as_of="2025-01-02T06:00:00")
    assert imported.matched == 7
    again = service.revalidate(imported.model_id, engine=engine)
    assert again["matched"] == 7  # at the save time (2024-03-15) all seven would differ
    assert _cells(conn, imported.model_id)["A1"]["calculated_value"] == serial(dt.date(2025, 1, 2))
