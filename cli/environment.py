"""Which environment variables each command reads, for its ``--help`` (click's epilog).

The settings themselves are read and checked in importer/settings.py, web/config.py and
worker/rescue.py; tests/test_cli.py checks that every variable those modules read is named in
the help of each command it affects.
"""

from __future__ import annotations

# db/engine.py: which database, and where the embedded one keeps its data.
DATABASE = ("DATABASE_URL", "PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE", "CAPITALLENS_HOME")

# The pipeline's limits and engine (importer/limits.py, importer/archive.py, importer/translate.py,
# importer/analysis.py, hyperformula/bridge.py): they apply where a workbook is read and evaluated.
PIPELINE = (
    "CAPITALLENS_MAX_FILE_BYTES",
    "CAPITALLENS_MAX_UNCOMPRESSED_BYTES",
    "CAPITALLENS_MAX_PART_BYTES",
    "CAPITALLENS_MAX_WHOLE_PART_BYTES",
    "CAPITALLENS_MAX_CELLS",
    "CAPITALLENS_MAX_SHARED_STRINGS",
    "CAPITALLENS_MAX_SHARED_STRING_CHARS",
    "CAPITALLENS_MAX_FORMULA_LENGTH",
    "CAPITALLENS_MAX_REFERENCED_CELLS",
    "CAPITALLENS_WORKER_MAX_MEMORY_MB",
    "CAPITALLENS_ENGINE_TIMEOUT",
    "CAPITALLENS_ENGINE_MAX_MEMORY_MB",
    "CAPITALLENS_PARALLEL_READ_BYTES",
    "CAPITALLENS_NODE",
    "CAPITALLENS_AS_OF_TZ",
)

# worker/rescue.py's maintenance settings: `worker --help` names them with their defaults.

# worker/logs.py: one logging configuration for the worker and the web app.
LOGGING = ("CAPITALLENS_LOG_LEVEL", "CAPITALLENS_LOG_FORMAT")

# web/config.py, web/auth.py, web/proxies.py; uploads are checked against the file size limit.
WEB = (
    "AUTH_REQUIRED",
    "CAPITALLENS_ALLOW_MACROS",
    "CAPITALLENS_UPLOAD_RATE_LIMIT",
    "CAPITALLENS_UPLOAD_RATE_WINDOW",
    "CAPITALLENS_WEB_POOL_SIZE",
    "CAPITALLENS_WEB_POOL_TIMEOUT",
    "CAPITALLENS_TRUSTED_PROXIES",
    "CAPITALLENS_MAX_FILE_BYTES",
    "CAPITALLENS_AS_OF_TZ",
)


def epilog(*groups: tuple[str, ...], lead: str = "") -> str:
    """'Environment: A, B, C.' for a command's --help (options with envvar= show theirs)."""
    names = list(dict.fromkeys(name for group in groups for name in group))
    text = "Environment: " + ", ".join(names) + "."
    return f"{lead}\n\n{text}" if lead else text
