"""The register of processing, in public: what each organisation uses personal data for.

Declarations and agreements are about organisations, never about a person, so anyone
may read them without a token (like the transparency log's tree head).
"""

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from agora.access.models import Agreement, PurposeDeclaration
from agora.access.register import (
    agreements_in_force,
    organizations_with_register,
    public_organization_get,
)
from agora.access.schemas import (
    AgreementInForceOut,
    DeclaredPurposeOut,
    OrganizationPurposesOut,
    PurposesOut,
)
from agora.core.problems import problems
from agora.organizations.models import Organization

router = Router(tags=["register of processing"])


def _purpose_out(declaration: PurposeDeclaration) -> DeclaredPurposeOut:
    return DeclaredPurposeOut(
        code=declaration.purpose.code,
        name=declaration.purpose.name,
        description=declaration.purpose.description,
        use=declaration.description,
        serves=declaration.serves,
        legal_basis=declaration.legal_basis,
        legal_basis_label=declaration.get_legal_basis_display(),
        special_condition=declaration.special_condition,
        special_condition_label=declaration.get_special_condition_display()
        if declaration.special_condition else "",
        categories=sorted(c.code for c in declaration.categories.all()),
        retention=declaration.retention,
        approved_at=declaration.decided_at,
    )


def _agreement_out(agreement: Agreement) -> AgreementInForceOut:
    categories = [c.name.lower() for c in agreement.categories.all()]
    until = timezone.localtime(agreement.valid_to)
    purposes = [p.name.lower() for p in agreement.purposes.all()]
    return AgreementInForceOut(
        id=agreement.public_id,
        title=agreement.title,
        provider=agreement.provider.slug,
        recipient=agreement.recipient.slug,
        categories=sorted(c.code for c in agreement.categories.all()),
        purposes=sorted(p.code for p in agreement.purposes.all()),
        legal_basis=agreement.legal_basis,
        valid_from=agreement.valid_from,
        valid_to=agreement.valid_to,
        summary=f"{agreement.provider.name} shares {', '.join(categories)} with "
        f"{agreement.recipient.name} for {', '.join(purposes)}, until "
        f"{until.day} {until:%B %Y}.",
    )


def _organization_out(organization: Organization, agreements: list[Agreement]
                      ) -> OrganizationPurposesOut:
    return OrganizationPurposesOut(
        slug=organization.slug,
        name=organization.name,
        kind=organization.kind,
        purposes=[_purpose_out(d) for d in organization.declared],
        agreements=[_agreement_out(a) for a in agreements
                    if organization.pk in (a.provider_id, a.recipient_id)],
    )


@router.get("/purposes", response=PurposesOut, summary="Every organisation's declared purposes",
            url_name="purposes_list")
def purposes_list(request: HttpRequest) -> PurposesOut:
    """Return each active member organisation's declared purposes (approved by its data
    protection officer), with their legal bases and categories, and the agreements in
    force it provides or receives."""
    agreements = list(agreements_in_force())
    return PurposesOut(organizations=[
        _organization_out(organization, agreements)
        for organization in organizations_with_register()
    ])


@router.get("/purposes/{organization}", response=OrganizationPurposesOut,
            summary="One organisation's declared purposes", openapi_extra=problems(404),
            url_name="purposes_organization")
def purposes_organization(request: HttpRequest, organization: str) -> OrganizationPurposesOut:
    """Return one organisation's declared purposes and the agreements in force it is party
    to; an unknown or inactive organisation is a 404."""
    found = public_organization_get(slug=organization)
    return _organization_out(found, list(agreements_in_force(organization=found)))
