"""`agora audit …` (verify the log, sign a head, witness a site) and `agora keys …`."""

from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from agora.core.commandline import fail, out, setup_django

audit_app = typer.Typer(help="The transparency log.", no_args_is_help=True)


@audit_app.command("verify")
def audit_verify_command() -> None:
    """Recompute the log from its entries; check stored nodes and every signed tree head."""
    setup_django()
    from agora.audit.verify import log_verify

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=out, transient=True) as progress:
        task = progress.add_task("Verifying the log", total=None)
        report = log_verify(
            progress=lambda done, total: progress.update(task, completed=done, total=total)
        )
    if not report.ok:
        problem = report.problem
        where = f" at entry {problem.seq}" if problem.seq is not None else ""
        raise fail(f"{problem.kind}{where}: {problem.detail}", code=1)
    out.print(
        f"[green]✓[/] The log verifies: {report.entries} entries, {report.nodes} stored nodes, "
        f"{report.heads} signed tree heads; root {report.root.hex()}."
    )


@audit_app.command("sign-head")
def audit_sign_head_command() -> None:
    """Sign the log's current size and root with the platform key (once per size)."""
    setup_django()
    from agora.audit.services import tree_head_sign

    head = tree_head_sign()
    out.print(f"Signed tree head: size {head.size}, root {bytes(head.root_hash).hex()}, "
              f"at {head.signed_at.isoformat()}.")


WITNESS_ALARM = 1
WITNESS_CANNOT_CHECK = 3


@audit_app.command("witness")
def audit_witness_command(
    url: Annotated[str, typer.Argument(help="The Agora site to witness, e.g. https://agora.example")],
) -> None:
    """Check a site's signed tree head against the last one this witness accepted.

    Exit 0: accepted (and stored). Exit 1: the log forked, rolled back, or its head or key
    does not verify. Exit 3: the site is down or answered something else. Nothing is stored
    unless it is accepted, so it is safe to run from cron.
    """
    setup_django()
    from agora.audit.exceptions import WitnessAlarm, WitnessCannotCheck
    from agora.audit.witness import witness_check
    from agora.core.exceptions import InvalidInput

    try:
        result = witness_check(url=url)
    except InvalidInput as error:
        raise fail(error.detail) from error
    except WitnessAlarm as error:
        raise fail(f"ALARM: {error.detail}", code=WITNESS_ALARM) from error
    except WitnessCannotCheck as error:
        raise fail(f"Not checked: {error.detail}", code=WITNESS_CANNOT_CHECK) from error
    root = result.root_hash.hex()
    if result.previous_size is None:
        out.print(f"[green]✓[/] First look at {result.origin}: trusting its "
                  f"{len(result.new_keys)} published keys and its tree head at size "
                  f"{result.size}, root {root}.")
    elif result.grew:
        out.print(f"[green]✓[/] {result.origin} grew from {result.previous_size} to "
                  f"{result.size} entries consistently; root {root}.")
    else:
        out.print(f"[green]✓[/] {result.origin} still signs size {result.size}, root {root}.")
    if result.new_keys and result.previous_size is not None:
        out.print(f"  New key published and accepted: {', '.join(result.new_keys)}.")


keys_app = typer.Typer(help="The platform's signing keys.", no_args_is_help=True)


@keys_app.command("rotate")
def keys_rotate_command() -> None:
    """Make a new platform key and sign with it from now on; older keys stay published."""
    setup_django()
    from agora.audit.exceptions import KeyRotationFailed, PlatformKeyUnavailable
    from agora.audit.keys import key_rotate

    try:
        rotation = key_rotate()
    except (KeyRotationFailed, PlatformKeyUnavailable) as error:
        raise fail(error.detail, code=1) from error
    out.print(f"[green]✓[/] New platform key {rotation.new.key_id} signs from now on; its "
              f"private key is in {rotation.path}.")
    out.print(f"  The old key {rotation.old.key_id} stays published (valid until "
              f"{rotation.old.valid_until.isoformat()}), so what it signed still verifies. "
              "Back up the new key file with the database.")


@keys_app.command("list")
def keys_list_command() -> None:
    """List the platform's keys, oldest first, with when each was in use."""
    setup_django()
    from agora.audit.keys import keys_published

    for key in keys_published():
        until = key.valid_until.isoformat() if key.valid_until else "now (current)"
        out.print(f"{key.key_id}  from {key.valid_from.isoformat()}  until {until}")
