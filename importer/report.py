"""Human-readable renderings shared by the CLI: progress lines, summaries, tables."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from importer.progress import STAGES


class ProgressPrinter:
    """A progress bar on a terminal, plain lines otherwise (logs, pipes, CI)."""

    def __init__(self, stream: TextIO | None = None, *, tty: bool | None = None, width: int = 30):
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.width = width
        self._last_line: tuple | None = None
        self._drawn = False

    def __call__(self, stage: str, percent: float, message: str = "") -> None:
        percent = float(percent)
        if self.tty:
            filled = int(self.width * percent / 100)
            bar = "#" * filled + "-" * (self.width - filled)
            text = f"\r[{bar}] {percent:5.1f}% {stage:<12} {message}"[:160]
            self.stream.write(text.ljust(100))
            self.stream.flush()
            self._drawn = True
            return
        key = (stage, round(percent), message)
        if key != self._last_line:
            self._last_line = key
            self.stream.write(f"[{percent:5.1f}%] {stage}: {message}\n")
            self.stream.flush()

    def close(self) -> None:
        if self.tty and self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False


def share(matched: int, comparable: int) -> str:
    return f"{100 * matched / comparable:.2f}%" if comparable else "n/a"


def summary_lines(result: dict[str, Any]) -> list[str]:
    lines = [
        f"Model {result['model_id']}: {result['name']}",
        f"  sheets {result['sheets']}, cells {result['cells']:,}, formulas {result['formula_cells']:,}, "
        f"in circular references {result['cycle_cells']:,}",
        f"  evaluated {result['evaluated']:,}; comparable {result['comparable']:,}; "
        f"matched {result['matched']:,} ({share(result['matched'], result['comparable'])}); "
        f"mismatched {result['mismatched']:,}; volatile {result.get('volatile', 0):,}",
    ]
    reasons = result.get("mismatch_reasons") or {}
    if reasons:
        lines.append("  mismatches by reason:")
        lines += [f"    {reason:<40} {count:>8,}" for reason, count in reasons.items()]
    seconds = result.get("seconds") or {}
    if seconds:
        order = list(STAGES)
        ranked = sorted(seconds.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99)
        lines.append("  seconds: " + ", ".join(f"{k} {v:.2f}" for k, v in ranked))
    lines += [f"  warning: {w}" for w in result.get("warnings") or []]
    return lines


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    rows = [["" if v is None else str(v) for v in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    out = [fmt.format(*headers), fmt.format(*("-" * w for w in widths))]
    out += [fmt.format(*r) for r in rows]
    return "\n".join(out)
