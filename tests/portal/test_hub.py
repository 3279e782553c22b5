"""The hub's public pages: search, a document, topics; the home page leads with them."""

import pytest

from tests.content.helpers import publish
from tests.factories import MembershipFactory, OrganizationFactory, TotpAuthenticatorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def council():
    return OrganizationFactory(name="Riverton Council", slug="council")


@pytest.fixture
def documents(council):
    public = publish(council, "council-tax", "Council tax", {
        "Single person discount": "If you live alone you get 25% off.",
        "Paying": "Pay by direct debit.",
        "Appeals": "Write to the valuation office.",
    }, topics=["council-tax"], source_url="https://riverton.example/ct").document
    internal = publish(council, "arrears", "Council tax arrears procedure", {
        "Enforcement": "Refer arrears to enforcement agents.",
    }, classification="internal", topics=["council-tax"]).document
    return public, internal


def test_the_home_page_leads_with_search_and_topics(client, db):
    page = client.get("/").content.decode()
    assert 'action="/search/"' in page
    assert page.index('name="q"') < page.index("About Agora")
    assert "Struggling with bills" in page and "Having a baby" in page


def test_search_page_shows_results_with_section_snippet_and_facets(client, documents):
    page = client.get("/search/", {"q": "live alone"}).content.decode()
    assert "1 result" in page
    public = documents[0]
    assert f'/documents/{public.public_id}/#single-person-discount' in page
    assert "Section: Single person discount" in page
    assert "<mark>alone</mark>" in page
    assert "Riverton Council</a> (1)" in page  # the organisation facet


def test_search_page_hides_internal_documents_from_the_public(client, documents, council):
    page = client.get("/search/", {"q": "arrears"}).content.decode()
    assert "No results" in page and "arrears procedure" not in page
    member = MembershipFactory(organization=council, role="caseworker").user
    TotpAuthenticatorFactory(user=member)  # members use a second factor
    client.force_login(member)
    page = client.get("/search/", {"q": "arrears"}).content.decode()
    assert "Council tax arrears procedure" in page


def test_search_page_offers_the_correction_it_used(client, documents):
    page = client.get("/search/", {"q": "counsil tax"}).content.decode()
    assert "Showing results for" in page and "council tax" in page
    assert "Council tax</a>" in page


@pytest.mark.parametrize("query", ["x" * 2001])
def test_an_overlong_query_gets_the_error_summary(client, documents, query):
    response = client.get("/search/", {"q": query})
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page and "too long" in page
    assert "<title>Error:" in page


@pytest.mark.parametrize("query", ["", "🏠", "(((", "' OR 1=1 --", "NEAR", "市议会"])
def test_odd_queries_never_break_the_page(client, documents, query):
    response = client.get("/search/", {"q": query, "page": "abc", "year": "x"})
    assert response.status_code == 200


def test_the_document_page_has_every_section_at_its_anchor(client, documents):
    public, internal = documents
    page = client.get(f"/documents/{public.public_id}/").content.decode()
    assert 'id="single-person-discount"' in page and 'id="appeals"' in page
    assert "https://riverton.example/ct" in page
    assert client.get(f"/documents/{internal.public_id}/").status_code == 404


def test_a_topic_page_gathers_documents_and_its_sub_topics(client, documents):
    page = client.get("/topics/struggling-with-bills/").content.decode()
    assert "Council tax</a>" in page  # from the sub-topic council-tax
    assert "arrears procedure" not in page
    assert "Energy bills" in page  # a sub-topic
    assert client.get("/topics/no-such-topic/").status_code == 404
    assert "Bereavement" in client.get("/topics/").content.decode()
