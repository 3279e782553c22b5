"""The console's document pages: publishers list, upload, version, tag and compare."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from agora.audit.models import LogEntry
from agora.content.models import Document, Version
from agora.organizations.models import Membership
from tests.console.test_views import error_summary, sign_in
from tests.content.helpers import markdown, pdf_bytes, publish
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def council():
    return OrganizationFactory(name="Riverton Council", slug="council")


def member(organization, role=Membership.Role.PUBLISHER, **kwargs):
    user = UserFactory(**kwargs)
    MembershipFactory(user=user, organization=organization, role=role)
    return user


@pytest.fixture
def publisher(client, council):
    return sign_in(client, member(council))


def upload(client, url, name, data, **fields):
    form = {"classification": "public", "file": SimpleUploadedFile(name, data), **fields}
    return client.post(url, form)


def text_of(response) -> str:
    return response.content.decode()


def test_a_publisher_lists_every_document_of_their_organisation(client, council, publisher):
    publish(council, "tax", "Council tax", {"Bands": "A to H."}, topics=["council-tax"])
    publish(council, "rota", "Staff rota", {"Mondays": "Ali."}, classification="restricted",
            roles=["dpo"])
    publish(OrganizationFactory(slug="other"), "x", "Not ours", {"A": "b"})
    response = client.get(reverse("console:documents", args=["council"]))
    page = text_of(response)
    assert "Council tax" in page and "Staff rota" in page and "Not ours" not in page
    assert "Council tax" in page.split("Staff rota")[0]  # in title order
    dashboard = text_of(client.get(reverse("console:dashboard")))
    assert reverse("console:documents", args=["council"]) in dashboard


@pytest.mark.parametrize("role", [Membership.Role.CASEWORKER, Membership.Role.DPO])
def test_other_members_and_strangers_find_no_document_pages(client, council, role):
    published = publish(council, "tax", "Council tax", {"Bands": "A to H."})
    sign_in(client, member(council, role=role))
    for url in (reverse("console:documents", args=["council"]),
                reverse("console:document_new", args=["council"]),
                reverse("console:document", args=["council", published.document.public_id])):
        assert client.get(url).status_code == 404


def test_uploading_a_new_document_publishes_it_with_its_details(client, council, publisher):
    response = upload(
        client, reverse("console:document_new", args=["council"]), "pool.md",
        markdown("Pool times", {"Opening": "Every day from seven."}),
        title="Swimming pool opening times", kind="leaflet", topics=["looking-for-work"],
        source_url="https://leisure.riverton.example/pool")
    document = Document.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("console:document",
                                           args=["council", document.public_id])
    assert (document.title, document.kind, document.source_url) == (
        "Swimming pool opening times", "leaflet", "https://leisure.riverton.example/pool")
    assert [t.slug for t in document.topics.all()] == ["looking-for-work"]
    page = text_of(client.get(response["Location"]))
    assert "Swimming pool opening times has been published." in page
    assert "Version 1, published" in page
    entry = LogEntry.objects.get(action="document.publish")
    assert entry.actor_id == str(publisher.public_id)


@override_settings(CONTENT_MAX_BYTES=2_000)
@pytest.mark.parametrize(("name", "data", "fields", "problem"), [
    ("virus.exe", b"MZ", {}, "Unsupported file type"),
    ("broken.pdf", b"%PDF-1.4 junk", {}, "corrupt"),
    ("huge.md", b"x" * 3_000, {}, "the limit is 2.0"),
    ("empty.md", b"", {}, "The file you chose is empty"),
    ("ok.md", b"# Fine\n\nText.", {"source_url": "ftp://files.example/a"}, "not an http"),
    ("ok.md", b"# Fine\n\nText.", {"classification": "restricted"},
     "must name the roles that may read it"),
])
def test_a_bad_upload_names_the_problem_and_writes_nothing(client, council, publisher, name,
                                                           data, fields, problem):
    response = upload(client, reverse("console:document_new", args=["council"]), name, data,
                      **fields)
    assert response.status_code == 200
    assert problem in error_summary(response)
    assert not Document.objects.exists() and not Version.objects.exists()
    assert not LogEntry.objects.filter(action__startswith="document.").exists()


def test_an_encrypted_pdf_is_refused_by_name(client, council, publisher):
    response = upload(client, reverse("console:document_new", args=["council"]), "locked.pdf",
                      pdf_bytes("Locked", {"A": "b"}, encrypt="secret"))
    assert "encrypted" in error_summary(response)
    assert not Document.objects.exists()


def test_a_new_version_then_the_history_and_an_accessible_difference(client, council,
                                                                       publisher):
    published = publish(council, "bins", "Bin collections", {
        "Days": "Black bins go out on Monday.", "Garden waste": "Green bins every fortnight."})
    document = published.document
    url = reverse("console:document_upload", args=["council", document.public_id])
    response = upload(client, url, "bins.md", markdown("Bin collections", {
        "Days": "Black bins go out on Tuesday.", "Garden waste": "Green bins every fortnight."}))
    assert response.status_code == 302
    assert Document.objects.count() == 1
    assert list(document.versions.values_list("number", flat=True).order_by("number")) == [1, 2]
    detail = text_of(client.get(response["Location"]))
    assert "Version 2 of Bin collections has been published." in detail
    assert "Compare versions" in detail
    compare = client.get(reverse("console:document_compare",
                                 args=["council", document.public_id]), {"old": 1, "new": 2})
    page = text_of(compare)
    assert "1 line added and 1 line removed" in page
    assert "<del>Black bins go out on Monday.</del>" in page
    assert "<ins>Black bins go out on Tuesday.</ins>" in page
    # Marked in words, not only by colour.
    assert ">Added</strong>" in page and ">Removed</strong>" in page
    missing = client.get(reverse("console:document_compare",
                                 args=["council", document.public_id]), {"old": 1, "new": 9})
    assert missing.status_code == 404


def test_the_same_file_again_changes_nothing(client, council, publisher):
    data = markdown("Parking", {"Permits": "Apply online."})
    published = publish(council, "upload/parking.md", "Parking", {"Permits": "Apply online."})
    url = reverse("console:document_upload", args=["council", published.document.public_id])
    response = upload(client, url, "parking.md", data)
    assert "nothing changed" in text_of(client.get(response["Location"]))
    assert Version.objects.count() == 1


def test_publishers_tag_documents_with_topics_on_the_document_page(client, council,
                                                                    publisher):
    document = publish(council, "tax", "Council tax", {"Bands": "A to H."}).document
    url = reverse("console:document", args=["council", document.public_id])
    response = client.post(url, {"classification": "public", "kind": "guidance",
                                 "topics": ["council-tax", "benefits"]})
    assert response.status_code == 302
    assert sorted(t.slug for t in document.topics.all()) == ["benefits", "council-tax"]
    assert "Struggling with bills \u203a Council tax" in text_of(client.get(url))
    assert LogEntry.objects.filter(action="document.change").count() == 1
    refused = client.post(url, {"classification": "secret", "topics": ["nope"]})
    assert "Select a valid choice" in error_summary(refused)
    assert sorted(t.slug for t in document.topics.all()) == ["benefits", "council-tax"]
