"""``capitallens jobs | job ID | cancel ID | validate MODEL_ID``: the queue's jobs (db/reads.py)."""

from __future__ import annotations

import click

from cli import environment
from cli.follow import follow_and_exit, summary
from cli.progress import ProgressBar
from cli.support import CONTEXT, announce_database, echo, handle_errors, json_option, to_json
from db import models as db_models

EPILOG = environment.epilog(environment.DATABASE)


@click.command(help="List jobs, newest first.", context_settings=CONTEXT, epilog=EPILOG)
@click.option("--status", type=click.Choice(db_models.JOB_STATUSES))
@click.option("--type", "job_type", type=click.Choice(db_models.JOB_TYPES))
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--json", "as_json", is_flag=True)
@handle_errors
def jobs(status: str | None, job_type: str | None, limit: int, as_json: bool) -> None:
    from db import engine as db_engine
    from db import reads
    from importer.report import table

    announce_database()
    with db_engine.connect() as conn:
        rows = reads.jobs(conn, reads.JobFilter(status=status, job_type=job_type), limit=limit)
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


@click.command(
    help="Show one job; --follow waits for it to end, showing progress.",
    context_settings=CONTEXT,
    epilog=EPILOG,
)
@click.argument("job_id", type=int)
@click.option("--follow", is_flag=True, help="Follow the job until it ends (exit status as for import).")
@click.option("--json", "as_json", is_flag=True)
@handle_errors
def job(job_id: int, follow: bool, as_json: bool) -> None:
    from db import engine as db_engine
    from db import reads
    from importer.errors import NotFound

    announce_database()
    with db_engine.connect() as conn:
        row = reads.job(conn, job_id)
        if row is None:
            raise NotFound(f"There is no job {job_id}.")
        if not follow:
            row["progress"] = reads.progress(conn, job_id)
    if follow:
        follow_and_exit(job_id, ProgressBar(), as_json)
        return
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
        click.echo(summary(row["result"]))
    elif row["result"]:
        click.echo(to_json(row["result"]))


@click.command(
    help="Cancel a job: a pending one at once, a running one at its next progress step.",
    context_settings=CONTEXT,
    epilog=EPILOG,
)
@click.argument("job_id", type=int)
@json_option
@handle_errors
def cancel(job_id: int, as_json: bool) -> None:
    from worker import enqueue

    announce_database()
    status = enqueue.cancel(job_id)
    if status == "cancelled":
        text = f"Job {job_id} cancelled."
    else:
        text = f"Job {job_id} is running; it will stop at its next progress step."
    echo({"job_id": job_id, "status": status, "message": text}, as_json, text)


@click.command(
    help="Re-evaluate a stored model with the current engine and report what changed.",
    context_settings=CONTEXT,
    epilog=environment.epilog(
        environment.DATABASE, lead="The worker that takes the job reads the pipeline's settings."
    ),
)
@click.argument("model_id", type=int)
@click.option("--no-wait", is_flag=True, help="Print the job id and return.")
@click.option("--json", "as_json", is_flag=True)
@handle_errors
def validate(model_id: int, no_wait: bool, as_json: bool) -> None:
    from worker import enqueue

    announce_database()
    queued = enqueue.enqueue_validation(model_id)
    click.echo(queued.message, err=True)
    if no_wait:
        echo({"job_id": queued.job_id}, as_json, str(queued.job_id))
        return
    follow_and_exit(queued.job_id, ProgressBar(), as_json)
