"""The caseworker's single view: purpose first, every look logged, only what the rules allow."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agora.access.models import DataCategory, Purpose
from agora.audit.models import LogEntry
from agora.organizations.models import Membership
from agora.people.identifiers import national_id_hash
from tests.console.test_views import error_summary, sign_in
from tests.factories import (
    AgreementFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    RecordFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("vocabulary")]

NATIONAL_ID = "AB 12 34 56 C"


@pytest.fixture
def person():
    return PersonFactory(
        given_name="Amara", family_name="Osei", national_id_hash=national_id_hash(NATIONAL_ID)
    )


@pytest.fixture
def housing_record(council, person):
    return RecordFactory(
        owner=council, subject=person, title="Tenancy at 4 Mill Lane",
        category=DataCategory.objects.get(code="housing"),
        fields={"name": "Amara Osei", "status": "tenant", "notes": "SECRET-NOTE"},
    )


def caseworker(organization, role=Membership.Role.CASEWORKER):
    return MembershipFactory(organization=organization, role=role).user


def person_url(organization, person, purpose="housing-allocation"):
    url = reverse("console:person", args=[organization.slug, person.public_id])
    return f"{url}?purpose={purpose}" if purpose else url


def actions_since(before: int) -> list[tuple[str, str]]:
    return list(
        LogEntry.objects.filter(seq__gte=before).order_by("seq").values_list("action", "decision")
    )


def log_size() -> int:
    return LogEntry.objects.count()


# Finding a person


def test_search_needs_a_purpose_and_an_identifier_and_logs_nothing(client, council):
    sign_in(client, caseworker(council))
    before = log_size()

    response = client.post(reverse("console:people", args=["council"]), {})

    summary = error_summary(response)
    assert "Choose why you need to see this person&#x27;s information" in summary
    assert "Enter the person&#x27;s national identifier or their name" in summary
    assert log_size() == before


def test_search_with_an_unknown_purpose_code_is_refused_and_logged(client, council):
    sign_in(client, caseworker(council))
    before = log_size()
    response = client.post(
        reverse("console:people", args=["council"]),
        {"purpose": "curiosity", "national_id": NATIONAL_ID},
    )
    assert "“curiosity” is not a purpose code of this platform" in error_summary(response)
    assert log_size() == before + 1
    entry = LogEntry.objects.order_by("-seq").first()
    assert (entry.action, entry.decision, entry.purpose) == ("person.lookup", "deny",
                                                             "curiosity")


def test_search_finds_a_person_and_logs_the_lookup(client, council, person, housing_record):
    sign_in(client, caseworker(council))
    before = log_size()

    response = client.post(
        reverse("console:people", args=["council"]),
        {"purpose": "housing-allocation", "national_id": "ab123456c"},
    )

    assert response.status_code == 302
    assert response["Location"] == person_url(council, person)
    assert actions_since(before) == [("person.lookup", "permit")]
    entry = LogEntry.objects.get(seq=before)
    assert entry.purpose == "housing-allocation"
    assert entry.subject == str(person.public_id)
    assert entry.organization == "council"


def test_search_for_someone_unseen_says_no_one_found_and_logs_a_refusal(
    client, foodbank, person, housing_record
):
    sign_in(client, caseworker(foodbank))
    before = log_size()

    response = client.post(
        reverse("console:people", args=["foodbank"]),
        {"purpose": "housing-allocation", "national_id": NATIONAL_ID},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "No one found" in html
    assert "Amara" not in html
    assert actions_since(before) == [("person.lookup", "deny")]


def test_search_by_name_lists_only_people_with_something_readable(
    client, council, person, housing_record
):
    unseen = PersonFactory(given_name="Amara", family_name="Osei-Mensah")  # no records here
    sign_in(client, caseworker(council))
    before = log_size()

    response = client.post(
        reverse("console:people", args=["council"]),
        {"purpose": "housing-allocation", "name": "amara  osei"},
    )

    html = response.content.decode()
    assert "1 person found" in html
    assert person_url(council, person).replace("&", "&amp;") in html
    assert str(unseen.public_id) not in html
    assert actions_since(before) == [("person.lookup", "permit")]
    assert LogEntry.objects.get(seq=before).subject == str(person.public_id)


def test_search_by_name_finding_no_one_logs_one_refusal_without_a_subject(client, foodbank, person,
                                                                         housing_record):
    sign_in(client, caseworker(foodbank))
    before = log_size()

    response = client.post(
        reverse("console:people", args=["foodbank"]),
        {"purpose": "housing-allocation", "name": "Amara"},
    )

    html = response.content.decode()
    assert "No one found" in html and "Osei" not in html
    assert actions_since(before) == [("person.lookup", "deny")]
    assert LogEntry.objects.get(seq=before).subject is None


def test_search_by_identifier_and_name_at_once_is_refused(client, council):
    sign_in(client, caseworker(council))
    response = client.post(
        reverse("console:people", args=["council"]),
        {"purpose": "housing-allocation", "name": "Amara", "national_id": NATIONAL_ID},
    )
    assert "Search by national identifier or by name, not both" in error_summary(response)


# Choosing the purpose


def test_person_page_without_a_purpose_asks_for_one_first(client, council, person, housing_record):
    sign_in(client, caseworker(council))
    before = log_size()

    response = client.get(person_url(council, person, purpose=None))

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "console:person_purpose", args=["council", person.public_id]
    )
    assert log_size() == before


def test_purpose_page_lists_purposes_with_plain_descriptions(client, council, person):
    sign_in(client, caseworker(council))
    response = client.get(reverse("console:person_purpose", args=["council", person.public_id]))
    html = response.content.decode()
    assert "Why do you need to see this person" in html
    assert "Deciding who gets social housing and which home suits them." in html
    assert 'type="radio"' in html


def test_choosing_a_purpose_opens_the_page_for_it(client, council, person):
    sign_in(client, caseworker(council))
    response = client.post(
        reverse("console:person_purpose", args=["council", person.public_id]),
        {"purpose": "benefit-assessment"},
    )
    assert response["Location"] == person_url(council, person, "benefit-assessment")


def test_no_purpose_chosen_is_an_error(client, council, person):
    sign_in(client, caseworker(council))
    before = log_size()
    response = client.post(
        reverse("console:person_purpose", args=["council", person.public_id]), {}
    )
    assert "Choose why you need to see this person&#x27;s information" in error_summary(response)
    assert log_size() == before


def test_unknown_purpose_in_the_address_re_asks_and_logs_the_refusal(
    client, council, person, housing_record
):
    sign_in(client, caseworker(council))
    before = log_size()

    response = client.get(person_url(council, person, "curiosity"))

    assert response.status_code == 200
    assert "“curiosity” is not a purpose code of this platform" in error_summary(response)
    assert "Tenancy at 4 Mill Lane" not in response.content.decode()
    assert log_size() == before + 1
    entry = LogEntry.objects.order_by("-seq").first()
    assert (entry.action, entry.decision, entry.subject) == ("person.view", "deny",
                                                             str(person.public_id))


# The page


def test_own_records_are_shown_and_every_read_is_logged(client, council, person, housing_record):
    RecordFactory(owner=council, subject=person, title="Council tax account",
                  category=DataCategory.objects.get(code="income-and-benefits"),
                  fields={"band": "C"})
    sign_in(client, caseworker(council))
    before = log_size()

    response = client.get(person_url(council, person))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Amara Osei" in html
    assert "Tenancy at 4 Mill Lane" in html and "Council tax account" in html
    assert "Your organisation&#x27;s own record" in html
    assert "Housing allocation" in html
    assert sorted(actions_since(before)) == sorted(
        [("record.read", "permit"), ("record.read", "permit"), ("person.view", "permit")]
    )
    view = LogEntry.objects.get(seq__gte=before, action="person.view")
    assert view.purpose == "housing-allocation"
    assert view.subject == str(person.public_id)


def test_caseworker_of_another_organisation_without_agreement_sees_nothing(
    client, foodbank, person, housing_record
):
    sign_in(client, caseworker(foodbank))
    before = log_size()

    response = client.get(person_url(foodbank, person))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing you may see for this purpose" in html
    assert "Amara" not in html
    assert "Tenancy" not in html
    assert ("person.view", "deny") in actions_since(before)
    assert ("record.read", "permit") not in actions_since(before)


def _share(council, foodbank, **kwargs):
    return AgreementFactory(
        provider=council, recipient=foodbank, title="Food support referrals",
        categories=[DataCategory.objects.get(code="housing")],
        purposes=[Purpose.objects.get(code="emergency-food-support")],
        fields_allowed=["name", "status"], **kwargs,
    )


def test_agreement_shares_only_the_allowed_fields(client, council, foodbank, person,
                                                   housing_record):
    _share(council, foodbank)
    sign_in(client, caseworker(foodbank))
    before = log_size()

    response = client.get(person_url(foodbank, person, "emergency-food-support"))

    html = response.content.decode()
    assert "Riverton Council" in html
    assert "Tenancy at 4 Mill Lane" in html
    assert "tenant" in html
    assert "SECRET-NOTE" not in html
    assert "Notes" not in html
    assert "Sharing agreement “Food support referrals”" in html
    assert sorted(actions_since(before)) == [("person.view", "permit"), ("record.read", "permit")]


def test_agreement_for_another_purpose_shares_nothing(client, council, foodbank, person,
                                                      housing_record):
    _share(council, foodbank)
    sign_in(client, caseworker(foodbank))
    response = client.get(person_url(foodbank, person, "debt-advice"))
    assert "Nothing you may see for this purpose" in response.content.decode()


def test_expired_agreement_shows_nothing(client, council, foodbank, person, housing_record):
    now = timezone.now()
    _share(council, foodbank, valid_from=now - timedelta(days=30),
           valid_to=now - timedelta(days=1))
    sign_in(client, caseworker(foodbank))

    response = client.get(person_url(foodbank, person, "emergency-food-support"))

    html = response.content.decode()
    assert "Nothing you may see for this purpose" in html
    assert "Tenancy" not in html


def test_unknown_person_looks_like_nothing_to_see(client, council):
    sign_in(client, caseworker(council))
    response = client.get(
        person_url(council, PersonFactory.build(), "housing-allocation")
    )
    assert response.status_code == 200
    assert "Nothing you may see for this purpose" in response.content.decode()


def test_roles_without_personal_data_may_not_open_the_pages(client, council, person):
    sign_in(client, caseworker(council, role=Membership.Role.PUBLISHER))
    assert client.get(reverse("console:people", args=["council"])).status_code == 403
    assert client.get(person_url(council, person)).status_code == 403


def test_people_of_other_organisations_may_not_use_our_pages(client, council, foodbank, person):
    sign_in(client, caseworker(foodbank))
    assert client.get(reverse("console:people", args=["council"])).status_code == 404
    assert client.get(person_url(council, person)).status_code == 404


def test_person_page_queries_stay_bounded(client, council, foodbank, person,
                                          django_assert_max_num_queries):
    for n in range(3):
        provider = OrganizationFactory(name=f"Provider {n}")
        AgreementFactory(provider=provider, recipient=council,
                         categories=[DataCategory.objects.get(code="housing")],
                         purposes=[Purpose.objects.get(code="housing-allocation")])
        for m in range(4):
            RecordFactory(owner=provider, subject=person, title=f"Record {n}-{m}")
    sign_in(client, caseworker(council))
    # 41: one more than before the register, whose declaration of the purpose is read
    # once per page (for the filter and every decision alike).
    with django_assert_max_num_queries(41):
        response = client.get(person_url(council, person))
    assert response.content.decode().count('class="govuk-summary-card__title"') == 12
