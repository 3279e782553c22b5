"""“My consents”: list, give (and refuse bad input, writing nothing), receipt, withdraw."""

import datetime
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from agora.access.models import Consent, PurposeDeclaration
from agora.access.services import consent_give
from agora.audit.models import LogEntry
from tests.factories import OrganizationFactory, UserFactory, declare
from tests.portal.helpers import resident_with_person

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.fixture
def ann(client):
    user, person = resident_with_person(given_name="Ann", family_name="Lee")
    client.force_login(user)
    return person


@pytest.fixture
def food_bank():
    organization = OrganizationFactory(name="Riverton Food Bank", kind="ngo")
    declare(organization, "emergency-food-support", ("housing", "income-and-benefits"))
    declare(organization, "social-care-support", ("housing", "health"))
    return organization


def give(person, recipient, *, categories=("housing",), purpose="emergency-food-support",
         days=30):
    if not PurposeDeclaration.objects.filter(organization=recipient, purpose__code=purpose,
                                             status="approved").exists():
        declare(recipient, purpose, categories)  # a consent names a declared purpose
    return consent_give(
        actor=person.user, person=person, recipient=recipient, categories=list(categories),
        purpose=purpose, expires_at=timezone.now() + datetime.timedelta(days=days),
    )


def form_data(recipient, *, categories=("housing", "income-and-benefits"),
              purpose="emergency-food-support", expires=None):
    expires = expires or timezone.localdate() + datetime.timedelta(days=90)
    return {
        "recipient": recipient.slug if recipient else "",
        "categories": list(categories),
        "purpose": purpose,
        "expires_on_day": str(expires.day),
        "expires_on_month": str(expires.month),
        "expires_on_year": str(expires.year),
    }


def test_list_shows_active_expired_and_withdrawn(client, ann, food_bank):
    active = give(ann, food_bank)
    expired = give(ann, OrganizationFactory(name="Old Org"))
    yesterday = timezone.now() - datetime.timedelta(days=1)
    Consent.objects.filter(pk=expired.pk).update(expires_at=yesterday)
    withdrawn = give(ann, OrganizationFactory(name="Gone Org"))
    client.post(reverse("portal:consent_withdraw", args=[withdrawn.public_id]))
    page = text(client.get(reverse("portal:consents")))
    assert "Riverton Food Bank" in page and "Old Org" in page and "Gone Org" in page
    assert "Active" in page and "Expired" in page and "Withdrawn" in page
    assert "Housing" in page
    assert page.count("Withdraw consent for") == 1  # only the active one can be withdrawn
    assert str(active.public_id) in client.get(reverse("portal:consents")).content.decode()


def test_list_never_shows_other_peoples_consents(client, ann, food_bank):
    _, bob = resident_with_person()
    give(bob, OrganizationFactory(name="Bob's Bank"))
    assert "Bob's Bank" not in text(client.get(reverse("portal:consents")))


def test_give_form_offers_purposes_with_descriptions_and_a_year_by_default(client, ann, food_bank):
    html = client.get(reverse("portal:consent_new")).content.decode()
    assert "Riverton Food Bank" in html
    assert "Giving a person or household food parcels or vouchers" in html
    assert 'class="govuk-date-input"' in html
    next_year = timezone.localdate() + datetime.timedelta(days=365)
    assert f'name="expires_on_year" value="{next_year.year}"' in html


def test_giving_consent_writes_it_with_a_receipt_and_logs_it(client, ann, food_bank):
    before = LogEntry.objects.count()
    response = client.post(reverse("portal:consent_new"), form_data(food_bank))
    consent = Consent.objects.get(person=ann)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:consent", args=[consent.public_id])
    assert consent.recipient == food_bank
    assert {c.code for c in consent.categories.all()} == {"housing", "income-and-benefits"}
    assert consent.receipt["consentReceiptID"] == str(consent.public_id)
    entry = LogEntry.objects.get(seq__gte=before)
    assert entry.action == "consent.give" and entry.subject == str(ann.public_id)
    page = text(client.get(response["Location"]))
    assert "You have given consent to Riverton Food Bank" in page
    assert "Signature verified" in page


def test_expiry_is_the_end_of_the_chosen_day(client, ann, food_bank):
    day = timezone.localdate() + datetime.timedelta(days=10)
    client.post(reverse("portal:consent_new"), form_data(food_bank, expires=day))
    expires = timezone.localtime(Consent.objects.get(person=ann).expires_at)
    assert expires.date() == day + datetime.timedelta(days=1)
    assert (expires.hour, expires.minute) == (0, 0)


@pytest.mark.parametrize(
    ("change", "message", "anchor"),
    [
        ({"categories": []}, "Select at least one kind of information", "id_categories_0"),
        ({"recipient": "no-such-org"}, "Select an organisation from the list", "id_recipient"),
        ({"recipient": ""}, "Select the organisation that can see your information",
         "id_recipient"),
        ({"purpose": ""}, "Select what they can use your information for", "id_purpose_0"),
        ({"expires_on_day": "1", "expires_on_month": "1", "expires_on_year": "2001"},
         "Expiry date must be in the future", "id_expires_on_day"),
        ({"expires_on_day": "31", "expires_on_month": "2", "expires_on_year": "2099"},
         "Expiry date must be a real date", "id_expires_on_day"),
        ({"expires_on_year": str(timezone.localdate().year + 6)},
         "Expiry date must be no more than 5 years from today", "id_expires_on_day"),
        ({"expires_on_day": "", "expires_on_month": "", "expires_on_year": ""},
         "Enter expiry date", "id_expires_on_day"),
        ({"expires_on_month": ""}, "Expiry date must include a month", "id_expires_on_day"),
    ],
)
def test_bad_input_is_shown_and_nothing_is_written(client, ann, food_bank, change, message,
                                                   anchor):
    before = LogEntry.objects.count()
    data = {**form_data(food_bank), **change}
    response = client.post(reverse("portal:consent_new"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert f'href="#{anchor}"' in html
    assert message in text(response)
    assert "<title>Error: Give consent" in html
    assert not Consent.objects.exists()
    assert LogEntry.objects.count() == before


@pytest.mark.parametrize(("purpose", "categories", "message"), [
    ("healthcare-provision", ("housing",),
     "Riverton Food Bank has not declared the purpose “Healthcare provision”"),
    ("emergency-food-support", ("housing", "health"),
     "declaration of “Emergency food support” does not include Health"),
])
def test_a_purpose_the_recipient_has_not_declared_is_refused(client, ann, food_bank, purpose,
                                                             categories, message):
    declare(OrganizationFactory(name="Riverton Health Board"), "healthcare-provision",
            ("health",))  # offered, since an organisation declared it; not the food bank
    before = LogEntry.objects.count()
    response = client.post(reverse("portal:consent_new"),
                           form_data(food_bank, purpose=purpose, categories=categories))
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert message in text(response)
    assert not Consent.objects.exists()
    assert LogEntry.objects.count() == before


def test_only_purposes_some_organisation_declared_are_offered(client, ann, food_bank):
    html = client.get(reverse("portal:consent_new")).content.decode()
    assert 'value="emergency-food-support"' in html and 'value="social-care-support"' in html
    assert 'value="fraud-prevention"' not in html  # nobody declared it
    before = LogEntry.objects.count()
    response = client.post(reverse("portal:consent_new"),
                           form_data(food_bank, purpose="fraud-prevention"))
    assert "Select a purpose from the list" in text(response)
    assert not Consent.objects.exists() and LogEntry.objects.count() == before


def test_an_inactive_recipient_is_refused(client, ann):
    closed = OrganizationFactory(is_active=False)
    response = client.post(reverse("portal:consent_new"), form_data(closed))
    assert "Select an organisation from the list" in text(response)
    assert not Consent.objects.exists()


def test_receipt_page_shows_the_receipt_and_says_verified(client, ann, food_bank):
    consent = give(ann, food_bank, categories=("housing", "health"), purpose="social-care-support")
    page = text(client.get(reverse("portal:consent", args=[consent.public_id])))
    assert str(consent.public_id) in page
    assert "Riverton Food Bank" in page
    assert "Health, Housing" in page
    assert "Social care support" in page
    assert "Article 9(2)(a)" in page
    assert "Signature verified" in page


def test_a_receipt_changed_in_the_database_is_not_verified(client, ann, food_bank):
    consent = give(ann, food_bank)
    receipt = {**consent.receipt, "expiresAt": "2099-01-01T00:00:00Z"}
    Consent.objects.filter(pk=consent.pk).update(receipt=receipt)
    page = text(client.get(reverse("portal:consent", args=[consent.public_id])))
    assert "Signature not valid" in page


def test_receipt_downloads_as_signed_json(client, ann, food_bank):
    from agora.access.receipts import consent_receipt_verify

    consent = give(ann, food_bank)
    response = client.get(reverse("portal:consent_receipt", args=[consent.public_id]))
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    document = json.loads(response.content)
    assert set(document) == {"receipt", "signature", "signature_algorithm",
                             "platform_key_id", "platform_public_key"}
    assert consent_receipt_verify(document["receipt"], document["signature"])
    assert document["platform_key_id"] == document["receipt"]["keyId"]
    assert document["platform_public_key"] == document["receipt"]["publicKey"]


def test_withdrawal_asks_first_then_takes_effect_at_once(client, ann, food_bank):
    consent = give(ann, food_bank)
    url = reverse("portal:consent_withdraw", args=[consent.public_id])
    page = text(client.get(url))
    assert "Withdraw your consent for Riverton Food Bank?" in page
    consent.refresh_from_db()
    assert consent.withdrawn_at is None
    response = client.post(url, follow=True)
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert consent.receipt["withdrawnAt"] is not None
    assert "It takes effect at once" in text(response)
    assert LogEntry.objects.filter(action="consent.withdraw", subject=str(ann.public_id)).exists()


def test_withdrawing_twice_says_so(client, ann, food_bank):
    consent = give(ann, food_bank)
    url = reverse("portal:consent_withdraw", args=[consent.public_id])
    client.post(url)
    response = client.post(url, follow=True)
    assert "You have already withdrawn this consent" in text(response)
    assert LogEntry.objects.filter(action="consent.withdraw").count() == 1


@pytest.mark.parametrize("name", ["portal:consent", "portal:consent_receipt",
                                  "portal:consent_withdraw"])
def test_someone_elses_consent_is_not_found(client, ann, name):
    _, bob = resident_with_person()
    consent = give(bob, OrganizationFactory())
    assert client.get(reverse(name, args=[consent.public_id])).status_code == 404
    withdraw = reverse("portal:consent_withdraw", args=[consent.public_id])
    assert client.post(withdraw).status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_staff_see_only_their_own_consents_through_these_pages(client, food_bank):
    _, bob = resident_with_person()
    give(bob, food_bank)
    staff = UserFactory(operator=True, totp=True)
    client.force_login(staff)
    page = text(client.get(reverse("portal:consents")))
    assert "There is no personal data linked to this account" in page
