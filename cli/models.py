"""``capitallens models`` and ``capitallens model ID``: what has been imported (db/reads.py)."""

from __future__ import annotations

import click

from cli import environment
from cli.support import CONTEXT, announce_database, handle_errors, to_json

EPILOG = environment.epilog(environment.DATABASE)

# The listing's columns as `models --json` has always printed them (the HTTP listing adds
# validated_at).
LISTING = (
    "id",
    "name",
    "file_sha256",
    "sheet_count",
    "cell_count",
    "formula_count",
    "comparable_count",
    "matched_count",
    "mismatched_count",
    "cycle_cell_count",
    "imported_at",
)


@click.command(help="List the imported models, newest first.", context_settings=CONTEXT, epilog=EPILOG)
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--json", "as_json", is_flag=True)
@handle_errors
def models(limit: int, as_json: bool) -> None:
    from db import engine as db_engine
    from db import reads
    from importer.report import share, table

    announce_database()
    with db_engine.connect() as conn:
        rows = reads.models(conn, limit=limit)
    if as_json:
        click.echo(to_json([{key: r[key] for key in LISTING} for r in rows]))
        return
    click.echo(
        table(
            ["id", "name", "sheets", "cells", "formulas", "matched", "imported_at"],
            [
                [
                    r["id"],
                    r["name"],
                    r["sheet_count"],
                    r["cell_count"],
                    r["formula_count"],
                    share(r["matched_count"], r["comparable_count"]),
                    f"{r['imported_at']:%Y-%m-%d %H:%M}",
                ]
                for r in rows
            ],
        )
    )


@click.command(help="Show one model with its mismatch summary.", context_settings=CONTEXT, epilog=EPILOG)
@click.argument("model_id", type=int)
@click.option("--json", "as_json", is_flag=True)
@handle_errors
def model(model_id: int, as_json: bool) -> None:
    from db import engine as db_engine
    from db import reads
    from importer.errors import NotFound
    from importer.report import share

    announce_database()
    with db_engine.connect() as conn:
        row = reads.model(conn, model_id)
    if row is None:
        raise NotFound(f"There is no model {model_id}.")
    if as_json:
        click.echo(to_json(row))
        return
    click.echo(
        f"Model {row['id']}: {row['name']}  (file {row['file_name']}, sha256 {row['file_sha256'][:12]})"
    )
    click.echo(
        f"  imported {row['imported_at']:%Y-%m-%d %H:%M:%S %Z}; engine HyperFormula {row['engine_version']}"
    )
    click.echo(f"  sheets {row['sheet_count']}: {', '.join(row['sheets'])}")
    click.echo(
        f"  cells {row['cell_count']:,}, formulas {row['formula_count']:,}, "
        f"in circular references {row['cycle_cell_count']:,}"
    )
    click.echo(
        f"  comparable {row['comparable_count']:,}, matched {row['matched_count']:,} "
        f"({share(row['matched_count'], row['comparable_count'])}), mismatched {row['mismatched_count']:,}"
    )
    settings = row["calc_settings"] or {}
    click.echo("  calculation: " + ", ".join(f"{k}={v}" for k, v in sorted(settings.items())))
    if row["mismatch_summary"]:
        click.echo("  mismatches by reason:")
        for reason, count in sorted(row["mismatch_summary"].items(), key=lambda kv: -kv[1]):
            click.echo(f"    {reason:<40} {count:>8,}")
