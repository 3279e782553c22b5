"""`agora catalog import FILE` and `agora catalog export`: the catalogue in HSDS 3.0."""

import json
from pathlib import Path
from typing import Annotated

import typer

from agora.core.commandline import fail, out, setup_django

catalog_app = typer.Typer(help="The shared catalogue of services (Open Referral HSDS 3.0).",
                          no_args_is_help=True)


@catalog_app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="An HSDS 3.0 JSON file: a page of services, a "
                                              "list of services, or an organisation.")],
    kind: Annotated[str, typer.Option(help="Kind of the organisations the file adds: "
                                           "government, ngo, business or community.")] = "ngo",
) -> None:
    """Import a community directory; all of it or, on any problem, none of it."""
    setup_django()
    from agora.catalog.hsds import hsds_import
    from agora.core.exceptions import AgoraError

    try:
        document = json.loads(file.read_text(encoding="utf-8"))
    except OSError as error:
        raise fail(f"Cannot read {file}: {error.strerror}.") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise fail(f"{file} is not JSON: {error}.") from None
    try:
        report = hsds_import(document, kind=kind)
    except AgoraError as error:
        for item in error.errors[1:]:
            out.print(f"  {item['message']}", soft_wrap=True)
        raise fail(f"Nothing was imported. {error.detail}") from None
    out.print(
        f"Imported {file.name}: {report.services_created} services added, "
        f"{report.services_changed} changed, {report.services_unchanged} unchanged; "
        f"{report.organisations_created} organisations added; {report.locations} places, "
        f"{report.contacts} contacts, {report.schedules} opening times.")


@catalog_app.command("export")
def export_command(
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write to this file instead of standard output.")] = None,
) -> None:
    """Export the published catalogue as an HSDS 3.0 page of services."""
    setup_django()
    from agora.catalog.hsds import hsds_export

    text = json.dumps(hsds_export(), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        typer.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    out.print(f"Wrote {output}.")
