"""Issue 13's goals, judged from the numbers measured in the same run (never typed-in figures).

Each goal is a measured value against a limit; ``judge`` answers PASS, MISS, or "not measured"
when the run did not include what the goal needs (a size left out with --sizes, no engine).
"""

from __future__ import annotations

from dataclasses import dataclass

# Cells of the operating model -> (most times formualizer's load + evaluate, most seconds).
SPEED = {100_000: (10.0, 3.0), 1_000_000: (8.0, 30.0)}
PEAK_RSS_SIZE, PEAK_RSS_BYTES = 1_000_000, 1.5 * 2**30  # worker + Node
GROWTH_FROM, GROWTH_TO, GROWTH_MAX = 100_000, 1_000_000, 10.5  # time, for 10x the cells
SILENCE_MAX = 2.0  # seconds between two progress rows, any stage
CORPUS_RATIO_MAX = 10.0  # CapitalLens / formualizer, each corpus workbook
ITERATIVE_RATIO_MAX = 3.0  # circular debt schedule / the same without the cycle


@dataclass
class Goal:
    name: str
    measured: float | None  # None: not measured in this run
    limit: float
    unit: str = ""
    why_missing: str = ""

    @property
    def verdict(self) -> str:
        if self.measured is None:
            return "not measured"
        return "PASS" if self.measured <= self.limit else "MISS"

    def line(self) -> str:
        got = "-" if self.measured is None else f"{self.measured:,.2f}{self.unit}"
        note = f"  ({self.why_missing})" if self.measured is None and self.why_missing else ""
        goal = f"goal <= {self.limit:,.2f}{self.unit}"
        return f"  {self.name[:46]:<46} {got:>12}   {goal:<16} {self.verdict}{note}"


def ratio(ours: float | None, theirs: float | None) -> float | None:
    return ours / theirs if ours is not None and theirs else None


def operating_goals(by_size: dict[int, dict]) -> list[Goal]:
    """``by_size``: cells requested -> {"wall", "formualizer" (s or None), "rss", "silent"}."""
    goals = []
    for size, (times, seconds) in SPEED.items():
        row = by_size.get(size)
        label = f"{size // 1000:,}k" if size < 1_000_000 else f"{size // 1_000_000}M"
        missing = "" if row else f"--sizes has no {size}"
        fz = row.get("formualizer") if row else None
        goals.append(
            Goal(
                f"{label}: CapitalLens / formualizer",
                ratio(row["wall"], fz) if row else None,
                times,
                "x",
                missing or "formualizer did not run",
            )
        )
        goals.append(
            Goal(f"{label}: CapitalLens through the queue", row and row["wall"], seconds, " s", missing)
        )
    big = by_size.get(PEAK_RSS_SIZE)
    goals.append(
        Goal(
            "1M: peak RSS, worker + Node",
            big["rss"] / 2**30 if big else None,
            PEAK_RSS_BYTES / 2**30,
            " GB",
            f"--sizes has no {PEAK_RSS_SIZE}",
        )
    )
    low, high = by_size.get(GROWTH_FROM), by_size.get(GROWTH_TO)
    goals.append(
        Goal(
            "time growth, 100k -> 1M cells",
            high["wall"] / low["wall"] if low and high else None,
            GROWTH_MAX,
            "x",
            "needs both sizes",
        )
    )
    goals.append(
        Goal(
            "longest progress silence, every size",
            max((r["silent"] for r in by_size.values()), default=None),
            SILENCE_MAX,
            " s",
            "no size run",
        )
    )
    return goals
