"""“Check what you can get”: a few questions, then the services that may apply and why.

The flow asks only what the candidate services' rules need (the services of one topic,
or all of them), one question per page, and works without JavaScript: each page is a
form that posts and redirects to the next unanswered question. A signed-in resident may
let their own records answer some questions: they are read once, when the resident
agrees, through the records app (each read logged where they can see it). Answers and
facts live in the resident's session only; nothing is stored or sent to a provider.
"""

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from agora.access.viewers import viewer_for_resident
from agora.catalog.eligibility import Fact
from agora.catalog.models import Question, Service
from agora.catalog.selectors import (
    eligibility_check,
    question_infos,
    questions_for,
    record_facts,
    service_list,
)
from agora.core.exceptions import NotFound
from agora.topics.selectors import topic_get, topic_tree

SESSION_KEY = "eligibility_check"
GET_POST = require_http_methods(["GET", "HEAD", "POST"])


def _state(request: HttpRequest) -> dict[str, Any]:
    return request.session.get(SESSION_KEY) or {"topic": "", "answers": {}, "records": {},
                                                "records_asked": False, "started": False}


def _save(request: HttpRequest, state: dict[str, Any]) -> None:
    request.session[SESSION_KEY] = state


def _candidates(state: dict[str, Any]) -> list[Service]:
    topic = None
    if state.get("topic"):
        try:
            topic = topic_get(slug=state["topic"])
        except NotFound:
            topic = None
    return list(service_list(topic=topic, location_based=False))


def _has_person(request: HttpRequest) -> bool:
    return viewer_for_resident(request.user).person is not None


def _records_may_help(request: HttpRequest, needed: list[Question]) -> bool:
    """Say whether to offer the resident's records: signed in, and a question they answer."""
    return any(q.record_category for q in needed) and _has_person(request)


def _next_step(request: HttpRequest, state: dict[str, Any]) -> str:
    """Return where the flow goes next: records consent, a question, or the results."""
    if not state.get("started"):
        return reverse("portal:check")
    needed = questions_for(_candidates(state))
    if not state.get("records_asked") and _records_may_help(request, needed):
        return reverse("portal:check_records")
    for question in needed:
        if question.key not in state["answers"] and question.key not in state["records"]:
            return reverse("portal:check_question", args=[question.key])
    return reverse("portal:check_results")


class TopicForm(forms.Form):
    topic = forms.ChoiceField(
        label="What do you need help with?", widget=forms.RadioSelect,
        error_messages={"required": "Select what you need help with",
                        "invalid_choice": "Select what you need help with"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [
            (node.topic.slug, node.topic.name) for node in topic_tree()
        ] + [("", "Anything: show me every service")]
        self.fields["topic"].required = False


class RecordsForm(forms.Form):
    use_records = forms.ChoiceField(
        label="Can we use what organisations hold about you to answer some questions?",
        choices=[("yes", "Yes, use my records"), ("no", "No, I will answer every question")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if we can use your records"})


def answer_form(question: Question, data=None) -> forms.Form:
    """Return a one-field form for the question: yes/no, a whole number or a choice."""
    messages = {"required": f"Answer the question: {question.text}",
                "invalid_choice": "Select one of the options"}
    if question.kind == Question.Kind.BOOLEAN:
        field = forms.ChoiceField(choices=[("yes", "Yes"), ("no", "No")],
                                  widget=forms.RadioSelect, error_messages=messages)
    elif question.kind == Question.Kind.NUMBER:
        field = forms.IntegerField(
            min_value=0, max_value=10_000_000,
            widget=forms.TextInput(attrs={"inputmode": "numeric",
                                          "class": "govuk-input--width-5",
                                          "autocomplete": "off"}),
            error_messages={**messages, "invalid": "Enter a whole number, like 2",
                            "min_value": "Enter 0 or more",
                            "max_value": "Enter a smaller number"})
    else:
        field = forms.ChoiceField(choices=[(str(v), label) for v, label in question.choices],
                                  widget=forms.RadioSelect, error_messages=messages)
    field.label = question.text
    field.help_text = question.hint
    field.required = False  # checked below, so the message can name the question

    def clean_answer(form):
        value = form.cleaned_data.get("answer")
        if value is None or value == "":
            raise forms.ValidationError(messages["required"], code="unanswered")
        return value

    form_class = type("AnswerForm", (forms.Form,), {"answer": field,
                                                    "clean_answer": clean_answer})
    return form_class(data)


def _value(question: Question, cleaned: Any) -> Any:
    if question.kind == Question.Kind.BOOLEAN:
        return cleaned == "yes"
    return cleaned


@GET_POST
def check_start(request: HttpRequest) -> HttpResponse:
    """Say what the check does; choose a topic (or everything) to start."""
    state = _state(request)
    initial = request.GET.get("topic", state.get("topic", ""))
    form = TopicForm(request.POST if request.method == "POST" else None,
                     initial={"topic": initial})
    if request.method == "POST" and form.is_valid():
        state = {"topic": form.cleaned_data["topic"], "answers": {}, "records": {},
                 "records_asked": False, "started": True}
        _save(request, state)
        return redirect(_next_step(request, state))
    return render(request, "portal/check/start.html", {"form": form})


@GET_POST
def check_records(request: HttpRequest) -> HttpResponse:
    """Ask a signed-in resident whether their own records may answer some questions."""
    state = _state(request)
    if not state.get("started") or not _records_may_help(
            request, questions_for(_candidates(state))):
        return redirect("portal:check")
    form = RecordsForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        state["records_asked"] = True
        state["records"] = {}
        if form.cleaned_data["use_records"] == "yes":
            needed = questions_for(_candidates(state))
            facts = record_facts(user=request.user, questions=needed)
            state["records"] = {key: [fact.value, fact.source] for key, fact in facts.items()}
        _save(request, state)
        return redirect(_next_step(request, state))
    return render(request, "portal/check/records.html", {"form": form})


@GET_POST
def check_question(request: HttpRequest, key: str) -> HttpResponse:
    """Ask one question; an answer takes the resident to the next one, or the results."""
    state = _state(request)
    if not state.get("started"):
        return redirect("portal:check")
    needed = questions_for(_candidates(state))
    question = next((q for q in needed if q.key == key), None)
    if question is None:
        raise Http404("This check does not ask that question.")
    data = request.POST if request.method == "POST" else None
    form = answer_form(question, data)
    if data is None and key in state["answers"]:
        value = state["answers"][key]
        form = answer_form(question)
        form.initial = {"answer": ("yes" if value else "no")
                        if question.kind == Question.Kind.BOOLEAN else value}
    if data is not None and form.is_valid():
        state["answers"][key] = _value(question, form.cleaned_data["answer"])
        state["records"].pop(key, None)
        _save(request, state)
        return redirect(_next_step(request, state))
    position = [q.key for q in needed].index(key) + 1
    return render(request, "portal/check/question.html", {
        "form": form, "question": question, "caption": f"Question {position} of {len(needed)}",
        "back": _back(request, state, needed, key),
    })


def _back(request: HttpRequest, state: dict[str, Any], needed: list[Question],
          key: str) -> str:
    asked = [q.key for q in needed if q.key not in state["records"]]
    index = asked.index(key) if key in asked else 0
    if index > 0:
        return reverse("portal:check_question", args=[asked[index - 1]])
    if _records_may_help(request, needed):
        return reverse("portal:check_records")
    return reverse("portal:check")


@require_http_methods(["GET", "HEAD"])
def check_results(request: HttpRequest) -> HttpResponse:
    """Show the services that may apply, with reasons, and those that do not, with why."""
    state = _state(request)
    following = _next_step(request, state)
    if following != reverse("portal:check_results"):
        return redirect(following)
    candidates = _candidates(state)
    facts = {key: Fact(value=value, source=source)
             for key, (value, source) in state["records"].items()}
    facts.update({key: Fact(value=value) for key, value in state["answers"].items()})
    verdicts = eligibility_check(services=candidates, facts=facts)
    infos = question_infos()
    answers = [
        {"question": q, "says": infos[q.key].says(facts[q.key].value),
         "source": facts[q.key].source,
         "change": reverse("portal:check_question", args=[q.key])}
        for q in questions_for(candidates) if q.key in facts
    ]
    topic_name = ""
    if state.get("topic"):
        try:
            topic_name = topic_get(slug=state["topic"]).name
        except NotFound:
            topic_name = ""
    return render(request, "portal/check/results.html", {
        "may": [v for v in verdicts if v.eligible is not False],
        "unlikely": [v for v in verdicts if v.eligible is False],
        "answers": answers, "topic_name": topic_name,
        "from_records": any(answer["source"] for answer in answers),
    })
