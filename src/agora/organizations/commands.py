"""`agora apiclient …`: machine clients of organisations."""

import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from agora.core.commandline import fail, out, setup_django

apiclient_app = typer.Typer(help="Machine clients of organisations.", no_args_is_help=True)


class Alg(StrEnum):
    EDDSA = "EdDSA"
    ES256 = "ES256"


def _write_private_key(path: Path, pem: bytes) -> None:
    """Write the key readable by its owner only; never replace an existing file."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        os.fchmod(file.fileno(), 0o600)
        file.write(pem)


@apiclient_app.command("create")
def apiclient_create_command(
    org: Annotated[str, typer.Option("--org", help="Short name (slug) of the organisation.")],
    name: Annotated[str, typer.Option("--name", help="Name, unique in the organisation.")],
    scope: Annotated[
        list[str] | None,
        typer.Option("--scope", help="Scope to grant, repeatable (default: whoami)."),
    ] = None,
    purpose: Annotated[
        list[str] | None,
        typer.Option("--purpose", help="Purpose code the client may act for, repeatable "
                     "(default: every purpose the organisation declared)."),
    ] = None,
    alg: Annotated[Alg, typer.Option("--alg", help="Signature algorithm of the key.")] = Alg.EDDSA,
    key_file: Annotated[
        Path | None,
        typer.Option("--key-file", help="Private key file (default: var/keys/ORG-NAME.pem)."),
    ] = None,
) -> None:
    """Create an API client: a new key pair, of which Agora keeps only the public half."""
    setup_django()
    from django.conf import settings
    from django.db import transaction
    from django.utils.text import slugify

    # The access app owns purposes: the one import of a higher layer from this app, allowed
    # for this command line verb only (pyproject.toml, decision 22).
    from agora.access.services import apiclient_purposes_set
    from agora.core.actors import SYSTEM
    from agora.core.exceptions import AgoraError
    from agora.organizations.keys import keypair_generate
    from agora.organizations.models import Organization
    from agora.organizations.scopes import SCOPES
    from agora.organizations.services import apiclient_create

    name, scope = name.strip(), scope or ["whoami"]
    if not name:
        raise fail("--name is empty; give the client a name.")
    unknown = sorted(set(scope) - set(SCOPES))
    if unknown:
        raise fail(f"Unknown scope {', '.join(unknown)}; choose from: {', '.join(SCOPES)}.")
    organization = Organization.objects.filter(slug=org.strip()).first()
    if organization is None:
        raise fail(f"No organisation has the short name “{org}”.")
    path = key_file or Path(settings.VAR_DIR) / "keys" / f"{organization.slug}-{slugify(name)}.pem"
    if path.exists():
        raise fail(f"{path} already exists; remove it or choose another --key-file.")

    private_pem, public_jwk = keypair_generate(alg.value)
    written = False
    try:
        with transaction.atomic():
            client = apiclient_create(
                actor=SYSTEM, organization=organization, name=name,
                public_jwk=public_jwk, scopes=scope,
            )
            if purpose:
                client = apiclient_purposes_set(actor=SYSTEM, client=client, purposes=purpose)
            _write_private_key(path, private_pem)
            written = True
    except AgoraError as error:
        raise fail(error.detail) from error
    except OSError as error:
        if written:  # the transaction failed after the file was written
            path.unlink(missing_ok=True)
        raise fail(f"Cannot write the private key to {path}: {error.strerror}.") from error

    _print_client_usage(client, organization, path, settings.BASE_URL)


def _print_client_usage(client, organization, path: Path, base: str) -> None:
    """Print the new client and how to call the API with it (snippets are never wrapped)."""
    example = client.purposes[0] if client.purposes else "PURPOSE-CODE"
    out.print(f"Created API client [bold]{escape(client.name)}[/] of {escape(organization.name)}.")
    out.print(f"  client id    {client.client_id}", soft_wrap=True)
    out.print(f"  scopes       {', '.join(client.scopes) or '(none)'}")
    out.print(f"  purposes     {', '.join(client.purposes) or 'every declared purpose'}")
    out.print(f"  private key  {path} (mode 0600; Agora stores only the public key)",
              soft_wrap=True)
    out.print("\nCall the API from Python (every request signs a fresh 60-second token):",
              style="bold")
    out.print(
        "  from agora.client import AgoraClient\n"
        f"  api = AgoraClient('{base}', '{client.client_id}',\n"
        f"                    private_key_path='{path}', purpose='{example}')\n"
        "  api.get('/api/v1/whoami')",
        markup=False, soft_wrap=True,
    )
    out.print("\nOr with curl, minting one token first:", style="bold")
    out.print(
        "  TOKEN=$(.venv/bin/python -c 'import sys; from agora.client import mint_token; "
        "print(mint_token(client_id=sys.argv[1], key=open(sys.argv[2], \"rb\").read(), "
        f"audience=sys.argv[3], purpose=\"{example}\"))' {client.client_id} {path} {base})\n"
        f'  curl -H "Authorization: Bearer $TOKEN" {base}/api/v1/whoami',
        markup=False, soft_wrap=True,
    )
