"""`agora audit …`: verify the transparency log and sign its tree head."""

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
