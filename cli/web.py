"""``capitallens web``: the HTTP API on Flask's development server."""

from __future__ import annotations

import click

from cli import environment
from cli.support import CONTEXT, announce_database


@click.command(
    context_settings=CONTEXT,
    help="Serve the HTTP API with Flask's development server. In production use gunicorn "
    "(the Procfile's web line).",
    epilog=environment.epilog(environment.DATABASE, environment.WEB, environment.LOGGING),
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    envvar="CAPITALLENS_WEB_HOST",
    show_envvar=True,
    help="Address to listen on.",
)
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(1, 65535),
    envvar="PORT",
    show_envvar=True,
    help="Port.",
)
@click.option("--debug", is_flag=True, help="Reload on code changes and log more.")
def web(host: str, port: int, debug: bool) -> None:
    from web import create_app, serving

    announce_database()
    try:
        app = create_app()
    except ValueError as exc:  # a setting that does not parse; the message names it
        raise click.UsageError(str(exc)) from exc
    app.run(host=host, port=port, debug=debug, threaded=True, request_handler=serving.RequestHandler)
