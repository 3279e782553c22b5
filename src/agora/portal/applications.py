"""Applying for a service: a start page, consent to fill answers in, one question a page,
check your answers, and the confirmation with the request's reference.

The GOV.UK "question pages" and "check answers" patterns. Each view reads the service
and the resident's draft through `applications` selectors and changes the draft through
its services; the draft lives on the server, so signing out and in again loses nothing.
"""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from agora.access.viewers import Viewer, viewer_for_resident
from agora.applications.models import ApplicationDraft
from agora.applications.questions import FormSchemaError, Question, questions_of
from agora.applications.selectors import draft_for, prefill_offer, service_for_application
from agora.applications.services import (
    PREFILL_CONSENT_DAYS,
    application_submit,
    draft_answer_save,
    draft_discard,
    draft_prefill_accept,
    draft_prefill_decline,
)
from agora.applications.validation import message_for
from agora.catalog.models import Service
from agora.core import exceptions as errors
from agora.core.forms import ErrorItem
from agora.portal.application_forms import AnswerForm
from agora.portal.forms import ConfirmForm, add_agora_error
from agora.portal.residents import resident_view

GET_POST = require_http_methods(["GET", "HEAD", "POST"])
SENT_KEY = "applications.sent"


def _service(code: str) -> tuple[Service, list[Question]]:
    """Return the service and its questions, or 404 (a form Agora cannot ask included)."""
    try:
        service = service_for_application(code=code)
        return service, questions_of(service.form_schema)
    except (errors.NotFound, FormSchemaError) as error:
        raise Http404(error.detail) from error


def _url(name: str, service: Service, *args) -> str:
    return reverse(f"portal:{name}", args=[service.code, *args])


def _question_url(service: Service, question: Question, change: bool = False) -> str:
    url = _url("application_question", service, question.name)
    return f"{url}?change=1" if change else url


def _next_step(service: Service, questions: list[Question], draft: ApplicationDraft | None) -> str:
    """Return where a resident picks up: the prefill question, the first unanswered
    required question, or "Check your answers"."""
    asked = draft.prefill if draft else ""
    if not asked and prefill_offer(service=service, questions=questions):
        return _url("application_prefill", service)
    answers = draft.answers if draft else {}
    if not answers:
        return _question_url(service, questions[0])
    for question in questions:
        if question.required and question.name not in answers:
            return _question_url(service, question)
    return _url("application_check", service)


@require_safe
def application_start(request: HttpRequest, code: str) -> HttpResponse:
    """Say what the service is and what applying takes; offer to continue a saved draft."""
    service, questions = _service(code)
    viewer = viewer_for_resident(request.user)
    draft = draft_for(viewer=viewer, service=service)
    return render(request, "portal/applications/start.html", {
        "service": service,
        "question_count": len(questions),
        "draft": draft,
        "can_prefill": prefill_offer(service=service, questions=questions) is not None,
    })


@require_safe
@resident_view
def application_continue(request: HttpRequest, viewer: Viewer, code: str) -> HttpResponse:
    """Send the resident to the step they are up to (signing in first if need be)."""
    service, questions = _service(code)
    return redirect(_next_step(service, questions, draft_for(viewer=viewer, service=service)))


class PrefillForm(forms.Form):
    use_records = forms.ChoiceField(
        label="Do you want us to fill in answers from information organisations already hold "
              "about you?",
        choices=[("yes", "Yes, fill in my answers"), ("no", "No, I will answer every question")],
        widget=forms.RadioSelect,
        required=False,  # asked for below, in words of its own (not "Select <the label>")
    )

    def clean_use_records(self) -> str:
        if not self.cleaned_data.get("use_records"):
            raise forms.ValidationError("Select yes if you want us to fill in your answers",
                                        code="missing")
        return self.cleaned_data["use_records"]


@GET_POST
@resident_view
def application_prefill(request: HttpRequest, viewer: Viewer, code: str) -> HttpResponse:
    """Ask for consent to fill answers in from records; give it (with its receipt) or not."""
    service, questions = _service(code)
    offer = prefill_offer(service=service, questions=questions)
    if offer is None:
        return redirect(_question_url(service, questions[0]))
    form = PrefillForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["use_records"] == "yes":
                _, filled = draft_prefill_accept(viewer=viewer, service=service)
                messages.success(request, (
                    f"We filled in {len(filled)} answer{'s' if len(filled) != 1 else ''} from "
                    "your records. Check each one as you go." if filled else
                    "We did not find any of these answers in your records."))
            else:
                draft_prefill_decline(viewer=viewer, service=service)
        except errors.AgoraError as error:
            add_agora_error(form, error, field="use_records")
        else:
            return redirect(_question_url(service, questions[0]))
    return render(request, "portal/applications/prefill.html", {
        "service": service, "offer": offer, "form": form, "consent_days": PREFILL_CONSENT_DAYS,
        "back_url": _url("application_start", service),
    })


def _back_url(service: Service, questions: list[Question], question: Question,
              change: bool, draft: ApplicationDraft | None) -> str:
    if change:
        return _url("application_check", service)
    index = questions.index(question)
    if index > 0:
        return _question_url(service, questions[index - 1])
    if draft and draft.prefill:
        return _url("application_prefill", service)
    return _url("application_start", service)


@GET_POST
@resident_view
def application_question(request: HttpRequest, viewer: Viewer, code: str, name: str
                         ) -> HttpResponse:
    """Ask one question; keep a good answer in the draft and go on, or show what is wrong."""
    service, questions = _service(code)
    question = next((q for q in questions if q.name == name), None)
    if question is None:
        raise Http404("This application has no such question.")
    change = request.GET.get("change") == "1"
    draft = draft_for(viewer=viewer, service=service)
    form = AnswerForm(request.POST if request.method == "POST" else None, question=question,
                      value=(draft.answers.get(name) if draft else None))
    if request.method == "POST" and form.is_valid():
        try:
            draft_answer_save(viewer=viewer, service=service, name=name, value=form.answer())
        except errors.AgoraError as error:
            form.add_problems(error)
        else:
            index = questions.index(question)
            if change or index == len(questions) - 1:
                return redirect(_url("application_check", service))
            return redirect(_question_url(service, questions[index + 1]))
    return render(request, "portal/applications/question.html", {
        "service": service,
        "question": question,
        "form": form,
        "field": form.bound,
        "origin": (draft.prefilled.get(name) if draft else None),
        "number": questions.index(question) + 1,
        "count": len(questions),
        "back_url": _back_url(service, questions, question, change, draft),
    })


def _rows(service: Service, questions: list[Question], draft: ApplicationDraft | None
          ) -> list[dict]:
    answers = draft.answers if draft else {}
    prefilled = draft.prefilled if draft else {}
    return [{
        "question": q,
        "answered": q.name in answers,
        "answer": q.label_of(answers.get(q.name)),
        "origin": prefilled.get(q.name),
        "change_url": _question_url(service, q, change=True),
        "missing": message_for(q, "required"),
    } for q in questions]


@GET_POST
@resident_view
def application_check(request: HttpRequest, viewer: Viewer, code: str) -> HttpResponse:
    """Show every answer with a link to change it; send the application on confirmation."""
    service, questions = _service(code)
    draft = draft_for(viewer=viewer, service=service)
    if draft is None or not draft.answers:
        return redirect(_next_step(service, questions, draft))
    problems: list[ErrorItem] = []
    if request.method == "POST":
        try:
            case = application_submit(viewer=viewer, service=service)
        except errors.AgoraError as error:
            by_name = {q.name: q for q in questions}
            problems = [
                ErrorItem(item["message"], _question_url(service, by_name[item["field"]], True)
                          if item.get("field") in by_name else "")
                for item in error.errors
            ] or [ErrorItem(error.detail)]
        else:
            request.session[SENT_KEY] = {"service": service.code, "reference": case.reference}
            return redirect(_url("application_sent", service))
    return render(request, "portal/applications/check.html", {
        "service": service,
        "rows": _rows(service, questions, draft),
        "draft": draft,
        "problems": problems,
        "page_has_errors": bool(problems),
        "back_url": _question_url(service, questions[-1]),
    })


@require_safe
@resident_view
def application_sent(request: HttpRequest, viewer: Viewer, code: str) -> HttpResponse:
    """Confirm the application was sent, with the request's reference and what happens next."""
    service, _ = _service(code)
    sent = request.session.get(SENT_KEY) or {}
    if sent.get("service") != service.code:
        return redirect(_url("application_start", service))
    return render(request, "portal/applications/sent.html", {
        "service": service, "reference": sent["reference"],
    })


@GET_POST
@resident_view
def application_discard(request: HttpRequest, viewer: Viewer, code: str) -> HttpResponse:
    """Ask to confirm (GET); delete the draft (POST)."""
    service, _ = _service(code)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        draft_discard(viewer=viewer, service=service)
        messages.success(request, f"Your draft application for {service.name} has been deleted.")
        return redirect(_url("application_start", service))
    return render(request, "portal/applications/discard.html", {
        "service": service, "form": form, "back_url": _url("application_start", service),
    })
