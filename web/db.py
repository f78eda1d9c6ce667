"""One psycopg pool per process, opened on first use: never before gunicorn forks, and a
forked child that inherits a pool opens its own."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from flask import Flask, current_app
from psycopg_pool import ConnectionPool, PoolTimeout

from db import engine as db_engine
from importer.errors import DatabaseUnavailable

EXTENSION = "capitallens_db"


class Pool:
    def __init__(self, url: str | None, size: int, timeout: float):
        self._url = url
        self._size = size
        self._timeout = timeout
        self._pool: ConnectionPool | None = None
        self._pid = 0
        self._lock = threading.Lock()

    def get(self) -> ConnectionPool:
        with self._lock:
            if self._pool is None or self._pid != os.getpid():
                self._pool = ConnectionPool(
                    self._url or db_engine.resolve().url,
                    min_size=1,
                    max_size=self._size,
                    timeout=self._timeout,
                    kwargs={"autocommit": True, "connect_timeout": max(1, int(self._timeout))},
                    check=ConnectionPool.check_connection,
                    open=False,
                    name="capitallens-web",
                )
                self._pool.open(wait=False)
                self._pid = os.getpid()
            return self._pool

    def close(self) -> None:
        with self._lock:
            if self._pool is not None and self._pid == os.getpid():
                self._pool.close()
            self._pool = None


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = Pool(
        app.config["DATABASE_URL"], app.config["DB_POOL_SIZE"], app.config["DB_POOL_TIMEOUT"]
    )


def close(app: Flask) -> None:
    """Close this process's pool (tests, shutdown)."""
    app.extensions[EXTENSION].close()


@contextmanager
def connection() -> Iterator[psycopg.Connection]:
    """An autocommit connection from the pool; ``conn.transaction()`` for more than one statement."""
    try:
        with current_app.extensions[EXTENSION].get().connection() as conn:
            yield conn
    except PoolTimeout as exc:
        raise DatabaseUnavailable(f"No database connection within the pool timeout: {exc}") from exc
