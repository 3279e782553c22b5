"""The hub's public pages: search, a document, the topics and a topic's page.

Anyone may use them; a signed-in member also finds their organisations' internal
documents (and restricted ones their roles are named for). Every read goes through the
content selectors with the reader built from the request, so what a page shows, counts
and offers as a filter is what that reader may read.
"""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from agora.access.documents import reader_for_user
from agora.catalog.selectors import service_list
from agora.content.models import Document
from agora.content.selectors import document_get, document_list, hub_search
from agora.core.exceptions import NotFound
from agora.topics.selectors import topic_get, topic_tree

PAGE_SIZE = 20
FILTERS = ("topic", "org", "kind", "year")


def _link(params: dict[str, str], **changes: str | None) -> str:
    """Return the search URL with some parameters changed (None removes one)."""
    merged = {key: value for key, value in {**params, **changes}.items() if value}
    return f"{reverse('portal:search')}?{urlencode(merged)}"


def _int(value: str, default: int | None = None) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def search_page(request: HttpRequest) -> HttpResponse:
    """Search every organisation's guidance, forms and data at once."""
    query = request.GET.get("q", "")
    params = {key: request.GET.get(key, "") for key in ("q", *FILTERS)}
    page = max(1, _int(request.GET.get("page", "1"), 1))
    context = {"query": query, "params": params, "searched": "q" in request.GET}
    if context["searched"]:
        result = hub_search(
            reader=reader_for_user(request.user), query=query, topic=params["topic"],
            owner=params["org"], kind=params["kind"], year=_int(params["year"]),
            limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE,
        )
        facets = []
        for key, title, values in (("org", "Organisation", result.owners),
                                   ("topic", "Topic", result.topics),
                                   ("kind", "Type", result.kinds),
                                   ("year", "Updated", result.years)):
            chosen = params[key]
            items = [{"label": v.label, "count": v.count, "chosen": v.value == chosen,
                      "href": _link(params, **{key: None if v.value == chosen else v.value})}
                     for v in values]
            if items or chosen:
                facets.append({"key": key, "title": title, "items": items,
                               "clear": _link(params, **{key: None}) if chosen else ""})
        total = result.search.total
        pages = (total + PAGE_SIZE - 1) // PAGE_SIZE
        context.update({
            "result": result, "facets": facets, "page": page, "pages": pages,
            "plus": "" if result.search.total_exact else "+",  # counts are lower bounds
            "previous_href": _link(params, page=str(page - 1)) if page > 1 else "",
            "next_href": _link(params, page=str(page + 1)) if page < pages else "",
            "corrected_href": _link(params, q=result.search.corrected),
            "original_href": _link(params, q=query),
            "suggested_href": _link(params, q=result.search.did_you_mean),
            "first": (page - 1) * PAGE_SIZE + 1,
            "last": (page - 1) * PAGE_SIZE + len(result.hits),
        })
        if result.search.problem:
            context["errors"] = [{"text": result.search.problem, "href": "#search-q"}]
            context["page_has_errors"] = True
    return render(request, "portal/hub/search.html", context)


def document_page(request: HttpRequest, public_id) -> HttpResponse:
    """Show a document's current version, section by section, each with its anchor."""
    try:
        document = document_get(reader=reader_for_user(request.user), public_id=public_id)
    except NotFound as error:
        raise Http404(error.detail) from error
    version = document.current_version
    return render(request, "portal/hub/document.html", {
        "document": document, "version": version,
        "sections": list(version.sections.all()),
        "preview": version.metadata.get("preview") if version.metadata.get("columns") else None,
        "columns": version.metadata.get("columns"),
    })


def topic_index(request: HttpRequest) -> HttpResponse:
    """List the needs and life events, each with its sub-topics."""
    return render(request, "portal/hub/topics.html", {"tree": topic_tree()})


def topic_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Gather every organisation's services and documents about one need, grouped by type."""
    try:
        topic = topic_get(slug=slug)
    except NotFound as error:
        raise Http404(error.detail) from error
    documents = document_list(reader=reader_for_user(request.user), topic=topic)
    paginator = Paginator(documents, 100)
    listed = paginator.get_page(1)
    labels = dict(Document.Kind.choices)
    groups: dict[str, list[Document]] = {}
    for document in listed:
        groups.setdefault(document.kind, []).append(document)
    order = list(Document.Kind.values)
    children = [node for node in topic_tree() if node.topic.pk == topic.pk]
    return render(request, "portal/hub/topic.html", {
        "topic": topic,
        "services": list(service_list(topic=topic)),
        "check_topic": topic.parent.slug if topic.parent_id else topic.slug,
        "children": children[0].children if children else [],
        "groups": [(labels[kind], groups[kind]) for kind in order if kind in groups],
        "count": paginator.count,
        "organisations": sorted({document.owner.name for document in listed}),
    })
