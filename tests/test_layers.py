"""The import rules of the house, checked on the source (AST), not by importing it.

- the core (importer/, hyperformula/) imports no glue: not click, Flask, procrastinate,
  gunicorn, nor worker/, web/ or cli/;
- db/ imports no glue either (it may use the core: importer.errors, importer.settings);
- worker/, web/ and cli/ are the glue: they may import the core and db/;
- bench/ imports nothing from tests/ (tests may use bench's helpers, not the other way).

- hyperformula/ (the engine and its bridge) imports nothing of the importer or db/ either: the
  importer passes it what it needs (its settings, the workbook), and it raises its own errors
  (hyperformula/errors.py), which importer/evaluate.py translates.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

GLUE = ("click", "flask", "werkzeug", "procrastinate", "gunicorn", "worker", "web", "cli")
FORBIDDEN = {
    "importer": GLUE,
    "hyperformula": (*GLUE, "importer", "db"),
    "db": GLUE,
    "bench": ("tests",),
}
# db/migrations run procrastinate's vendored SQL from db/sql, never the package: no exception.


def imported_modules(source: str, package: str = "") -> set[str]:
    """Every module a source imports (at any depth, also inside functions), absolute names;
    relative imports are resolved against ``package``."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)  # from x import y
    return found


def violations(source: str, package: str) -> list[str]:
    """The glue packages a module of ``package`` imports although the rules forbid it."""
    forbidden = FORBIDDEN.get(package.split(".")[0], ())
    return sorted({m.split(".")[0] for m in imported_modules(source, package)} & set(forbidden))


def _modules():
    for folder in FORBIDDEN:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "node_modules" in path.parts:
                continue
            relative = path.relative_to(ROOT).with_suffix("")
            package = ".".join(relative.parts[:-1])  # the package a relative import starts from
            yield path, package


@pytest.mark.parametrize(
    ("path", "package"),
    list(_modules()),
    ids=lambda v: str(v.relative_to(ROOT)) if isinstance(v, Path) else "",
)
def test_the_core_db_and_bench_keep_the_import_rules(path, package):
    assert violations(path.read_text(), package) == [], path.relative_to(ROOT)


def test_every_core_and_db_module_is_checked():
    checked = {p.relative_to(ROOT).parts[0] for p, _ in _modules()}
    assert checked == {"importer", "hyperformula", "db", "bench"}
    assert len(list(_modules())) > 30


@pytest.mark.parametrize(
    ("source", "package", "expected"),
    [
        ("import click", "importer", ["click"]),
        ("from flask import Blueprint", "importer.workbook", ["flask"]),
        ("def f():\n    from worker import enqueue\n", "importer", ["worker"]),
        ("import procrastinate.exceptions", "hyperformula", ["procrastinate"]),
        ("from web.client import Client", "db", ["web"]),
        ("from cli import support", "importer", ["cli"]),
        ("from .. import web", "db.migrations", []),  # db.web, not the web package
        ("from importer import errors\nimport psycopg", "hyperformula", ["importer"]),
        ("from db import engine", "hyperformula.bridge", ["db"]),
        ("from hyperformula import errors", "hyperformula.bridge", []),
        ("from db import queries", "importer", []),
        ("import click\nfrom worker import tasks", "worker", []),  # glue may import glue and core
        ("import clickhouse", "importer", []),  # a prefix is not the package
        ("from tests import workbooks", "bench", ["tests"]),
        ("from tests.test_web_gunicorn import upload", "bench.upload_latency", ["tests"]),
    ],
)
def test_the_checker_finds_a_broken_rule(source, package, expected):
    assert violations(source, package) == expected
