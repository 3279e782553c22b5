"""`agora notifications recover`: queue again the outbox work whose tasks were lost."""

import typer

from agora.core.commandline import out, setup_django

notifications_app = typer.Typer(help="Events to partners' webhooks: the outbox and its deliveries.",
                                no_args_is_help=True)


@notifications_app.command("recover")
def recover_command() -> None:
    """Queue again events not yet fanned out and deliveries overdue (safe to re-run, or cron)."""
    setup_django()
    from agora.notifications.outbox import outbox_recover

    events, deliveries = outbox_recover()
    out.print(f"Queued {events} events and {deliveries} deliveries again.")
