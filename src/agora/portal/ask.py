"""Ask a question: the answer with the section it comes from, or an honest "cannot answer".

The question box is a plain GET form (on the home page, every topic page and here), so
it works without JavaScript and an answer can be linked to. The reader and the resident
are built from the request: a signed-in member also gets answers from their
organisations' internal guidance, and a signed-in resident's personal question is
answered from their own requests (`answers.personal`).
"""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from agora.access.documents import reader_for_user
from agora.access.viewers import viewer_for_resident
from agora.answers.handover import handover_route
from agora.answers.selectors import MAX_QUESTION_CHARS, answer_question
from agora.answers.services import question_handover
from agora.core.exceptions import AgoraError, InvalidInput
from agora.portal.forms import _OwnRequiredMessage, add_agora_error
from agora.topics.selectors import topic_tree


def ask_page(request: HttpRequest) -> HttpResponse:
    """Answer the question in the address, or show the question box."""
    question = request.GET.get("question", "")
    topic = request.GET.get("topic", "")
    context = {"question": question, "topic": topic, "asked": "question" in request.GET}
    if context["asked"]:
        try:
            answer = answer_question(reader=reader_for_user(request.user), question=question,
                                     viewer=viewer_for_resident(request.user))
        except InvalidInput as error:
            context["errors"] = [{"text": error.detail, "href": "#ask-question"}]
            context["page_has_errors"] = True
        else:
            context["answer"] = answer
            if answer.status == "abstained":
                route = handover_route(answer.topic or topic)
                context["route"] = route
                context["person_href"] = reverse("portal:ask_person") + "?" + urlencode(
                    {"question": answer.question, "topic": route.topic_slug})
            if answer.sign_in:
                context["sign_in_href"] = reverse("account_login") + "?" + urlencode(
                    {"next": request.get_full_path()})
    return render(request, "portal/ask/ask.html", context)


class OwnRequiredChoiceField(_OwnRequiredMessage, forms.ChoiceField):
    """A choice whose "required" message is its own (the label is a question)."""


class PersonForm(forms.Form):
    question = forms.CharField(
        label="Your question", max_length=MAX_QUESTION_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter your question",
                        "max_length": "Your question must be %(limit_value)d characters or fewer"},
    )
    topic = OwnRequiredChoiceField(
        label="What is it about?", widget=forms.RadioSelect,
        error_messages={"required": "Select what your question is about",
                        "invalid_choice": "Select what your question is about"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [(node.topic.slug, node.topic.name)
                                        for node in topic_tree()]


def _top_level(slug: str) -> str:
    """Return the top-level topic a topic sits under (the form offers those)."""
    for node in topic_tree():
        if node.topic.slug == slug or any(child.topic.slug == slug for child in node.children):
            return node.topic.slug
    return ""


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def ask_person(request: HttpRequest) -> HttpResponse:
    """Send a question the guidance could not answer to a person, as a request."""
    if request.method == "POST":
        form = PersonForm(request.POST)
        if form.is_valid():
            try:
                case = question_handover(viewer=viewer_for_resident(request.user),
                                         question=form.cleaned_data["question"],
                                         topic_slug=form.cleaned_data["topic"])
            except AgoraError as error:
                add_agora_error(form, error)
            else:
                messages.success(request, f"Your question has been sent to "
                                          f"{case.organization.name}.")
                return redirect("portal:request", reference=case.reference)
    else:
        form = PersonForm(initial={"question": request.GET.get("question", ""),
                                   "topic": _top_level(request.GET.get("topic", ""))})
    return render(request, "portal/ask/person.html", {"form": form})
