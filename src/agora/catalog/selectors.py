"""Reads of the catalogue: published services for anyone, a provider's own for its staff,
and the facts for an eligibility check, from answers or (with consent) the resident's
own records, each record read decided and logged by the records app."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from agora.access.viewers import viewer_for_resident
from agora.catalog.eligibility import Fact, Outcome, QuestionInfo, rule_evaluate, rule_variables
from agora.catalog.models import Question, Service
from agora.catalog.services import may_provide
from agora.core.exceptions import NotFound
from agora.organizations.models import Organization
from agora.records.selectors import records_for_person
from agora.topics.models import Topic
from agora.topics.selectors import topic_with_descendants

MAX_PAGE = 200


def service_list(*, topic: Topic | None = None, provider: Organization | None = None,
                 location_based: bool | None = None) -> QuerySet[Service]:
    """Return the published services (anyone may see them), by name."""
    services = Service.objects.filter(status=Service.Status.PUBLISHED,
                                      provider__is_active=True)
    if topic is not None:
        services = services.filter(topics__in=topic_with_descendants(topic)).distinct()
    if provider is not None:
        services = services.filter(provider=provider)
    if location_based is not None:
        services = services.filter(location_based=location_based)
    return services.select_related("provider").prefetch_related(
        Prefetch("topics", queryset=Topic.objects.order_by("position", "name")))


def service_get(*, code: str) -> Service:
    """Return the published service with this code, or raise NotFound."""
    service = service_list().filter(code=code).first()
    if service is None:
        raise NotFound(f"There is no service “{code[:80]}” in the catalogue.")
    return service


def services_of_provider(*, actor, provider: Organization) -> QuerySet[Service]:
    """Return every service of the provider, drafts and withdrawn too, for its own staff."""
    if not may_provide(actor, provider):
        return Service.objects.none()
    return Service.objects.filter(provider=provider).select_related("provider") \
        .prefetch_related("topics")


def service_for_provider(*, actor, provider: Organization, code: str) -> Service:
    """Return one of the provider's services; anyone else's looks like none (NotFound)."""
    service = services_of_provider(actor=actor, provider=provider).filter(code=code).first()
    if service is None:
        raise NotFound("There is no such service.")
    return service


# ------------------------------------------------------------------ eligibility


def question_infos() -> dict[str, QuestionInfo]:
    """Return every question, by key, as the eligibility checker reads them."""
    return {q.key: QuestionInfo.of(q) for q in Question.objects.all()}


def questions_for(services: list[Service]) -> list[Question]:
    """Return the questions the services' rules need, in the order they are asked."""
    keys: set[str] = set()
    for service in services:
        keys.update(rule_variables(service.eligibility_rule))
    return list(Question.objects.filter(key__in=keys))


@dataclass(frozen=True)
class Verdict:
    service: Service
    outcome: Outcome

    @property
    def eligible(self) -> bool | None:
        return self.outcome.eligible


def eligibility_check(*, services: list[Service], facts: dict[str, Fact]) -> list[Verdict]:
    """Evaluate each service's rule against the facts; a service with no rule may apply."""
    infos = question_infos()
    return [Verdict(service, rule_evaluate(service.eligibility_rule, facts, infos))
            for service in services]


def _record_value(question: Question, fields: dict[str, Any]) -> Any:
    """Return the fact a record gives for the question, or None if it gives none."""
    if question.kind == Question.Kind.BOOLEAN:
        wanted = question.record_match or {}
        if question.record_field and question.record_field not in fields:
            return None
        matches = all(fields.get(name) == value for name, value in wanted.items())
        return True if matches else None  # no matching record proves nothing: ask instead
    value = fields.get(question.record_field)
    if value is None or value == "":
        return None
    if question.kind == Question.Kind.NUMBER:
        return value if isinstance(value, (int, float)) and not isinstance(value, bool) \
            else None
    return value if str(value) in {str(v) for v, _ in question.choices} else None


def record_facts(*, user, questions: list[Question]) -> dict[str, Fact]:
    """Return what the signed-in resident's own records say for these questions.

    Call only when the resident has agreed, in the flow, to their records being used.
    The records are read through `records.selectors.records_for_person` as the resident
    themselves (the own-data basis): every record read is decided and appended to the
    transparency log, where the resident sees it. Nothing leaves the resident's session:
    the check is not stored and no organisation is told.
    """
    wanted = [q for q in questions if q.record_category]
    viewer = viewer_for_resident(user)
    if not wanted or viewer.person is None:
        return {}
    categories = {q.record_category for q in wanted}
    page = records_for_person(viewer=viewer, person=viewer.person, purpose=None,
                              limit=MAX_PAGE)
    facts: dict[str, Fact] = {}
    for shared in page.items:  # newest first: the first record that answers wins
        record = shared.record
        if record.category.code not in categories:
            continue
        for question in wanted:
            if question.key in facts or question.record_category != record.category.code:
                continue
            value = _record_value(question, shared.fields)
            if value is not None:
                facts[question.key] = Fact(value=value, source=record.owner.name)
    return facts


def questions_for_all() -> QuerySet[Question]:
    """Return every question, in the order they are asked."""
    return Question.objects.all()
