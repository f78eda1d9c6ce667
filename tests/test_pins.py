"""The pins that keep a fresh install the same as the tested one."""

import re
from pathlib import Path

from procrastinate import schema

from tests.conftest import ROOT

SQL = ROOT / "db" / "sql"


def test_the_vendored_procrastinate_schema_is_the_installed_packages():
    (vendored,) = SQL.glob("procrastinate_*.sql")
    assert vendored.read_text() == schema.SchemaManager.get_schema(), (
        f"{vendored.name} differs from the installed procrastinate's schema: vendor the new schema "
        "in a migration, then move the pin in setup.cfg"
    )


def test_setup_cfg_pins_procrastinate_to_the_vendored_minor_version():
    (vendored,) = SQL.glob("procrastinate_*.sql")
    major, minor, _ = re.fullmatch(r"procrastinate_(\d+)_(\d+)_(\d+)\.sql", vendored.name).groups()
    setup = (ROOT / "setup.cfg").read_text()
    assert f"procrastinate~={major}.{minor}.0" in setup


def test_constraints_pin_every_direct_dependency():
    pinned = {
        line.split("==")[0].lower().replace("_", "-")
        for line in (ROOT / "constraints.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    }
    setup = (ROOT / "setup.cfg").read_text()
    block = re.search(r"install_requires =\n((?:    .+\n)+)", setup).group(1)
    extras = re.search(r"\[options\.extras_require\]\n((?:.+\n)+?)\n", setup).group(1)
    wanted = set()
    for line in (block + extras).splitlines():
        line = line.strip()
        if not line or line.startswith("#") or line.endswith("="):
            continue
        wanted.add(re.match(r"[A-Za-z0-9_.-]+", line).group(0).lower().replace("_", "-"))
    assert wanted - pinned == set()
    assert Path(ROOT / "Makefile").read_text().count("-c constraints.txt") >= 1
