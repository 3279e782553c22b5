"""`agora open311 key …`: issue, list and revoke the keys Open311 clients send as `api_key`."""

from typing import Annotated

import typer
from rich.markup import escape

from agora.core.commandline import fail, out, setup_django

open311_app = typer.Typer(help="The Open311 GeoReport v2 endpoint at /open311/v2/.",
                          no_args_is_help=True)
key_app = typer.Typer(help="Open311 API keys of organisations' API clients.",
                      no_args_is_help=True)
open311_app.add_typer(key_app, name="key")


def _organization(slug: str):
    from agora.organizations.models import Organization

    organization = Organization.objects.filter(slug=slug.strip()).first()
    if organization is None:
        raise fail(f"No organisation has the short name “{slug}”.")
    return organization


def _client(organization, name: str | None):
    """Return the named client, or the organisation's only active one when none is named."""
    clients = list(organization.api_clients.filter(is_active=True).order_by("name"))
    if name is not None:
        found = [client for client in clients if client.name == name.strip()]
        if not found:
            raise fail(f"{organization.name} has no active API client called “{name}”; make one "
                       f"with `agora apiclient create --org {organization.slug} --name NAME`.")
        return found[0]
    if len(clients) == 1:
        return clients[0]
    if not clients:
        raise fail(f"{organization.name} has no active API client; make one with "
                   f"`agora apiclient create --org {organization.slug} --name NAME`.")
    names = ", ".join(f"“{client.name}”" for client in clients)
    raise fail(f"{organization.name} has several API clients ({names}); name one with --client.")


@key_app.command("create")
def key_create_command(
    org: Annotated[str, typer.Option("--org", help="Short name (slug) of the organisation.")],
    client: Annotated[str | None, typer.Option(
        "--client", help="Name of the organisation's API client (default: its only one).")] = None,
) -> None:
    """Issue an Open311 key to an organisation's API client; the key is shown only once."""
    setup_django()
    from django.conf import settings

    from agora.cases.open311_keys import open311_key_issue
    from agora.core.actors import SYSTEM
    from agora.core.exceptions import AgoraError

    organization = _organization(org)
    api_client = _client(organization, client)
    try:
        record, key = open311_key_issue(actor=SYSTEM, client=api_client)
    except AgoraError as error:
        raise fail(error.detail) from error
    out.print(f"Issued Open311 key [bold]{record.prefix}[/] to the API client "
              f"{escape(api_client.name)} of {escape(organization.name)}.")
    out.print("Keep it secret: Agora stores only its digest and cannot show it again.")
    out.print(f"  api_key  {key}", soft_wrap=True, markup=False)
    out.print("\nReport a street problem with it:", style="bold")
    out.print(
        f"  curl -d api_key={key} -d service_code=SERVICE-CODE -d lat=51.5 -d long=-0.1 \\\n"
        f"       -d description='What is wrong' {settings.BASE_URL}/open311/v2/requests.json",
        markup=False, soft_wrap=True,
    )


@key_app.command("list")
def key_list_command(
    org: Annotated[str, typer.Option("--org", help="Short name (slug) of the organisation.")],
) -> None:
    """List an organisation's Open311 keys, revoked ones too (never the keys themselves)."""
    setup_django()
    from agora.cases.open311_keys import open311_key_list
    from agora.core.actors import SYSTEM

    organization = _organization(org)
    keys = list(open311_key_list(actor=SYSTEM, organization=organization))
    if not keys:
        out.print(f"{escape(organization.name)} has no Open311 keys.")
        return
    for key in keys:
        state = f"revoked {key.revoked_at:%Y-%m-%d %H:%M}" if key.revoked_at else "active"
        used = f"last used {key.last_used_at:%Y-%m-%d %H:%M}" if key.last_used_at else "never used"
        out.print(f"  {key.prefix}  {escape(key.client.name)}  issued "
                  f"{key.created_at:%Y-%m-%d %H:%M}  {used}  {state}")


@key_app.command("revoke")
def key_revoke_command(
    prefix: Annotated[str, typer.Argument(help="The key's prefix, as `key list` shows it.")],
) -> None:
    """Revoke an Open311 key: it stops working at once (safe to run again)."""
    setup_django()
    from agora.cases.open311_keys import open311_key_revoke
    from agora.core.actors import SYSTEM
    from agora.core.exceptions import AgoraError

    try:
        key = open311_key_revoke(actor=SYSTEM, prefix=prefix)
    except AgoraError as error:
        raise fail(error.detail) from error
    out.print(f"Revoked Open311 key {key.prefix} of {escape(key.client.name)} "
              f"({escape(key.client.organization.name)}).")
