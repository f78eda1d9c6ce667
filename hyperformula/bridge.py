"""Drive the long-lived Node process in engine.js.

The process speaks line-delimited JSON on stdin/stdout: one request per line, one response per
line. It is started on first use and reused by later workbooks (a warm HyperFormula builds 2-6x
faster). Its lifecycle:

- Any exception while a request is in flight ends that process: the engine's time limit
  (EngineTimeout), Node dying (EngineCrashed, or EngineOutOfMemory when it ran out of its heap),
  and the caller's own ``on_wait`` raising (Cancelled on a cancel, a lost database connection).
  A process left mid-request would give its old answer to the next request. The next request
  starts a fresh process.
- ``on_wait`` is called about once a second while Node computes, so a cancel is seen, and Node
  killed, within about a second.
- Node never outlives this Python process. On Linux it is forked with PR_SET_PDEATHSIG=SIGKILL,
  which the kernel delivers even while Node is busy in a long synchronous computation, and
  engine.js also exits when its stdin closes. The signal is tied to the thread that forked the
  child, not to the process, so every engine is forked from one spawner thread that lives as
  long as the process (see _Spawner): worker pool threads and short-lived request threads come
  and go, and the engines they started must not die with them.
- An evaluate request may send its last fields later (``request(..., rest=fn)``): ``fn`` runs
  here while Node loads and evaluates the sheets, and what it returns follows on a second line
  (engine.js: "follows"). The importer builds its dependency graph that way, on the other core.
- Node's stderr goes to this module's log, never into an error's details: a V8 crash report
  names paths and internals. Errors carry at most a short, sanitised one-line reason.
"""

from __future__ import annotations

import collections
import ctypes
import json
import logging
import os
import queue
import re
import selectors
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from hyperformula.errors import EngineCrashed, EngineError, EngineOutOfMemory, EngineTimeout

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
ENGINE_JS = HERE / "engine.js"

# Defaults of one request's time and Node's heap. The importer passes the values of
# CAPITALLENS_ENGINE_TIMEOUT and CAPITALLENS_ENGINE_MAX_MEMORY_MB (importer/limits.py); this
# package reads no setting itself.
DEFAULT_TIMEOUT = 900.0
DEFAULT_MAX_MEMORY_MB = 4096
# Seconds between two calls of a request's on_wait (progress, and the cancel check) while Node computes.
WAIT_INTERVAL = 1.0


def node_executable() -> str:
    node = os.environ.get("CAPITALLENS_NODE") or shutil.which("node")
    if not node:
        raise EngineError("Node.js was not found on PATH; install Node.js 20 or set CAPITALLENS_NODE.")
    return node


PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _load_prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_prctl = _load_prctl()


def _die_with(parent: int) -> Callable[[], None] | None:
    """A preexec_fn: the child gets SIGKILL when its parent dies (Linux; None elsewhere).

    The setting survives the launcher's ``exec node``. Checked after setting it: a parent that
    died between fork and prctl would never send it.
    """
    if _prctl is None:
        return None
    prctl = _prctl

    def preexec() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:
            os._exit(1)

    return preexec


class _Spawner:
    """Forks engine processes from one daemon thread that lives as long as this process.

    PR_SET_PDEATHSIG fires when the thread that forked the child exits, not the process. Jobs
    run in worker pool threads, and the shared engine may be started by a request thread; forked
    from those, an engine would die with its thread while another thread still used it. A
    daemon thread is never joined: it ends with the process, and only then does Node get the
    signal. After a fork (gunicorn, multiprocessing) the child starts a spawner of its own.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jobs: queue.SimpleQueue | None = None
        self._pid: int | None = None

    def popen(self, args: list[str], **kwargs: Any) -> subprocess.Popen:
        with self._lock:
            if self._jobs is None or self._pid != os.getpid():
                self._jobs, self._pid = queue.SimpleQueue(), os.getpid()
                threading.Thread(
                    target=self._serve, args=(self._jobs,), name="engine-spawner", daemon=True
                ).start()
            jobs = self._jobs
        future: Future[subprocess.Popen] = Future()
        jobs.put((future, args, kwargs))
        return future.result()

    @staticmethod
    def _serve(jobs: queue.SimpleQueue) -> None:
        while True:
            future, args, kwargs = jobs.get()
            try:
                future.set_result(subprocess.Popen(args, preexec_fn=_die_with(os.getpid()), **kwargs))
            except BaseException as exc:  # handed to the caller, who raises it
                future.set_exception(exc)


_spawner = _Spawner()

_PATH = re.compile(r"(?:[A-Za-z]:)?(?:[\\/][\w.@+-]+)+")
_ERROR_LINE = re.compile(r"^(?:FATAL ERROR: |\w*(?:Error|Exception)\b)")


def _reason(lines: list[str]) -> str | None:
    """One short line saying why Node died, without paths or stack frames, or None."""
    for line in reversed(lines):
        if _ERROR_LINE.match(line.strip()):
            text = _PATH.sub("<path>", line.strip())
            text = "".join(ch for ch in text if ch.isprintable())
            return text[:200]
    return None


class Engine:
    """One Node process running engine.js; not thread-safe (one request at a time)."""

    def __init__(self, *, timeout: float = DEFAULT_TIMEOUT, max_memory_mb: int = DEFAULT_MAX_MEMORY_MB):
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
        # stack. Raise the OS stack limit and V8's with it, when the system allows. Either way
        # the shell execs Node: the process (and its pid) is Node's.
        launcher = 'ulimit -s 1048576 2>/dev/null && exec "$0" --stack-size=262144 "$@"; exec "$0" "$@"'
        self._proc = _spawner.popen(
            [
                "/bin/sh",
                "-c",
                launcher,
                node_executable(),
                f"--max-old-space-size={self.max_memory_mb}",
                str(ENGINE_JS),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=HERE,
        )
        self._buffer = b""
        self._stderr.clear()
        self._stderr_thread = threading.Thread(target=self._drain_stderr, args=(self._proc,), daemon=True)
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
        self._buffer = b""

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
        rest: Callable[[], dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """Send one request and return its response; starts Node if needed.

        ``on_wait(elapsed)`` is called about every WAIT_INTERVAL seconds until the answer comes;
        whatever it raises ends the request and the process (see the module docstring).
        ``rest()``, for an evaluate request, is called once the request is sent and works while
        the engine loads and evaluates the sheets; the fields it returns (``iteration``) are
        sent after, and the engine finishes with them (engine.js: "follows").
        """
        if self._proc is None or self._proc.poll() is not None:
            self.start()
        return self._call(payload, timeout=timeout or self.timeout, on_wait=on_wait, rest=rest)

    def evaluate(
        self,
        sheets: list[dict],
        names: list[dict],
        *,
        config: dict | None = None,
        workbook: dict | None = None,
        on_wait: Callable[[float], None] | None = None,
    ) -> dict:
        """Evaluate sheets alone; ``config``: HyperFormula settings over config.js's; ``workbook``:
        ``{"file_name", "directory"}`` for CELL("filename") and INFO("directory"). The importer
        sends the whole request itself (importer/evaluate.py): tables, cycles, data tables."""
        payload = {"op": "evaluate", "sheets": sheets, "names": names}
        if config:
            payload["config"] = config
        if workbook:
            payload["workbook"] = workbook
        return self.request(payload, on_wait=on_wait)

    def _call(
        self,
        payload: dict[str, Any],
        *,
        timeout: float,
        on_wait: Callable[[float], None] | None = None,
        rest: Callable[[], dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        self._next_id += 1
        payload = {"id": self._next_id, **payload, **({"follows": True} if rest else {})}
        proc = self._proc
        line = _encode(payload)
        try:
            # Written from a thread: a hung Node stops reading, and a blocked write must not hang us.
            started = time.monotonic()
            writer = self._send(proc, line)
            if rest is not None:
                more = _encode({"id": payload["id"], "op": "continue", **rest()})  # while the engine computes
                writer = self._send(proc, more, after=writer)
            response = self._read_line(proc, started, timeout, on_wait)
            writer.join(timeout=1)
            message = json.loads(response)
        except json.JSONDecodeError as exc:
            self._discard(proc)
            raise EngineError(f"The engine sent an unreadable answer: {exc}") from exc
        except BaseException:
            # Whatever stopped us, Node is still computing this request, or dead: never reuse it.
            self._discard(proc)
            raise
        if message.get("id") != payload["id"]:
            self._discard(proc)
            raise EngineError("The engine answered a different request.")
        if not message.get("ok"):
            # The request failed inside engine.js, which caught it: the process is sound.
            err = message.get("error") or {}
            raise EngineError(
                f"The engine failed: {err.get('type', 'Error')}: {err.get('message', '')}",
                engine_error=err,
            )
        return message

    def _discard(self, proc: subprocess.Popen | None) -> None:
        if proc is not None and self._proc is proc:
            self.kill()

    def _send(
        self, proc: subprocess.Popen, line: bytes, after: threading.Thread | None = None
    ) -> threading.Thread:
        """Write ``line`` from a thread, once the thread ``after`` has written its own."""
        writer = threading.Thread(target=self._write, args=(proc, line, after), daemon=True)
        writer.start()
        return writer

    @staticmethod
    def _write(proc: subprocess.Popen, line: bytes, after: threading.Thread | None = None) -> None:
        if after is not None:
            after.join()
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
        next_wait = started + WAIT_INTERVAL
        with selectors.DefaultSelector() as sel:
            sel.register(fd, selectors.EVENT_READ)
            while b"\n" not in self._buffer:
                now = time.monotonic()
                elapsed = now - started
                if elapsed > timeout:
                    raise EngineTimeout(
                        f"The engine did not answer within {timeout:.0f} s; it was stopped. "
                        "Raise CAPITALLENS_ENGINE_TIMEOUT to allow more.",
                        limit="engine_timeout",
                        limit_value=timeout,
                        setting="CAPITALLENS_ENGINE_TIMEOUT",
                    )
                # Called on time even while an answer streams in: it carries the cancel check.
                if now >= next_wait:
                    if on_wait is not None:
                        on_wait(elapsed)
                    next_wait = time.monotonic() + WAIT_INTERVAL
                if sel.select(timeout=max(0.0, min(next_wait - now, timeout - elapsed))):
                    chunk = os.read(fd, 1 << 20)
                    if not chunk:
                        self._died(proc)
                    self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line

    def _died(self, proc: subprocess.Popen) -> None:
        code = proc.wait()
        self._proc = None
        self._buffer = b""
        self._release(proc)  # joins the stderr reader, so the last lines are in
        lines = list(self._stderr)
        logger.warning(
            "engine pid %s exited with code %s; its last stderr lines:\n%s",
            proc.pid,
            code,
            "\n".join(lines[-20:]) or "(none)",
        )
        everything = "\n".join(lines)
        if "heap out of memory" in everything or "Allocation failed" in everything:
            raise EngineOutOfMemory(
                f"The workbook needs more memory to compute than the engine's limit of "
                f"{self.max_memory_mb:,} MB (engine max memory); raise "
                "CAPITALLENS_ENGINE_MAX_MEMORY_MB to allow more.",
                limit="engine_max_memory_mb",
                limit_value=self.max_memory_mb,
                setting="CAPITALLENS_ENGINE_MAX_MEMORY_MB",
            )
        how = f"was killed by signal {-code}" if code < 0 else f"exited with code {code}"
        raise EngineCrashed(f"The engine process {how}.", exit_code=code, reason=_reason(lines))


def _encode(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, separators=(",", ":"), allow_nan=False).encode() + b"\n"


_shared: Engine | None = None
_shared_lock = threading.Lock()


def shared_engine(**options: Any) -> Engine:
    """The process-wide engine, started on first use (with ``options``, Engine's keyword
    arguments) and reused by later imports."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Engine(**options)
        return _shared
