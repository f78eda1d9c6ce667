"""The project's exceptions. Each docstring is the default message.

Excel errors (#DIV/0!, #N/A...) are values, not exceptions; they never appear here.
"""

from __future__ import annotations

from typing import Any


class CapitalLensError(Exception):
    """Something went wrong in CapitalLens."""

    code = "internal_error"
    http_status = 500
    retryable = False

    def __init__(self, message: str | None = None, *, stage: str | None = None, **details: Any):
        self.message = message or (self.__doc__ or "").strip()
        self.stage = stage
        self.details = details
        super().__init__(self.message)

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.code,
            "message": self.message,
            "stage": self.stage,
            "details": self.details,
        }


class BadInput(CapitalLensError):
    """The input cannot be imported."""

    code = "bad_input"
    http_status = 422


class InvalidWorkbook(BadInput):
    """The file is not a readable Excel workbook (.xlsx or .xlsm)."""

    code = "invalid_workbook"
    http_status = 415


class WorkbookTooLarge(BadInput):
    """The workbook is larger than the configured limits allow."""

    code = "workbook_too_large"
    http_status = 413


class WorkbookTooComplex(BadInput):
    """The workbook would cost more to compute than the configured limits allow."""

    code = "workbook_too_complex"
    http_status = 422


class EngineError(CapitalLensError):
    """The formula engine (HyperFormula under Node.js) failed."""

    code = "engine_error"
    http_status = 500


class EngineCrashed(EngineError):
    """The formula engine process died (out of memory, or killed)."""

    code = "engine_crashed"


class EngineTimeout(WorkbookTooComplex, EngineError):
    """The formula engine did not answer within its time limit (the engine time budget)."""

    code = "workbook_too_complex"
    http_status = 422


class NotFound(CapitalLensError):
    """No such object."""

    code = "not_found"
    http_status = 404


class Conflict(CapitalLensError):
    """The request conflicts with the current state."""

    code = "conflict"
    http_status = 409


class Cancelled(CapitalLensError):
    """The job was cancelled."""

    code = "cancelled"
    http_status = 409


class DatabaseUnavailable(CapitalLensError):
    """The database could not be reached."""

    code = "database_unavailable"
    http_status = 503
    retryable = True
