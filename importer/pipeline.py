"""The names callers knew before the analysis and the service were parted; use those modules.

- importer/analysis.py: bytes in, cells with our values and verdicts out (no database);
- importer/service.py: an analysis stored (``import_file``, ``import_stored``, ``revalidate``).

Kept only for the callers still written against them: cli/imports.py (``run_import`` for
``--direct``, ``parse_as_of`` for ``--as-of``), web/imports.py (``parse_as_of``), and tests
(``run_import``, ``run_validation``, ``analyse``, ``resolve_as_of``, ``AS_OF_TZ_SETTING``).
"""

from __future__ import annotations

from importer import analysis, service

__all__ = ["AS_OF_TZ_SETTING", "analyse", "parse_as_of", "resolve_as_of", "run_import", "run_validation"]

AS_OF_TZ_SETTING = analysis.AS_OF_TZ_SETTING
analyse = analysis.analyse
parse_as_of = analysis.parse_as_of
resolve_as_of = analysis.resolve_as_of
run_import = service.import_file
run_validation = service.revalidate
