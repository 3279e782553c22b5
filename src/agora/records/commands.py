"""`agora people …`: erase a person and the records about them (the right to erasure)."""

from typing import Annotated

import typer

from agora.core.commandline import fail, out, setup_django

people_app = typer.Typer(help="People whose data Agora holds.", no_args_is_help=True)


@people_app.command("erase")
def people_erase_command(
    person_id: Annotated[str, typer.Argument(help="The person's public id (a UUID).")],
    reason: Annotated[str, typer.Option(help="Why, e.g. the erasure request's reference.")],
    yes: Annotated[bool, typer.Option("--yes", help="Erase without asking again.")] = False,
) -> None:
    """Erase a person and every record about them; their log entries stay, pseudonymised."""
    setup_django()
    import uuid

    from agora.core.actors import SYSTEM
    from agora.core.exceptions import AgoraError
    from agora.people.models import Person
    from agora.records.erasure import person_erase

    try:
        person = Person.objects.get(public_id=uuid.UUID(person_id))
    except (ValueError, Person.DoesNotExist):
        raise fail(f"No person has the id {person_id!r}.") from None
    if not yes and not typer.confirm(
        f"Erase {person.full_name} and all {person.records.count()} records about them?"
    ):
        raise fail("Nothing erased.", code=1)
    try:
        summary = person_erase(actor=SYSTEM, person=person, reason=reason)
    except AgoraError as error:
        raise fail(error.detail) from None
    out.print(
        f"Erased the person and {summary.records_deleted} records; "
        f"{summary.log_entries_pseudonymised} log entries kept, pseudonymised."
    )
