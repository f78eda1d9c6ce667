"""Reading CAPITALLENS_* settings from the environment, and checking them all at start.

Modules read their settings through ``integer``, ``number``, ``flag`` and ``choice``. A bad
value never raises where it is read (often at import, where it would be a traceback): the
default is used and the problem is kept. ``check()``, called once when a command, the worker
or the web app starts, raises the first problem as ``InvalidSetting``: one sentence that names
the variable. The CLI prints it as one line and exits 2.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import TypeVar

from importer.errors import CapitalLensError

T = TypeVar("T")


class InvalidSetting(CapitalLensError):
    """A CAPITALLENS_* setting has a value that cannot be used."""

    code = "invalid_setting"


# Each setting read so far: name -> a function that reads and checks it again.
_READ: dict[str, Callable[[], object]] = {}


def _read(name: str, default: T, parse: Callable[[str], T]) -> T:
    def value() -> T:
        raw = os.environ.get(name, "").strip()
        return parse(raw) if raw else default

    _READ[name] = value
    try:
        return value()
    except InvalidSetting:
        return default  # check() reports it


def integer(name: str, default: int, *, minimum: int = 0) -> int:
    """A whole number of at least ``minimum`` (commas and underscores allowed: 5_000_000)."""

    def parse(raw: str) -> int:
        try:
            value = int(raw.replace("_", "").replace(",", ""))
        except ValueError:
            raise InvalidSetting(f"{name}={raw!r} is not a whole number.") from None
        if value < minimum:
            raise InvalidSetting(f"{name}={raw!r} must be at least {minimum}.")
        return value

    return _read(name, default, parse)


def number(name: str, default: float, *, above: float = 0.0) -> float:
    """A number greater than ``above`` (seconds, megabytes...)."""

    def parse(raw: str) -> float:
        try:
            value = float(raw)
        except ValueError:
            raise InvalidSetting(f"{name}={raw!r} is not a number.") from None
        if not value > above or value != value or value == float("inf"):
            raise InvalidSetting(f"{name}={raw!r} must be a number above {above:g}.")
        return value

    return _read(name, default, parse)


def flag(name: str, default: bool) -> bool:
    """1/true/yes/on or 0/false/no/off."""

    def parse(raw: str) -> bool:
        value = raw.lower()
        if value in ("1", "true", "yes", "on"):
            return True
        if value in ("0", "false", "no", "off"):
            return False
        raise InvalidSetting(f"{name}={raw!r} is not true or false (1/0, yes/no, on/off).")

    return _read(name, default, parse)


def choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    """One of ``choices``, in any case (``json``, ``JSON``); returned as spelled in ``choices``."""

    def parse(raw: str) -> str:
        for option in choices:
            if raw.lower() == option.lower():
                return option
        raise InvalidSetting(f"{name}={raw!r} is not one of {', '.join(choices)}.")

    return _read(name, default, parse)


def check(names: Iterable[str] | None = None) -> None:
    """Read every setting again (or those ``names``); raise InvalidSetting for the first bad one."""
    for name, value in list(_READ.items()):
        if names is None or name in names:
            value()
