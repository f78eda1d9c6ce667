"""Input limits. Each one can be changed with the environment variable named beside it.

A bad value is reported by ``importer.settings.check()`` when a command starts, not here.
"""

from __future__ import annotations

from hyperformula import bridge
from importer import settings


def _int(name: str, default: int) -> int:
    return settings.integer(name, default, minimum=1)


# The largest upload/workbook file accepted, in bytes.
MAX_FILE_BYTES = _int("CAPITALLENS_MAX_FILE_BYTES", 50 * 1024 * 1024)
# The most bytes the workbook's zip parts may expand to, all parts together.
MAX_UNCOMPRESSED_BYTES = _int("CAPITALLENS_MAX_UNCOMPRESSED_BYTES", 1024**3)
# The most non-empty cells in one workbook.
MAX_CELLS = _int("CAPITALLENS_MAX_CELLS", 5_000_000)
# The longest formula. Excel itself stops at 8,192 characters; other tools write longer ones.
MAX_FORMULA_LENGTH = _int("CAPITALLENS_MAX_FORMULA_LENGTH", 65_536)
# Uncompressed bytes, counted while each part decompresses (zip headers are not trusted): per
# part, per part that is parsed whole (workbook.xml, relationships, properties, tables), and
# for the workbook (above: CAPITALLENS_MAX_UNCOMPRESSED_BYTES). A 1M-cell sheet is about 73 MB.
MAX_PART_BYTES = _int("CAPITALLENS_MAX_PART_BYTES", 512 * 1024**2)
MAX_WHOLE_PART_BYTES = _int("CAPITALLENS_MAX_WHOLE_PART_BYTES", 64 * 1024**2)
# Shared strings: how many, and their characters in all, counted while the part streams.
MAX_SHARED_STRINGS = _int("CAPITALLENS_MAX_SHARED_STRINGS", 1_000_000)
MAX_SHARED_STRING_CHARS = _int("CAPITALLENS_MAX_SHARED_STRING_CHARS", 256 * 1024**2)
# The worker's own resident memory while it parses a workbook, checked at intervals.
WORKER_MAX_MEMORY_MB = _int("CAPITALLENS_WORKER_MAX_MEMORY_MB", 2048)
# The most cells one formula may make the engine read, after ranges are cut to the used area
# of their sheet (importer/translate.py): a whole-sheet SUM over a 3x3 sheet reads 9. As many as
# a workbook may hold.
MAX_REFERENCED_CELLS = _int("CAPITALLENS_MAX_REFERENCED_CELLS", 5_000_000)
# Bytes of sheet XML from which Excel's cached values are read in a helper process, on another
# core, while the formulas are read (importer/values_pass.py); 0: always in one process.
PARALLEL_READ_BYTES = settings.integer("CAPITALLENS_PARALLEL_READ_BYTES", 2_000_000, minimum=0)
# The engine's limits per request: seconds, and Node's heap in MB (hyperformula/bridge.py takes
# them as arguments; the importer and the worker pass these).
ENGINE_TIMEOUT = settings.number("CAPITALLENS_ENGINE_TIMEOUT", bridge.DEFAULT_TIMEOUT)
ENGINE_MAX_MEMORY_MB = settings.integer(
    "CAPITALLENS_ENGINE_MAX_MEMORY_MB", bridge.DEFAULT_MAX_MEMORY_MB, minimum=16
)


def engine_options() -> dict:
    """The keyword arguments of ``hyperformula.bridge.Engine`` these settings give."""
    return {"timeout": ENGINE_TIMEOUT, "max_memory_mb": ENGINE_MAX_MEMORY_MB}
