"""Reads for the application pages: the service to apply to, the resident's draft, and what
may be filled in from their records.

A draft is the resident's own: it is only ever found through their viewer's person, so
nobody else's draft can be opened, and with no person there is no draft (fail closed).
"""

from dataclasses import dataclass

from agora.access.models import DataCategory, Purpose
from agora.access.register import declaration_problems
from agora.access.viewers import Viewer
from agora.applications.models import ApplicationDraft
from agora.applications.questions import Question, form_purpose
from agora.catalog.models import Service
from agora.core.exceptions import NotFound


def service_for_application(*, code: str) -> Service:
    """Return the published service with this code that takes applications, or NotFound."""
    service = (
        Service.objects.select_related("provider")
        .filter(code=code, status=Service.Status.PUBLISHED, form_schema__isnull=False)
        .first()
    )
    if service is None or not service.provider.is_active:
        raise NotFound("There is no service with this code that takes applications.")
    return service


def draft_for(*, viewer: Viewer, service: Service) -> ApplicationDraft | None:
    """Return the viewer's own draft for the service, or None."""
    if viewer.person is None:
        return None
    return ApplicationDraft.objects.filter(person=viewer.person, service=service).first()


def drafts_for_person(*, viewer: Viewer) -> list[ApplicationDraft]:
    """Return the viewer's own unsent applications, most recently saved first."""
    if viewer.person is None:
        return []
    return list(ApplicationDraft.objects.filter(person=viewer.person)
                .select_related("service", "service__provider", "consent")
                .order_by("-updated_at", "-pk"))


@dataclass(frozen=True)
class PrefillOffer:
    """What the flow may ask consent for: the provider may see these categories for the
    purpose, so these questions can be answered from the resident's records."""

    purpose: Purpose
    categories: list[DataCategory]
    questions: list[Question]


def prefill_offer(*, service: Service, questions: list[Question]) -> PrefillOffer | None:
    """Return the prefill the flow may offer, or None.

    Offered only for the questions whose category the provider has declared, in its
    register of processing, for the form's purpose: a consent may only name purposes its
    recipient declared, so nothing else could be consented to.
    """
    wanted = [q for q in questions if q.prefill is not None]
    purpose = Purpose.objects.filter(code=form_purpose(service.form_schema)).first()
    if not wanted or purpose is None:
        return None
    codes = sorted({q.prefill.category for q in wanted})
    categories = [
        c for c in DataCategory.objects.filter(code__in=codes).order_by("name")
        if not declaration_problems(organization=service.provider, purposes=[purpose],
                                    categories=[c])
    ]
    allowed = {c.code for c in categories}
    wanted = [q for q in wanted if q.prefill.category in allowed]
    if not wanted:
        return None
    return PrefillOffer(purpose=purpose, categories=categories, questions=wanted)
