"""`agora ingest …` and `agora search …`: take files into the hub; rebuild and score search.

The `search` verbs live here, not in the search app, because they speak of documents
(which the search app, below content, knows only as keys).
"""

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from agora.core.commandline import fail, out, setup_django

search_app = typer.Typer(help="The hub's search.", no_args_is_help=True)


def ingest_command(
    paths: Annotated[list[Path], typer.Argument(help="Files, folders and zip archives.")],
    org: Annotated[str, typer.Option("--org", help="Slug of the owning organisation.")],
    classification: Annotated[str, typer.Option(
        help="open, public, internal or restricted.")] = "public",
    topic: Annotated[list[str] | None, typer.Option(
        "--topic", help="A topic slug to file every document under (repeatable).")] = None,
    role: Annotated[list[str] | None, typer.Option(
        "--role", help="A role that may read restricted documents (repeatable).")] = None,
    kind: Annotated[str, typer.Option(
        help="guidance, policy, form, leaflet, faq, dataset or notice (default: by type).")] = "",
) -> None:
    """Publish files into the hub; re-running skips what is there and adds changed versions."""
    setup_django()
    from agora.content.ingest import candidates, ingest
    from agora.content.services import Details
    from agora.core.actors import SYSTEM
    from agora.core.exceptions import AgoraError
    from agora.organizations.models import Organization
    from agora.topics.selectors import topics_resolve

    owner = Organization.objects.filter(slug=org).first()
    if owner is None:
        raise fail(f"No organisation has the slug {org!r}.")
    details = Details(classification=classification, restricted_roles=tuple(role or ()),
                      topics=tuple(topic or ()), kind=kind)
    try:
        topics_resolve(details.topics)
    except AgoraError as error:
        raise fail(error.detail) from None
    items = candidates(paths)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[name]}"))
    with Progress(*columns, console=out, transient=True) as progress:
        task = progress.add_task("Ingesting", total=len(items), name="")
        try:
            report = ingest(
                actor=SYSTEM, owner=owner, items=items, details=details,
                progress=lambda name: progress.update(task, advance=1, name=escape(name[-50:])),
            )
        except AgoraError as error:  # a refusal that concerns every file (e.g. permissions)
            raise fail(error.detail) from None
    for refusal in report.refused:
        out.print(f"[bold red]✗[/] {escape(refusal.name)}: {escape(refusal.reason)}",
                  soft_wrap=True)
    out.print(
        f"{report.created} new documents, {report.new_versions} new versions, "
        f"{report.changed} with changed details, {report.unchanged} unchanged; "
        f"{len(report.refused)} files refused."
    )
    if report.refused and not report.taken:
        raise typer.Exit(1)


@search_app.command("reindex")
def search_reindex_command() -> None:
    """Rebuild the search index and its vocabulary from every document's current version."""
    setup_django()
    from agora.content.maintenance import search_rebuild

    with out.status("Rebuilding the search index…"):
        count = search_rebuild()
    out.print(f"Indexed {count} documents.")


@search_app.command("eval")
def search_eval_command(
    questions: Annotated[Path, typer.Argument(
        help="A JSON Lines file: {\"question\": …, \"source_url\" or \"document\": …} a line.",
        exists=True, dir_okay=False, readable=True)],
    show: Annotated[bool, typer.Option("--show", help="List every question's rank.")] = False,
) -> None:
    """Score recall@5 and MRR of a question set against the documents loaded (ingests nothing)."""
    setup_django()
    from agora.content.evaluation import questions_read, search_evaluate
    from agora.core.exceptions import AgoraError

    try:
        items = questions_read(questions)
    except AgoraError as error:
        raise fail(error.detail) from None
    evaluation = search_evaluate(items)
    for scored in evaluation.scored:
        if show or scored.rank is None or scored.rank > 5:
            rank = scored.rank or "-"
            out.print(f"{rank:>2}  {escape(scored.question.question)}  "
                      f"[dim]{escape(' | '.join(scored.top))}[/]", soft_wrap=True)
    out.print(f"{len(items)} questions: recall@5 {evaluation.recall_at_5:.3f}, "
              f"MRR {evaluation.mrr:.3f}.")
