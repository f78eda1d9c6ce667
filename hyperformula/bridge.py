"""Drive the long-lived Node process in engine.js.

The process speaks line-delimited JSON on stdin/stdout: one request per line, one response per
line. It is started on first use and reused by later workbooks (a warm HyperFormula builds 2-6x
faster). Each request has a timeout and the process a heap cap; when Node dies or hangs the
request fails with EngineCrashed or EngineTimeout, the process is discarded, and the next
request starts a fresh one.
"""

from __future__ import annotations

import collections
import json
import os
import selectors
import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from importer.errors import EngineCrashed, EngineError, EngineTimeout

HERE = Path(__file__).resolve().parent
ENGINE_JS = HERE / "engine.js"

DEFAULT_TIMEOUT = float(os.environ.get("CAPITALLENS_ENGINE_TIMEOUT", "900"))
DEFAULT_MAX_MEMORY_MB = int(os.environ.get("CAPITALLENS_ENGINE_MAX_MEMORY_MB", "4096"))


def node_executable() -> str:
    node = os.environ.get("CAPITALLENS_NODE") or shutil.which("node")
    if not node:
        raise EngineError(
            "Node.js was not found on PATH; install Node.js 20 or set CAPITALLENS_NODE."
        )
    return node


class Engine:
    """One Node process running engine.js; not thread-safe (one request at a time)."""

    def __init__(
        self, *, timeout: float = DEFAULT_TIMEOUT, max_memory_mb: int = DEFAULT_MAX_MEMORY_MB
    ):
        self.timeout = timeout
        self.max_memory_mb = max_memory_mb
        self._proc: subprocess.Popen | None = None
        self._stderr: collections.deque[str] = collections.deque(maxlen=50)
        self._next_id = 0
        self._buffer = b""
        self.version: str | None = None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    def start(self) -> None:
        if not (HERE / "node_modules" / "hyperformula").is_dir():
            raise EngineError(
                "HyperFormula is not installed: run `npm ci --prefix hyperformula` (or `make install`)."
            )
        # HyperFormula evaluates formulas recursively: a 2,000-term sum overflows Node's default
        # stack. Raise the OS stack limit and V8's with it, when the system allows.
        launcher = (
            'ulimit -s 1048576 2>/dev/null && exec "$0" --stack-size=262144 "$@"; exec "$0" "$@"'
        )
        self._proc = subprocess.Popen(
            ["/bin/sh", "-c", launcher, node_executable(), f"--max-old-space-size={self.max_memory_mb}",
             str(ENGINE_JS)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=HERE,
        )
        self._buffer = b""
        self._stderr.clear()
        self._stderr_thread = threading.Thread(
            target=self._drain_stderr, args=(self._proc,), daemon=True
        )
        self._stderr_thread.start()
        self.version = self._call({"op": "ping"}, timeout=60)["version"]

    def _drain_stderr(self, proc: subprocess.Popen) -> None:
        for line in proc.stderr:
            self._stderr.append(line.decode("utf-8", "replace").rstrip())

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            proc.stdin.close()
            proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait()
        self._release(proc)

    def kill(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            proc.kill()
            proc.wait()
            self._release(proc)

    def _release(self, proc: subprocess.Popen) -> None:
        for stream in (proc.stdin, proc.stdout):
            try:
                stream.close()
            except (OSError, ValueError):
                pass
        thread = getattr(self, "_stderr_thread", None)
        if thread is not None:
            thread.join(timeout=2)
        try:
            proc.stderr.close()
        except (OSError, ValueError):
            pass

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def request(
        self,
        payload: dict[str, Any],
        *,
        timeout: float | None = None,
        on_wait: Callable[[float], None] | None = None,
    ) -> dict[str, Any]:
        """Send one request and return its response; starts Node if needed."""
        if self._proc is None or self._proc.poll() is not None:
            self.start()
        return self._call(payload, timeout=timeout or self.timeout, on_wait=on_wait)

    def evaluate(
        self,
        sheets: list[dict],
        names: list[dict],
        *,
        config: dict | None = None,
        iterate: dict | None = None,
        on_wait: Callable[[float], None] | None = None,
    ) -> dict:
        payload = {"op": "evaluate", "sheets": sheets, "names": names}
        if config:
            payload["config"] = config
        if iterate:
            payload["iterate"] = iterate
        return self.request(payload, on_wait=on_wait)

    def _call(
        self,
        payload: dict[str, Any],
        *,
        timeout: float,
        on_wait: Callable[[float], None] | None = None,
    ) -> dict[str, Any]:
        self._next_id += 1
        payload = {"id": self._next_id, **payload}
        proc = self._proc
        line = json.dumps(payload, separators=(",", ":"), allow_nan=False).encode() + b"\n"
        # Written from a thread: a hung Node stops reading, and a blocked write must not hang us.
        writer = threading.Thread(target=self._write, args=(proc, line), daemon=True)
        writer.start()
        started = time.monotonic()
        response = self._read_line(proc, started, timeout, on_wait)
        writer.join(timeout=1)
        try:
            message = json.loads(response)
        except json.JSONDecodeError as exc:
            self.kill()
            raise EngineError(f"The engine sent an unreadable answer: {exc}") from exc
        if message.get("id") != payload["id"]:
            self.kill()
            raise EngineError("The engine answered a different request.")
        if not message.get("ok"):
            err = message.get("error") or {}
            raise EngineError(
                f"The engine failed: {err.get('type', 'Error')}: {err.get('message', '')}",
                engine_error=err,
            )
        return message

    @staticmethod
    def _write(proc: subprocess.Popen, line: bytes) -> None:
        try:
            proc.stdin.write(line)
            proc.stdin.flush()
        except (BrokenPipeError, OSError, ValueError):
            pass  # the reader reports the dead process

    def _read_line(
        self,
        proc: subprocess.Popen,
        started: float,
        timeout: float,
        on_wait: Callable[[float], None] | None,
    ) -> bytes:
        fd = proc.stdout.fileno()
        with selectors.DefaultSelector() as sel:
            sel.register(fd, selectors.EVENT_READ)
            while b"\n" not in self._buffer:
                elapsed = time.monotonic() - started
                if elapsed > timeout:
                    self.kill()
                    raise EngineTimeout(
                        f"The engine did not answer within {timeout:.0f} s "
                        "(CAPITALLENS_ENGINE_TIMEOUT); it was stopped.",
                        timeout_seconds=timeout,
                    )
                if sel.select(timeout=min(1.0, timeout - elapsed)):
                    chunk = os.read(fd, 1 << 20)
                    if not chunk:
                        self._died(proc)
                    self._buffer += chunk
                elif on_wait is not None:
                    on_wait(elapsed)
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line

    def _died(self, proc: subprocess.Popen) -> None:
        code = proc.wait()
        self._proc = None
        self._release(proc)  # joins the stderr reader, so the last lines are in
        everything = "\n".join(self._stderr)
        tail = "\n".join(list(self._stderr)[-8:])
        if "heap out of memory" in everything or "Allocation failed" in everything:
            raise EngineCrashed(
                f"The engine ran out of memory (limit {self.max_memory_mb} MB, "
                "CAPITALLENS_ENGINE_MAX_MEMORY_MB).",
                exit_code=code,
                stderr=tail[-2000:],
            )
        raise EngineCrashed(
            f"The engine process exited with code {code}.", exit_code=code, stderr=tail[-2000:]
        )


_shared: Engine | None = None
_shared_lock = threading.Lock()


def shared_engine() -> Engine:
    """The process-wide engine, started on first use and reused by later imports."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Engine()
        return _shared
