"""Publishing: versions, sections, idempotence, who may publish, and the log entry."""

import pytest

from agora.audit.models import LogEntry
from agora.content.models import Document, Version
from agora.content.selectors import version_diff
from agora.content.services import Details, FileTooLarge, Upload, document_change, document_publish
from agora.core.actors import SYSTEM
from agora.core.exceptions import InvalidInput, PermissionDenied
from agora.search.models import IndexedSection
from tests.content.helpers import publish
from tests.factories import ApiClientFactory, MembershipFactory

SECTIONS = {"Who can apply": "Anyone living alone.", "How to apply": "Use the online form."}


def test_publish_creates_a_document_its_version_sections_index_rows_and_a_log_entry(council):
    published = publish(council, "spd", "Single person discount", SECTIONS,
                        topics=["council-tax"], source_url="https://riverton.example/spd")
    document = published.document
    assert published.outcome == "created"
    assert document.source_url == "https://riverton.example/spd"
    assert document.current_version.number == 1
    sections = list(document.current_version.sections.order_by("position"))
    assert [(s.heading, s.anchor) for s in sections] == [
        ("Who can apply", "who-can-apply"), ("How to apply", "how-to-apply")]
    assert [t.slug for t in document.topics.all()] == ["council-tax"]
    assert IndexedSection.objects.filter(document_key=document.pk).count() == 2
    entry = LogEntry.objects.get(action="document.publish")
    assert entry.resource_id == str(document.public_id)
    assert entry.organization == "council"


def test_same_bytes_again_change_nothing_and_new_bytes_add_a_version(council):
    first = publish(council, "spd", "Single person discount", SECTIONS)
    again = publish(council, "spd", "Single person discount", SECTIONS)
    assert again.outcome == "unchanged"
    assert Version.objects.count() == 1
    assert LogEntry.objects.filter(action="document.publish").count() == 1
    changed = publish(council, "spd", "Single person discount",
                      {**SECTIONS, "How to apply": "Call 01234 567890."})
    assert changed.outcome == "new-version"
    assert changed.document.pk == first.document.pk
    assert [v.number for v in changed.document.versions.all()] == [2, 1]
    body = " ".join(IndexedSection.objects.values_list("body", flat=True))
    assert "01234" in body and "online form" not in body  # only the current version is found
    diff = version_diff(first.version, changed.version)
    assert ("removed", "Use the online form.") in [(d.kind, d.text) for d in diff]
    assert ("added", "Call 01234 567890.") in [(d.kind, d.text) for d in diff]


def test_same_bytes_with_new_details_change_the_details_and_log_it(council):
    publish(council, "spd", "Discount", SECTIONS)
    result = publish(council, "spd", "Discount", SECTIONS, classification="internal")
    assert result.outcome == "details-changed"
    assert Document.objects.get().classification == "internal"
    assert set(IndexedSection.objects.values_list("classification", flat=True)) == {"internal"}
    assert LogEntry.objects.filter(action="document.change").count() == 1


def test_only_publishers_and_admins_of_the_owner_publish(council, foodbank):
    caseworker = MembershipFactory(organization=council, role="caseworker").user
    with pytest.raises(PermissionDenied):
        publish(council, "a", "A", SECTIONS, actor=caseworker)
    outsider = MembershipFactory(organization=foodbank, role="publisher").user
    with pytest.raises(PermissionDenied):
        publish(council, "a", "A", SECTIONS, actor=outsider)
    other_client = ApiClientFactory(organization=foodbank)
    with pytest.raises(PermissionDenied):
        publish(council, "a", "A", SECTIONS, actor=other_client)
    publisher = MembershipFactory(organization=council, role="publisher").user
    assert publish(council, "a", "A", SECTIONS, actor=publisher).outcome == "created"
    entry = LogEntry.objects.get(action="document.publish")
    assert (entry.actor_kind, entry.actor_id) == ("staff", str(publisher.public_id))
    assert Document.objects.count() == 1


@pytest.mark.parametrize(("details", "message"), [
    ({"classification": "secret"}, "not a classification"),
    ({"classification": "restricted"}, "must name the roles"),
    ({"classification": "restricted", "roles": ["wizard"]}, "Unknown role: wizard"),
    ({"topics": ["no-such-topic"]}, "Unknown topic: no-such-topic"),
    ({"kind": "poem"}, "not a kind of document"),
])
def test_bad_details_are_refused_by_name_and_nothing_is_written(council, details, message):
    with pytest.raises(InvalidInput, match=message):
        publish(council, "x", "X", SECTIONS, **details)
    assert not Document.objects.exists()
    assert not LogEntry.objects.exists()


def test_a_file_over_the_limit_is_refused(council, settings):
    settings.CONTENT_MAX_BYTES = 100
    with pytest.raises(FileTooLarge, match="limit is 100 bytes"):
        document_publish(actor=SYSTEM, owner=council, source_key="big",
                         upload=Upload("big.txt", b"x" * 101), details=Details())


def test_document_change_reclassifies_and_reindexes(council):
    document = publish(council, "x", "X", SECTIONS).document
    document_change(actor=SYSTEM, document=document, classification="restricted",
                    restricted_roles=("caseworker",), topics=("bereavement",), kind="policy")
    document.refresh_from_db()
    assert (document.classification, document.restricted_roles, document.kind) == (
        "restricted", ",caseworker,", "policy")
    assert set(IndexedSection.objects.values_list("restricted_roles", flat=True)) == {
        ",caseworker,"}


def test_a_rebuild_writes_the_index_and_recounts_the_vocabulary(council):
    from agora.access.documents import anonymous_reader
    from agora.content.maintenance import search_rebuild
    from agora.content.selectors import hub_search
    from agora.search.models import Term

    publish(council, "tax", "Council tax", {"Paying": "Pay your council tax bill online."})
    publish(council, "bins", "Bin collections", {"Days": "Bins are emptied on Mondays."})
    Term.objects.update(frequency=99)
    IndexedSection.objects.all().delete()
    assert search_rebuild() == 2
    assert IndexedSection.objects.values("document_key").distinct().count() == 2
    assert Term.objects.get(term="council").frequency == 1
    assert Term.objects.get(term="bins").frequency == 1
    assert hub_search(reader=anonymous_reader(), query="council tax").search.total == 1
