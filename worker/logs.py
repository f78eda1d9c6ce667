"""One logging configuration for the worker, the web app and gunicorn.

Every line goes to stderr (gunicorn's access log to its own file or stdout) in one format:

- ``CAPITALLENS_LOG_FORMAT``: ``text`` (the default: ``time LEVEL logger [job 12]: message``) or
  ``json`` (one object a line: time, level, logger, message, job_id, exception);
- ``CAPITALLENS_LOG_LEVEL``: DEBUG, INFO (the default), WARNING, ERROR or CRITICAL.

Both are read and checked with the other settings when a command starts (importer/settings.py).
A line written while a job runs carries the job's id, whatever module wrote it (importer/,
hyperformula/, procrastinate): the task sets it around the work (``job``), and a filter on the
handler adds it to each record. The core only ever calls ``logging.getLogger(__name__)``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sys
import time
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any, TextIO

from importer import settings

FORMAT_SETTING = "CAPITALLENS_LOG_FORMAT"
LEVEL_SETTING = "CAPITALLENS_LOG_LEVEL"
FORMATS = ("text", "json")
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
TEXT = "%(asctime)s %(levelname)s %(name)s%(job)s: %(message)s"


def log_format() -> str:
    return settings.choice(FORMAT_SETTING, "text", FORMATS)


def log_level() -> str:
    return settings.choice(LEVEL_SETTING, "INFO", LEVELS)


# Read once here so that settings.check() checks them wherever this module is imported.
log_format()
log_level()

_job_id: ContextVar[int | None] = ContextVar("capitallens_job_id", default=None)


@contextlib.contextmanager
def job(job_id: int) -> Iterator[None]:
    """Every line logged in this context (this thread, and what it starts) carries ``job_id``."""
    token = _job_id.set(job_id)
    try:
        yield
    finally:
        _job_id.reset(token)


class JobFilter(logging.Filter):
    """Sets ``record.job_id``: the job running in this context, else the one a procrastinate
    record is about (its ``job`` extra holds our task's ``job_id`` argument), else None."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "job_id", None) is None:
            record.job_id = _job_id.get() or _procrastinate_job_id(record)
        return True


def _procrastinate_job_id(record: logging.LogRecord) -> int | None:
    job = getattr(record, "job", None)
    kwargs = job.get("task_kwargs") if isinstance(job, dict) else None
    value = kwargs.get("job_id") if isinstance(kwargs, dict) else None
    return value if isinstance(value, int) else None


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__(TEXT)

    def format(self, record: logging.LogRecord) -> str:
        job_id = getattr(record, "job_id", None)
        record.job = f" [job {job_id}]" if job_id is not None else ""
        return super().format(record)


class JsonFormatter(logging.Formatter):
    """One JSON object a line; a traceback is one string field, never lines of its own."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": _iso(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        job_id = getattr(record, "job_id", None)
        if job_id is not None:
            line["job_id"] = job_id
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, default=str, ensure_ascii=False)


def _iso(created: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(created)) + f".{int(created % 1 * 1000):03d}Z"


def formatter(kind: str | None = None) -> logging.Formatter:
    """The formatter CAPITALLENS_LOG_FORMAT names (or ``kind``)."""
    return JsonFormatter() if (kind or log_format()) == "json" else TextFormatter()


def handler(stream: TextIO | None = None, kind: str | None = None) -> logging.Handler:
    """A stream handler (stderr by default) in the configured format, with the job filter."""
    out = logging.StreamHandler(stream or sys.stderr)
    out.setFormatter(formatter(kind))
    out.addFilter(JobFilter())
    out._capitallens = True  # type: ignore[attr-defined]
    return out


def configure(*, replace: bool = True, stream: TextIO | None = None) -> None:
    """Send every logger's lines to one handler in the configured format and level.

    ``replace=True`` (the worker) takes the place of any earlier configuration of ours and of
    ``logging.basicConfig``'s plain stream handler; ``replace=False`` (the web app) does nothing
    when the root logger already has handlers (gunicorn's logconfig_dict, pytest's capture).
    """
    root = logging.getLogger()
    if not replace and root.handlers:
        return
    for old in list(root.handlers):
        if getattr(old, "_capitallens", False) or type(old) is logging.StreamHandler:
            root.removeHandler(old)
    root.addHandler(handler(stream))
    root.setLevel(log_level())


def gunicorn_config(access_log: str | None) -> dict:
    """gunicorn's ``logconfig_dict``: its error log, its access log and the app's lines in the
    same format. ``access_log``: a file, ``-`` for stdout, or None for no access log."""
    kind = log_format()
    if access_log is None:
        access = {"class": "logging.NullHandler"}
    elif access_log == "-":
        access = {"()": f"{__name__}.handler", "stream": "ext://sys.stdout", "kind": kind}
    else:
        access = {
            "class": "logging.FileHandler",
            "filename": access_log,
            "formatter": "capitallens",
            "filters": ["job"],
        }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"job": {"()": f"{__name__}.JobFilter"}},
        "formatters": {"capitallens": {"()": f"{__name__}.formatter", "kind": kind}},
        "handlers": {
            "stderr": {"()": f"{__name__}.handler", "kind": kind},
            "access": access,
        },
        "root": {"level": log_level(), "handlers": ["stderr"]},
        "loggers": {
            # gunicorn sets gunicorn.error's level from its own --log-level.
            "gunicorn.error": {"handlers": [], "propagate": True},
            "gunicorn.access": {"level": "INFO", "handlers": ["access"], "propagate": False},
        },
    }


def check() -> None:
    """The two settings, for a process that starts without the CLI (gunicorn.conf.py):
    InvalidSetting names the variable."""
    settings.check([FORMAT_SETTING, LEVEL_SETTING])
