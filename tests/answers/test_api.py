"""POST /api/v1/answers: open without a token, wider with one, problems for bad input."""

import pytest

from tests.api.helpers import assert_problem, make_client


def ask(client, question, **headers):
    return client.post("/api/v1/answers", {"question": question},
                       content_type="application/json", **headers)


def test_an_answer_comes_with_its_citation_and_exact_quote(client, guidance):
    response = ask(client, "how much is the garden waste bin")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"status", "answer", "citations", "confidence", "related", "handover"}
    assert body["status"] == "answered"
    assert "£45 a year" in body["answer"]
    [citation] = body["citations"]
    assert set(citation) == {"document_id", "title", "section", "url", "source_url", "quote"}
    assert citation["title"] == "Bin collections"
    assert citation["section"] == "Garden waste"
    assert citation["url"] == (f"http://testserver/documents/{citation['document_id']}/"
                               "#garden-waste")
    assert citation["source_url"] == "https://council.example/bins"
    assert citation["quote"] == "Garden waste collection costs £45 a year. Subscribe online."
    assert 0.75 <= body["confidence"] <= 1
    assert body["handover"] is None
    assert "Bin collections" not in [r["title"] for r in body["related"]]  # it is cited


def test_an_abstention_offers_the_closest_pages_and_a_person(client, guidance):
    body = ask(client, "bin day in leeds").json()
    assert body["status"] == "abstained"
    assert body["citations"] == []
    assert body["confidence"] < 0.75
    assert body["handover"]["url"].startswith("http://testserver/ask/person/?question=")
    assert body["handover"]["topic"] == "bin-collections"
    assert body["handover"]["organisation"] == "council"


def test_a_personal_question_is_never_answered_from_guidance(client, guidance):
    body = ask(client, "when is my next universal credit payment").json()
    assert (body["status"], body["citations"], body["handover"]) == ("personal", [], None)


def test_a_client_token_reads_its_organisations_internal_guidance(client, guidance, council):
    question = "when are unpaid accounts referred to enforcement agents"
    assert ask(client, question).json()["status"] == "abstained"
    keyed = make_client(council, scopes=("documents:read",))
    body = ask(client, question, **keyed.headers()).json()
    assert body["status"] == "answered"
    assert "28 days" in body["answer"]


def test_a_bad_token_is_refused_not_read_as_anonymous(client, guidance):
    assert_problem(ask(client, "bins", HTTP_AUTHORIZATION="Bearer nonsense"), 401,
                   "invalid-token")


@pytest.mark.parametrize("body", [{}, {"question": ""}, {"question": "   "},
                                  {"question": "x" * 501}, {"question": "bins", "extra": 1}])
def test_bad_input_is_a_problem(client, guidance, body):
    response = client.post("/api/v1/answers", body, content_type="application/json")
    assert_problem(response, 422, "invalid-input")
