"""“Your requests”: every request of the signed-in resident, across organisations.

The list shows each request's status in plain words, what happens next and by when, and
its whole timeline; the request's own page is where the resident replies to a message,
sends a document asked for and answers a referral. Requests are found from the signed-in
user only (`cases_for_resident`, and `case_read` with the resident's viewer), so someone
else's request is "not found", exactly like one that does not exist.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from agora.access.viewers import Viewer, viewer_for_resident
from agora.cases import selectors, services
from agora.cases.models import MAX_MESSAGE
from agora.core.exceptions import AgoraError, NotFound
from agora.notifications.residents import (
    email_preference_set,
    email_wanted,
    request_seen_mark,
    requests_seen,
)
from agora.portal.forms import add_agora_error

GET_POST = require_http_methods(["GET", "HEAD", "POST"])


class ReplyForm(forms.Form):
    text = forms.CharField(
        label="Your reply", max_length=MAX_MESSAGE, widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter your reply",
                        "max_length": "Your reply must be %(limit_value)d characters or fewer"},
    )


class DocumentForm(forms.Form):
    document = forms.FileField(
        label="Choose the file", help_text="A PDF, JPEG or PNG file smaller than 10 MB.",
        error_messages={"required": "Choose the file to send",
                        "empty": "The file is empty: choose the file to send"},
    )
    request = forms.UUIDField(widget=forms.HiddenInput, required=False)


class ReferralForm(forms.Form):
    answer = forms.ChoiceField(
        label="Do you agree to pass your request on?", widget=forms.RadioSelect,
        choices=[("yes", "Yes, pass it on"), ("no", "No, keep it where it is")],
        error_messages={"required": "Choose whether to pass your request on"},
    )


def _viewer(request: HttpRequest) -> Viewer:
    return viewer_for_resident(request.user)


@login_required
@require_safe
def request_list(request: HttpRequest) -> HttpResponse:
    """List every request of the resident, newest first, each with its timeline."""
    viewer = _viewer(request)
    items = selectors.cases_for_resident(viewer=viewer)
    new = _new_entries(items, requests_seen(person=viewer.person))
    return render(request, "portal/requests/list.html", {
        "items": [(item, new.get(item.case.pk, 0)) for item in items], "now": timezone.now(),
        "overdue": sum(1 for item in items if item.overdue), "unread": sum(new.values()),
    })


def _new_entries(items, seen: dict) -> dict[int, int]:
    """Count, per request, the timeline entries others added since the resident last looked."""
    return {item.case.pk: new_since([event.created_at for event in item.events
                                     if selectors.is_news_to_resident(event.author_kind)],
                                    seen.get(item.case.public_id))
            for item in items}


def new_since(times, since) -> int:
    """How many of `times` came after `since` (all of them if the page was never opened)."""
    return sum(1 for moment in times if since is None or moment > since)


def unread_updates(request: HttpRequest) -> int:
    """Count the new updates on all the signed-in resident's requests, as their list does.

    For the site's menu on every page; the updates of a request are read when its page
    is opened (`request_seen_mark`).
    """
    viewer = _viewer(request)
    if viewer.person is None and viewer.user is None:
        return 0
    seen = requests_seen(person=viewer.person)
    return sum(new_since(times, seen.get(public_id))
               for public_id, times in selectors.resident_updates(viewer=viewer).items())


FORMS = {"reply": ReplyForm, "document": DocumentForm, "referral": ReferralForm}


@login_required
@GET_POST
def request_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """Show one request; take a reply, a document or the answer to a referral."""
    viewer = _viewer(request)
    try:
        view = selectors.case_read(viewer=viewer, reference=reference)
    except NotFound as error:
        raise Http404(error.detail) from error
    wanted = view.documents_wanted[0] if view.documents_wanted else None
    forms_shown = {name: cls(initial={"request": wanted.public_id} if wanted and
                             name == "document" else None)
                   for name, cls in FORMS.items()}
    which = request.POST.get("form") if request.method == "POST" else None
    if which in FORMS:
        form = FORMS[which](request.POST, request.FILES)
        forms_shown[which] = form
        if form.is_valid():
            try:
                said = _apply(which, viewer, view.reference, form.cleaned_data, wanted)
            except NotFound as error:
                raise Http404(error.detail) from error
            except AgoraError as error:
                add_agora_error(form, error)
            else:
                messages.success(request, said)
                return redirect("portal:request", reference=view.reference)
    person = viewer.person
    if person is not None and view.as_resident and request.method != "POST":
        request_seen_mark(actor=request.user, person=person, request_id=view.case.public_id)
    return render(request, "portal/requests/detail.html", {
        "view": view, "case": view.case, "forms": forms_shown, "wanted": wanted,
        "overdue": view.is_overdue(), "failed": which if which in FORMS else "",
        "emails_on": person is not None and email_wanted(person, view.case.public_id),
    })


@login_required
@require_POST
def request_emails(request: HttpRequest, reference: str) -> HttpResponse:
    """Start or stop the emails about one request."""
    viewer = _viewer(request)
    try:
        view = selectors.case_read(viewer=viewer, reference=reference)
    except NotFound as error:
        raise Http404(error.detail) from error
    if viewer.person is None:
        raise Http404("No such request.")
    enabled = request.POST.get("emails") == "on"
    email_preference_set(actor=request.user, person=viewer.person, enabled=enabled,
                         request_id=view.case.public_id)
    messages.success(request, "We will email you when this request changes." if enabled
                     else "We will not email you about this request.")
    return redirect("portal:request", reference=view.reference)


def _apply(which: str, viewer: Viewer, reference: str, data: dict, wanted) -> str:
    if which == "reply":
        services.case_reply(viewer=viewer, reference=reference, text=data["text"])
        return "Your reply has been sent."
    if which == "document":
        upload = data["document"]
        services.case_document_supply(
            viewer=viewer, reference=reference, data=upload.read(),
            content_type=upload.content_type or "", name=upload.name,
            # The document asked for on the page; the oldest one still wanted by default.
            request_id=str(data.get("request") or (wanted.public_id if wanted else "")) or None,
        )
        return f"“{upload.name}” has been sent."
    case = services.referral_answer(viewer=viewer, reference=reference,
                                    accept=data["answer"] == "yes")
    if data["answer"] == "yes":
        return f"Your request has been passed to {case.organization.name}."
    return "Your request stays where it is."
