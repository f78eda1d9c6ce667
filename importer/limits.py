"""Input limits. Each one can be changed with the environment variable named beside it."""

from __future__ import annotations

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


# The largest upload/workbook file accepted, in bytes.
MAX_FILE_BYTES = _int("CAPITALLENS_MAX_FILE_BYTES", 50 * 1024 * 1024)
# The most bytes the workbook's zip parts may expand to, and the largest expansion ratio.
MAX_UNCOMPRESSED_BYTES = _int("CAPITALLENS_MAX_UNCOMPRESSED_BYTES", 2 * 1024**3)
MAX_ZIP_RATIO = _int("CAPITALLENS_MAX_ZIP_RATIO", 200)
# The most non-empty cells in one workbook.
MAX_CELLS = _int("CAPITALLENS_MAX_CELLS", 5_000_000)
# The longest formula. Excel itself stops at 8,192 characters; other tools write longer ones.
MAX_FORMULA_LENGTH = _int("CAPITALLENS_MAX_FORMULA_LENGTH", 65_536)
