"""Riverton's records: national identifiers as hashes, records from every organisation."""

from collections import Counter

from agora.access.viewers import viewer_for_client
from agora.audit.models import LogEntry
from agora.demo.generator import town_plan
from agora.demo.records import national_ids, record_plans
from agora.demo.services import demo_load
from agora.organizations.models import Organization
from agora.people.identifiers import national_id_hash
from agora.people.models import Person
from agora.records.models import Record
from agora.records.selectors import purpose_find, records_for_person
from tests.factories import ApiClientFactory


def test_everyone_has_a_national_identifier_stored_only_as_its_hash(riverton):
    numbers = national_ids(town_plan())
    assert len(set(numbers.values())) == len(numbers) == Person.objects.count()
    for person in Person.objects.all():
        number = numbers[person.public_id]
        assert number.startswith("RV") and len(number) == 9
        assert person.national_id_hash == national_id_hash(number)
        assert number not in person.national_id_hash


def test_every_organisation_holds_records_of_its_own_kind(riverton):
    by_owner = Counter(Record.objects.values_list("owner__slug", flat=True))
    assert by_owner == Counter(item.owner for item in record_plans(town_plan()))
    assert set(by_owner) == {
        "riverton-borough-council", "riverton-housing-authority", "benefits-agency-riverton",
        "riverton-health-board", "riverton-food-bank", "riverton-advice-centre",
        "riverton-energy", "northbank-tenants",
    }
    assert by_owner["riverton-borough-council"] >= 20
    assert by_owner["benefits-agency-riverton"] >= 20
    categories = dict(Record.objects.values_list("owner__slug", "category__code").distinct())
    assert categories["riverton-health-board"] == "health"
    assert categories["riverton-energy"] == "energy"
    assert categories["northbank-tenants"] == "contact"
    restricted = Record.objects.filter(classification="restricted")
    assert restricted.exists()
    assert all(r.owner.slug == "riverton-health-board" for r in restricted)
    assert all(set(r.restricted_roles) == {"caseworker", "dpo"} for r in restricted)
    assert not Record.objects.filter(subject__isnull=True).exists()


def test_creating_the_records_was_logged_once_each(riverton):
    created = LogEntry.objects.filter(action="record.create", actor_kind="system")
    assert created.count() == Record.objects.count()


def test_loading_again_changes_nothing(riverton):
    before = (sorted(Record.objects.values_list("public_id", "updated_at")),
              LogEntry.objects.count(),
              sorted(Person.objects.values_list("public_id", "national_id_hash")))
    demo_load()
    after = (sorted(Record.objects.values_list("public_id", "updated_at")),
             LogEntry.objects.count(),
             sorted(Person.objects.values_list("public_id", "national_id_hash")))
    assert before == after


def test_an_owner_client_reads_its_demo_records(riverton):
    benefits = Organization.objects.get(slug="benefits-agency-riverton")
    client = ApiClientFactory(organization=benefits)
    person = Record.objects.filter(owner=client.organization).first().subject
    page = records_for_person(viewer=viewer_for_client(client), person=person,
                              purpose=purpose_find("benefit-assessment"))
    assert page.total == Record.objects.filter(owner=client.organization, subject=person).count()
