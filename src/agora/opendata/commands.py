"""`agora opendata …`: refresh the service statistics published as open data."""

import typer

from agora.core.commandline import out, setup_django

opendata_app = typer.Typer(help="Open data: datasets, DataStore, statistics.",
                           no_args_is_help=True)


@opendata_app.command("statistics")
def statistics_command() -> None:
    """Rebuild each organisation's request statistics (run it daily, e.g. from cron)."""
    setup_django()
    from agora.core.actors import SYSTEM
    from agora.opendata.statistics import statistics_publish_all

    for name, changed in statistics_publish_all(actor=SYSTEM):
        out.print(f"{name}: {'refreshed' if changed else 'unchanged'}")
