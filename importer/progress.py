"""Stage-by-stage progress: fixed percent bands, never backwards, and a cancellation check.

| stage        | percent |
|--------------|---------|
| hashing      | 5       |
| parsing      | 10-30   |
| dependencies | 30-40   |
| evaluation   | 40-80   |
| insertion    | 80-95   |
| validation   | 95-99   |
| complete     | 100     |
"""

from __future__ import annotations

import time
from collections.abc import Callable

from importer.errors import Cancelled

STAGES: dict[str, tuple[float, float]] = {
    "hashing": (5.0, 5.0),
    "parsing": (10.0, 30.0),
    "dependencies": (30.0, 40.0),
    "evaluation": (40.0, 80.0),
    "insertion": (80.0, 95.0),
    "validation": (95.0, 99.0),
    "complete": (100.0, 100.0),
}

Callback = Callable[[str, float, str], None]


class Reporter:
    """Maps a stage's own 0..1 fraction into its percent band and forwards it.

    Repeated reports with the same percent and message are dropped, except that a report at
    least ``heartbeat`` seconds after the last one always goes through, so long stages keep
    moving. ``should_abort`` is checked on every report; when it answers true the import stops
    with Cancelled at that point.
    """

    def __init__(
        self,
        callback: Callback | None = None,
        *,
        should_abort: Callable[[], bool] | None = None,
        heartbeat: float = 1.0,
    ):
        self.callback = callback
        self.should_abort = should_abort
        self.heartbeat = heartbeat
        self.stage: str | None = None  # set by begin()
        self.percent = 0.0
        self._last = (None, None)
        self._last_time = 0.0
        self.timings: dict[str, float] = {}
        self._stage_started = time.perf_counter()

    def begin(self, stage: str, message: str = "") -> None:
        now = time.perf_counter()
        if self.stage is not None and self.stage != stage:
            self.timings[self.stage] = round(self.timings.get(self.stage, 0.0) + now - self._stage_started, 4)
        self.stage = stage
        self._stage_started = now
        self.report(0.0, message or stage)

    def finish(self) -> None:
        """Close the timing of the current stage."""
        self.begin("complete", "complete")

    def report(self, fraction: float, message: str = "") -> None:
        if self.should_abort is not None and self.should_abort():
            raise Cancelled(f"The job was cancelled during {self.stage}.", stage=self.stage)
        low, high = STAGES[self.stage]
        fraction = min(max(fraction, 0.0), 1.0)
        percent = max(self.percent, round(low + (high - low) * fraction, 2))
        now = time.monotonic()
        key = (percent, message)
        if key == self._last and now - self._last_time < self.heartbeat:
            return
        self.percent = percent
        self._last = key
        self._last_time = now
        if self.callback is not None:
            self.callback(self.stage, percent, message)

    def __call__(self, fraction: float, message: str = "") -> None:
        self.report(fraction, message)
