"""The ``capitallens`` command line. Glue only: it calls importer, db and worker.

Every command that touches the database says which one it uses (on stderr). Expected failures
end with a one-line error and a non-zero status, never a traceback.
"""

from __future__ import annotations

from pathlib import Path

import click

from importer.clisupport import announce_database, handle_errors, to_json

DB_HELP = (
    "Database: DATABASE_URL, else the local server (PG* variables), else an embedded "
    "PostgreSQL under $CAPITALLENS_HOME/pg."
)


class CheckedGroup(click.Group):
    """The root command: every setting is read and checked before any command (or --help) runs."""

    def main(self, *args, **kwargs):
        from hyperformula import bridge  # noqa: F401  (each of these reads its settings)
        from importer import limits, settings  # noqa: F401
        from web import config as web_config
        from worker import rescue

        try:
            web_config.from_environment()
            rescue.MaintenanceConfig.from_env()
            settings.check()
        except settings.InvalidSetting as exc:
            click.echo(f"Error: {exc.message}", err=True)
            raise SystemExit(2) from None
        except ValueError as exc:  # web/proxies.py names its setting in the message
            click.echo(f"Error: {exc}", err=True)
            raise SystemExit(2) from None
        return super().main(*args, **kwargs)


@click.group(
    cls=CheckedGroup, help=f"CapitalLens: Excel models into PostgreSQL, every number checked.\n\n{DB_HELP}"
)
@click.version_option(package_name="capitallens-importer")
def main() -> None:
    pass


# --- database -----------------------------------------------------------------------------


@main.group(help="Database schema.")
def db() -> None:
    pass


@db.command("upgrade", help="Apply the migrations (idempotent). Env: DATABASE_URL, PG*.")
@handle_errors
def db_upgrade() -> None:
    from db import migrate

    announce_database()
    migrate.upgrade()
    click.echo(f"Database at revision {migrate.current_revision()}")


@db.command("current", help="Show the applied migration revision.")
@handle_errors
def db_current() -> None:
    from db import migrate

    announce_database()
    current, head = migrate.current_revision(), migrate.head_revision()
    click.echo(f"{current or '(empty)'}{' (head)' if current == head else f'; head is {head}'}")


@db.command("reset", help="Drop every CapitalLens and procrastinate table, then migrate again.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@handle_errors
def db_reset(yes: bool) -> None:
    from db import migrate

    announce_database()
    if not yes:
        click.confirm("Delete every model, cell and job in this database?", abort=True)
    migrate.downgrade()
    migrate.upgrade()
    click.echo(f"Database reset to revision {migrate.current_revision()}")


# --- import -------------------------------------------------------------------------------


@main.command(
    "import",
    help="Import a workbook. By default the import is queued for a worker "
    "and followed until it ends; --direct runs it in this process.",
)
@click.option(
    "--file",
    "path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The .xlsx or .xlsm workbook.",
)
@click.option("--name", required=True, help="The model's name.")
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
    help="Upload over HTTP to this CapitalLens web app instead (env CAPITALLENS_API_URL).",
)
@click.option(
    "--api-key",
    envvar="CAPITALLENS_API_KEY",
    help="API key for --api-url (env CAPITALLENS_API_KEY).",
)
@handle_errors
def import_(
    path: Path,
    name: str,
    direct: bool,
    no_wait: bool,
    force: bool,
    as_json: bool,
    validate: bool,
    as_of: str | None,
    api_url: str | None,
    api_key: str | None,
) -> None:
    from importer.report import ProgressPrinter

    printer = ProgressPrinter()
    if api_url:
        _import_over_http(api_url, api_key, path, name, force, no_wait, as_json, printer, validate, as_of)
        return
    announce_database()
    if direct:
        from importer import pipeline

        try:
            result = pipeline.run_import(
                path, name, progress=printer, file_name=path.name, validate=validate, as_of=as_of
            )
        finally:
            printer.close()
        _print_result(result.to_dict(), as_json)
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
    _follow_and_exit(queued.job_id, printer, as_json)


def _import_over_http(
    api_url,
    api_key,
    path: Path,
    name: str,
    force: bool,
    no_wait: bool,
    as_json: bool,
    printer,
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
    _follow_and_exit(answer["job_id"], printer, as_json, follow=client.follow)


def _as_of(value: str | None) -> str | None:
    """--as-of checked before anything is queued (importer.pipeline.parse_as_of)."""
    if value is None:
        return None
    from importer import pipeline

    try:
        pipeline.parse_as_of(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc).replace("as_of", "--as-of", 1)) from exc
    return value.strip()


def _follow_and_exit(job_id: int, printer, as_json: bool, follow=None) -> None:
    if follow is None:
        from worker import follow as following

        def hint() -> None:
            printer.close()
            click.echo(
                f"Job {job_id} is waiting for a worker: start one with `capitallens worker` "
                "(Ctrl-C stops waiting; the job stays queued).",
                err=True,
            )

        def follow(job_id, on_progress):
            return following.follow(job_id, on_progress, on_still_pending=hint)

    try:
        job = follow(job_id, printer)
    finally:
        printer.close()
    if as_json:
        click.echo(to_json(job))
    elif job["status"] == "success" and job["job_type"] == "import":
        click.echo("\n".join(_summary(job["result"])))
    elif job["status"] == "success":
        click.echo(to_json(job["result"]))
    if job["status"] != "success":
        error = job.get("error") or {}
        stage = f" during {error['stage']}" if error.get("stage") else ""
        raise click.ClickException(
            f"Job {job_id} {job['status']}{stage}: {error.get('message', 'no details')}"
        )


def _summary(result: dict) -> list[str]:
    from importer.report import summary_lines

    return summary_lines(result)


def _print_result(result: dict, as_json: bool) -> None:
    click.echo(to_json(result) if as_json else "\n".join(_summary(result)))


# --- models -------------------------------------------------------------------------------


@main.command(help="List the imported models, newest first.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--json", "as_json", is_flag=True)
@handle_errors
def models(limit: int, as_json: bool) -> None:
    from psycopg.rows import dict_row

    from db import engine as db_engine
    from db import queries
    from importer.report import share, table

    announce_database()
    with db_engine.connect() as conn, conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(queries.list_models, {"limit": limit}).fetchall()
    if as_json:
        click.echo(to_json(rows))
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


@main.command(help="Show one model with its mismatch summary.")
@click.argument("model_id", type=int)
@click.option("--json", "as_json", is_flag=True)
@handle_errors
def model(model_id: int, as_json: bool) -> None:
    from psycopg.rows import dict_row

    from db import engine as db_engine
    from db import queries
    from importer.errors import NotFound
    from importer.report import share

    announce_database()
    with db_engine.connect() as conn, conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute(queries.get_model, {"model_id": model_id}).fetchone()
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


# --- queue --------------------------------------------------------------------------------


@main.command(
    help="Run a worker that takes import and validation jobs from the queue. "
    "Imports are CPU-bound: scale with more worker processes (and machines on the "
    "same database), not with threads.\n\n"
    "Read once when it starts: CAPITALLENS_HEARTBEAT_INTERVAL (10 s), "
    "CAPITALLENS_STALLED_AFTER (30 s), CAPITALLENS_RESCUE_CRON (every 10 s; a sixth field "
    "is the seconds), CAPITALLENS_MAX_WORKER_DEATHS (2), CAPITALLENS_MAX_ATTEMPTS (5), "
    "CAPITALLENS_RETENTION_HOURS (168), CAPITALLENS_RETENTION_CRON (hourly), "
    "CAPITALLENS_POLL_INTERVAL (2 s), CAPITALLENS_LOG_LEVEL (INFO)."
)
@click.option(
    "--concurrency",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    envvar="CAPITALLENS_CONCURRENCY",
    help="Jobs run at once in this process (env CAPITALLENS_CONCURRENCY).",
)
@click.option(
    "--grace",
    default=30.0,
    show_default=True,
    type=float,
    envvar="CAPITALLENS_SHUTDOWN_GRACE",
    help="Seconds a SIGTERM'd worker lets its jobs finish before aborting them for a retry "
    "elsewhere (env CAPITALLENS_SHUTDOWN_GRACE).",
)
@handle_errors
def worker(concurrency: int, grace: float) -> None:
    import asyncio
    import logging
    import os

    from worker import rescue
    from worker.app import serve

    config = rescue.MaintenanceConfig.from_env()  # a bad setting stops here, in one line
    level = os.environ.get("CAPITALLENS_LOG_LEVEL", "INFO").strip().upper()
    if not isinstance(logging.getLevelName(level), int):
        raise click.ClickException(
            f"CAPITALLENS_LOG_LEVEL={level!r} is not a log level (DEBUG, INFO, WARNING, ERROR)."
        )
    announce_database()
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from worker import tasks  # registers the tasks

    tasks.configure(config)
    asyncio.run(serve(config, concurrency=concurrency, grace=grace))


@main.command(help="List jobs, newest first.")
@click.option("--status", type=click.Choice(["pending", "processing", "success", "failed", "cancelled"]))
@click.option("--type", "job_type", type=click.Choice(["import", "validation"]))
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--json", "as_json", is_flag=True)
@handle_errors
def jobs(status: str | None, job_type: str | None, limit: int, as_json: bool) -> None:
    from db import engine as db_engine
    from db import jobs as db_jobs
    from importer.report import table

    announce_database()
    with db_engine.connect() as conn:
        rows = db_jobs.listing(conn, status=status, job_type=job_type, limit=limit)
    if as_json:
        click.echo(to_json(rows))
        return
    click.echo(
        table(
            ["job", "type", "status", "name", "model", "stage", "%", "created", "error"],
            [
                [
                    r["job_id"],
                    r["job_type"],
                    r["status"],
                    r["model_name"],
                    r["model_id"],
                    r["stage"],
                    r["percent"],
                    f"{r['created_at']:%Y-%m-%d %H:%M:%S}",
                    r["error_type"],
                ]
                for r in rows
            ],
        )
    )


@main.command(help="Show one job; --follow waits for it to end, showing progress.")
@click.argument("job_id", type=int)
@click.option("--follow", is_flag=True, help="Follow the job until it ends (exit status as for import).")
@click.option("--json", "as_json", is_flag=True)
@handle_errors
def job(job_id: int, follow: bool, as_json: bool) -> None:
    from db import engine as db_engine
    from db import jobs as db_jobs
    from importer.errors import NotFound
    from importer.report import ProgressPrinter

    announce_database()
    if follow:
        with db_engine.connect() as conn:
            if db_jobs.get(conn, job_id) is None:
                raise NotFound(f"There is no job {job_id}.")
        _follow_and_exit(job_id, ProgressPrinter(), as_json)
        return
    with db_engine.connect() as conn:
        row = db_jobs.get(conn, job_id)
        if row is None:
            raise NotFound(f"There is no job {job_id}.")
        row["progress"] = db_jobs.progress(conn, job_id)
    if as_json:
        click.echo(to_json(row))
        return
    click.echo(f"Job {row['job_id']} ({row['job_type']}): {row['status']}")
    for key in (
        "model_name",
        "model_id",
        "attempts",
        "worker",
        "created_at",
        "started_at",
        "completed_at",
    ):
        if row[key] is not None:
            click.echo(f"  {key}: {row[key]}")
    if row["stage"]:
        click.echo(f"  progress: {row['stage']} {row['percent']}% {row['message'] or ''}")
    if row["error"]:
        error = row["error"]
        click.echo(f"  error: {error.get('type')}: {error.get('message')} (stage {error.get('stage')})")
    if row["result"] and row["job_type"] == "import":
        click.echo("\n".join(_summary(row["result"])))
    elif row["result"]:
        click.echo(to_json(row["result"]))


@main.command(help="Cancel a job: a pending one at once, a running one at its next progress step.")
@click.argument("job_id", type=int)
@handle_errors
def cancel(job_id: int) -> None:
    from worker import enqueue

    announce_database()
    status = enqueue.cancel(job_id)
    if status == "cancelled":
        click.echo(f"Job {job_id} cancelled.")
    else:
        click.echo(f"Job {job_id} is running; it will stop at its next progress step.")


@main.command(help="Re-evaluate a stored model with the current engine and report what changed.")
@click.argument("model_id", type=int)
@click.option("--no-wait", is_flag=True, help="Print the job id and return.")
@click.option("--json", "as_json", is_flag=True)
@handle_errors
def validate(model_id: int, no_wait: bool, as_json: bool) -> None:
    from importer.report import ProgressPrinter
    from worker import enqueue

    announce_database()
    queued = enqueue.enqueue_validation(model_id)
    click.echo(queued.message, err=True)
    if no_wait:
        click.echo(str(queued.job_id))
        return
    _follow_and_exit(queued.job_id, ProgressPrinter(), as_json)


# --- fidelity -----------------------------------------------------------------------------


@main.command(
    help="Import workbooks directly and report how many formula cells match Excel's "
    "cached values, per workbook and in total (financial models apart from engine tests)."
)
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--write",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the report here (and FIDELITY.json, the golden floors, beside it).",
)
@handle_errors
def fidelity(paths: tuple[Path, ...], write: Path | None) -> None:
    from importer import fidelity as fidelity_report

    announce_database()
    fidelity_report.run(list(paths), write)


# The web app's commands live with the web app: `capitallens web`, `capitallens apikey ...`.
from web import cli as web_cli  # noqa: E402  (registered after the core commands)

main.add_command(web_cli.web)
main.add_command(web_cli.apikey)

if __name__ == "__main__":  # pragma: no cover
    main(prog_name="capitallens")
