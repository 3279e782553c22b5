"""package_delete, resource_delete and the DataStore writes through the CKAN Action API:
CKAN's results and error shapes, nothing half-written, no table left behind."""

import pytest
from django.db import connection

from agora.audit.models import LogEntry
from agora.opendata.models import DatastoreTable, Resource
from tests.api.helpers import make_organization
from tests.opendata.helpers import dataset, publisher
from tests.opendata.test_action_api import call, error, ok

pytestmark = pytest.mark.django_db


@pytest.fixture
def council():
    return make_organization("riverton-council")


def tables() -> set[str]:
    return {name for name in connection.introspection.table_names()
            if name.startswith("datastore_")}


def search(client, rid, **params):
    return ok(call(client, "datastore_search", {"resource_id": rid, **params}))


def test_a_deleted_dataset_leaves_search_but_its_owner_still_reads_it(client, council):
    dataset(council)
    dataset(council, "recycling", title="Recycling")
    keyed = publisher(council)
    assert ok(call(client, "package_delete", {"id": "bin-collections"}, post=True,
                   token=keyed.token())) is None
    assert ok(call(client, "package_list")) == ["recycling"]
    assert ok(call(client, "package_search", {"q": "bin"}))["count"] == 0
    assert ok(call(client, "package_search", {"include_private": "true"},
                   token=keyed.token()))["count"] == 1
    assert error(call(client, "package_show", {"id": "bin-collections"}), 404,
                 "Not Found Error")
    shown = ok(call(client, "package_show", {"id": "bin-collections"}, token=keyed.token()))
    assert shown["state"] == "deleted"
    assert client.get("/dataset/bin-collections/").status_code == 404
    assert b"bin-collections" not in client.get("/catalog.ttl").content
    assert LogEntry.objects.filter(action="dataset.change",
                                   reason__startswith="Deleted the dataset").count() == 1


def test_only_the_owner_deletes_and_a_get_is_refused(client, council):
    dataset(council)
    other = publisher(make_organization("riverton-housing"))
    assert error(call(client, "package_delete", {"id": "bin-collections"}, post=True),
                 403, "Authorization Error")
    assert error(call(client, "package_delete", {"id": "bin-collections"}, post=True,
                      token=other.token()), 403, "Authorization Error")
    assert error(call(client, "package_delete", {"id": "bin-collections"}), 400, "Bad Request")
    assert error(call(client, "package_delete", {"id": "nope"}, post=True,
                      token=other.token()), 404, "Not Found Error")
    assert ok(call(client, "package_show", {"id": "bin-collections"}))["state"] == "active"


def test_removing_a_resource_drops_its_table(client, council):
    document = dataset(council)
    resource = document.resources.get()
    table = resource.datastore.table_name
    assert table in tables()
    ok(call(client, "resource_delete", {"id": str(resource.public_id)}, post=True,
            token=publisher(council).token()))
    assert table not in tables() and not Resource.objects.exists()


def test_deleting_a_dataset_row_drops_its_tables(council):
    document = dataset(council)
    table = document.resources.get().datastore.table_name
    Resource.objects.filter(dataset=document).delete()  # as the admin's cascade would
    assert table not in tables()


def test_datastore_create_upsert_and_delete(client, council):
    dataset(council, csv=None)
    keyed = publisher(council)
    created = ok(call(client, "datastore_create", {
        "resource": {"package_id": "bin-collections", "name": "Collections by ward"},
        "fields": [{"id": "ward", "type": "text"}, {"id": "missed", "type": "int"}],
        "primary_key": ["ward"],
        "records": [{"ward": "North", "missed": 14}, {"ward": "South", "missed": 21}]},
        post=True, token=keyed.token()))
    rid = created["resource_id"]
    assert created["fields"] == [{"id": "ward", "type": "text"}, {"id": "missed", "type": "int"}]
    assert created["primary_key"] == ["ward"]
    ok(call(client, "datastore_upsert", {
        "resource_id": rid, "records": [{"ward": "North", "missed": 9},
                                        {"ward": "Riverside", "missed": 3}]},
        post=True, token=keyed.token()))
    found = search(client, rid, sort="ward")
    assert [(r["ward"], r["missed"]) for r in found["records"]] == [
        ("North", 9), ("Riverside", 3), ("South", 21)]
    assert search(client, rid, q="Riverside")["total"] == 1
    refused = error(call(client, "datastore_upsert", {
        "resource_id": rid, "method": "update",
        "records": [{"ward": "North", "missed": 1}, {"ward": "East", "missed": "many"}]},
        post=True, token=keyed.token()), 409, "Validation Error")
    assert refused["records"] == ["line 2: “many” is not a valid int for “missed”"]
    assert search(client, rid, filters='{"ward": "North"}')["records"][0]["missed"] == 9
    refused = error(call(client, "datastore_upsert", {
        "resource_id": rid, "method": "insert", "records": [{"ward": "North", "missed": 1}]},
        post=True, token=keyed.token()), 409, "Validation Error")
    assert "already there" in refused["records"][0]
    ok(call(client, "datastore_delete", {"resource_id": rid, "filters": {"ward": "South"}},
            post=True, token=keyed.token()))
    assert search(client, rid)["total"] == 2
    assert DatastoreTable.objects.get().row_count == 2
    ok(call(client, "datastore_delete", {"resource_id": rid}, post=True, token=keyed.token()))
    assert error(call(client, "datastore_search", {"resource_id": rid}), 404, "Not Found Error")
    assert not tables()


def test_datastore_writes_refuse_bad_fields_and_other_organisations(client, council):
    document = dataset(council)
    rid = str(document.resources.get().public_id)
    keyed = publisher(council)
    refused = error(call(client, "datastore_create", {
        "resource_id": rid, "fields": [{"id": "ward", "type": "int"},
                                       {"id": "when", "type": "timestamp"}]},
        post=True, token=keyed.token()), 409, "Validation Error")
    assert refused["fields"] == [
        "field “ward” is already text; its type cannot change",
        "field “when”: type “timestamp” is not supported; use text, int or numeric"]
    added = ok(call(client, "datastore_create", {
        "resource_id": rid, "fields": [{"id": "notes", "type": "text"}],
        "records": [{"ward": "East", "month": "2026-03", "collections": 10, "missed": 1,
                     "notes": "new"}]}, post=True, token=keyed.token()))
    assert [field["id"] for field in added["fields"]][-1] == "notes"
    assert search(client, rid, filters='{"notes": "new"}')["records"][0]["_id"] == 6
    refused = error(call(client, "datastore_upsert", {
        "resource_id": rid, "records": [{"colour": "red"}]}, post=True, token=keyed.token()),
        409, "Validation Error")
    assert refused["records"] == ["line 1: there is no field “colour”"]
    other = publisher(make_organization("riverton-housing"))
    assert error(call(client, "datastore_upsert", {"resource_id": rid, "records": []},
                      post=True, token=other.token()), 403, "Authorization Error")
    assert error(call(client, "datastore_delete", {"resource_id": rid}, post=True),
                 403, "Authorization Error")
    assert error(call(client, "datastore_upsert", {"resource_id": rid, "method": "merge",
                                                   "records": []},
                      post=True, token=keyed.token()), 409, "Validation Error")["method"]
    assert search(client, rid)["total"] == 6
