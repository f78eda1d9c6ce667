"""``capitallens worker``: take import and validation jobs from the queue."""

from __future__ import annotations

import click

from cli import environment
from cli.support import CONTEXT, announce_database, handle_errors


@click.command(
    context_settings=CONTEXT,
    help="Run a worker that takes import and validation jobs from the queue. "
    "Imports are CPU-bound: scale with more worker processes (and machines on the "
    "same database), not with threads.\n\n"
    "Read once when it starts: CAPITALLENS_HEARTBEAT_INTERVAL (10 s), "
    "CAPITALLENS_STALLED_AFTER (30 s), CAPITALLENS_RESCUE_CRON (every 10 s; a sixth field "
    "is the seconds), CAPITALLENS_MAX_WORKER_DEATHS (2), CAPITALLENS_MAX_ATTEMPTS (5), "
    "CAPITALLENS_RETENTION_HOURS (168), CAPITALLENS_RETENTION_CRON (hourly), "
    "CAPITALLENS_POLL_INTERVAL (2 s), CAPITALLENS_LOG_LEVEL (INFO).",
    epilog=environment.epilog(
        environment.DATABASE,
        environment.LOGGING,
        environment.PIPELINE,
        lead="Each job runs under the pipeline's settings.",
    ),
)
@click.option(
    "--concurrency",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    envvar="CAPITALLENS_CONCURRENCY",
    show_envvar=True,
    help="Jobs run at once in this process.",
)
@click.option(
    "--grace",
    default=30.0,
    show_default=True,
    type=float,
    envvar="CAPITALLENS_SHUTDOWN_GRACE",
    show_envvar=True,
    help="Seconds a SIGTERM'd worker lets its jobs finish before aborting them for a retry elsewhere.",
)
@handle_errors
def worker(concurrency: int, grace: float) -> None:
    import asyncio

    from worker import rescue
    from worker.app import serve

    config = rescue.MaintenanceConfig.from_env()  # a bad setting stops here, in one line
    announce_database()
    from worker import tasks  # registers the tasks; serve() configures the logs (worker/logs.py)

    tasks.configure(config)
    asyncio.run(serve(config, concurrency=concurrency, grace=grace))
