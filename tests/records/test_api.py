"""The exchange API: only what ownership, agreement or consent allows; refusals reveal nothing."""

import uuid

import pytest

from agora.people.identifiers import national_id_hash
from agora.records.models import Record
from tests.api.helpers import assert_problem, make_client
from tests.factories import PersonFactory
from tests.records.helpers import (
    BENEFIT_FIELDS,
    last_entries,
    log_count,
    make_agreement,
    make_consent,
    make_record,
)

SCOPES = ("records:read", "records:write", "people:lookup")
PURPOSE = "benefit-assessment"


@pytest.fixture
def benefits_client(benefits):
    return make_client(benefits, scopes=SCOPES)


@pytest.fixture
def council_client(council):
    return make_client(council, scopes=SCOPES)


def get_records(client, keyed, person_id, purpose=PURPOSE, query="", **claims):
    return client.get(f"/api/v1/people/{person_id}/records{query}",
                      **keyed.headers(purpose=purpose, **claims))


def post(client, keyed, path, body, purpose=PURPOSE):
    return client.post(path, body, content_type="application/json",
                       **keyed.headers(purpose=purpose))


def same_refusal(first, second) -> None:
    """Assert two refusals are the same 404 problem, word for word (bar the path)."""
    one, two = assert_problem(first, 404, "not-found"), assert_problem(second, 404, "not-found")
    assert {k: v for k, v in one.items() if k != "instance"} == {
        k: v for k, v in two.items() if k != "instance"}
    assert sorted(first.headers.items()) == sorted(second.headers.items())


# ------------------------------------------------------------------ reading


def test_owner_reads_its_records_with_every_field(client, benefits, benefits_client, person):
    record = make_record(benefits, person)
    response = get_records(client, benefits_client, person.public_id)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["person_id"], body["purpose"], body["total"]) == (
        str(person.public_id), PURPOSE, 1)
    (item,) = body["records"]
    assert item["id"] == str(record.public_id)
    assert (item["owner"], item["category"], item["classification"]) == (
        "benefits", "income-and-benefits", "internal")
    assert item["fields"] == BENEFIT_FIELDS
    assert item["shared_under"] == {"basis": "owner-client", "id": None, "legal_basis": "6.1.e"}


def test_agreement_recipient_never_sees_a_field_outside_the_list(
        client, benefits, council, council_client, person):
    make_record(benefits, person)
    agreement = make_agreement(benefits, council, fields_allowed=("benefit", "status"))
    response = get_records(client, council_client, person.public_id)
    assert response.status_code == 200
    (item,) = response.json()["records"]
    assert item["fields"] == {"benefit": "Universal Credit", "status": "in payment"}
    assert item["shared_under"]["basis"] == "agreement"
    assert item["shared_under"]["id"] == str(agreement.public_id)
    assert b"case_note" not in response.content and b"4821" not in response.content
    assert b"weekly_amount" not in response.content


def test_unknown_and_refused_people_get_identical_answers(client, benefits, council_client):
    refused = PersonFactory()
    make_record(benefits, refused)  # exists, but the council has no grant
    before = log_count()
    same_refusal(get_records(client, council_client, refused.public_id),
                 get_records(client, council_client, uuid.uuid4()))
    assert log_count() == before + 2
    known, unknown = last_entries(2)
    assert (known.decision, unknown.decision) == ("deny", "deny")
    assert known.subject == str(refused.public_id) and unknown.subject is None
    assert known.reason == unknown.reason


def test_unknown_purpose_is_a_problem_and_an_entry(client, benefits, benefits_client, person):
    make_record(benefits, person)
    before = log_count()
    body = assert_problem(get_records(client, benefits_client, person.public_id,
                                      purpose="just-curious"), 422, "unknown-purpose")
    assert "just-curious" in body["detail"]
    assert log_count() == before + 1
    (entry,) = last_entries(1)
    assert (entry.purpose, entry.decision, entry.action) == ("just-curious", "deny", "record.list")


def test_missing_purpose_is_refused_by_the_token_check(client, benefits_client, person):
    before = log_count()
    assert_problem(get_records(client, benefits_client, person.public_id, purpose=None),
                   401, "purpose-missing")
    assert log_count() == before  # no verified client, nothing was asked of the records


def test_withdrawn_consent_stops_the_very_next_read(client, benefits, foodbank, person):
    keyed = make_client(foodbank, scopes=SCOPES)
    make_record(benefits, person)
    consent = make_consent(person, foodbank)
    first = get_records(client, keyed, person.public_id, purpose="emergency-food-support")
    assert first.status_code == 200
    assert first.json()["records"][0]["shared_under"]["id"] == str(consent.public_id)
    consent.withdrawn_at = consent.given_at
    consent.save()
    assert_problem(get_records(client, keyed, person.public_id, purpose="emergency-food-support"),
                   404, "not-found")


def test_expired_agreement_refuses(client, benefits, council, council_client, person):
    make_record(benefits, person)
    make_agreement(benefits, council, days_left=-1)
    assert_problem(get_records(client, council_client, person.public_id), 404, "not-found")


def test_another_organisations_client_is_refused(client, benefits, foodbank, person):
    make_record(benefits, person)
    make_agreement(benefits, make_client(scopes=SCOPES).client.organization)
    outsider = make_client(foodbank, scopes=SCOPES)
    assert_problem(get_records(client, outsider, person.public_id), 404, "not-found")


def test_a_replayed_token_is_refused_and_reads_nothing(client, benefits, benefits_client, person):
    make_record(benefits, person)
    headers = benefits_client.headers(purpose=PURPOSE)
    path = f"/api/v1/people/{person.public_id}/records"
    assert client.get(path, **headers).status_code == 200
    before = log_count()
    assert_problem(client.get(path, **headers), 401, "token-replayed")
    assert log_count() == before


def test_each_read_record_is_one_entry_with_the_client_and_on_behalf_of(
        client, benefits, benefits_client, person):
    for _ in range(3):
        make_record(benefits, person)
    before = log_count()
    response = get_records(client, benefits_client, person.public_id, query="?limit=2",
                           on_behalf_of="caseworker:42")
    assert len(response.json()["records"]) == 2 and response.json()["total"] == 3
    assert log_count() == before + 2
    for entry in last_entries(2):
        assert (entry.actor_kind, entry.actor_id) == ("client", benefits_client.client_id)
        assert (entry.on_behalf_of, entry.action) == ("caseworker:42", "record.read")


def test_paging_is_bounded(client, benefits_client, person):
    assert_problem(get_records(client, benefits_client, person.public_id, query="?limit=500"),
                   422, "invalid-input")


def test_a_client_without_the_scope_is_refused(client, benefits, person):
    keyed = make_client(benefits, scopes=("whoami",))
    assert_problem(get_records(client, keyed, person.public_id), 403, "scope-not-granted")


# ------------------------------------------------------------------ lookup


def test_lookup_by_national_id(client, benefits, benefits_client, council_client):
    person = PersonFactory(national_id_hash=national_id_hash("RV1234567"))
    make_record(benefits, person)
    before = log_count()
    found = post(client, benefits_client, "/api/v1/people/lookup", {"national_id": "rv 123-4567"})
    assert found.status_code == 200 and found.json() == {"person_id": str(person.public_id)}
    refused = post(client, council_client, "/api/v1/people/lookup", {"national_id": "RV1234567"})
    unknown = post(client, council_client, "/api/v1/people/lookup", {"national_id": "RV7654321"})
    same_refusal(refused, unknown)
    assert log_count() == before + 3
    assert [(e.action, e.decision) for e in last_entries(3)] == [
        ("person.lookup", "permit"), ("person.lookup", "deny"), ("person.lookup", "deny")]
    assert last_entries(2)[0].reason == last_entries(1)[0].reason


def test_lookup_refuses_unknown_body_fields(client, benefits_client):
    response = post(client, benefits_client, "/api/v1/people/lookup",
                    {"national_id": "RV1", "name": "x"})
    assert_problem(response, 422, "invalid-input")


# ------------------------------------------------------------------ pushing and deleting


def test_push_by_national_id_then_again_updates(client, benefits, benefits_client):
    person = PersonFactory(national_id_hash=national_id_hash("RV7000001"))
    body = {"person": {"national_id": "RV7000001"}, "external_ref": "BA-9",
            "category": "income-and-benefits",
            "title": "Pension Credit", "fields": {"benefit": "Pension Credit", "weekly": 41.5}}
    first = post(client, benefits_client, "/api/v1/records", body)
    assert first.status_code == 200, first.content
    assert first.json()["created"] is True and first.json()["person_id"] == str(person.public_id)
    second = post(client, benefits_client, "/api/v1/records",
                  {**body, "fields": {"benefit": "Pension Credit", "weekly": 45.0}})
    assert second.json()["created"] is False and second.json()["id"] == first.json()["id"]
    assert Record.objects.get().fields["weekly"] == 45.0
    assert [e.action for e in last_entries(2)] == ["record.create", "record.update"]


@pytest.mark.parametrize(
    "change",
    [
        {"fields": {"list": [1]}},
        {"fields": {"obj": {"a": 1}}},
        {"category": "astrology"},
        {"classification": "restricted"},  # roles say it, not a level
        {"restricted_roles": ["wizard"]},
        {"title": "   "},
        {"fields": {"note": "nul\x00"}},
        {"fields": {"bad name": 1}},
        {"external_ref": "with space"},
        {"person": None},
        {"person": {"person_id": "x", "national_id": "RV1"}},  # one way only
        {"person": {"national_id": ""}},
        {"unexpected": True},
    ],
)
def test_push_refuses_bad_values(client, benefits_client, person, change):
    body = {"person": {"person_id": str(person.public_id)}, "external_ref": "BA-1",
            "category": "income-and-benefits", "title": "UC", "fields": {}}
    body.update(change)
    response = post(client, benefits_client, "/api/v1/records",
                    {k: v for k, v in body.items() if v is not None})
    assert_problem(response, 422, "invalid-input")
    assert not Record.objects.exists()


def test_push_about_an_unknown_person_is_not_found(client, benefits_client):
    before = log_count()
    response = post(client, benefits_client, "/api/v1/records", {
        "person": {"person_id": str(uuid.uuid4())}, "external_ref": "BA-1",
        "category": "income-and-benefits", "title": "UC"})
    assert_problem(response, 404, "not-found")
    assert log_count() == before + 1 and last_entries(1)[0].decision == "deny"


def test_push_restricted_and_a_reference_taken_for_another_person(
        client, benefits, benefits_client, person):
    body = {"person": {"person_id": str(person.public_id)}, "external_ref": "HB-1",
            "category": "health", "title": "Care plan", "restricted_roles": ["caseworker"],
            "fields": {"care_needs": "meals"}}
    assert post(client, benefits_client, "/api/v1/records", body).status_code == 200
    record = Record.objects.get()
    assert (record.classification, record.restricted_roles) == ("restricted", ["caseworker"])
    other = PersonFactory()
    taken = post(client, benefits_client, "/api/v1/records",
                 {**body, "person": {"person_id": str(other.public_id)}})
    assert_problem(taken, 409, "external-ref-taken")
    assert Record.objects.get().subject == person


def test_delete_own_record_but_not_anothers(client, benefits, council, benefits_client,
                                           council_client, person):
    mine = make_record(benefits, person)
    theirs = make_record(council, person)
    response = client.delete(f"/api/v1/records/{mine.public_id}",
                             **benefits_client.headers(purpose=PURPOSE))
    assert response.status_code == 204
    assert not Record.objects.filter(pk=mine.pk).exists()
    same_refusal(
        client.delete(f"/api/v1/records/{theirs.public_id}",
                      **benefits_client.headers(purpose=PURPOSE)),
        client.delete(f"/api/v1/records/{uuid.uuid4()}",
                      **benefits_client.headers(purpose=PURPOSE)),
    )
    assert Record.objects.filter(pk=theirs.pk).exists()
    assert [e.decision for e in last_entries(3)] == ["permit", "deny", "deny"]


def test_no_call_touches_personal_data_without_an_entry(
        client, benefits, council, benefits_client, council_client):
    """Count entries around every operation, permitted and refused: never zero."""
    person = PersonFactory(national_id_hash=national_id_hash("RV5550001"))
    for _ in range(2):
        make_record(benefits, person)
    doomed = make_record(benefits, person)
    push = {"person": {"person_id": str(person.public_id)}, "external_ref": "X-1",
            "category": "income-and-benefits", "title": "UC"}
    calls = [
        (lambda: get_records(client, benefits_client, person.public_id), 200, 3),
        (lambda: get_records(client, council_client, person.public_id), 404, 1),
        (lambda: get_records(client, council_client, uuid.uuid4()), 404, 1),
        (lambda: get_records(client, benefits_client, person.public_id, purpose="nosy"), 422, 1),
        (lambda: post(client, benefits_client, "/api/v1/people/lookup",
                      {"national_id": "RV5550001"}), 200, 1),
        (lambda: post(client, council_client, "/api/v1/people/lookup",
                      {"national_id": "RV5550001"}), 404, 1),
        (lambda: post(client, benefits_client, "/api/v1/records", push), 200, 1),
        (lambda: post(client, benefits_client, "/api/v1/records", push), 200, 1),
        (lambda: post(client, council_client, "/api/v1/records",
                      {**push, "person": {"person_id": str(uuid.uuid4())}}), 404, 1),
        (lambda: client.delete(f"/api/v1/records/{doomed.public_id}",
                               **council_client.headers(purpose=PURPOSE)), 404, 1),
        (lambda: client.delete(f"/api/v1/records/{doomed.public_id}",
                               **benefits_client.headers(purpose=PURPOSE)), 204, 1),
    ]
    for number, (call, status, entries) in enumerate(calls):
        before = log_count()
        assert call().status_code == status, number
        assert log_count() - before == entries, number


# ------------------------------------------------------------------ declared purposes


@pytest.fixture
def riverton_food_bank(db):
    """A food bank that declared emergency food support and debt advice, nothing else."""
    from tests.factories import OrganizationFactory, declare

    bank = OrganizationFactory(name="Riverton Food Bank", slug="riverton-food-bank", kind="ngo")
    declare(bank, "emergency-food-support", ("case-history", "household"))
    declare(bank, "debt-advice", ("case-history",))
    return bank


@pytest.mark.parametrize("purpose", ["healthcare-provision", "fraud-prevention"])
def test_a_purpose_the_organisation_has_not_declared_is_refused_and_logged(
        client, riverton_food_bank, purpose):
    person = PersonFactory(national_id_hash=national_id_hash("RV5550001"))
    make_record(riverton_food_bank, person, category="case-history", title="Food parcels")
    keyed = make_client(riverton_food_bank, scopes=("records:read", "people:lookup"))
    before = log_count()

    looked_up = post(client, keyed, "/api/v1/people/lookup", {"national_id": "RV5550001"},
                     purpose=purpose)
    read = get_records(client, keyed, person.public_id, purpose=purpose)

    for response in (looked_up, read):
        body = assert_problem(response, 403, "purpose-not-declared")
        assert f"has not declared the purpose “{purpose}”" in body["detail"]
        assert "emergency-food-support" in body["detail"]  # what it did declare
    assert log_count() == before + 2
    entries = last_entries(2)
    assert [(e.action, e.decision, e.purpose, e.organization) for e in entries] == [
        ("person.lookup", "deny", purpose, "riverton-food-bank"),
        ("record.list", "deny", purpose, "riverton-food-bank")]
    assert entries[1].subject == str(person.public_id)


def test_a_declared_purpose_reads_with_the_declared_legal_basis(client, riverton_food_bank):
    person = PersonFactory()
    make_record(riverton_food_bank, person, category="case-history", title="Food parcels")
    keyed = make_client(riverton_food_bank, scopes=("records:read",))
    response = get_records(client, keyed, person.public_id, purpose="emergency-food-support")
    assert response.status_code == 200, response.content
    record = response.json()["records"][0]
    assert record["shared_under"] == {"basis": "owner-client", "id": None,
                                      "legal_basis": "6.1.a"}
    assert last_entries(1)[0].legal_basis == "6.1.a"


def test_a_client_limited_to_some_purposes_gets_purpose_not_allowed(client, riverton_food_bank):
    from agora.access.services import apiclient_purposes_set
    from agora.core.actors import SYSTEM

    person = PersonFactory()
    make_record(riverton_food_bank, person, category="case-history")
    keyed = make_client(riverton_food_bank, scopes=("records:read",))
    apiclient_purposes_set(actor=SYSTEM, client=keyed.client, purposes=["debt-advice"])
    before = log_count()
    response = get_records(client, keyed, person.public_id, purpose="emergency-food-support")
    assert "may act only for: debt-advice" in assert_problem(
        response, 403, "purpose-not-allowed")["detail"]
    assert log_count() == before + 1 and last_entries(1)[0].decision == "deny"
    assert get_records(client, keyed, person.public_id, purpose="debt-advice").status_code == 200
