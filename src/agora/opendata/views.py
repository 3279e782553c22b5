"""The open data pages (catalogue with facets, dataset with preview and API examples),
the DCAT-AP documents and resource downloads: thin views over the selectors."""

import json
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from agora.content.storage import source_open
from agora.core.exceptions import NotFound
from agora.opendata import datastore, dcat, selectors
from agora.opendata.ckan_dicts import dataset_name, datastore_of, license_id_of, meta_of
from agora.opendata.exceptions import SearchQueryInvalid

PAGE_SIZE = 20
FACETS = (("organization", "Organisation"), ("groups", "Topic"), ("tags", "Tag"),
          ("res_format", "Format"))
PREVIEW_ROWS = 10


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    """The data catalogue: free text, one filter per facet, newest first, 20 a page."""
    query = request.GET.get("q", "")[:200]
    chosen = {name: request.GET.get(name, "")[:100] for name, _ in FACETS}
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    fq = [f'{name}:"{value}"' for name, value in chosen.items() if value and '"' not in value]
    errors = []
    try:
        found = selectors.dataset_search(selectors.SearchParams(
            q=query.replace(":", " "), fq=fq, rows=PAGE_SIZE, start=(page - 1) * PAGE_SIZE,
            facet_fields=[name for name, _ in FACETS], facet_limit=10,
        ))
    except SearchQueryInvalid as error:
        errors = [{"text": error.detail, "href": "#q"}]
        found = selectors.SearchResult(count=0, results=[], facets={}, sort="")

    def href(**changes) -> str:
        params = {"q": query, **chosen, **changes}
        return "?" + urlencode({key: value for key, value in params.items() if value})

    facets = [{
        "title": title,
        "items": [{"label": item.display_name, "count": item.count,
                   "chosen": chosen[name] == item.name,
                   "href": href(**{name: "" if chosen[name] == item.name else item.name})}
                  for item in found.facets.get(name, [])],
    } for name, title in FACETS]
    pages = max(1, -(-found.count // PAGE_SIZE))
    return render(request, "opendata/catalogue.html", {
        "query": query, "found": found, "facets": facets, "errors": errors, "page": page,
        "pages": pages, "names": [dataset_name(document) for document in found.results],
        "results": [(document, dataset_name(document)) for document in found.results],
        "previous_href": href(page=page - 1) if page > 1 else "",
        "next_href": href(page=page + 1) if page < pages else "",
        "alternates": [(suffix, dcat.MEDIA_TYPES[suffix],
                        reverse("opendata:catalog_rdf", kwargs={"suffix": suffix}))
                       for suffix in dcat.FORMATS],
    })


@require_GET
def dataset(request: HttpRequest, name: str) -> HttpResponse:
    """One dataset: its facts, its files with a preview of loaded tables, API examples."""
    try:
        document = selectors.dataset_get(id_or_name=name)
    except NotFound:
        raise Http404("There is no such dataset.") from None
    base = _base(request)
    resources = []
    for resource in document.resources.all():
        table = datastore_of(resource)
        preview = None
        if table is not None:
            page = datastore.table_query(table.table_name, table.fields, datastore.Query(
                filters={}, q="", fields=None, sort="", limit=PREVIEW_ROWS, offset=0,
                include_total=False))
            preview = {"headers": [field["id"] for field in page.fields[1:]],
                       "rows": [row[1:] for row in page.rows], "total": table.row_count}
        resources.append({"resource": resource, "preview": preview, "examples": _examples(
            base, resource, table, preview)})
    return render(request, "opendata/dataset.html", {
        "document": document, "meta": meta_of(document), "name": dataset_name(document),
        "license_id": license_id_of(document), "resources": resources,
        "versions": selectors.dataset_versions(document),
        "package_show": f"{base}/api/3/action/package_show?{urlencode({'id': name})}",
        "alternates": [(suffix, dcat.MEDIA_TYPES[suffix],
                        reverse("opendata:dataset_rdf", kwargs={"name": name, "suffix": suffix}))
                       for suffix in dcat.FORMATS],
    })


def _examples(base: str, resource, table, preview) -> list[tuple[str, str]]:
    """Return (what it does, URL) for a few datastore_search calls on this resource."""
    if table is None:
        return []
    action = f"{base}/api/3/action/datastore_search"
    first = table.fields[0]["id"] if table.fields else ""
    examples = [("The first 5 rows",
                 f"{action}?" + urlencode({"resource_id": resource.public_id, "limit": 5}))]
    if first:
        examples.append((f"Sorted by {first}, descending", f"{action}?" + urlencode(
            {"resource_id": resource.public_id, "sort": f"{first} desc", "limit": 5})))
        value = next((row[0] for row in preview["rows"] if row[0] is not None), None)
        if value is not None:
            examples.append((f"Only the rows whose {first} is {value}", f"{action}?" + urlencode(
                {"resource_id": resource.public_id, "filters": json.dumps({first: value})})))
    return examples


@require_GET
def resource_download(request: HttpRequest, name: str, resource_id: str) -> FileResponse:
    try:
        resource = selectors.resource_get(resource_id)
    except NotFound:
        raise Http404("There is no such file.") from None
    if dataset_name(resource.dataset) != name or not resource.file_name:
        raise Http404("There is no such file.")
    response = FileResponse(iter([source_open(resource.file_name)]),
                            content_type=resource.media_type or "application/octet-stream")
    suffix = "." + resource.format.lower() if resource.format else ""
    filename = resource.name if resource.name.lower().endswith(suffix) else resource.name + suffix
    response["Content-Disposition"] = f'attachment; filename="{filename.replace(chr(34), "")}"'
    return response


@require_GET
def catalog_rdf(request: HttpRequest, suffix: str) -> HttpResponse:
    """The catalogue as DCAT-AP 3, 100 datasets a page (Hydra paging)."""
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    documents = selectors.catalogue().order_by("-created_at", "-pk")
    paginator = Paginator(documents.values_list("pk", flat=True), dcat.PAGE_SIZE)
    if page > paginator.num_pages:
        raise Http404("There is no such page.")
    ids = list(paginator.page(page).object_list)
    chosen = list(selectors.dataset_list_by_ids(ids))
    graph = dcat.catalog_graph(chosen, base=_base(request), total=paginator.count, page=page,
                               suffix=suffix)
    return HttpResponse(dcat.serialize(graph, suffix), content_type=dcat.MEDIA_TYPES[suffix])


@require_GET
def dataset_rdf(request: HttpRequest, name: str, suffix: str) -> HttpResponse:
    try:
        document = selectors.dataset_get(id_or_name=name)
    except NotFound:
        raise Http404("There is no such dataset.") from None
    graph = dcat.dataset_graph(document, base=_base(request))
    return HttpResponse(dcat.serialize(graph, suffix), content_type=dcat.MEDIA_TYPES[suffix])
