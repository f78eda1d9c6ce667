"""``capitallens import FILE``: queued for a worker and followed, run here with --direct, or
uploaded to a CapitalLens server with --api-url."""

from __future__ import annotations

from pathlib import Path

import click

from cli import environment
from cli.follow import follow_and_exit, summary
from cli.progress import ProgressBar
from cli.support import CONTEXT, NO_TABLES, Failure, announce_database, check_file, handle_errors, to_json

WorkbookPath = click.Path(dir_okay=False, path_type=Path)


@click.command(
    "import",
    context_settings=CONTEXT,
    help="Import the workbook FILE (.xlsx or .xlsm) as a model named --name (default: the file's "
    "name without its extension). By default the import is queued for a worker and followed until "
    "it ends; --direct runs it in this process.",
    epilog=environment.epilog(
        environment.DATABASE,
        environment.PIPELINE,
        lead="With --direct the pipeline's limits and engine settings apply here; queued, they "
        "apply in the worker (and CAPITALLENS_MAX_FILE_BYTES here too).",
    ),
)
@click.argument("file", required=False, type=WorkbookPath)
@click.option(
    "--file", "file_option", type=WorkbookPath, help="The workbook, as an option (the same as FILE)."
)
@click.option("--name", help="The model's name.  [default: FILE's stem]")
@click.option("--direct", is_flag=True, help="Run the pipeline in this process, without the queue.")
@click.option("--no-wait", is_flag=True, help="Print the job id and return without following it.")
@click.option(
    "--force",
    is_flag=True,
    help="Import again even if this file was already imported under this name.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result (or final job) as JSON.")
@click.option(
    "--validate/--no-validate",
    default=True,
    show_default=True,
    help="Compare our values with Excel's cached values (--no-validate stores them unchecked).",
)
@click.option(
    "--as-of",
    "as_of",
    callback=lambda ctx, param, value: _as_of(value),
    help="Compute TODAY() and NOW() at this instant, an ISO 8601 date or date-time (2024-03-15, "
    "2024-03-15T17:30:00Z); without an offset, a wall-clock time in CAPITALLENS_AS_OF_TZ "
    "(default UTC). Default: the time the file was saved (docProps/core.xml).",
)
@click.option(
    "--api-url",
    envvar="CAPITALLENS_API_URL",
    show_envvar=True,
    help="Upload over HTTP to this CapitalLens web app instead.",
)
@click.option("--api-key", envvar="CAPITALLENS_API_KEY", show_envvar=True, help="API key for --api-url.")
@handle_errors
def import_(
    file: Path | None,
    file_option: Path | None,
    name: str | None,
    direct: bool,
    no_wait: bool,
    force: bool,
    as_json: bool,
    validate: bool,
    as_of: str | None,
    api_url: str | None,
    api_key: str | None,
) -> None:
    path = _workbook_path(file, file_option)
    name = name if name is not None else path.stem
    check_file(path)
    printer = ProgressBar()
    if api_url:
        _import_over_http(api_url, api_key, path, name, force, no_wait, as_json, printer, validate, as_of)
        return
    announce_database()
    if direct:
        _direct(path, name, printer, as_json, validate, as_of)
        return

    from worker import enqueue

    queued = enqueue.enqueue_import(
        path.read_bytes(), name, file_name=path.name, force=force, validate=validate, as_of=as_of
    )
    if queued.job_id is None:
        click.echo(
            to_json({"model_id": queued.model_id, "message": queued.message}) if as_json else queued.message
        )
        return
    click.echo(queued.message, err=True)
    if no_wait:
        click.echo(to_json({"job_id": queued.job_id}) if as_json else str(queued.job_id))
        return
    follow_and_exit(queued.job_id, printer, as_json)


def _workbook_path(file: Path | None, file_option: Path | None) -> Path:
    if file is not None and file_option is not None and file != file_option:
        raise click.UsageError(f"FILE ({file}) and --file ({file_option}) name different files; give one.")
    path = file or file_option
    if path is None:
        raise click.UsageError("Missing the workbook: capitallens import FILE.")
    return path


def _direct(path: Path, name: str, printer: ProgressBar, as_json: bool, validate: bool, as_of: str | None):
    """The pipeline in this process, once the database is known to have its tables."""
    from db import migrate
    from importer import service

    if migrate.current_revision() is None:  # before parsing, not after all the work
        raise Failure(NO_TABLES)
    try:
        result = service.import_file(
            path, name, progress=printer, file_name=path.name, validate=validate, as_of=as_of
        )
    finally:
        printer.close()
    data = result.to_dict()
    click.echo(to_json(data) if as_json else summary(data))


def _import_over_http(
    api_url: str,
    api_key: str | None,
    path: Path,
    name: str,
    force: bool,
    no_wait: bool,
    as_json: bool,
    printer: ProgressBar,
    validate: bool = True,
    as_of: str | None = None,
) -> None:
    """The same import, uploaded to a CapitalLens server and followed over HTTP."""
    from web.client import Client

    client = Client(api_url, api_key)
    click.echo(f"Using server {api_url}", err=True)
    answer = client.upload(path.read_bytes(), name, path.name, force=force, validate=validate, as_of=as_of)
    if answer.get("job_id") is None:
        click.echo(to_json(answer) if as_json else answer["message"])
        return
    click.echo(answer["message"], err=True)
    for warning in answer.get("warnings") or []:
        click.echo(f"warning: {warning}", err=True)
    if no_wait:
        click.echo(to_json({"job_id": answer["job_id"]}) if as_json else str(answer["job_id"]))
        return
    follow_and_exit(answer["job_id"], printer, as_json, follow=client.follow)


def _as_of(value: str | None) -> str | None:
    """--as-of checked before anything is queued (importer.analysis.parse_as_of)."""
    if value is None:
        return None
    from importer import analysis

    try:
        analysis.parse_as_of(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc).replace("as_of", "--as-of", 1)) from exc
    return value.strip()
