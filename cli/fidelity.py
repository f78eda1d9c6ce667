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
    "cached values, per workbook and in total (financial models apart from engine tests). "
    "With --by-cause, list the mismatches grouped into classes (reason, functions called, "
    "formula shape), biggest first: of the PATHs given, imported first, or with no PATH of "
    "the newest model of each name already in the database.",
    epilog=environment.epilog(environment.DATABASE, environment.PIPELINE),
)
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--write",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the report here (and FIDELITY.json, the golden floors, beside it).",
)
@click.option("--by-cause", is_flag=True, help="Mismatch classes, biggest first, instead of the report.")
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=40,
    show_default=True,
    help="With --by-cause: how many classes to list (the rest are summed in one line).",
)
@json_option
@handle_errors
def fidelity(paths: tuple[Path, ...], write: Path | None, by_cause: bool, limit: int, as_json: bool) -> None:
    from importer import causes
    from importer import fidelity as fidelity_report

    if as_json and write is not None:
        raise click.UsageError("--json prints the figures instead of the report; --write writes the report.")
    if by_cause and write is not None:
        raise click.UsageError("--by-cause prints the mismatch classes; --write writes the report.")
    if not paths and not by_cause:
        raise click.UsageError("Give the workbooks (files or folders) to measure.")
    announce_database()
    if by_cause:
        classes = fidelity_report.by_cause(list(paths) or None)
        if as_json:
            click.echo(to_json([c.to_dict() for c in classes[:limit]]))
        else:
            click.echo("\n".join(causes.render(classes, limit)))
        return
    if as_json:
        click.echo(to_json(fidelity_report.summary(fidelity_report.measure(list(paths)))))
        return
    fidelity_report.run(list(paths), write)
