"""The procrastinate App, on psycopg, connected to the database db.engine resolves, and the
worker loop that runs it with its maintenance timer."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import procrastinate

from db import engine as db_engine
from worker import logs, rescue

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


async def serve(config: rescue.MaintenanceConfig, *, concurrency: int, grace: float) -> None:
    """Run the worker on QUEUE with its own maintenance timer beside it, until a signal stops it.

    Its lines, procrastinate's and the jobs' (with their ids), in one format (worker/logs.py)."""
    logs.configure()
    async with app.open_async():
        maintenance = asyncio.create_task(rescue.run_forever(app, config))
        try:
            await app.run_worker_async(
                queues=[QUEUE],
                concurrency=concurrency,
                shutdown_graceful_timeout=grace,
                update_heartbeat_interval=config.heartbeat_interval,
                stalled_worker_timeout=config.stalled_after,
                fetch_job_polling_interval=config.poll_interval,
                install_signal_handlers=True,
            )
        finally:
            maintenance.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await maintenance
