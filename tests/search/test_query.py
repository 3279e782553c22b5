"""The search, the same tests on both engines: ranking, sections, snippets, facets, access
inside the query, "did you mean", and queries that must never break it."""

import pytest

from agora.access.documents import anonymous_reader, reader_for_client, reader_for_user
from agora.content.selectors import hub_search
from agora.search.query import Filters, search
from tests.content.helpers import publish
from tests.factories import ApiClientFactory, MembershipFactory


@pytest.fixture
def hub(council, foodbank):
    publish(council, "council-tax", "Council tax", {
        "Single person discount": "If you live alone you get 25% off your council tax bill.",
        "Paying your bill": "Pay by direct debit, online or at the library.",
    }, topics=["council-tax"], source_url="https://riverton.example/council-tax")
    publish(council, "bins", "Bin collections", {
        "Collection days": "Your blue recycling bin is emptied every other Monday.",
    }, topics=["bin-collections"], kind="notice")
    publish(foodbank, "food-parcels", "Emergency food parcels", {
        "Getting a voucher": "Ask your GP, the council or Citizens Advice for a food voucher.",
    }, topics=["food-support"])
    publish(council, "arrears-procedure", "Council tax arrears procedure", {
        "Enforcement": "Staff refer council tax arrears to enforcement agents after 28 days.",
    }, classification="internal", topics=["council-tax"])
    publish(council, "fraud-playbook", "Council tax fraud playbook", {
        "Investigations": "Investigators check council tax discounts for fraud.",
    }, classification="restricted", roles=["caseworker"], topics=["council-tax"])
    publish(foodbank, "volunteer-rota", "Volunteer rota", {
        "Council tax helpers": "Volunteers who help clients with council tax forms.",
    }, classification="internal")


def titles(result):
    return [hit.document.title for hit in result.hits]


def test_results_are_ranked_with_the_section_and_a_highlighted_snippet(hub):
    result = hub_search(reader=anonymous_reader(), query="live alone discount")
    assert titles(result) == ["Council tax"]
    hit = result.hits[0]
    assert hit.section_heading == "Single person discount"
    assert hit.anchor == "single-person-discount"
    assert "<mark>alone</mark>" in hit.snippet
    assert hit.url.endswith(f"/documents/{hit.document.public_id}/#single-person-discount")


def test_the_title_outranks_a_passing_mention(hub):
    result = hub_search(reader=anonymous_reader(), query="council tax")
    assert titles(result)[0] == "Council tax"
    assert "Emergency food parcels" not in titles(result)  # it says "council", not "tax"


def test_anonymous_readers_see_only_public_documents_in_results_counts_and_facets(hub, council):
    result = hub_search(reader=anonymous_reader(), query="council tax")
    assert titles(result) == ["Council tax"]
    assert result.search.total == 1
    assert [(f.value, f.count) for f in result.owners] == [("council", 1)]
    assert [(f.value, f.count) for f in result.topics] == [("council-tax", 1)]


def test_members_see_their_organisations_internal_documents_not_others(hub, council, foodbank):
    member = MembershipFactory(organization=foodbank, role="caseworker").user
    result = hub_search(reader=reader_for_user(member), query="council tax")
    assert sorted(titles(result)) == ["Council tax", "Volunteer rota"]
    assert {f.value: f.count for f in result.owners} == {"council": 1, "foodbank": 1}


def test_restricted_documents_only_reach_the_roles_they_name(hub, council):
    publisher = MembershipFactory(organization=council, role="publisher").user
    result = hub_search(reader=reader_for_user(publisher), query="council tax")
    assert "Council tax arrears procedure" in titles(result)
    assert "Council tax fraud playbook" not in titles(result)
    caseworker = MembershipFactory(organization=council, role="caseworker").user
    result = hub_search(reader=reader_for_user(caseworker), query="fraud")
    assert titles(result) == ["Council tax fraud playbook"]
    assert result.search.total == 1


def test_a_client_reads_its_organisations_internal_documents_but_not_restricted(hub, council):
    reader = reader_for_client(ApiClientFactory(organization=council))
    result = hub_search(reader=reader, query="council tax")
    assert sorted(titles(result)) == ["Council tax", "Council tax arrears procedure"]


def test_no_reader_finds_nothing(hub):
    assert search(reader=None, query="council tax").total == 0


def test_filters_narrow_results_and_facets(hub):
    reader = anonymous_reader()
    assert titles(hub_search(reader=reader, query="council", owner="foodbank")) == [
        "Emergency food parcels"]
    assert titles(hub_search(reader=reader, query="bin", kind="notice")) == ["Bin collections"]
    assert hub_search(reader=reader, query="bin", kind="policy").search.total == 0
    # a parent topic includes its sub-topics
    result = hub_search(reader=reader, query="council", topic="struggling-with-bills")
    assert sorted(titles(result)) == ["Council tax", "Emergency food parcels"]
    assert hub_search(reader=reader, query="council", topic="no-such").search.total == 0
    years = hub_search(reader=reader, query="council").years
    assert len(years) == 1 and len(years[0].value) == 4
    year = int(years[0].value)
    assert hub_search(reader=reader, query="council", year=year).search.total == 2
    assert hub_search(reader=reader, query="council", year=year - 1).search.total == 0


def test_a_misspelling_is_corrected(hub):
    result = hub_search(reader=anonymous_reader(), query="counsil tax")
    assert titles(result)[0] == "Council tax"
    assert result.search.corrected == "council tax"


def test_a_suggestion_never_reveals_a_word_only_internal_documents_hold(hub):
    result = search(reader=anonymous_reader(), query="enforcment")  # internal-only word
    assert (result.total, result.corrected, result.did_you_mean) == (0, "", "")


def test_a_question_in_residents_words_finds_the_page(hub):
    result = hub_search(reader=anonymous_reader(),
                        query="how do i pay my council tax bill")
    assert titles(result)[0] == "Council tax"
    assert result.hits[0].section_heading == "Paying your bill"


def test_local_words_find_the_guidance_words(hub):
    result = hub_search(reader=anonymous_reader(), query="rubbish day")
    assert titles(result) == ["Bin collections"]


@pytest.mark.parametrize("query", [
    '"council tax', "council*", "council NEAR tax", "-tax", "council OR", "OR", "(council",
    "council) AND (", "'; DROP TABLE content_document; --", "tax\" OR 1=1 --", "^council",
    "title:council", "NOT", "council AND", "::", "{}[]", "100%", "a_b", "über straße",
    "Совет налог", "市议会税", "مجلس الضرائب", "🏠💷", "council 🏠 tax",
])
def test_query_syntax_and_other_scripts_never_break_the_search(hub, query):
    result = search(reader=anonymous_reader(), query=query)
    assert result.total >= 0
    assert result.problem in ("", "Enter the words you are looking for.")


def test_empty_and_overlong_queries_get_a_clear_message(hub):
    assert search(reader=anonymous_reader(), query="").problem == (
        "Enter the words you are looking for.")
    assert search(reader=anonymous_reader(), query="🏠").problem == (
        "Enter the words you are looking for.")
    long_query = "council " * 250
    assert search(reader=anonymous_reader(), query=long_query[:2000]).total == 2
    assert "too long" in search(reader=anonymous_reader(), query="x" * 2001).problem


def test_paging_keeps_the_total_and_moves_the_window(hub, council):
    for n in range(5):
        publish(council, f"leaflet-{n}", f"Leaflet {n}", {"About": "Recycling leaflet."})
    first = search(reader=anonymous_reader(), query="recycling", limit=2)
    second = search(reader=anonymous_reader(), query="recycling", limit=2, offset=2)
    assert first.total == second.total == 6
    assert len(first.hits) == len(second.hits) == 2
    assert not {h.document_key for h in first.hits} & {h.document_key for h in second.hits}
    assert search(reader=anonymous_reader(), query="recycling", offset=50).hits == []


def test_filters_object_topic_ids_match_documents(hub):
    from agora.topics.models import Topic

    topic = Topic.objects.get(slug="bin-collections")
    result = search(reader=anonymous_reader(), query="bin",
                    filters=Filters(topic_ids=(topic.pk,)))
    assert result.total == 1
