"""Settings are read and checked in one place when a command starts: a bad value is one line
that names the variable, and exit status 2 — never a traceback."""

import os
import subprocess
import sys

import pytest

from importer import settings


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("CAPITALLENS_MAX_CELLS", "lots", "CAPITALLENS_MAX_CELLS='lots' is not a whole number."),
        ("CAPITALLENS_MAX_PART_BYTES", "0", "CAPITALLENS_MAX_PART_BYTES='0' must be at least 1."),
        ("CAPITALLENS_ENGINE_TIMEOUT", "-1", "CAPITALLENS_ENGINE_TIMEOUT='-1' must be a number above 0."),
        ("CAPITALLENS_ENGINE_MAX_MEMORY_MB", "1.5", "is not a whole number"),
        ("CAPITALLENS_ALLOW_MACROS", "maybe", "CAPITALLENS_ALLOW_MACROS='maybe' is not true or false"),
        ("CAPITALLENS_UPLOAD_RATE_LIMIT", "five", "CAPITALLENS_UPLOAD_RATE_LIMIT='five'"),
        ("CAPITALLENS_STALLED_AFTER", "soon", "CAPITALLENS_STALLED_AFTER='soon'"),
        ("CAPITALLENS_TRUSTED_PROXIES", "nope", "CAPITALLENS_TRUSTED_PROXIES"),
    ],
)
@pytest.mark.parametrize("args", [["--help"], ["models"]])
def test_a_bad_setting_is_one_line_and_exit_2(name, value, says, args):
    done = subprocess.run(
        [sys.executable, "-m", "cli", *args],
        env={**os.environ, name: value},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines() == [done.stderr.strip()], "one line"
    assert says in done.stderr and done.stderr.startswith("Error: ")
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_good_values_are_read_with_their_separators(monkeypatch):
    monkeypatch.setenv("CAPITALLENS_TEST_INT", "5_000_000")
    assert settings.integer("CAPITALLENS_TEST_INT", 1) == 5_000_000
    monkeypatch.setenv("CAPITALLENS_TEST_INT", "1,024")
    assert settings.integer("CAPITALLENS_TEST_INT", 1) == 1024
    monkeypatch.setenv("CAPITALLENS_TEST_FLAG", "Off")
    assert settings.flag("CAPITALLENS_TEST_FLAG", True) is False
    monkeypatch.delenv("CAPITALLENS_TEST_FLAG")
    assert settings.flag("CAPITALLENS_TEST_FLAG", True) is True


def test_a_bad_value_read_at_import_falls_back_and_check_reports_it(monkeypatch):
    monkeypatch.setenv("CAPITALLENS_TEST_LATE", "many")
    assert settings.integer("CAPITALLENS_TEST_LATE", 7) == 7  # no traceback where it is read
    with pytest.raises(settings.InvalidSetting, match="CAPITALLENS_TEST_LATE='many'"):
        settings.check()
    monkeypatch.setenv("CAPITALLENS_TEST_LATE", "8")
    settings.check()  # fixed: nothing to report
    monkeypatch.setenv("CAPITALLENS_TEST_LATE", "again")
    with pytest.raises(settings.InvalidSetting):  # it stays registered for the checks to come
        settings.check(["CAPITALLENS_TEST_LATE"])
