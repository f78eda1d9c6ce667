"""Following a job to its end from the CLI: progress on stderr, the result on stdout, and the
exit status of how it ended (cli/exitcodes.py)."""

from __future__ import annotations

import click

from cli import exitcodes
from cli.progress import ProgressBar
from cli.support import Failure, to_json


def summary(result: dict) -> str:
    from importer.report import summary_lines

    return "\n".join(summary_lines(result))


def follow_and_exit(job_id: int, printer: ProgressBar, as_json: bool, follow=None) -> None:
    """Follow the job (in the database, or over HTTP with ``follow``) and print how it ended."""
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
    except LookupError as exc:  # the job is gone (deleted with its model)
        raise Failure(str(exc), exitcodes.NOT_FOUND) from exc
    except TimeoutError as exc:
        raise Failure(str(exc) or f"Job {job_id} did not finish in time.") from exc
    finally:
        printer.close()
    if as_json:
        click.echo(to_json(job))
    elif job["status"] == "success" and job["job_type"] == "import":
        click.echo(summary(job["result"]))
    elif job["status"] == "success":
        click.echo(to_json(job["result"]))
    if job["status"] != "success":
        error = job.get("error") or {}
        stage = f" during {error['stage']}" if error.get("stage") else ""
        raise Failure(
            f"Job {job_id} {job['status']}{stage}: {error.get('message', 'no details')}",
            exitcodes.CANCELLED if job["status"] == "cancelled" else exitcodes.FAILED,
        )
