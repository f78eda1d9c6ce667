"""Human-readable renderings of an import: summaries and tables (the CLI prints them)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from importer.progress import STAGES


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
