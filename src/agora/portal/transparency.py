"""“How organisations use information”: every member organisation's declared purposes and
the agreements in force between organisations, in plain words, for anyone to read.

Nothing here is about a person, so nothing is logged and no one needs to sign in. The
resident's "who has seen my data" links each entry's purpose to these pages.
"""

from dataclasses import dataclass
from datetime import datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from agora.access.models import Agreement
from agora.access.register import (
    agreements_in_force,
    organizations_with_register,
    public_organization_get,
)
from agora.core import exceptions as errors
from agora.portal.wording import legal_basis_words


@dataclass(frozen=True)
class Flow:
    """One agreement in force, as a sentence: what flows from whom to whom, why, until when."""

    provider: str
    recipient: str
    what: str
    why: str
    until: datetime
    basis: str


def _names(items) -> str:
    names = [item.name.lower() for item in items]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def flows(agreements: list[Agreement]) -> list[Flow]:
    """Return the agreements as flows, in the order given."""
    return [
        Flow(
            provider=a.provider.name, recipient=a.recipient.name,
            what=_names(a.categories.all()), why=_names(a.purposes.all()),
            until=a.valid_to, basis=legal_basis_words(a.legal_basis),
        )
        for a in agreements
    ]


@require_safe
def purposes_index(request: HttpRequest) -> HttpResponse:
    """List every member organisation's declared purposes and the agreements in force."""
    return render(request, "portal/purposes/index.html", {
        "organizations": list(organizations_with_register()),
        "flows": flows(list(agreements_in_force())),
    })


@require_safe
def organization_purposes(request: HttpRequest, slug: str) -> HttpResponse:
    """Show one organisation's declared purposes and the agreements it is party to."""
    try:
        organization = public_organization_get(slug=slug)
    except errors.NotFound as error:
        raise Http404(error.detail) from error
    agreements = list(agreements_in_force(organization=organization))
    return render(request, "portal/purposes/organization.html", {
        "organization": organization,
        "providing": flows([a for a in agreements if a.provider_id == organization.pk]),
        "receiving": flows([a for a in agreements if a.recipient_id == organization.pk]),
    })
