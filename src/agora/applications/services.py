"""Writes of the application flow: save an answer, fill answers in from records under a
consent given in the flow, decline that, discard the draft, send the application.

Each is one transaction. Every answer is checked against the service's JSON Schema here,
whoever calls, so a page, a test or a future API store the same things. Saving a draft
is not logged: a draft is the resident's own words kept for them alone, which no
organisation can read (docs/decisions.md 29). What reaches an organisation is logged:
the consent (`consent.give`), each record read to fill answers in (`record.read`), and
the request that sending creates (by `cases`).
"""

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from agora.access.services import consent_give
from agora.access.viewers import Viewer
from agora.applications.models import ApplicationDraft
from agora.applications.questions import (
    CHECKBOXES,
    DATE,
    INTEGER,
    NUMBER,
    YES_NO,
    Question,
    form_purpose,
    questions_of,
)
from agora.applications.selectors import prefill_offer
from agora.applications.validation import answer_problems
from agora.cases.models import Case
from agora.cases.services import case_create
from agora.catalog.models import Service
from agora.core.exceptions import InvalidInput, NotFound, PermissionDenied
from agora.records.selectors import MAX_PAGE, records_for_person

# How long the consent given for prefill lasts: long enough for the provider to decide
# the application; the resident can withdraw it sooner from "Your consents".
PREFILL_CONSENT_DAYS = 180


def _own(viewer: Viewer) -> None:
    if viewer.person is None or viewer.user is None:
        raise PermissionDenied("Only a signed-in resident can apply for a service.")


def _draft(viewer: Viewer, service: Service) -> ApplicationDraft:
    draft, _ = ApplicationDraft.objects.select_for_update().get_or_create(
        person=viewer.person, service=service)
    return draft


def _question(questions: list[Question], name: str) -> Question:
    for question in questions:
        if question.name == name:
            return question
    raise NotFound("This application has no such question.")


def draft_answer_save(
    *, viewer: Viewer, service: Service, name: str, value: Any,
) -> ApplicationDraft:
    """Check one answer against the form and keep it in the resident's draft.

    `value` is the answer as JSON (None for no answer). A wrong answer raises InvalidInput
    with the GOV.UK message and keeps nothing. An answer that differs from the one filled
    in from a record is no longer marked as coming from it.
    """
    _own(viewer)
    questions = questions_of(service.form_schema)
    _question(questions, name)
    answers = {} if value is None else {name: value}
    problems = answer_problems(service.form_schema, questions, answers, only=[name])
    if problems:
        raise InvalidInput(problems[0]["message"], errors=problems)
    with transaction.atomic():
        draft = _draft(viewer, service)
        if value is None:
            draft.answers.pop(name, None)
        else:
            draft.answers[name] = value
        origin = draft.prefilled.get(name)
        if origin is not None and origin.get("value") != value:
            draft.prefilled.pop(name)
        draft.save()
    return draft


def _from_record(question: Question, raw: Any) -> Any:
    """Return a record's field as an answer to the question, or None when it can't be one."""
    if raw is None or raw == "":
        return None
    if question.kind == YES_NO:
        return raw if isinstance(raw, bool) else None
    if question.kind in (INTEGER, NUMBER):
        if isinstance(raw, bool):
            return None
        try:
            number = float(raw)
        except (TypeError, ValueError):
            return None
        return int(number) if question.kind == INTEGER and number.is_integer() else number
    if question.kind == CHECKBOXES:
        return [str(v) for v in raw] if isinstance(raw, list) else [str(raw)]
    if question.kind == DATE:
        return str(raw)[:10]
    return str(raw) if isinstance(raw, (str, int, float)) else None


def draft_prefill_accept(
    *, viewer: Viewer, service: Service, now: datetime.datetime | None = None,
) -> tuple[ApplicationDraft, list[str]]:
    """Give the provider the resident's consent and fill answers in from their records.

    The consent (to the service's provider, for the form's purpose, over the categories
    the prefill questions use) is given through `access`, with its signed receipt, in
    the same transaction as the answers (the draft's consent is used again while it is in
    force, so going back and saying yes twice gives one consent). Records are read as
    the resident reading their own, narrowed to those categories, each read logged. Only
    questions not yet answered are filled, each with the newest record's value that the
    form accepts. Returns the
    draft and the names of the questions filled in.
    """
    _own(viewer)
    questions = questions_of(service.form_schema)
    offer = prefill_offer(service=service, questions=questions)
    if offer is None:
        raise InvalidInput("This application cannot be filled in from your records.")
    now = now or timezone.now()
    with transaction.atomic():
        draft = _draft(viewer, service)
        consent = draft.consent
        if consent is None or consent.withdrawn_at is not None or consent.expires_at <= now:
            consent = consent_give(
                actor=viewer.user, person=viewer.person, recipient=service.provider,
                categories=offer.categories, purpose=offer.purpose,
                expires_at=now + datetime.timedelta(days=PREFILL_CONSENT_DAYS), now=now,
            )
        page = records_for_person(
            viewer=viewer, person=viewer.person, purpose=offer.purpose, limit=MAX_PAGE,
            now=now, categories=[c.code for c in offer.categories],
        )
        filled = []
        for question in offer.questions:
            if question.name in draft.answers:
                continue
            for shared in page.items:  # newest first
                if shared.record.category.code != question.prefill.category:
                    continue
                value = _from_record(question, shared.fields.get(question.prefill.field))
                if value is None or answer_problems(
                    service.form_schema, questions, {question.name: value}, only=[question.name]
                ):
                    continue
                draft.answers[question.name] = value
                draft.prefilled[question.name] = {
                    "value": value,
                    "record": str(shared.record.public_id),
                    "title": shared.record.title,
                    "owner": shared.record.owner.name,
                }
                filled.append(question.name)
                break
        draft.prefill = ApplicationDraft.Prefill.ACCEPTED
        draft.consent = consent
        draft.save()
    return draft, filled


def draft_prefill_decline(*, viewer: Viewer, service: Service) -> ApplicationDraft:
    """Remember that the resident chose to answer every question themselves."""
    _own(viewer)
    with transaction.atomic():
        draft = _draft(viewer, service)
        draft.prefill = ApplicationDraft.Prefill.DECLINED
        draft.save()
    return draft


def draft_discard(*, viewer: Viewer, service: Service) -> None:
    """Delete the resident's draft for the service (nothing happens when there is none)."""
    _own(viewer)
    ApplicationDraft.objects.filter(person=viewer.person, service=service).delete()


def application_submit(
    *, viewer: Viewer, service: Service, now: datetime.datetime | None = None,
) -> Case:
    """Check the whole draft against the form and send it: a request in `cases`.

    Every answer is checked again, against the form as it is now (it may have changed
    since the answer was given); any problem raises InvalidInput listing each question
    to fix, and nothing is sent. Otherwise the request is created (and logged) by
    `case_create` and the draft deleted, in one transaction.
    """
    _own(viewer)
    questions = questions_of(service.form_schema)
    with transaction.atomic():
        draft = (ApplicationDraft.objects.select_for_update()
                 .filter(person=viewer.person, service=service).first())
        if draft is None:
            raise NotFound("There is no application to send: it may have been sent already.")
        answers = {q.name: draft.answers[q.name] for q in questions if q.name in draft.answers}
        problems = answer_problems(service.form_schema, questions, answers)
        if problems:
            raise InvalidInput(
                "Some answers are missing or need changing before you can send them.",
                errors=problems,
            )
        case = case_create(
            viewer=viewer, service=service, person=viewer.person, answers=answers,
            channel=Case.Channel.WEB, purpose_code=form_purpose(service.form_schema), now=now,
        )
        draft.delete()
    return case
