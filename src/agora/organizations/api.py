"""The organisations API: who a machine client is."""

from django.http import HttpRequest
from ninja import Router

from agora.organizations.auth import client_auth
from agora.organizations.schemas import OrganizationOut, WhoAmIOut

router = Router(tags=["clients"])


@router.get("/whoami", response=WhoAmIOut, **client_auth("whoami"), summary="Who am I")
def whoami(request: HttpRequest) -> WhoAmIOut:
    """Return the client the token belongs to, its organisation, scopes and stated purpose.

    A cheap way to check that a client's key, clock and token claims are right.
    """
    verified = request.auth
    client = verified.client
    return WhoAmIOut(
        client_id=client.client_id,
        client_name=client.name,
        organization=OrganizationOut(
            slug=client.organization.slug,
            name=client.organization.name,
            kind=client.organization.kind,
        ),
        scopes=client.scopes,
        purpose=verified.purpose,
        on_behalf_of=verified.on_behalf_of,
    )
