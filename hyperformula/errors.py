"""The engine's own exceptions, raised by bridge.py. Each docstring is the default message.

The engine knows nothing of the importer: importer/evaluate.py turns these into the importer's
errors (importer/errors.py), with their codes and HTTP statuses. ``details`` carries what the
caller may want to show: the limit and the setting that raises it, the exit code, the reason.
"""

from __future__ import annotations

from typing import Any


class EngineError(Exception):
    """The formula engine (HyperFormula under Node.js) failed."""

    def __init__(self, message: str | None = None, **details: Any):
        self.message = message or (self.__doc__ or "").strip()
        self.details = details
        super().__init__(self.message)


class EngineCrashed(EngineError):
    """The formula engine process died (killed, or exited)."""


class EngineOutOfMemory(EngineCrashed):
    """The formula engine process ran out of its memory limit."""


class EngineTimeout(EngineError):
    """The formula engine did not answer within its time limit."""
