"""Riverton's records: national identifiers as hashes, records from every organisation."""

from collections import Counter

import pytest
from django.utils import timezone

from agora.access.models import Agreement, Consent
from agora.access.viewers import viewer_for_client
from agora.audit.models import LogEntry
from agora.core.exceptions import PermissionDenied
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
    demo_load(hub=False, requests=False)
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


# ------------------------------------------------------------------ sharing


def _viewer_of(slug: str):
    return viewer_for_client(ApiClientFactory(organization=Organization.objects.get(slug=slug)))


def _subject_of(owner: str, category: str) -> Person:
    return Record.objects.filter(owner__slug=owner, category__code=category).first().subject


def test_agreements_in_force_expired_and_draft(riverton):
    now = timezone.now()
    in_force = Agreement.objects.filter(status="active", valid_from__lte=now, valid_to__gt=now)
    assert in_force.count() == 4
    assert {(a.provider.slug, a.recipient.slug) for a in in_force} == {
        ("benefits-agency-riverton", "riverton-borough-council"),
        ("riverton-housing-authority", "riverton-advice-centre"),
        ("riverton-health-board", "riverton-borough-council"),
        ("riverton-borough-council", "riverton-housing-authority"),
    }
    assert Agreement.objects.filter(valid_to__lte=now).count() == 1
    assert Agreement.objects.filter(status="draft").count() == 1


def test_the_council_sees_benefit_awards_without_the_case_notes(riverton):
    person = _subject_of("benefits-agency-riverton", "income-and-benefits")
    page = records_for_person(viewer=_viewer_of("riverton-borough-council"), person=person,
                              purpose=purpose_find("benefit-assessment"))
    shared = [i for i in page.items if i.record.owner.slug == "benefits-agency-riverton"]
    assert shared
    for item in shared:
        assert set(item.fields) == {"benefit", "status", "award_start", "weekly_amount"}
        assert item.decision.basis == "agreement"


def test_the_council_sees_care_needs_but_never_restricted_health_records(riverton):
    council = _viewer_of("riverton-borough-council")
    care = purpose_find("social-care-support")
    for record in Record.objects.filter(owner__slug="riverton-health-board"):
        page = records_for_person(viewer=council, person=record.subject, purpose=care)
        health = [i for i in page.items if i.record.pk == record.pk]
        assert bool(health) == (record.classification == "internal")
        for item in health:
            assert "clinical_note" not in item.fields
            assert item.legal_basis == "6.1.e; 9.2.h"


def test_consents_in_force_withdrawn_and_expired(riverton):
    now = timezone.now()
    food = Consent.objects.filter(recipient__slug="riverton-food-bank")
    assert food.count() == 5
    assert food.filter(withdrawn_at__isnull=False).count() == 1
    assert food.filter(expires_at__lte=now).count() == 1
    viewer = _viewer_of("riverton-food-bank")
    purpose = purpose_find("emergency-food-support")
    readable = {c.person_id: records_for_person(viewer=viewer, person=c.person,
                                                purpose=purpose).total for c in food}
    for consent in food:
        in_force = consent.withdrawn_at is None and consent.expires_at > now
        # The food bank holds its own parcel records; consent adds the council's and the
        # agency's records about the household and its income.
        own = Record.objects.filter(owner__slug="riverton-food-bank",
                                    subject=consent.person).count()
        assert (readable[consent.person_id] > own) == in_force, consent


def test_sharing_was_logged_and_loading_again_adds_nothing(riverton):
    counts = (Agreement.objects.count(), Consent.objects.count(),
              LogEntry.objects.filter(action__startswith="agreement.").count(),
              LogEntry.objects.filter(action__startswith="consent.").count())
    active = Agreement.objects.filter(status="active").count()
    assert counts[2] == counts[0] + active  # proposed, then activated
    withdrawn = Consent.objects.filter(withdrawn_at__isnull=False).count()
    assert withdrawn == 2  # one by a food bank client, one in the advice centre's story
    assert counts[3] == counts[1] + withdrawn  # each given, and two withdrawn
    assert all(c.receipt_signature for c in Consent.objects.all())
    demo_load(hub=False, requests=False)
    assert counts == (Agreement.objects.count(), Consent.objects.count(),
                      LogEntry.objects.filter(action__startswith="agreement.").count(),
                      LogEntry.objects.filter(action__startswith="consent.").count())


def test_the_demo_sign_ins_give_residents_a_national_id_that_finds_them(riverton):
    """A newcomer can try the caseworker's search with an identifier the demo printed."""
    import re

    from agora.demo.generator import town_plan
    from agora.demo.signins import sign_ins
    from agora.people.identifiers import national_id_hash
    from agora.people.models import Person

    residents = [row for row in sign_ins(town_plan()) if row.who.startswith("Resident")]
    assert residents
    for row in residents:
        identifier = re.search(r"national id (RV\d{7})", row.who).group(1)
        person = Person.objects.get(national_id_hash=national_id_hash(identifier))
        assert person.user.email == row.email


def test_each_organisation_declared_the_purposes_that_fit_it(riverton):
    from agora.access.register import declared_purposes

    def declared(slug):
        organization = Organization.objects.get(slug=slug)
        return set(declared_purposes(organization=organization).values_list("code", flat=True))

    assert declared("riverton-food-bank") == {"emergency-food-support", "debt-advice"}
    assert declared("riverton-health-board") == {"healthcare-provision",
                                                 "public-health-statistics"}
    assert all(declared(o.slug) for o in Organization.objects.all())
    assert LogEntry.objects.filter(action="purpose.approve").count() == 14


def test_the_food_bank_reads_its_records_for_food_support_but_not_for_health(riverton):
    from agora.records.services import purpose_require

    bank = Organization.objects.get(slug="riverton-food-bank")
    viewer = viewer_for_client(ApiClientFactory(organization=bank))
    person = Record.objects.filter(owner=bank).first().subject
    page = records_for_person(viewer=viewer, person=person,
                              purpose=purpose_find("emergency-food-support"))
    assert page.total >= 1 and page.items[0].legal_basis == "6.1.a"
    for refused in ("healthcare-provision", "fraud-prevention"):
        with pytest.raises(PermissionDenied, match="has not declared"):
            purpose_require(viewer=viewer, code=refused, action="record.list", subject=person)
