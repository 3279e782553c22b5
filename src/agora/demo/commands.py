"""`agora demo …`: load the demo town of Riverton and print demo sign-in codes."""

from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from agora.core.commandline import demo_enabled, fail, out, setup_django
from agora.core.localenv import local_env_write

demo_app = typer.Typer(help="The demo town of Riverton.", no_args_is_help=True)


@demo_app.command("load")
def demo_load_command(
    everyone: Annotated[bool, typer.Option("--all", help="List every demo account.")] = False,
    seed: Annotated[int, typer.Option(help="Seed: the same seed, the same town.")] = 2026,
) -> None:
    """Migrate the database and load Riverton (safe to run again), then list sign-ins."""
    if not demo_enabled():
        raise fail("The demo creates accounts with a published password; set AGORA_DEMO=1.")
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    from agora.demo.generator import town_plan
    from agora.demo.services import DEMO_PASSWORD, demo_load, demo_step_count
    from agora.demo.signins import sign_ins

    with out.status("Preparing the database (migrate, cache table)…"):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
    plan = town_plan(seed)
    columns = (TextColumn("{task.description:<58}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=out, transient=True) as progress:
        task = progress.add_task("Loading Riverton", total=demo_step_count(plan))
        summary = demo_load(
            plan=plan, progress=lambda label: progress.update(task, advance=1, description=label)
        )
    # Later commands in this checkout (`agora audit verify`, `agora apiclient create`, …)
    # then run against the demo without anyone exporting AGORA_DEMO.
    env_file = local_env_write(
        {"AGORA_DEMO": "1"}, comment="Written by `agora demo load`: this checkout runs the demo."
    )
    if summary.created_anything:
        out.print(
            f"Loaded Riverton: {summary.organisations_created} organisations, "
            f"{summary.accounts_created} accounts, {summary.households_created} households, "
            f"{summary.people_created} people."
        )
    else:
        out.print("Riverton was already loaded; nothing changed.")

    out.print(_sign_in_table(sign_ins(plan, everyone=everyone), DEMO_PASSWORD))
    out.print(_requests_table(plan, everyone=everyone))
    if not everyone:
        out.print("Every demo account has the same password; `agora demo load --all` lists all.")
    out.print(
        "Staff and the operator also need a code from the TOTP secret: add it to an "
        "authenticator app, or run [bold]agora demo code EMAIL[/] for the current code."
    )
    if env_file is not None:
        out.print(f"Commands in this checkout now use the demo ({env_file} says so).")
    out.print(f"\nOpen [bold]{settings.BASE_URL}[/]   API docs: {settings.BASE_URL}/api/v1/docs")


def _requests_table(plan, *, everyone: bool) -> Table:
    """Return which resident has which requests (the first ten residents, or all)."""
    from agora.demo.cases import requests_by_resident

    rows = requests_by_resident(plan)
    table = Table(title="Residents' requests (see them under “Your requests”)",
                  title_justify="left")
    for column in ("Email", "Resident", "Requests", "Latest, with their status"):
        table.add_column(column, overflow="fold")
    for email, name, count, shown in rows if everyone else rows[:10]:
        table.add_row(email, name, str(count), shown)
    if not everyone and len(rows) > 10:
        table.caption = f"{len(rows) - 10} more residents have requests: --all lists them."
    return table


def _sign_in_table(rows: list, password: str) -> Table:
    """Return the sign-ins as a table; a narrow terminal gets the password in the title."""
    if not out.is_terminal:  # a log or a pipe: keep each sign-in on one line
        out.width = max(out.width, 160)
    wide = out.width >= 130
    title = "Demo sign-ins" if wide else f"Demo sign-ins (password of every one: {password})"
    table = Table(title=title, title_justify="left")
    columns = ["Email", "Password", "Who", "TOTP secret (staff)"] if wide else [
        "Email", "Who", "TOTP secret (staff)"]
    for column in columns:
        # Emails and secrets are copied: keep them whole while there is room.
        table.add_column(column, overflow="fold", no_wrap=out.width >= 100 and column != "Who")
    for row in rows:
        cells = [row.email, password, row.who, row.totp_secret or "—"]
        table.add_row(*(cells if wide else cells[:1] + cells[2:]))
    return table


@demo_app.command("code")
def demo_code_command(email: Annotated[str, typer.Argument(help="A demo email.")]) -> None:
    """Print the current 6-digit TOTP code of a demo account (demo only)."""
    if not demo_enabled():
        raise fail("`agora demo code` works only in the demo; set AGORA_DEMO=1.")
    setup_django()
    from agora.demo.names import EMAIL_DOMAIN
    from agora.demo.signins import demo_totp_code

    email = email.strip().lower()
    code = demo_totp_code(email) if email.endswith(EMAIL_DOMAIN) else None
    if code is None:
        raise fail(f"{email} is not a demo account with a second factor.")
    out.print(code)
