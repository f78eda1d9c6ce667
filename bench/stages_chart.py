"""Draw seconds per import stage as stacked bars, one bar per workbook (issue 13's picture).

Runs in the benchmark environment only (.venv-bench has matplotlib; the product's does not):

    .venv-bench/bin/python bench/stages_chart.py bench/stages.png < stages.json

stdin: {"title": ..., "stages": [names in order], "bars": [{"label", "cells", "seconds":
{stage: s}}, ...]}. Left: seconds per stage; right: the same per 100,000 cells, where a flat
profile across sizes means the cost grows linearly.
"""

from __future__ import annotations

import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

COLOURS = ("#8c8c8c", "#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3")


def draw(spec: dict, out: str) -> None:
    bars, stages = spec["bars"], spec["stages"]
    labels = [b["label"] for b in bars]
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.8))
    for ax, per_cells in zip(axes, (False, True), strict=True):
        bottom = [0.0] * len(bars)
        for stage, colour in zip(stages, COLOURS, strict=False):
            heights = [
                b["seconds"].get(stage, 0.0) * (100_000 / b["cells"] if per_cells else 1) for b in bars
            ]
            ax.bar(labels, heights, bottom=bottom, label=stage, color=colour, width=0.6)
            bottom = [x + h for x, h in zip(bottom, heights, strict=True)]
        for i, total in enumerate(bottom):
            ax.annotate(f"{total:.2f} s", (i, total), ha="center", va="bottom", fontsize=9)
        ax.set_ylabel(("seconds per 100,000 cells" if per_cells else "seconds") + ", stages summed")
        ax.set_title("per 100,000 cells" if per_cells else "seconds per stage")
        ax.margins(y=0.12)
    axes[0].legend(loc="upper left", fontsize=8)
    fig.suptitle(spec.get("title", ""), fontsize=10)
    fig.tight_layout()
    fig.savefig(out, dpi=110)


if __name__ == "__main__":
    draw(json.load(sys.stdin), sys.argv[1])
