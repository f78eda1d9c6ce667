"""The ``capitallens`` command line: the CLI's glue room, beside web/ and worker/.

It calls importer/, db/ and worker/; nothing there imports it. One module per command group;
cli/support.py holds what they share, cli/exitcodes.py the exit statuses. Every command that
touches the database says which one it uses (on stderr). Expected failures end with a one-line
error and the exit status of cli/exitcodes.py, never a traceback.
"""

from __future__ import annotations

import click

from cli import environment, exitcodes
from cli.support import CONTEXT

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
        from worker import logs, rescue  # noqa: F401  (logs: CAPITALLENS_LOG_FORMAT and _LEVEL)

        try:
            web_config.from_environment()
            rescue.MaintenanceConfig.from_env()
            settings.check()
        except settings.InvalidSetting as exc:
            click.echo(f"Error: {exc.message}", err=True)
            raise SystemExit(exitcodes.USAGE) from None
        except ValueError as exc:  # web/proxies.py names its setting in the message
            click.echo(f"Error: {exc}", err=True)
            raise SystemExit(exitcodes.USAGE) from None
        return super().main(*args, **kwargs)


@click.group(
    cls=CheckedGroup,
    context_settings=CONTEXT,
    help=f"CapitalLens: Excel models into PostgreSQL, every number checked.\n\n{DB_HELP}",
    epilog=environment.epilog(environment.DATABASE) + "\n\n" + exitcodes.EPILOG,
)
@click.version_option(package_name="capitallens-importer")
def main() -> None:
    pass


def _register() -> None:
    from cli import apikeys, database, fidelity, imports, jobs, models, web, worker

    main.add_command(database.db)
    main.add_command(imports.import_)
    main.add_command(models.models)
    main.add_command(models.model)
    main.add_command(worker.worker)
    main.add_command(jobs.jobs)
    main.add_command(jobs.job)
    main.add_command(jobs.cancel)
    main.add_command(jobs.validate)
    main.add_command(fidelity.fidelity)
    main.add_command(web.web)
    main.add_command(apikeys.apikey)


_register()
