"""Issue 13's report: what `make bench` prints after the imports, and the stage chart.

Every figure comes from the run: the imports measured by bench/run.py, the other engines run
here in .venv-bench child processes (bench/engine_timing.py), the goals judged by bench/goals.py.
"""

from __future__ import annotations

import datetime as dt
import json
import platform
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

import psutil

from bench import goals, harness

ENGINE_TIMEOUT = 900.0  # seconds per engine per workbook


def header(server_version: str) -> None:
    """The machine, the date and the command, first."""
    model = ""
    try:
        model = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        pass
    try:
        node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    except OSError:
        node = "not found"
    hf = harness.ROOT / "hyperformula/node_modules/hyperformula/package.json"
    hf_version = json.loads(hf.read_text())["version"] if hf.exists() else "?"
    now = dt.datetime.now(dt.UTC)
    print(f"date:    {now:%Y-%m-%d %H:%M} UTC")
    print(
        f"machine: {platform.system()} {platform.machine()}, {psutil.cpu_count()} CPUs ({model}), "
        f"{psutil.virtual_memory().total / 2**30:.1f} GiB memory, load average "
        + " ".join(f"{x:.2f}" for x in psutil.getloadavg())
    )
    print(
        f"software: Python {platform.python_version()}, Node {node}, HyperFormula {hf_version}, "
        f"{server_version.split(' on ')[0]}"
    )
    print(f"code:    {_code_version()}")
    print(f"command: {shlex.join(['python', '-m', 'bench.run', *sys.argv[1:]])}")


def _code_version() -> str:
    """The commit measured, and the files changed in the working tree since (uncommitted work
    is measured too, so say so)."""

    def git(*args: str) -> str:
        try:
            done = subprocess.run(["git", *args], capture_output=True, text=True, cwd=harness.ROOT)
        except OSError:
            return ""
        return done.stdout

    commit = git("rev-parse", "--short", "HEAD").strip() or "unknown (no git)"
    changed = [line[3:] for line in git("status", "--porcelain", "--untracked-files=no").splitlines()]
    return commit + (f" + uncommitted changes to {', '.join(changed)}" if changed else "")


def time_engine(python: str, engine: str, data: bytes, check: int = 2000) -> dict:
    """Another engine's load and evaluate seconds on ``data``, from .venv-bench."""
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as f:
        f.write(data)
        f.flush()
        args = ["-m", "bench.engine_timing", engine, f.name, "--check", str(check)]
        return harness.child_json(python, args, timeout=ENGINE_TIMEOUT)


def engine_total(result: dict | None) -> float | None:
    return result["load"] + result["evaluate"] if result and "load" in result else None


def _engine_cols(result: dict | None) -> list[str]:
    if not result:
        return ["-", "-", "-", "-"]
    if "error" in result:
        return ["error", "", "", result["error"][:40]]
    checked = f"{result['matched']}/{result['checked']}" if "checked" in result else "-"
    return [f"{result['load']:.2f}", f"{result['evaluate']:.2f}", f"{engine_total(result):.2f}", checked]


def side_by_side(rows: list[dict]) -> None:
    """The operating model at each size: formualizer, IronCalc, CapitalLens, and the ratio."""
    print(
        "\noperating model, side by side (seconds; other engines: load + evaluate in their own "
        "process,\nthen a sample of formula cells checked against Excel's cached values; "
        "CapitalLens: enqueue -> success)"
    )
    head = ["workbook", "cells", "fz load", "fz eval", "fz total", "fz ok", "ic load", "ic eval",
            "ic total", "ic ok", "CapitalLens", "CL / fz", "CL / ic"]  # fmt: skip
    print("  ".join(f"{h:>11}" for h in head))
    for r in rows:
        fz, ic = r.get("formualizer"), r.get("ironcalc")
        cols = [
            r["label"],
            f"{r['cells']:,}",
            *_engine_cols(fz),
            *_engine_cols(ic),
            f"{r['wall']:.2f}",
            _times(goals.ratio(r["wall"], engine_total(fz))),
            _times(goals.ratio(r["wall"], engine_total(ic))),
        ]
        print("  ".join(f"{c:>11}" for c in cols))


def _times(x: float | None) -> str:
    return "-" if x is None else f"{x:.1f}x"


def print_goals(title: str, items: list[goals.Goal]) -> None:
    print(f"\n{title}")
    for g in items:
        print(g.line())
    verdicts = [g.verdict for g in items]
    print(f"  {verdicts.count('PASS')} PASS, {verdicts.count('MISS')} MISS, "
          f"{verdicts.count('not measured')} not measured")  # fmt: skip


def corpus_table(rows: list[dict], how: str) -> list[goals.Goal]:
    print(f"\ncorpus: the five largest workbooks by {how}; CapitalLens through the queue (enqueue -> "
          "success)\nagainst formualizer (load + evaluate)")  # fmt: skip
    head = ["workbook", "cells", "formulas", "matched", "CapitalLens", "fz total", "fz ok", "CL / fz", "goal"]
    print(f"  {head[0]:<46}" + "".join(f"{h:>14}" for h in head[1:]))
    out = []
    for r in rows:
        fz = r.get("formualizer")
        ratio = goals.ratio(r["wall"], engine_total(fz)) if r["status"] == "success" else None
        why = (fz or {}).get("error", "") if r["status"] == "success" else f"import {r['status']}"
        goal = goals.Goal(r["label"], ratio, goals.CORPUS_RATIO_MAX, "x", why)
        out.append(goal)
        cols = [
            f"{r['cells']:,}" if r["status"] == "success" else r["status"],
            f"{r['formulas']:,}" if r["status"] == "success" else "",
            f"{r['matched']:,}/{r['comparable']:,}" if r["status"] == "success" else "",
            f"{r['wall']:.2f}",
            _engine_cols(fz)[2],
            _engine_cols(fz)[3],
            _times(ratio),
            goal.verdict,
        ]
        print(f"  {r['label'][:46]:<46}" + "".join(f"{c:>14}" for c in cols))
        if goal.measured is None and why:
            print(f"    ({why})")
    return out


def iterative(circular: dict, acyclic: dict) -> goals.Goal:
    print("\niterative calculation: a circular debt schedule (interest on average debt, calcPr "
          "iterate=\"1\")\nagainst the same schedule without the cycle (interest on opening debt), "
          "through the queue")  # fmt: skip
    print(f"  {'workbook':<34}{'cells':>10}{'matched':>16}{'evaluation s':>14}{'total s':>10}"
          f"{'fz total':>10}{'fz ok':>11}{'ic ok':>11}")  # fmt: skip
    for r in (circular, acyclic):
        fz, ic = r.get("formualizer"), r.get("ironcalc")
        print(
            f"  {r['label']:<34}{r['cells']:>10,}{r['matched']:>9,}/{r['comparable']:<6,}"
            f"{r['seconds'].get('evaluation', 0.0):>14.2f}{r['wall']:>10.2f}"
            f"{_engine_cols(fz)[2]:>10}{_engine_cols(fz)[3]:>11}{_engine_cols(ic)[3]:>11}"
        )
    return goals.Goal(
        "circular / acyclic, total time", goals.ratio(circular["wall"], acyclic["wall"]),
        goals.ITERATIVE_RATIO_MAX, "x",
    )  # fmt: skip


def chart(python: str, rows: list[dict], stages: list[str], out: Path) -> None:
    """bench/stages_chart.py, in .venv-bench (matplotlib), draws ``rows``' stages to ``out``."""
    spec = {
        "title": "CapitalLens import of the operating model, seconds per stage (make bench, "
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d}, {psutil.cpu_count()} CPUs)",
        "stages": stages,
        "bars": [{"label": r["label"], "cells": r["cells"], "seconds": r["seconds"]} for r in rows],
    }
    done = subprocess.run(
        [python, str(harness.ROOT / "bench/stages_chart.py"), str(out)],
        input=json.dumps(spec), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    if done.returncode == 0:
        print(f"\nstage chart written to {out}")
    else:
        print(f"\nstage chart NOT written: {done.stderr.strip().splitlines()[-1:]}")
