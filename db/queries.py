"""The SQL in queries.sql, loaded once into a dict keyed by the ``-- name: x --`` headers."""

from __future__ import annotations

import re
from pathlib import Path

_HEADER = re.compile(r"^-- name: (\w+) --$", re.MULTILINE)


def parse(text: str) -> dict[str, str]:
    """Split a queries file into {name: sql}. Names must be unique."""
    parts = _HEADER.split(text)
    queries: dict[str, str] = {}
    for name, body in zip(parts[1::2], parts[2::2], strict=True):
        if name in queries:
            raise ValueError(f"query {name!r} is defined twice")
        lines = [line for line in body.strip().splitlines() if not line.startswith("--")]
        queries[name] = "\n".join(lines).strip().rstrip(";")
    return queries


QUERIES = parse((Path(__file__).with_name("queries.sql")).read_text())


def __getattr__(name: str) -> str:
    try:
        return QUERIES[name]
    except KeyError:
        raise AttributeError(name) from None
