"""The workbook's zip package, read within per-job budgets counted while the parts stream.

Nothing here trusts the sizes a zip header declares, except to refuse a part at once when its
header admits it is over budget: every byte handed to a parser is counted as it is
decompressed, per part and for the workbook, and the read stops at the first byte over.
The same ``Budget`` counts cells and shared strings while the XML streams, and checks the
worker's memory (RSS) at intervals, so a hostile file fails in seconds, not after the harm.
"""

from __future__ import annotations

import io
import os
import re
import resource
import zipfile

from importer import limits
from importer.errors import InvalidWorkbook, WorkbookTooComplex, WorkbookTooLarge

CHUNK = 1024 * 1024  # bytes read at a time when a part is read whole
MEMORY_CHECK_BYTES = 4 * 1024 * 1024  # check RSS after this many decompressed bytes...
MEMORY_CHECK_ITEMS = 65_536  # ...or this many cells or shared strings

XML_BOMB = (
    "The workbook is damaged or hostile: its XML declares a document type or entities "
    "(an XML bomb), which Excel never writes."
)


def rss_mb() -> float:
    """This process's resident memory now, in MB (Linux /proc; else the peak so far)."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Budget:
    """What one workbook has cost so far; each ``add_*`` raises on the first unit over a limit."""

    def __init__(self) -> None:
        self.part_bytes: dict[str, int] = {}  # the most bytes streamed from each part
        self.total_bytes = 0
        self.cells = 0
        self.strings = 0
        self.string_chars = 0
        self._since_check = 0.0  # in checks' worth

    def add_bytes(self, part: str, seen: int, limit: int, setting: str) -> None:
        """``seen`` bytes of ``part`` have now been decompressed by this read of it."""
        if seen > limit:
            raise WorkbookTooLarge(
                f"Part {part} expands past {limit:,} bytes, the limit for one part ({setting}).",
                stage="parsing",
                part=part,
                limit=limit,
                setting=setting,
            )
        before = self.part_bytes.get(part, 0)
        if seen > before:  # a second read of the same part (values after formulas) is free
            self.part_bytes[part] = seen
            self.total_bytes += seen - before
            if self.total_bytes > limits.MAX_UNCOMPRESSED_BYTES:
                raise WorkbookTooLarge(
                    f"The workbook expands past {limits.MAX_UNCOMPRESSED_BYTES:,} bytes "
                    "(CAPITALLENS_MAX_UNCOMPRESSED_BYTES).",
                    stage="parsing",
                    limit=limits.MAX_UNCOMPRESSED_BYTES,
                    setting="CAPITALLENS_MAX_UNCOMPRESSED_BYTES",
                )
            self._tick(seen - before, MEMORY_CHECK_BYTES)

    def add_cell(self, sheet: str, ref: str) -> None:
        self.cells += 1
        if self.cells > limits.MAX_CELLS:
            raise WorkbookTooLarge(
                f"The workbook has more than {limits.MAX_CELLS:,} non-empty cells "
                f"(CAPITALLENS_MAX_CELLS); the first over the limit is {sheet}!{ref}.",
                stage="parsing",
                limit=limits.MAX_CELLS,
                setting="CAPITALLENS_MAX_CELLS",
            )
        self._tick(1, MEMORY_CHECK_ITEMS)

    def add_string(self, text: str) -> None:
        self.strings += 1
        self.string_chars += len(text)
        if self.strings > limits.MAX_SHARED_STRINGS:
            raise WorkbookTooLarge(
                f"The workbook has more than {limits.MAX_SHARED_STRINGS:,} shared strings "
                "(CAPITALLENS_MAX_SHARED_STRINGS).",
                stage="parsing",
                limit=limits.MAX_SHARED_STRINGS,
                setting="CAPITALLENS_MAX_SHARED_STRINGS",
            )
        if self.string_chars > limits.MAX_SHARED_STRING_CHARS:
            raise WorkbookTooLarge(
                f"The workbook's shared strings hold more than {limits.MAX_SHARED_STRING_CHARS:,} "
                "characters (CAPITALLENS_MAX_SHARED_STRING_CHARS).",
                stage="parsing",
                limit=limits.MAX_SHARED_STRING_CHARS,
                setting="CAPITALLENS_MAX_SHARED_STRING_CHARS",
            )
        self._tick(1, MEMORY_CHECK_ITEMS)

    def _tick(self, amount: int, every: int) -> None:
        """Check memory once ``every`` units (bytes, or cells and strings) have gone by."""
        self._since_check += amount / every
        if self._since_check >= 1:
            self._since_check = 0.0
            self.check_memory()

    def check_memory(self) -> None:
        used = rss_mb()
        if used > limits.WORKER_MAX_MEMORY_MB:
            raise WorkbookTooComplex(
                f"Reading the workbook took the worker to {used:,.0f} MB of memory; the limit is "
                f"{limits.WORKER_MAX_MEMORY_MB:,} MB (CAPITALLENS_WORKER_MAX_MEMORY_MB).",
                stage="parsing",
                limit_mb=limits.WORKER_MAX_MEMORY_MB,
                setting="CAPITALLENS_WORKER_MAX_MEMORY_MB",
            )


class Archive(zipfile.ZipFile):
    """A read-only zip whose parts are counted against a ``Budget`` as they decompress.

    ``open`` streams a part (worksheets, shared strings): up to CAPITALLENS_MAX_PART_BYTES.
    ``read`` returns a part whole, for a parser that builds its whole tree (workbook.xml,
    relationships, properties, tables): up to CAPITALLENS_MAX_WHOLE_PART_BYTES, and never with
    a DTD, so no entity can expand.
    """

    def __init__(self, data: bytes, budget: Budget, *, check_sizes: bool = True):
        super().__init__(io.BytesIO(data))
        self.budget = budget
        self._kept: dict[str, bytes | None] = {}  # parts read whole more than once
        if check_sizes:
            self.check_sizes()

    def check_sizes(self) -> None:
        """Refuse at once a part or a workbook whose headers admit it is over budget."""
        budget = self.budget
        declared = 0
        for info in self.infolist():
            declared += info.file_size
            if info.file_size > limits.MAX_PART_BYTES:
                budget.add_bytes(
                    info.filename, info.file_size, limits.MAX_PART_BYTES, "CAPITALLENS_MAX_PART_BYTES"
                )
        if declared > limits.MAX_UNCOMPRESSED_BYTES:
            raise WorkbookTooLarge(
                f"The workbook's parts declare {declared:,} bytes; the limit is "
                f"{limits.MAX_UNCOMPRESSED_BYTES:,} (CAPITALLENS_MAX_UNCOMPRESSED_BYTES).",
                stage="parsing",
                limit=limits.MAX_UNCOMPRESSED_BYTES,
                setting="CAPITALLENS_MAX_UNCOMPRESSED_BYTES",
            )

    def open(self, name, mode="r", pwd=None, *, force_zip64=False):
        if mode != "r":
            raise ValueError("The workbook archive is read-only.")
        part = getattr(name, "filename", name)
        return Counted(
            super().open(name, "r", pwd),
            part,
            self.budget,
            limits.MAX_PART_BYTES,
            "CAPITALLENS_MAX_PART_BYTES",
        )

    def keep(self, part: str) -> None:
        """Keep this part's bytes once read whole, for the next reader of it."""
        self._kept.setdefault(part, None)

    def read(self, name, pwd=None) -> bytes:
        part = getattr(name, "filename", name)
        kept = self._kept.get(part)
        if kept is not None:
            return kept
        data = self._read_whole(name, part, pwd)
        if part in self._kept:
            self._kept[part] = data
        return data

    def _read_whole(self, name, part: str, pwd) -> bytes:
        limit = min(limits.MAX_PART_BYTES, limits.MAX_WHOLE_PART_BYTES)
        with Counted(
            super().open(name, "r", pwd), part, self.budget, limit, "CAPITALLENS_MAX_WHOLE_PART_BYTES"
        ) as src:
            data = src.read()
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            raise InvalidWorkbook(XML_BOMB, stage="parsing", part=part)
        return data


# The fewest bytes a non-empty cell takes in sheet XML (`<c><v>1</v></c>`): sheets whose declared
# sizes add up to less than MAX_CELLS of these cannot hold too many cells (a header that
# understates a part fails its CRC), and need no count before the read.
MIN_CELL_BYTES = 15
_CELL_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?c>")


def precount_cells(zf: Archive, parts: list[str]) -> None:
    """Refuse a workbook with more than MAX_CELLS cells before parsing any of them.

    Counting a cell while parsing costs tens of microseconds; counting its closing tag in the
    decompressed bytes costs a fraction of one. Empty styled cells (`<c r="A1" s="2"/>`) close
    themselves and are not counted, as the parser does not count them.
    """
    sizes = [zf.getinfo(p).file_size for p in parts]
    if sum(sizes) <= limits.MAX_CELLS * MIN_CELL_BYTES:
        return
    cells = 0
    for part in parts:
        tail = b""
        with zf.open(part) as src:
            while chunk := src.read(CHUNK):
                data = tail + chunk
                cells += len(_CELL_END.findall(data))
                # Keep the unfinished end: a tag split across two chunks is counted once.
                cut = data.rfind(b"<")
                tail = data[cut:] if cut >= 0 and b">" not in data[cut:] else b""
                if cells > limits.MAX_CELLS:
                    raise WorkbookTooLarge(
                        f"The workbook has more than {limits.MAX_CELLS:,} non-empty cells "
                        f"(CAPITALLENS_MAX_CELLS); counted before parsing, in {part}.",
                        stage="parsing",
                        limit=limits.MAX_CELLS,
                        setting="CAPITALLENS_MAX_CELLS",
                    )


class Counted(io.RawIOBase):
    """A part's decompressed bytes, each counted against the budget before a parser sees it."""

    def __init__(self, source, part: str, budget: Budget, limit: int, setting: str):
        self.source = source
        self.part = part
        self.budget = budget
        self.limit = limit
        self.setting = setting
        self.seen = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            return b"".join(iter(lambda: self.read(CHUNK), b""))
        data = self.source.read(min(size, CHUNK))
        self.seen += len(data)
        self.budget.add_bytes(self.part, self.seen, self.limit, self.setting)
        return data

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self.source.close()
        super().close()
