"""The caseworker's request pages: the work queue, a request, and the changes made to it.

Each view parses a form, calls one `cases` selector or service and renders; the selectors
and services decide and log. A request of another organisation is a 404 page, exactly
like one that does not exist. A service's refusal (a status not allowed from the current
one, a request changed since the page was opened) shows in the GOV.UK error summary.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from agora.access.viewers import Viewer, viewer_for_staff
from agora.answers.services import enquiry_answer_publish, is_enquiry
from agora.cases import selectors, services
from agora.cases.models import CaseEvent
from agora.cases.statuses import DEFAULT_MODEL
from agora.catalog.models import Service
from agora.console.forms import add_agora_error
from agora.console.forms_cases import (
    DeadlineForm,
    DocumentRequestForm,
    MessageForm,
    NoteForm,
    PublishForm,
    QueueFilterForm,
    ReferForm,
    StatusForm,
)
from agora.console.views import GET_POST, _posted
from agora.console.views_people import _caseworker_org
from agora.core.exceptions import AgoraError, NotFound


def _staff(request: HttpRequest, slug: str):
    organization = _caseworker_org(request, slug)
    return organization, viewer_for_staff(request.user, organization)


def _read(viewer: Viewer, reference: str) -> selectors.CaseView:
    try:
        return selectors.case_read(viewer=viewer, reference=reference)
    except NotFound as error:
        raise Http404(error.detail) from error


@login_required
@require_safe
def queue(request: HttpRequest, slug: str) -> HttpResponse:
    """List the organisation's open requests, soonest deadline first, with filters and counts."""
    organization, viewer = _staff(request, slug)
    filters = QueueFilterForm(request.GET)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    services_offered = list(Service.objects.filter(provider=organization).order_by("name"))
    by_code = {service.code: service for service in services_offered}
    service = by_code.get(chosen.get("service") or "")
    page = selectors.case_queue(
        viewer=viewer, status=chosen.get("status") or "",
        service_id=service.pk if service else None, overdue=bool(chosen.get("overdue")),
        page=chosen.get("page") or 1,
    )
    labels = {status.code: status.label for status in DEFAULT_MODEL.statuses}
    counts = [(code, labels.get(code, code), n) for code, n in sorted(page.counts.items())]
    return render(request, "console/cases/queue.html", {
        "organization": organization, "page": page, "counts": counts,
        "services": services_offered, "chosen_service": service,
        "chosen_status": chosen.get("status") or "", "overdue": bool(chosen.get("overdue")),
        "now": timezone.now(),
    })


@login_required
@require_safe
def case_detail(request: HttpRequest, slug: str, reference: str) -> HttpResponse:
    """Show one request: who, what, its status and deadline, the whole timeline."""
    organization, viewer = _staff(request, slug)
    view = _read(viewer, reference)
    return render(request, "console/cases/case.html", {
        "organization": organization, "view": view, "case": view.case,
        "overdue": view.is_overdue(), "is_enquiry": is_enquiry(view.case),
    })


ACTIONS = {
    "status": ("Change the status", "Change status"),
    "message": ("Message the resident", "Send message"),
    "note": ("Add an internal note", "Add note"),
    "document": ("Ask for a document", "Ask for the document"),
    "deadline": ("Extend the deadline", "Extend deadline"),
    "refer": ("Refer to another organisation", "Refer"),
    "publish": ("Publish the answer as a frequently asked question", "Publish"),
}


def _form(action: str, view: selectors.CaseView, data, organization) -> forms.Form:
    initial = {"version": view.case.version}
    if action == "status":
        return StatusForm(data, initial=initial,
                          choices=[(s.code, s.label) for s in view.allowed_next])
    if action == "deadline":
        return DeadlineForm(data, initial=initial)
    if action == "refer":
        return ReferForm(data, initial=initial, current=organization)
    if action == "publish":
        replies = [e for e in view.events if e.kind == CaseEvent.Kind.MESSAGE_TO_RESIDENT]
        return PublishForm(data, initial={"text": replies[-1].text if replies else ""})
    return {"message": MessageForm, "note": NoteForm, "document": DocumentRequestForm}[
        action](data)


def _apply(action: str, viewer: Viewer, reference: str, data: dict) -> str:
    """Call the one service for the action; return what to tell the caseworker."""
    common = {"viewer": viewer, "reference": reference}
    if action == "status":
        case = services.case_status_change(status=data["status"], note=data["note"],
                                           expected_version=data["version"], **common)
        status = selectors.case_status_of(case)
        return f"Status changed to “{status.label}”. The resident sees: “{status.resident_text}”"
    if action == "message":
        services.case_message_send(text=data["text"], **common)
        return "Message sent to the resident."
    if action == "note":
        services.case_note_add(text=data["text"], **common)
        return "Note added."
    if action == "document":
        services.case_document_request(document_name=data["document_name"], text=data["text"],
                                       **common)
        return "The resident has been asked for the document."
    if action == "publish":
        published = enquiry_answer_publish(actor=viewer.user, viewer=viewer,
                                           reference=reference, answer=data["text"])
        return f"Published “{published.document.title}” in the hub."
    if action == "deadline":
        services.case_deadline_extend(days=data["days"], reason=data["reason"],
                                      expected_version=data["version"], **common)
        return f"Deadline extended by {data['days']} days."
    referral = services.case_refer(to_organization=data["organization"], reason=data["reason"],
                                   consent_note=data["consent_note"],
                                   expected_version=data["version"], **common)
    if referral.status == referral.Status.ACCEPTED:
        return f"The request has passed to {referral.to_organization.name}."
    return f"The resident has been asked to agree to the referral to " \
           f"{referral.to_organization.name}."


@login_required
@GET_POST
def case_action(request: HttpRequest, slug: str, reference: str, action: str) -> HttpResponse:
    """Ask for one change to a request and make it through its service."""
    if action not in ACTIONS:
        raise Http404("No such change.")
    organization, viewer = _staff(request, slug)
    view = _read(viewer, reference)
    if action == "publish" and not is_enquiry(view.case):
        raise Http404("Only a question handed over from the ask page can be published.")
    form = _form(action, view, _posted(request), organization)
    if request.method == "POST" and form.is_valid():
        try:
            said = _apply(action, viewer, view.reference, form.cleaned_data)
        except NotFound as error:
            raise Http404(error.detail) from error
        except AgoraError as error:
            add_agora_error(form, error)
        else:
            messages.success(request, said)
            return redirect("console:case", slug=organization.slug, reference=view.reference)
    heading, button = ACTIONS[action]
    return render(request, "console/cases/action.html", {
        "organization": organization, "view": view, "case": view.case, "form": form,
        "heading": heading, "button": button, "action": action,
    })
