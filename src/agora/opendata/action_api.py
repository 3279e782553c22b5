"""CKAN's Action API at /api/3/action/{name} and /api/action/{name}: thin views.

Each action reads its parameters (GET query or POST JSON, or a multipart form for an
upload), calls a selector or service and answers CKAN's envelope
`{"help", "success", "result"}`; our errors become CKAN's error shapes and statuses
(Not Found Error 404, Authorization Error 403, Validation Error 409, Search Query Error
400, Bad Request 400). It is CKAN's shape, not the v1 API's, so it is not in the OpenAPI
document. Writes need `Authorization: <token>` (or `Bearer <token>`): one of the
organisation's API client tokens with the scope datasets:write; never a URL parameter.
"""

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from agora.content.services import Upload
from agora.core.exceptions import AgoraError, AuthenticationFailed, NotFound, PermissionDenied
from agora.opendata import datastore, selectors, services
from agora.opendata.ckan_dicts import (
    group_dict,
    organization_dict,
    package_dict,
    resource_dict,
)
from agora.opendata.exceptions import ActionBadRequest as BadRequest
from agora.opendata.exceptions import ActionInvalid as Invalid
from agora.opendata.exceptions import LoadFailed, SearchQueryInvalid
from agora.organizations.models import Organization
from agora.organizations.tokens import token_verify

WRITE_SCOPE = "datasets:write"
ACTIONS: dict[str, Callable[["Call"], Any]] = {}
READS: set[str] = set()


class Call:
    """One action call: its parameters and the request (for the token and the site URL)."""

    def __init__(self, request: HttpRequest, params: dict[str, Any], files: dict):
        self.request = request
        self.params = params
        self.files = files
        self.base = request.build_absolute_uri("/").rstrip("/")

    def text(self, name: str, default: str = "", *, required: bool = False) -> str:
        value = self.params.get(name, default)
        if value in (None, "") and required:
            raise Invalid(name, "Missing value")
        if value is None:
            return default
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise Invalid(name, "Must be text")
        return str(value)

    def integer(self, name: str, default: int, *, low: int = 0, high: int | None = None) -> int:
        value = self.params.get(name, default)
        if value in (None, ""):
            return default
        try:
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError
            number = int(value)
        except (TypeError, ValueError):
            raise Invalid(name, "Invalid integer") from None
        if number < low:
            raise Invalid(name, f"Must be a natural number ≥ {low}")
        if high is not None and number > high:
            raise Invalid(name, f"Must be at most {high}")
        return number

    def boolean(self, name: str, default: bool = False) -> bool:
        value = self.params.get(name, default)
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in {"true", "1", "yes", "on"}:
            return True
        if isinstance(value, str) and value.lower() in {"false", "0", "no", "off", ""}:
            return False
        if value is None:
            return default
        raise Invalid(name, "Must be true or false")

    def json_value(self, name: str, default: Any) -> Any:
        """Return a parameter that a GET sends as JSON text and a POST as JSON itself."""
        value = self.params.get(name, default)
        if isinstance(value, str) and self.request.method == "GET" and value[:1] in ("[", "{"):
            try:
                return json.loads(value)
            except json.JSONDecodeError:
                raise Invalid(name, "Invalid JSON") from None
        return value

    def text_list(self, name: str) -> list[str]:
        value = self.json_value(name, [])
        if isinstance(value, str):
            value = [value] if value else []
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise Invalid(name, "Must be a list of text")
        return value

    def client_organization(self, *, required: bool) -> Organization | None:
        """Return the organisation of the token's client, or refuse (writes must have one)."""
        header = self.request.headers.get("Authorization", "").strip()
        if not header:
            if required:
                raise PermissionDenied("Send an API token in the Authorization header.")
            return None
        scheme, _, rest = header.partition(" ")
        token = rest.strip() if scheme.lower() == "bearer" else header
        verified = token_verify(token=token, scope=WRITE_SCOPE)
        self.client = verified.client
        return verified.client.organization


def action(name: str, *, read: bool = True):
    def register(function: Callable[[Call], Any]) -> Callable[[Call], Any]:
        ACTIONS[name] = function
        if read:
            READS.add(name)
        return function
    return register


def _help(request: HttpRequest, name: str) -> str:
    return request.build_absolute_uri(reverse("opendata:action", kwargs={"name": "help_show"})) \
        + f"?name={name}"


def _error_body(error: Exception) -> tuple[int, dict[str, Any]]:
    if isinstance(error, SearchQueryInvalid):
        return 400, {"__type": "Search Query Error",
                     "message": f"Search Query is invalid: {error.detail}"}
    if isinstance(error, NotFound):
        return 404, {"__type": "Not Found Error", "message": f"Not found: {error.detail}"}
    if isinstance(error, PermissionDenied | AuthenticationFailed):
        return 403, {"__type": "Authorization Error",
                     "message": f"Access denied: {getattr(error, 'detail', error)}"}
    if isinstance(error, BadRequest):
        return 400, {"__type": "Bad Request", "message": f"Bad request - {error.detail}"}
    if isinstance(error, AgoraError):  # invalid input, a bad file, a conflict
        fields: dict[str, list[str]] = {}
        for item in error.errors:
            fields.setdefault(item.get("field") or "message", []).append(item["message"])
        if not fields:
            fields["message"] = [error.detail]
        return 409, {"__type": "Validation Error", **fields}
    raise error


@csrf_exempt
def action_view(request: HttpRequest, name: str) -> JsonResponse:
    """Run one action and answer in CKAN's envelope."""
    try:
        function = ACTIONS.get(name)
        if function is None:
            raise BadRequest(f"Action name not known: {name}")
        if request.method not in {"GET", "POST"}:
            raise BadRequest("Use GET or POST.")
        if request.method == "GET" and name not in READS:
            raise BadRequest(f"Action {name} changes data: send it as a POST.")
        params, files = _params(request)
        if "\\u0000" in json.dumps(params):
            raise Invalid(next(iter(params)) if len(params) == 1 else "params",
                          "Text may not contain a NUL character")
        result = function(Call(request, params, files))
        return JsonResponse({"help": _help(request, name), "success": True, "result": result},
                            json_dumps_params={"ensure_ascii": False})
    except (AgoraError, LoadFailed) as error:
        status, body = _error_body(error)
        return JsonResponse({"help": _help(request, name), "success": False, "error": body},
                            status=status, json_dumps_params={"ensure_ascii": False})


def _params(request: HttpRequest) -> tuple[dict[str, Any], dict]:
    if request.method == "GET":
        return {key: request.GET.get(key) for key in request.GET}, {}
    content_type = request.content_type or ""
    if content_type.startswith("multipart/form-data") or content_type.startswith(
            "application/x-www-form-urlencoded"):
        return ({key: request.POST.get(key) for key in request.POST},
                {key: request.FILES[key] for key in request.FILES})
    body = request.body
    if not body.strip():
        return {}, {}
    try:
        params = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise BadRequest(f"JSON Error: {error}") from None
    if not isinstance(params, dict):
        raise BadRequest("JSON Error: the body must be a JSON object")
    return params, {}


# ---- reads -----------------------------------------------------------------------------


@action("status_show")
def status_show(call: Call) -> dict[str, Any]:
    return {"site_title": "Agora open data", "site_url": call.base,
            "site_description": "Open data of Riverton's public services.",
            "ckan_version": "2.10.0", "api_version": 3, "locale_default": "en",
            "extensions": ["datastore", "dcat"]}


@action("help_show")
def help_show(call: Call) -> str:
    name = call.text("name", required=True)
    function = ACTIONS.get(name)
    if function is None:
        raise NotFound(f"Action function not found: {name}")
    return (function.__doc__ or name).strip()


@action("package_list")
def package_list(call: Call) -> list[str]:
    """Return the names of every open dataset."""
    names = selectors.dataset_names()
    offset = call.integer("offset", 0)
    limit = call.integer("limit", len(names) or 1, low=0)
    return names[offset:offset + limit]


@action("package_show")
def package_show(call: Call) -> dict[str, Any]:
    """Return one dataset by id or name, with its resources. Its owner (with a token) also
    reads its private and deleted datasets (state=deleted)."""
    name = call.text("id", required=True)
    try:
        document = selectors.dataset_get(id_or_name=name, private_for=_private_for(call))
    except NotFound:
        # Only now read a token the caller sent (it is one-use): the owner's own dataset.
        if "include_private" in call.params or not call.request.headers.get("Authorization"):
            raise
        document = selectors.dataset_get(
            id_or_name=name, private_for=call.client_organization(required=True))
    result = package_dict(document, call.base)
    # Every version of the description stays reachable (CKAN users ask for history).
    result["agora_versions"] = [
        {"version": version.number, "title": version.title,
         "published_at": version.published_at.replace(tzinfo=None).isoformat()}
        for version in selectors.dataset_versions(document)]
    return result


def _private_for(call: Call) -> Organization | None:
    """Read the token only when the caller asks for private datasets: a client that sends
    its (one-use) token with every call must not have its reads refused as replays."""
    if call.boolean("include_private"):
        return call.client_organization(required=False)
    return None


@action("package_search")
def package_search(call: Call) -> dict[str, Any]:
    """Search datasets: q, fq, fq_list, sort, rows (≤ 1000), start, facet.field,
    facet.limit, facet.mincount, include_private."""
    fq = [call.text("fq")] if call.text("fq") else []
    fq += call.text_list("fq_list")
    facet_fields = call.text_list("facet.field") if call.boolean("facet", True) else []
    private = call.client_organization(required=False) \
        if call.boolean("include_private") else None
    params = selectors.SearchParams(
        q=call.text("q"), fq=fq, sort=call.text("sort"),
        rows=call.integer("rows", 10, high=selectors.MAX_ROWS), start=call.integer("start", 0),
        facet_fields=facet_fields, facet_limit=_facet_limit(call),
        facet_mincount=call.integer("facet.mincount", 1), private_for=private,
    )
    found = selectors.dataset_search(params)
    return {
        "count": found.count, "sort": found.sort,
        "results": [package_dict(document, call.base) for document in found.results],
        "facets": {name: {item.name: item.count for item in items}
                   for name, items in found.facets.items()},
        "search_facets": {
            name: {"title": name, "items": [
                {"name": item.name, "display_name": item.display_name, "count": item.count}
                for item in items]}
            for name, items in found.facets.items()
        },
    }


def _facet_limit(call: Call) -> int:
    limit = call.integer("facet.limit", 50, low=-1)
    return 10_000 if limit == -1 else limit


@action("organization_list")
def organization_list(call: Call) -> list[Any]:
    """Return the organisations publishing open data (names, or dicts with all_fields)."""
    organizations = list(selectors.publishers())
    if call.boolean("all_fields"):
        return [organization_dict(org, count=org.package_count) for org in organizations]
    return [org.slug for org in organizations]


@action("organization_show")
def organization_show(call: Call) -> dict[str, Any]:
    organization = selectors.organization_get(call.text("id", required=True))
    result = organization_dict(organization, count=organization.package_count)
    return _with_datasets(call, result, f"organization:{organization.slug}")


@action("group_list")
def group_list(call: Call) -> list[Any]:
    """Return the groups (the hub's topics) that open datasets are filed under."""
    topics = list(selectors.groups())
    if call.boolean("all_fields"):
        return [group_dict(topic, count=topic.package_count) for topic in topics]
    return [topic.slug for topic in topics]


@action("group_show")
def group_show(call: Call) -> dict[str, Any]:
    topic = selectors.group_get(call.text("id", required=True))
    result = group_dict(topic, count=topic.package_count)
    return _with_datasets(call, result, f"groups:{topic.slug}")


def _with_datasets(call: Call, result: dict[str, Any], fq: str) -> dict[str, Any]:
    """Add the first 1,000 datasets matching `fq` when the call asks for them (CKAN's
    `include_datasets` on organization_show and group_show)."""
    if call.boolean("include_datasets"):
        found = selectors.dataset_search(selectors.SearchParams(fq=[fq], rows=1000))
        result["packages"] = [package_dict(document, call.base) for document in found.results]
    return result


@action("tag_list")
def tag_list(call: Call) -> list[Any]:
    names = selectors.tag_names(call.text("query"))
    if call.boolean("all_fields"):
        return [{"id": name, "name": name, "display_name": name, "vocabulary_id": None}
                for name in names]
    return names


@action("resource_show")
def resource_show(call: Call) -> dict[str, Any]:
    resource = selectors.resource_get(call.text("id", required=True),
                                      private_for=_private_for(call))
    return resource_dict(resource, call.base)


@action("resource_view_list")
def resource_view_list(call: Call) -> list[dict[str, Any]]:
    """Return the resource's views: a table preview when its rows are in the DataStore."""
    resource = selectors.resource_get(call.text("id", required=True))
    if not resource_dict(resource, call.base)["datastore_active"]:
        return []
    return [{"id": f"{resource.public_id}-table", "resource_id": str(resource.public_id),
             "package_id": str(resource.dataset.public_id), "view_type": "datatables_view",
             "title": "Table", "description": "", "position": 0}]


@action("datastore_search")
def datastore_search(call: Call) -> dict[str, Any]:
    """Query a resource's DataStore table: resource_id, filters, q, limit, offset, fields,
    sort, include_total, records_format (objects, lists, csv, tsv)."""
    resource_id = call.text("resource_id", required=True) or call.text("id")
    table = selectors.datastore_get(resource_id)
    filters = call.json_value("filters", {}) or {}
    if not isinstance(filters, dict):
        raise Invalid("filters", "Must be a JSON object")
    q = call.json_value("q", "") or ""
    if not isinstance(q, str | dict):
        raise Invalid("q", "Must be text or a JSON object")
    fields = call.json_value("fields", None)
    if isinstance(fields, str):
        fields = [name.strip() for name in fields.split(",") if name.strip()]
    if fields is not None and not (isinstance(fields, list)
                                   and all(isinstance(name, str) for name in fields)):
        raise Invalid("fields", "Must be a list of field names")
    records_format = call.text("records_format", "objects")
    if records_format not in {"objects", "lists", "csv", "tsv"}:
        raise Invalid("records_format", "Must be objects, lists, csv or tsv")
    sort = call.json_value("sort", "") or ""
    if isinstance(sort, list):
        sort = ", ".join(str(part) for part in sort)
    limit = call.integer("limit", 100, high=32000)
    offset = call.integer("offset", 0)
    page = datastore.table_query(table.table_name, table.fields, datastore.Query(
        filters=filters, q=q, fields=fields, sort=str(sort), limit=limit, offset=offset,
        include_total=call.boolean("include_total", True),
    ))
    names = [field["id"] for field in page.fields]
    result: dict[str, Any] = {
        "resource_id": resource_id,
        "fields": [{"id": field["id"], "type": field["type"]} for field in page.fields],
        "records_format": records_format, "limit": limit, "offset": offset,
        "_links": _links(call, offset, limit),
    }
    if records_format == "objects":
        result["records"] = [dict(zip(names, row, strict=True)) for row in page.rows]
    elif records_format == "lists":
        result["records"] = [list(row) for row in page.rows]
    else:
        result["records"] = datastore.delimited(page.rows, "," if records_format == "csv" else "\t")
    if filters:
        result["filters"] = filters
    if q:
        result["q"] = q
    if sort:
        result["sort"] = sort
    if page.total is not None:
        result["total"] = page.total
    return result


def _links(call: Call, offset: int, limit: int) -> dict[str, str]:
    start = reverse("opendata:action", kwargs={"name": "datastore_search"})
    resource = call.params.get("resource_id")
    return {"start": f"{start}?resource_id={resource}&limit={limit}",
            "next": f"{start}?resource_id={resource}&limit={limit}&offset={offset + limit}"}


# ---- writes ----------------------------------------------------------------------------


def _date(call: Call, name: str) -> date | None:
    value = call.text(name)
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise Invalid(name, "Must be a date (YYYY-MM-DD)") from None


def _names(call: Call, name: str, key: str = "name") -> tuple[str, ...]:
    value = call.json_value(name, [])
    if not isinstance(value, list):
        raise Invalid(name, "Must be a list")
    names = []
    for item in value:
        if isinstance(item, dict) and isinstance(item.get(key), str):
            names.append(item[key])
        elif isinstance(item, str):
            names.append(item)
        else:
            raise Invalid(name, f"Each item must be an object with a “{key}”")
    return tuple(names)


def _input_changes(call: Call) -> dict[str, Any]:
    """Return the dataset fields present in the call, as DatasetInput's names."""
    changes: dict[str, Any] = {}
    for name in ("title", "notes", "license_id", "maintainer_email"):
        if name in call.params:
            changes[name] = call.text(name)
    extras = call.json_value("extras", [])
    if not isinstance(extras, list):
        raise Invalid("extras", "Must be a list of {key, value}")
    for item in extras:
        if isinstance(item, dict) and item.get("key") in {
                "frequency", "spatial_text", "temporal_start", "temporal_end"}:
            call.params.setdefault(item["key"], item.get("value"))
    if "frequency" in call.params:
        changes["frequency"] = call.text("frequency")
    if "spatial_text" in call.params or "spatial" in call.params:
        changes["spatial"] = call.text("spatial_text") or call.text("spatial")
    for name in ("temporal_start", "temporal_end"):
        if name in call.params:
            changes[name] = _date(call, name)
    if "tags" in call.params:
        changes["tags"] = _names(call, "tags")
    if "groups" in call.params:
        changes["groups"] = _names(call, "groups")
    return changes


@action("package_create", read=False)
def package_create(call: Call) -> dict[str, Any]:
    """Create a dataset of the token's organisation (owner_org: its id or name)."""
    organization = call.client_organization(required=True)
    owner = call.text("owner_org") or organization.slug
    if owner not in {organization.slug, str(organization.public_id)}:
        raise PermissionDenied("A client may only create its own organisation's datasets.")
    changes = _input_changes(call)
    data = services.DatasetInput(name=call.text("name", required=True),
                                 title=changes.pop("title", "") or call.text("name"), **changes)
    document = services.dataset_create(actor=call.client, owner=organization, data=data)
    return package_dict(selectors.dataset_get(id_or_name=str(document.public_id),
                                              private_for=organization), call.base)


@action("package_patch", read=False)
def package_patch(call: Call) -> dict[str, Any]:
    """Change the fields given of a dataset of the token's organisation."""
    organization = call.client_organization(required=True)
    document = selectors.dataset_get(id_or_name=call.text("id", required=True),
                                     private_for=organization)
    changes = _input_changes(call)
    if "name" in call.params:
        changes["name"] = call.text("name")
    services.dataset_patch(actor=call.client, document=document, changes=changes)
    return package_dict(selectors.dataset_get(id_or_name=str(document.public_id),
                                              private_for=organization), call.base)


@action("resource_create", read=False)
def resource_create(call: Call) -> dict[str, Any]:
    """Add a file (multipart field "upload") or a link (url) to a dataset; CSV and JSON
    files are loaded into the DataStore, or refused with each bad row named."""
    organization = call.client_organization(required=True)
    document = selectors.dataset_get(id_or_name=call.text("package_id", required=True),
                                     private_for=organization)
    uploaded = call.files.get("upload")
    upload = None
    if uploaded is not None:
        if uploaded.size > settings.CONTENT_MAX_BYTES:
            raise Invalid("upload", "The file is too large")
        upload = Upload(name=uploaded.name or "upload", data=uploaded.read())
    resource = services.resource_create(actor=call.client, document=document, data=(
        services.ResourceInput(name=call.text("name"), description=call.text("description"),
                               format=call.text("format"), url=call.text("url"),
                               upload=upload)))
    return resource_dict(selectors.resource_get(str(resource.public_id),
                                                private_for=organization), call.base)


@action("package_delete", read=False)
def package_delete(call: Call) -> None:
    """Delete a dataset of the token's organisation (CKAN's state=deleted: it leaves the
    catalogue and its search; package_show still shows it to its owner)."""
    organization = call.client_organization(required=True)
    document = selectors.dataset_get(id_or_name=call.text("id", required=True),
                                     private_for=organization)
    services.dataset_delete(actor=call.client, document=document)
    return None


@action("resource_delete", read=False)
def resource_delete(call: Call) -> None:
    """Remove a file from a dataset of the token's organisation, with its DataStore table."""
    organization = call.client_organization(required=True)
    resource = selectors.resource_get(call.text("id", required=True), private_for=organization)
    services.resource_delete(actor=call.client, resource=resource)
    return None


def _write_resource(call: Call, organization: Organization):
    resource_id = call.text("resource_id") or call.text("id")
    if not resource_id:
        raise Invalid("resource_id", "Missing value")
    return selectors.resource_get(resource_id, private_for=organization)


def _records(call: Call) -> list:
    records = call.json_value("records", [])
    if not isinstance(records, list):
        raise Invalid("records", "Must be a list of objects")
    return records


@action("datastore_create", read=False)
def datastore_create(call: Call) -> dict[str, Any]:
    """Create a resource's DataStore table (resource_id, or resource: {package_id, name}
    for a new resource), with fields [{id, type}] (text, int, numeric), records and an
    optional primary_key; on an existing table, add fields and insert records."""
    organization = call.client_organization(required=True)
    resource_dict_in = call.json_value("resource", None)
    if resource_dict_in is not None:
        if not isinstance(resource_dict_in, dict) or not resource_dict_in.get("package_id"):
            raise Invalid("resource", "Must be an object with a package_id")
        document = selectors.dataset_get(id_or_name=str(resource_dict_in["package_id"]),
                                         private_for=organization)
        resource = services.resource_for_datastore(
            actor=call.client, document=document, name=str(resource_dict_in.get("name") or
                                                           "Data"))
    else:
        resource = _write_resource(call, organization)
    fields = call.json_value("fields", None)
    key = call.json_value("primary_key", [])
    if isinstance(key, str):
        key = [name.strip() for name in key.split(",") if name.strip()]
    if not isinstance(key, list) or not all(isinstance(name, str) for name in key):
        raise Invalid("primary_key", "Must be a field name or a list of them")
    table = services.datastore_create(actor=call.client, resource=resource,
                                      data=services.DatastoreWrite(
                                          records=_records(call), fields=fields,
                                          primary_key=tuple(key)))
    return {"resource_id": str(resource.public_id), "method": "insert",
            "fields": [{"id": field["id"], "type": field["type"]} for field in table.fields],
            "primary_key": list(table.primary_key)}


@action("datastore_upsert", read=False)
def datastore_upsert(call: Call) -> dict[str, Any]:
    """Write records to a resource's table: method upsert (default), insert or update, by
    the table's primary key (or _id). A bad record refuses them all."""
    organization = call.client_organization(required=True)
    resource = _write_resource(call, organization)
    method = call.text("method", "upsert")
    services.datastore_upsert(actor=call.client, resource=resource, data=services.DatastoreWrite(
        records=_records(call), method=method))
    return {"resource_id": str(resource.public_id), "method": method}


@action("datastore_delete", read=False)
def datastore_delete(call: Call) -> dict[str, Any]:
    """Delete the rows matching filters from a resource's table; without filters, delete
    the table itself."""
    organization = call.client_organization(required=True)
    resource = _write_resource(call, organization)
    filters = call.json_value("filters", {}) or {}
    if not isinstance(filters, dict):
        raise Invalid("filters", "Must be a JSON object")
    services.datastore_delete(actor=call.client, resource=resource, filters=filters)
    result: dict[str, Any] = {"resource_id": str(resource.public_id)}
    if filters:
        result["filters"] = filters
    return result
