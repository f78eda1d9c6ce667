"""The progress of a job as the CLI shows it: a bar redrawn in place on a terminal, plain lines
otherwise (logs, pipes, CI)."""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Callable
from typing import TextIO


def clock(seconds: float) -> str:
    """12:05, or 1:02:05 past an hour."""
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class ProgressBar:
    """Called with (stage, percent, message) for each progress row.

    On a terminal the line is ``[####-----]  42.0% evaluation  0:12 ETA 0:17  message``, redrawn
    with ``\\r`` and never wider than the terminal minus one column, so it never wraps. The ETA
    is the elapsed time scaled by what is left of the percent.
    """

    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        tty: bool | None = None,
        columns: Callable[[], int] | None = None,
        now: Callable[[], float] = time.monotonic,
    ):
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.columns = columns or (lambda: shutil.get_terminal_size().columns)
        self.now = now
        self.started = now()
        self._last_line: tuple | None = None
        self._drawn = 0  # width of the line on screen

    def line(self, stage: str, percent: float, message: str, width: int) -> str:
        """The bar's text for a terminal ``width`` columns wide (at most width - 1 long)."""
        elapsed = self.now() - self.started
        eta = f" ETA {clock(elapsed * (100 - percent) / percent)}" if 0 < percent < 100 else ""
        tail = f" {percent:5.1f}% {stage:<10} {clock(elapsed)}{eta}"
        room = width - 1
        bar = max(0, min(30, room - len(tail) - 2 - 12))  # leave the message a dozen columns
        text = (f"[{'#' * int(bar * percent / 100):-<{bar}}]" if bar else "") + tail
        if message:
            text += "  " + message
        return text[:room]

    def __call__(self, stage: str, percent: float, message: str = "") -> None:
        percent = float(percent)
        if self.tty:
            width = self.columns()
            text = self.line(stage, percent, message, width)
            # Blank what is left of a longer previous line, still within width - 1.
            self.stream.write("\r" + text.ljust(min(self._drawn, width - 1)))
            self.stream.flush()
            self._drawn = len(text)
            return
        key = (stage, round(percent), message)
        if key != self._last_line:
            self._last_line = key
            self.stream.write(f"[{percent:5.1f}%] {stage}: {message}\n")
            self.stream.flush()

    def close(self) -> None:
        if self.tty and self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = 0
