"""Lookup-heavy workbooks: rows vs seconds, with and without the lookups (issue 6).

Each of n order rows does `=VLOOKUP(B{r},Prices!$A$2:$B${p},2,FALSE)` and
`=SUMIFS($E$2:$E${n+1},$A$2:$A${n+1},A{r})` (bench/generate.py `lookup_model`); the workbook
"without lookups" does the same arithmetic on direct links. Each workbook goes through the
importer's own path: workbook.read -> graph.build -> evaluate.evaluate on one warm Engine.

    .venv/bin/python -m bench.lookup_bench                      # 2k 4k 8k 16k 100k
    .venv/bin/python -m bench.lookup_bench --rows 2000,8000 --config useColumnIndex=true
    .venv/bin/python -m bench.lookup_bench --max-lookup-rows 8000   # skip slow sizes (before the fix)

Columns: parse = workbook.read + graph.build (Python), load / evaluate = HyperFormula's own
timings (load: building the dependency graph; evaluate: computing it), engine = the whole
request round trip, total = parse + engine. `ok` counts formula cells whose value equals the
value Excel cached (xlsxwriter writes the exact value), out of all formula cells.

To try an engine setting without editing config.js, `--config key=value` sends it in the
request's `config` (engine.js merges it over CONFIG). Set CAPITALLENS_NO_FASTLOOKUP=1 to run the
engine without the hyperformula/functions/fastlookup.js overrides (the "before" numbers).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.generate import lookup_model  # noqa: E402
from hyperformula.bridge import Engine  # noqa: E402
from importer import evaluate, graph, workbook  # noqa: E402
from importer.workbook import CONSTANT  # noqa: E402

DEFAULT_ROWS = (2000, 4000, 8000, 16000, 100000)


def _parse_config(items: list[str]) -> dict:
    config = {}
    for item in items:
        key, _, raw = item.partition("=")
        try:
            config[key] = json.loads(raw)
        except json.JSONDecodeError:
            config[key] = raw
    return config


def _same(outcome, cached) -> bool:
    value = outcome.value
    if isinstance(value, bool) or isinstance(cached, bool):
        return value == cached
    if isinstance(value, (int, float)) and isinstance(cached, (int, float)):
        return math.isclose(value, cached, rel_tol=1e-12, abs_tol=1e-9)
    return value == cached


def run_one(engine: Engine, rows: int, lookups: bool, config: dict, dump: Path | None) -> dict:
    data = lookup_model(rows, lookups=lookups)
    t0 = time.perf_counter()
    wb = workbook.read(data)
    d = graph.build(wb)
    parse = time.perf_counter() - t0
    t1 = time.perf_counter()
    if config or dump:
        # Same request evaluate.evaluate sends, plus the config override; or kept for profiling.
        sheets, names = evaluate.build_request(wb)
        payload = {"op": "evaluate", "sheets": sheets, "names": names, "data_tables": []}
        if config:
            payload["config"] = config
        if dump:
            dump.mkdir(parents=True, exist_ok=True)
            name = f"lookup_{rows}_{'with' if lookups else 'without'}.json"
            (dump / name).write_text(json.dumps(payload))
    if config:
        response = engine.request(payload)
        timings = response.get("timings", {})
        values = {}
        for si, sheet in enumerate(response["sheets"]):
            for row, col, raw in sheet["values"]:
                values[(si, row + 1, col + 1)] = evaluate._outcome(raw, False, False)
        outcomes = values
    else:
        outcomes, info = evaluate.evaluate(wb, d, engine)
        timings = info["timings"]
    engine_s = time.perf_counter() - t1
    formulas = ok = 0
    for si, sheet in enumerate(wb.sheets):
        for c in sheet.cells:
            if c.kind == CONSTANT:
                continue
            formulas += 1
            o = outcomes.get((si, c.row, c.col))
            ok += bool(o is not None and o.reason is None and _same(o, c.raw))
    return {
        "rows": rows,
        "lookups": lookups,
        "parse": parse,
        "load": timings.get("load"),
        "evaluate": timings.get("evaluate"),
        "engine": engine_s,
        "total": parse + engine_s,
        "ok": ok,
        "formulas": formulas,
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", default=",".join(map(str, DEFAULT_ROWS)), help="comma-separated row counts")
    ap.add_argument(
        "--max-lookup-rows",
        type=int,
        default=None,
        help="skip the lookup workbook above this many rows (the quadratic case)",
    )
    ap.add_argument(
        "--config",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="HyperFormula setting sent with the request (JSON value), repeatable",
    )
    ap.add_argument("--dump", type=Path, default=None, help="also write each request as JSON here")
    ap.add_argument("--json", action="store_true", help="print one JSON line per run as well")
    args = ap.parse_args(argv)
    sizes = [int(x) for x in args.rows.split(",") if x]
    config = _parse_config(args.config)

    engine = Engine()
    try:
        engine.start()
        run_one(engine, 500, True, config, None)  # warm the process (JIT, require)
        print(
            f"fastlookup: {'off' if os.environ.get('CAPITALLENS_NO_FASTLOOKUP') else 'on'}"
            + (f"   config: {json.dumps(config)}" if config else "")
        )
        header = (
            f"{'rows':>7} {'lookups':>7} {'parse':>7} {'load':>7} {'evaluate':>8} {'engine':>7} "
            f"{'total':>7} {'ok':>13}"
        )
        print(header)
        print("-" * len(header))
        results = []
        for rows in sizes:
            line = {}
            for lookups in (False, True):
                if lookups and args.max_lookup_rows is not None and rows > args.max_lookup_rows:
                    print(f"{rows:>7} {'yes':>7}   skipped (--max-lookup-rows)")
                    continue
                r = run_one(engine, rows, lookups, config, args.dump)
                results.append(r)
                line[lookups] = r
                print(
                    f"{rows:>7} {'yes' if lookups else 'no':>7} {r['parse']:7.2f} {r['load']:7.2f} "
                    f"{r['evaluate']:8.2f} {r['engine']:7.2f} {r['total']:7.2f} "
                    f"{r['ok']:>6}/{r['formulas']:<6}",
                    flush=True,
                )
                if args.json:
                    print(json.dumps(r), flush=True)
            if True in line and False in line:
                e_with, e_without = line[True]["engine"], line[False]["engine"]
                print(
                    f"{'':>7} ratio engine with/without: {e_with / e_without:.2f}x   "
                    f"total: {line[True]['total'] / line[False]['total']:.2f}x",
                    flush=True,
                )
    finally:
        engine.close()


if __name__ == "__main__":
    main()
