"""“Download my data”: the page, the zip and what the download writes in the log."""

import csv
import io
import json
import zipfile

import pytest
from django.urls import reverse

from agora.audit.models import LogEntry
from tests.factories import (
    ConsentFactory,
    OrganizationFactory,
    RecordFactory,
    UserFactory,
    _category,
)
from tests.portal.helpers import resident_with_person, staff_entry

pytestmark = pytest.mark.django_db

FILES = {"README.txt", "person.json", "records.json", "records.csv", "consents.json",
         "applications.json", "activity.json", "activity.csv"}


@pytest.fixture
def ann(client):
    user, person = resident_with_person(given_name="Ann", family_name="Lee")
    client.force_login(user)
    return person


def download(client) -> zipfile.ZipFile:
    response = client.post(reverse("portal:download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    return zipfile.ZipFile(io.BytesIO(response.content))


def rows(archive, name) -> list[dict]:
    return list(csv.DictReader(io.StringIO(archive.read(name).decode())))


def test_page_says_what_is_included(client, ann):
    response = client.get(reverse("portal:download"))
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("person.json", "records.json", "records.csv", "consents.json",
                 "activity.json", "activity.csv", "README.txt"):
        assert name in html
    assert "<form method=\"post\"" in html


def test_looking_at_the_page_logs_nothing(client, ann):
    before = LogEntry.objects.count()
    client.get(reverse("portal:download"))
    assert LogEntry.objects.count() == before


def test_zip_holds_every_file(client, ann):
    archive = download(client)
    assert set(archive.namelist()) == FILES
    assert "activity.csv" in archive.read("README.txt").decode()
    person = json.loads(archive.read("person.json"))
    assert person["id"] == str(ann.public_id)
    assert person["given_name"] == "Ann"


def test_records_from_every_organisation_are_included(client, ann):
    council, housing = OrganizationFactory(name="Council"), OrganizationFactory(name="Homes")
    mine = [
        RecordFactory(owner=council, subject=ann, title="Benefit claim"),
        RecordFactory(owner=housing, subject=ann, title="Tenancy",
                      category=_category("housing"), classification="restricted",
                      fields={"rent": "=1+1"}),
    ]
    RecordFactory(owner=council, title="Someone else's claim")
    archive = download(client)
    records = json.loads(archive.read("records.json"))
    assert {r["id"] for r in records} == {str(r.public_id) for r in mine}
    assert {r["organisation_name"] for r in records} == {"Council", "Homes"}
    table = rows(archive, "records.csv")
    assert list(table[0]) == ["id", "organisation", "organisation_name", "category",
                              "classification", "title", "created_at", "updated_at", "fields"]
    assert {row["title"] for row in table} == {"Benefit claim", "Tenancy"}
    assert "Someone else's claim" not in archive.read("records.csv").decode()


def test_csv_cells_never_start_a_formula(client, ann):
    RecordFactory(subject=ann, title="=HYPERLINK(\"x\")")
    table = rows(download(client), "records.csv")
    assert table[0]["title"] == "'=HYPERLINK(\"x\")"


def test_download_is_logged_once_with_each_record_read(client, ann):
    records = [RecordFactory(subject=ann) for _ in range(3)]
    before = LogEntry.objects.count()
    download(client)
    new = LogEntry.objects.filter(seq__gte=before)
    exports = new.filter(action="person.export")
    assert exports.count() == 1
    export = exports.get()
    assert export.subject == str(ann.public_id)
    assert export.decision == "permit"
    assert export.actor_kind == "person"
    reads = new.filter(action="record.read")
    assert {e.resource_id for e in reads} == {str(r.public_id) for r in records}
    assert all(e.decision == "permit" for e in reads)
    assert all(e.actor_kind == "person" and e.actor_id == str(ann.public_id) for e in reads)
    assert new.count() == 1 + len(records)


def test_activity_holds_my_entries_and_this_download(client, ann):
    _, bob = resident_with_person()
    staff_entry(ann, label="Casey Worker")
    staff_entry(bob, label="Reader of Bob")
    archive = download(client)
    activity = json.loads(archive.read("activity.json"))
    assert {e["subject"] for e in activity} == {str(ann.public_id)}
    assert [e["action"] for e in activity][:1] == ["record.read"]
    assert "person.export" in {e["action"] for e in activity}
    table = rows(archive, "activity.csv")
    assert "seq" in table[0] and "decision" in table[0] and "purpose" in table[0]
    assert len(table) == len(activity)
    assert "Reader of Bob" not in archive.read("activity.csv").decode()


def test_consents_come_with_receipts_and_the_key(client, ann):
    ConsentFactory(person=ann, categories=[_category("housing")])
    ConsentFactory(categories=[_category("housing")])  # someone else's
    document = json.loads(download(client).read("consents.json"))
    assert len(document["consents"]) == 1
    consent = document["consents"][0]
    # The key that signed this receipt (a factory's consent has none: no key to name).
    assert consent["platform_public_key"] == consent["receipt"].get("publicKey", "")
    assert consent["categories"] == ["housing"]
    assert {"receipt", "signature", "expires_at", "withdrawn_at"} <= set(consent)


def test_an_account_without_a_person_downloads_nothing(client):
    client.force_login(UserFactory(operator=True, totp=True))
    before = LogEntry.objects.count()
    response = client.post(reverse("portal:download"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert LogEntry.objects.count() == before


def test_get_only_explains(client, ann):
    response = client.get(reverse("portal:download"))
    assert response["Content-Type"].startswith("text/html")
