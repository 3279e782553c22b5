"""Riverton's information hub: enough guidance, from everyone, in every format, with access."""

from collections import Counter

import pytest

from agora.access.documents import anonymous_reader, reader_for_user
from agora.content.models import Document, Version
from agora.content.selectors import hub_search
from agora.demo.services import demo_load
from agora.organizations.models import Membership, Organization


@pytest.fixture
def town(db):
    return demo_load(reads=False, requests=False)


def test_the_hub_has_150_documents_from_all_eight_organisations_in_mixed_formats(town):
    documents = Document.objects.select_related("current_version")
    assert documents.count() >= 150
    by_owner = Counter(documents.values_list("owner__slug", flat=True))
    assert set(by_owner) == set(Organization.objects.values_list("slug", flat=True))
    media = Counter(d.current_version.media_type for d in documents)
    for media_type in ("application/pdf", "text/html", "text/markdown", "text/csv",
                       "application/vnd.openxmlformats-officedocument.wordprocessingml.document"):
        assert media[media_type] >= 5, media
    levels = Counter(documents.values_list("classification", flat=True))
    assert levels["internal"] >= 10 and levels["restricted"] >= 3
    tagged = set(documents.values_list("topics__parent__slug", flat=True)) | set(
        documents.values_list("topics__slug", flat=True))
    for need in ("having-a-baby", "struggling-with-bills", "housing-and-homelessness",
                 "bins-and-street-problems", "bereavement", "disability-and-caring",
                 "moving-home", "looking-for-work", "schools"):
        assert need in tagged, need


def test_loading_again_adds_no_version(town):
    versions = Version.objects.count()
    demo_load(reads=False, requests=False)
    assert Version.objects.count() == versions


def test_access_rules_show_in_search(town):
    assert hub_search(reader=anonymous_reader(), query="fraud").search.total == 0
    council = Organization.objects.get(slug="riverton-borough-council")
    caseworker = Membership.objects.filter(organization=council, role="caseworker").first().user
    titles = [h.document.title for h in
              hub_search(reader=reader_for_user(caseworker), query="fraud").hits]
    assert "Council tax fraud investigations" in titles
