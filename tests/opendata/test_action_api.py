"""The CKAN Action API through Django's test client: envelope, actions, CKAN's errors."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from agora.opendata.models import DatastoreTable, Resource
from tests.api.helpers import make_organization
from tests.opendata.helpers import dataset, publisher

pytestmark = pytest.mark.django_db


def call(client, name, params=None, *, post=False, token=None, prefix="/api/3/action/"):
    headers = {"HTTP_AUTHORIZATION": token} if token else {}
    if post:
        return client.post(prefix + name, json.dumps(params or {}),
                           content_type="application/json", **headers)
    return client.get(prefix + name, params or {}, **headers)


def ok(response):
    assert response.status_code == 200, response.content[:500]
    body = response.json()
    assert body["success"] is True and "help_show?name=" in body["help"]
    return body["result"]


def error(response, status, kind):
    assert response.status_code == status, response.content[:500]
    body = response.json()
    assert body["success"] is False and body["error"]["__type"] == kind, body
    return body["error"]


@pytest.fixture
def catalogue():
    council = make_organization("riverton-council")
    housing = make_organization("riverton-housing")
    dataset(council)
    dataset(council, "library-loans", title="Library loans", tags=("libraries",),
            groups=("leisure",), csv=b"branch,loans\nCentral,100\nEast,40\n")
    dataset(housing, "housing-repairs", title="Housing repairs", tags=("housing", "repairs"),
            groups=("housing",), license_id="OGL-UK-3.0", csv=None)
    return council, housing


def test_status_and_lists(client, catalogue):
    assert ok(call(client, "status_show"))["api_version"] == 3
    assert ok(call(client, "package_list")) == ["bin-collections", "housing-repairs",
                                                  "library-loans"]
    assert ok(call(client, "package_list", prefix="/api/action/"))[0] == "bin-collections"
    assert ok(call(client, "organization_list")) == ["riverton-council", "riverton-housing"]
    assert ok(call(client, "group_list")) == ["housing", "leisure", "waste"]
    assert "bins" in ok(call(client, "tag_list"))
    organisation = ok(call(client, "organization_show", {"id": "riverton-council"}))
    assert organisation["package_count"] == 2
    assert ok(call(client, "group_show", {"id": "waste"}))["title"] == "Waste"


def test_package_show_has_the_ckan_fields(client, catalogue):
    package = ok(call(client, "package_show", {"id": "bin-collections"}))
    assert package["title"] == "Bin collections by ward"
    assert package["organization"]["name"] == "riverton-council"
    assert [tag["name"] for tag in package["tags"]] == ["bins", "waste"]
    assert [group["name"] for group in package["groups"]] == ["waste"]
    assert package["license_id"] == "CC-BY-4.0" and package["isopen"] is True
    assert package["frequency"] == "MONTHLY" and package["temporal_start"] == "2026-01-01"
    assert package["spatial_text"] == "Riverton" and package["version"] == "1"
    resource = package["resources"][0]
    assert resource["format"] == "CSV" and resource["datastore_active"] is True
    download = client.get(resource["url"].removeprefix("http://testserver"))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"ward,")
    assert ok(call(client, "package_show", {"id": package["id"]}))["name"] == "bin-collections"
    assert ok(call(client, "resource_show", {"id": resource["id"]}))["name"] == "Collections"
    views = ok(call(client, "resource_view_list", {"id": resource["id"]}))
    assert views[0]["view_type"] == "datatables_view"
    assert "fq_list" in ok(call(client, "help_show", {"name": "package_search"}))


def test_package_search_with_fq_facets_sort_and_paging(client, catalogue):
    result = ok(call(client, "package_search", {
        "q": "repairs", "facet.field": json.dumps(["organization", "tags"])}))
    assert result["count"] == 1 and result["results"][0]["name"] == "housing-repairs"
    assert result["search_facets"]["organization"]["items"] == [
        {"name": "riverton-housing", "display_name": "Riverton Housing", "count": 1}]
    assert result["facets"]["tags"] == {"housing": 1, "repairs": 1}
    by_org = ok(call(client, "package_search", {"fq": "organization:riverton-council",
                                                "sort": "name asc"}))
    assert [p["name"] for p in by_org["results"]] == ["bin-collections", "library-loans"]
    either = ok(call(client, "package_search", {"fq": "tags:(bins OR libraries) -groups:leisure"}))
    assert [p["name"] for p in either["results"]] == ["bin-collections"]
    listed = ok(call(client, "package_search", {"fq_list": ["res_format:CSV"],
                                                "sort": "title desc", "rows": 1, "start": 1},
                     post=True))
    assert listed["count"] == 2 and [p["name"] for p in listed["results"]] == ["bin-collections"]
    assert ok(call(client, "package_search", {"q": "tags:housing"}))["count"] == 1
    from agora.content.services import Upload
    from agora.core.actors import SYSTEM
    from agora.opendata import services
    from agora.opendata.selectors import dataset_get

    services.resource_create(actor=SYSTEM, document=dataset_get(id_or_name="bin-collections"),
                             data=services.ResourceInput(name="Again", upload=Upload(
                                 "again.csv", b"a,b\n1,2\n")))
    formats = ok(call(client, "package_search", {"facet.field": '["res_format"]'}))
    assert formats["facets"]["res_format"] == {"CSV": 2}
    counted = ok(call(client, "package_search", {
        "rows": 0, "facet.field": '["groups"]', "facet.mincount": 1, "facet.limit": 2}))
    assert counted["results"] == [] and len(counted["search_facets"]["groups"]["items"]) == 2


def test_bad_input_gets_ckans_error_shapes(client, catalogue):
    assert error(call(client, "package_frobnicate"), 400, "Bad Request")["message"] == (
        "Bad request - Action name not known: package_frobnicate")
    assert error(call(client, "package_show", {"id": "nope"}), 404, "Not Found Error")
    assert error(call(client, "package_search", {"rows": 1001}), 409,
                 "Validation Error")["rows"] == ["Must be at most 1000"]
    assert error(call(client, "package_search", {"rows": "ten"}), 409, "Validation Error")
    assert error(call(client, "package_search", {"fq": "tags:(bins"}), 400,
                 "Search Query Error")
    assert error(call(client, "package_search", {"fq": "colour:blue"}), 400,
                 "Search Query Error")
    assert error(call(client, "package_search", {"fq": "tags:bin*"}), 400, "Search Query Error")
    assert error(call(client, "package_search", {"sort": "colour asc"}), 400,
                 "Search Query Error")
    assert error(call(client, "package_show", {}), 409, "Validation Error")["id"] == [
        "Missing value"]
    broken = client.post("/api/3/action/package_search", "{not json",
                         content_type="application/json")
    assert error(broken, 400, "Bad Request")
    assert error(call(client, "package_create", {"name": "x"}), 400, "Bad Request")


def test_datastore_search(client, catalogue):
    resource = Resource.objects.get(dataset__title="Bin collections by ward")
    rid = str(resource.public_id)
    result = ok(call(client, "datastore_search", {
        "resource_id": rid, "filters": json.dumps({"ward": "South"}), "sort": "missed asc"}))
    assert result["total"] == 2
    assert [r["missed"] for r in result["records"]] == [7, 21]
    assert result["fields"][0] == {"id": "_id", "type": "int"}
    lists = ok(call(client, "datastore_search", {
        "resource_id": rid, "q": "Riverside", "records_format": "lists",
        "fields": "ward,collections", "include_total": False}, post=True))
    assert lists["records"] == [[5, "Riverside", 640]] and "total" not in lists
    as_csv = ok(call(client, "datastore_search", {"resource_id": rid, "limit": 2,
                                                  "offset": 3, "records_format": "csv"}))
    assert as_csv["records"] == "4,South,2026-02,1010,7\n5,Riverside,2026-01,640,3\n"
    assert error(call(client, "datastore_search", {"resource_id": rid,
                                                   "filters": '{"colour": "red"}'}),
                 409, "Validation Error")["filters"]
    assert error(call(client, "datastore_search", {"resource_id": rid, "limit": "x"}),
                 409, "Validation Error")
    assert error(call(client, "datastore_search", {"resource_id": "nope"}), 404,
                 "Not Found Error")


def test_writes_need_a_token_of_the_datasets_organisation(client, catalogue):
    keyed = publisher(catalogue[0])
    assert error(call(client, "package_create", {"name": "trees", "title": "Trees"}, post=True),
                 403, "Authorization Error")
    assert error(call(client, "package_create", {"name": "trees", "title": "Trees"}, post=True,
                      token="not-a-token"), 403, "Authorization Error")
    created = ok(call(client, "package_create", {
        "name": "street-trees", "title": "Street trees", "notes": "Every tree.",
        "owner_org": "riverton-council", "tags": [{"name": "trees"}],
        "extras": [{"key": "frequency", "value": "ANNUAL"}]},
        post=True, token=keyed.token()))
    assert created["organization"]["name"] == "riverton-council"
    assert created["frequency"] == "ANNUAL" and created["tags"][0]["name"] == "trees"
    patched = ok(call(client, "package_patch", {"id": "street-trees", "notes": "Every tree, "
                      "with its species."}, post=True, token=f"Bearer {keyed.token()}"))
    assert patched["notes"].endswith("species.") and patched["version"] == "2"
    assert patched["tags"][0]["name"] == "trees"
    history = ok(call(client, "package_show", {"id": "street-trees"}))["agora_versions"]
    assert [version["version"] for version in history] == [2, 1]
    assert error(call(client, "package_patch", {"id": "housing-repairs", "notes": "Mine now."},
                      post=True, token=keyed.token()), 403, "Authorization Error")
    assert error(call(client, "package_create", {"name": "bin-collections", "title": "Again"},
                      post=True, token=keyed.token()), 409, "Validation Error")["name"]
    assert error(call(client, "package_create", {"name": "x", "owner_org": "riverton-housing"},
                      post=True, token=keyed.token()), 403, "Authorization Error")
    upload = SimpleUploadedFile("trees.csv", b"species,count\nOak,10\nAsh,4\n")
    response = client.post("/api/3/action/resource_create", {
        "package_id": "street-trees", "name": "Trees by species", "upload": upload},
        HTTP_AUTHORIZATION=keyed.token())
    resource = ok(response)
    assert resource["format"] == "CSV" and resource["datastore_active"] is True
    ragged = SimpleUploadedFile("bad.csv", b"species,count\nOak,10,extra\nAsh\n")
    refused = error(client.post("/api/3/action/resource_create", {
        "package_id": "street-trees", "upload": ragged}, HTTP_AUTHORIZATION=keyed.token()),
        409, "Validation Error")
    assert refused["upload"] == ["line 2: expected 2 values, found 3",
                                 "line 3: expected 2 values, found 1"]
    assert Resource.objects.filter(dataset__title="Street trees").count() == 1
    assert DatastoreTable.objects.filter(resource__dataset__title="Street trees").count() == 1


def test_private_datasets_only_for_their_organisation(client, catalogue):
    from agora.content.models import Document
    Document.objects.filter(title="Library loans").update(classification="public")
    assert ok(call(client, "package_search"))["count"] == 2
    keyed = publisher(catalogue[0])
    found = ok(call(client, "package_search", {"include_private": True}, token=keyed.token()))
    assert found["count"] == 3
    assert error(call(client, "package_show", {"id": "library-loans"}), 404, "Not Found Error")
    shown = ok(call(client, "package_show", {"id": "library-loans", "include_private": True},
                    token=keyed.token()))
    assert shown["private"] is True
    reused = keyed.token()  # a client that sends the same token with every read
    assert ok(call(client, "package_show", {"id": "bin-collections"}, token=reused))
    assert ok(call(client, "package_show", {"id": "bin-collections"}, token=reused))


def test_a_hub_file_without_open_data_details_is_listed_but_not_patched(client, catalogue):
    from agora.content.services import Details, Upload, document_publish
    from agora.core.actors import SYSTEM

    council, _ = catalogue
    published = document_publish(
        actor=SYSTEM, owner=council, upload=Upload("trees.csv", b"species,count\nOak,1\n"),
        source_key="trees", details=Details(classification="open", kind="dataset"))
    name = str(published.document.public_id)
    assert name in ok(call(client, "package_list"))
    assert ok(call(client, "package_show", {"id": name}))["resources"] == []
    keyed = publisher(council)
    assert error(call(client, "package_patch", {"id": name, "notes": "x"}, post=True,
                      token=keyed.token()), 409, "Validation Error")["id"]


@pytest.mark.parametrize("params", [
    {"q": "bins\x00"}, {"q": 'tags:"unclosed'}, {"q": "title:bins"}, {"q": "((("},
    {"fq": "organization:"}, {"fq": ":::"}, {"fq_list": "not-a-list"}, {"sort": ""},
    {"rows": -1}, {"start": "1e3"}, {"start": 10**12}, {"facet.field": "[1, 2]"},
    {"facet.field": '["colour"]'}, {"facet.limit": "x"}, {"include_private": "maybe"},
    {"q": "ø" * 500},
])
def test_no_input_makes_a_server_error(client, catalogue, params):
    for post in (False, True):
        response = call(client, "package_search", params, post=post)
        assert response.status_code in (200, 400, 409), (params, response.content[:300])
        assert response.json()["success"] is (response.status_code == 200)


@pytest.mark.parametrize("params", [
    {"filters": '{"ward": null}'}, {"filters": '{"ward": ["a", {"b": 1}]}'},
    {"filters": "[1]"}, {"q": '{"ward": 5}'}, {"q": "\x00"}, {"fields": "[1]"},
    {"sort": "ward sideways"}, {"sort": '"ward" desc'}, {"records_format": "xml"},
    {"offset": -5}, {"limit": 32001}, {"filters": '{"missed": "1.5"}'},
    {"filters": '{"_id": "x"}'}, {"q": "%_\\"},
])
def test_no_datastore_query_makes_a_server_error(client, catalogue, params):
    rid = str(Resource.objects.get(dataset__title="Bin collections by ward").public_id)
    for post in (False, True):
        body = dict(params, resource_id=rid)
        if post:
            body = {key: json.loads(value) if key in ("filters", "fields") else value
                    for key, value in body.items()}
        response = call(client, "datastore_search", body, post=post)
        assert response.status_code in (200, 409), (params, response.content[:300])
