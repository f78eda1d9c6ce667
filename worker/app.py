"""The procrastinate App, on psycopg, connected to the database db.engine resolves."""

from __future__ import annotations

from typing import Any

import procrastinate

from db import engine as db_engine

QUEUE = "capitallens"


class Connector(procrastinate.PsycopgConnector):
    """A PsycopgConnector that resolves the database URL when it opens, not at import."""

    @property
    def _pool_args(self) -> dict[str, Any]:
        return {"conninfo": db_engine.resolve().url, **self._extra_pool_args}

    @_pool_args.setter
    def _pool_args(self, value: dict[str, Any]) -> None:
        self._extra_pool_args = value


app = procrastinate.App(connector=Connector(), import_paths=["worker.tasks"])
