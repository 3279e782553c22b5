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


@notifications_app.command("prune")
def prune_command() -> None:
    """Delete what was delivered more than AGORA_OUTBOX_KEEP_DAYS ago; dead letters stay."""
    setup_django()
    from django.conf import settings

    from agora.notifications.retention import outbox_prune

    pruned = outbox_prune()
    out.print(f"Deleted {pruned.deliveries} deliveries and {pruned.events} events delivered "
              f"more than {settings.OUTBOX_KEEP_DAYS:g} days ago.")
