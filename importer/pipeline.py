"""The names callers knew before the analysis and the service were parted; use those modules.

- importer/analysis.py: bytes in, cells with our values and verdicts out (no database);
- importer/service.py: an analysis stored (``import_file``, ``import_stored``, ``revalidate``).

Kept for the callers still written against them: importer/cli.py (``run_import`` for
``--direct``, ``parse_as_of`` for ``--as-of``), web/imports.py (``parse_as_of``) and tests.
"""

from __future__ import annotations

from importer import analysis, service
from importer.analysis import (
    AS_OF_TZ_SETTING,
    DEFAULT_AS_OF_TZ,
    Analysis,
    AsOf,
    as_of_zone,
    parse_as_of,
    resolve_as_of,
    sha256_of,
)
from importer.service import ImportResult

__all__ = [
    "AS_OF_TZ_SETTING",
    "DEFAULT_AS_OF_TZ",
    "Analysis",
    "AsOf",
    "ImportResult",
    "analyse",
    "as_of_zone",
    "parse_as_of",
    "resolve_as_of",
    "run_import",
    "run_validation",
    "sha256_of",
]

analyse = analysis.analyse
run_import = service.import_file
run_validation = service.revalidate
