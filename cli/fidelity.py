"""``capitallens fidelity PATH...``: how many formula cells match Excel's cached values
(importer/fidelity.py computes and renders; this module only chooses what to print)."""

from __future__ import annotations

from pathlib import Path

import click

from cli import environment
from cli.support import CONTEXT, announce_database, handle_errors, json_option, to_json


@click.command(
    context_settings=CONTEXT,
    help="Import workbooks directly and report how many formula cells match Excel's "
    "cached values, per workbook and in total (financial models apart from engine tests).",
    epilog=environment.epilog(environment.DATABASE, environment.PIPELINE),
)
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--write",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the report here (and FIDELITY.json, the golden floors, beside it).",
)
@json_option
@handle_errors
def fidelity(paths: tuple[Path, ...], write: Path | None, as_json: bool) -> None:
    from importer import fidelity as fidelity_report

    if as_json and write is not None:
        raise click.UsageError("--json prints the figures instead of the report; --write writes the report.")
    announce_database()
    if as_json:
        click.echo(to_json(figures(fidelity_report.measure(list(paths)))))
        return
    fidelity_report.run(list(paths), write)


def figures(results) -> dict:
    """The summary figures of importer.fidelity's results: per workbook, per group, in all."""

    def total(group) -> dict:
        comparable = sum(r.comparable for r in group)
        matched = sum(r.matched for r in group)
        return {
            "workbooks": len(group),
            "comparable": comparable,
            "matched": matched,
            "share": matched / comparable if comparable else None,
        }

    return {
        "workbooks": {
            r.file: {
                "group": r.group,
                "comparable": r.comparable,
                "matched": r.matched,
                "share": r.share,
                "mismatch_reasons": dict(r.reasons.most_common()),
                "error": r.error,
            }
            for r in results
        },
        "financial": total([r for r in results if r.group == "financial"]),
        "engine_tests": total([r for r in results if r.group == "engine test"]),
        "total": total(results),
    }
