"""``capitallens web`` (development server) and ``capitallens apikey ...``. Glue only.

The lead registers them in importer/cli.py: ``main.add_command(web_cli.web)`` and
``main.add_command(web_cli.apikey)``.
"""

from __future__ import annotations

import click

from importer.clisupport import announce_database, handle_errors


@click.command(
    help="Serve the HTTP API with Flask's development server. In production use gunicorn "
    "(the Procfile's web line). Env: DATABASE_URL, AUTH_REQUIRED, CAPITALLENS_MAX_FILE_BYTES, "
    "CAPITALLENS_ALLOW_MACROS, CAPITALLENS_UPLOAD_RATE_LIMIT, CAPITALLENS_TRUSTED_PROXIES."
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    envvar="CAPITALLENS_WEB_HOST",
    help="Address to listen on (env CAPITALLENS_WEB_HOST).",
)
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(1, 65535),
    envvar="PORT",
    help="Port (env PORT).",
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


@click.group(help="API keys for the HTTP API (X-API-Key). Once one exists, every /api route needs one.")
def apikey() -> None:
    pass


@apikey.command("create", help="Create a key and print it once (the last word of the last line).")
@click.argument("name")
@handle_errors
def apikey_create(name: str) -> None:
    from db import apikeys
    from db import engine as db_engine

    announce_database()
    with db_engine.connect() as conn:
        key, row = apikeys.create(conn, name)
        conn.commit()
    click.echo(f"Created API key {row['id']} ({row['name']}). It is shown only now; keep it safe.")
    click.echo(f"X-API-Key: {key}")


@apikey.command("list", help="List the keys (their prefixes only; keys are never stored).")
@handle_errors
def apikey_list() -> None:
    from db import apikeys
    from db import engine as db_engine

    announce_database()
    with db_engine.connect() as conn:
        rows = apikeys.listing(conn)
    for r in rows:
        state = f"revoked {r['revoked_at']:%Y-%m-%d %H:%M}" if r["revoked_at"] else "active"
        created = f"{r['created_at']:%Y-%m-%d %H:%M}"
        click.echo(f"{r['id']:>4}  {r['prefix']}…  {r['name']}  created {created}  {state}")
    if not rows:
        click.echo("No API keys: the API is open unless AUTH_REQUIRED=1.")


@apikey.command("revoke", help="Revoke a key by its id (see `apikey list`).")
@click.argument("key_id", type=int)
@handle_errors
def apikey_revoke(key_id: int) -> None:
    from db import apikeys
    from db import engine as db_engine

    announce_database()
    with db_engine.connect() as conn:
        revoked = apikeys.revoke(conn, key_id)
        conn.commit()
    if not revoked:
        raise click.ClickException(f"There is no active API key {key_id}.")
    click.echo(f"API key {key_id} revoked.")
