"""Topic curation in the console, for platform operators: add a topic, rename it, move it
(another parent, another place among its neighbours), hide it from residents or show it
again. The topics service checks the tree's rules and logs each change."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from agora.console.forms import add_agora_error
from agora.console.forms_topics import TopicForm
from agora.console.views import GET_POST, _posted, _require_operator, _reraise_access
from agora.core import exceptions as errors
from agora.topics.models import Topic
from agora.topics.selectors import topic_for_curation, topics_for_curation
from agora.topics.services import topic_save


def _parents(excluding: Topic | None = None) -> list[tuple[str, str]]:
    """Return the top-level topics a topic may sit under (not itself)."""
    return [(node.topic.slug, node.topic.name) for node in topics_for_curation()
            if excluding is None or node.topic.pk != excluding.pk]


def _save(request: HttpRequest, form: TopicForm, slug: str) -> Topic | None:
    data = form.cleaned_data
    try:
        parent = topic_for_curation(slug=data["parent"]) if data["parent"] else None
        return topic_save(actor=request.user, slug=slug, name=data["name"].strip(),
                          summary=data["summary"].strip(), parent=parent,
                          position=data["position"], is_active=data["is_active"])
    except errors.AgoraError as error:
        _reraise_access(error)
        add_agora_error(form, error)
        return None


@login_required
@require_safe
def topic_index(request: HttpRequest) -> HttpResponse:
    """The whole tree, hidden topics too, in the order residents see it."""
    _require_operator(request)
    return render(request, "console/topics/list.html", {"tree": topics_for_curation()})


@login_required
@GET_POST
def topic_new(request: HttpRequest) -> HttpResponse:
    _require_operator(request)
    form = TopicForm(_posted(request), parents=_parents())
    if request.method == "POST" and form.is_valid():
        slug = form.cleaned_data["slug"]
        if Topic.objects.filter(slug=slug).exists():
            form.add_error("slug", f"There is already a topic “{slug}”: choose another "
                           "short name.")
        elif (topic := _save(request, form, slug)) is not None:
            messages.success(request, f"The topic {topic.name} has been added.")
            return redirect("console:topics")
    return render(request, "console/topics/form.html", {"form": form, "topic": None})


@login_required
@GET_POST
def topic_edit(request: HttpRequest, slug: str) -> HttpResponse:
    _require_operator(request)
    try:
        topic = topic_for_curation(slug=slug)
    except errors.NotFound as error:
        raise Http404(error.detail) from error
    form = TopicForm(_posted(request), parents=_parents(excluding=topic), editing=True,
                     initial={"name": topic.name, "summary": topic.summary,
                              "parent": topic.parent.slug if topic.parent else "",
                              "position": topic.position, "is_active": topic.is_active})
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, topic.slug)
        if saved is not None:
            messages.success(request, f"The topic {saved.name} has been saved.")
            return redirect("console:topics")
    return render(request, "console/topics/form.html", {"form": form, "topic": topic})
