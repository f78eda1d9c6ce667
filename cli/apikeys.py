"""``capitallens apikey create | list | revoke``: keys for the HTTP API (db/apikeys.py)."""

from __future__ import annotations

import click

from cli import environment, exitcodes
from cli.support import CONTEXT, Failure, announce_database, echo, handle_errors, json_option, to_json

EPILOG = environment.epilog(environment.DATABASE)


@click.group(
    help="API keys for the HTTP API (X-API-Key). Once one exists, every /api route needs one.",
    context_settings=CONTEXT,
    epilog=EPILOG,
)
def apikey() -> None:
    pass


@apikey.command(
    "create", help="Create a key and print it once (the last word of the last line).", epilog=EPILOG
)
@click.argument("name")
@json_option
@handle_errors
def apikey_create(name: str, as_json: bool) -> None:
    from db import apikeys
    from db import engine as db_engine

    announce_database()
    with db_engine.connect() as conn:
        key, row = apikeys.create(conn, name)
        conn.commit()
    if as_json:
        click.echo(to_json({**row, "key": key}))
        return
    click.echo(f"Created API key {row['id']} ({row['name']}). It is shown only now; keep it safe.")
    click.echo(f"X-API-Key: {key}")


@apikey.command("list", help="List the keys (their prefixes only; keys are never stored).", epilog=EPILOG)
@json_option
@handle_errors
def apikey_list(as_json: bool) -> None:
    from db import apikeys
    from db import engine as db_engine

    announce_database()
    with db_engine.connect() as conn:
        rows = apikeys.listing(conn)
    if as_json:
        click.echo(to_json(rows))
        return
    for r in rows:
        state = f"revoked {r['revoked_at']:%Y-%m-%d %H:%M}" if r["revoked_at"] else "active"
        created = f"{r['created_at']:%Y-%m-%d %H:%M}"
        click.echo(f"{r['id']:>4}  {r['prefix']}…  {r['name']}  created {created}  {state}")
    if not rows:
        click.echo("No API keys: the API is open unless AUTH_REQUIRED=1.")


@apikey.command("revoke", help="Revoke a key by its id (see `apikey list`).", epilog=EPILOG)
@click.argument("key_id", type=int)
@json_option
@handle_errors
def apikey_revoke(key_id: int, as_json: bool) -> None:
    from db import apikeys
    from db import engine as db_engine

    announce_database()
    with db_engine.connect() as conn:
        revoked = apikeys.revoke(conn, key_id)
        conn.commit()
    if not revoked:
        raise Failure(f"There is no active API key {key_id}.", exitcodes.NOT_FOUND)
    echo({"id": key_id, "revoked": True}, as_json, f"API key {key_id} revoked.")
