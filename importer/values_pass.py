"""The values pass of a workbook, Excel's cached values, read in a process of its own.

The workbook is read twice (policy 3): once for its formulas and constants, once for the values
Excel cached. The two reads share nothing, so for a workbook of some size the values pass runs
in a helper process, on the other core, while this process reads the formulas. The helper
streams each sheet's rows in chunks through a pipe, and workbook._read_sheet meets them with the
formulas cell by cell as before, checking that they agree. The pipe holds little, so the helper
is never more than a chunk or two ahead: no sheet of values waits whole in memory.

The helper is ``python -m importer.values_pass``, started on first use and kept (starting
Python with openpyxl costs about half a second), one workbook at a time. A workbook of less
than ``limits.PARALLEL_READ_BYTES`` of sheet XML is read here: handing it over costs more than
it saves. A helper that fails in any way (it could not start, it died, it raised) is not the
workbook's failure: the rest of that sheet, and the sheets after it, are read here, in step with
the formulas, as they always were, and the formulas pass reports whatever is wrong with the file.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import pickle
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from importer import archive, limits, sheetxml

logger = logging.getLogger(__name__)

# One row of values: its number, and each cell's (value, data type) as sheetxml reads them.
Row = tuple[int, list[tuple[object, str]]]
CHUNK_ROWS = 1000

_helper: subprocess.Popen | None = None
_lock = threading.Lock()  # one workbook at a time uses the helper; another reads here


def local_rows(reader: sheetxml.SheetReader, source) -> Iterator[Row]:
    """A values pass read here, in the helper's shape."""
    for row, cells in reader.rows(source):
        yield row, [(c["value"], c["data_type"]) for c in cells]


class Reading:
    """The helper's values of one workbook, sheet after sheet, in the order they were asked."""

    def __init__(self, proc: subprocess.Popen, parts: list[str]):
        self.proc = proc
        self.parts = parts
        self.next = 0  # the index of the sheet the stream is at
        self.broken = False

    def rows(self, part: str, local: Iterator[Row]) -> Iterator[Row]:
        """The rows of ``part``, from the helper while it serves, then from ``local``."""
        if self.broken or self.next >= len(self.parts) or self.parts[self.next] != part:
            yield from local
            return
        self.next += 1
        seen = 0
        try:
            while True:
                kind, body = pickle.load(self.proc.stdout)
                if kind == "end":
                    return
                if kind != "rows":
                    raise RuntimeError(body)
                seen += len(body)
                yield from body
        except Exception as exc:  # died, raised, or sent what we cannot read
            logger.info("values read in-process from row %s of %s: %s", seen, part, exc)
            self.broken = True
            _stop()
        yield from islice(local, seen, None)


@contextlib.contextmanager
def reading(data: bytes, parts: list[tuple[str, str]], shared_strings: list[str], size: int):
    """Within the block, a Reading of the sheets given as (sheet, part), or None when the values
    are better read here: ``size``, the bytes of sheet XML, under PARALLEL_READ_BYTES (0: never
    in a helper), or the helper busy with another workbook or not to be had."""
    if not parts or limits.PARALLEL_READ_BYTES == 0 or size < limits.PARALLEL_READ_BYTES:
        yield None
        return
    if not _lock.acquire(blocking=False):
        yield None
        return
    try:
        with tempfile.NamedTemporaryFile(prefix="capitallens-", suffix=".xlsx") as copy:
            copy.write(data)  # the helper reads it from the page cache, not through the pipe
            copy.flush()
            reading = _ask(copy.name, parts, shared_strings)
            yield reading
            if reading is not None and (reading.broken or reading.next < len(parts)):
                _stop()  # stopped early: what it still streams is no one's
    except BaseException:
        _stop()
        raise
    finally:
        _lock.release()


def _ask(path: str, parts: list[tuple[str, str]], shared_strings: list[str]) -> Reading | None:
    global _helper
    try:
        if _helper is not None and _helper.poll() is not None:
            _stop()  # it died between two workbooks
        if _helper is None:
            _helper = subprocess.Popen(
                [sys.executable, "-m", "importer.values_pass"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
            )
        pickle.dump((path, parts, shared_strings), _helper.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        _helper.stdin.flush()
        return Reading(_helper, [part for _, part in parts])
    except OSError as exc:
        logger.warning("values read in-process: the helper process could not start (%s)", exc)
        _stop()
        return None


def _stop() -> None:
    global _helper
    proc, _helper = _helper, None
    if proc is not None:
        proc.kill()
        proc.wait()
        for stream in (proc.stdin, proc.stdout):
            with contextlib.suppress(OSError):
                stream.close()


@atexit.register
def _close() -> None:
    """At exit, the helper's stdin closes and it ends; a helper that lingers is killed."""
    global _helper
    proc, _helper = _helper, None
    if proc is None:
        return
    with contextlib.suppress(OSError):
        proc.stdin.close()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    with contextlib.suppress(OSError):
        proc.stdout.close()


def _serve() -> None:
    """The helper: for each workbook asked on stdin, each sheet's rows in chunks on stdout."""
    out = sys.stdout.buffer
    while True:
        try:
            path, parts, shared_strings = pickle.load(sys.stdin.buffer)
        except EOFError:
            return  # the importer is gone
        try:
            with archive.Archive(Path(path).read_bytes(), archive.Budget()) as zf:
                for sheet, part in parts:
                    with zf.open(part) as source:
                        rows = local_rows(sheetxml.SheetReader(shared_strings, True, None, sheet), source)
                        while chunk := list(islice(rows, CHUNK_ROWS)):
                            pickle.dump(("rows", chunk), out, protocol=pickle.HIGHEST_PROTOCOL)
                            out.flush()
                    pickle.dump(("end", None), out)
                    out.flush()
        except Exception as exc:
            pickle.dump(("error", f"{type(exc).__name__}: {exc}"), out)
            out.flush()


if __name__ == "__main__":
    _serve()
