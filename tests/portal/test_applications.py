"""Applying for a service in the resident's pages: start, prefill, one question a page,
errors in the GOV.UK summary, check your answers, send, and the confirmation."""

import io
import json
import re
import zipfile

import pytest
from django.urls import reverse

from agora.access.models import Consent
from agora.applications.models import ApplicationDraft
from agora.cases.models import Case
from tests.applications.helpers import GOOD_ANSWERS, household_record, service
from tests.factories import UserFactory
from tests.portal.helpers import resident_with_person

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def url(name, code="council-tax-reduction", *args):
    return reverse(f"portal:{name}", args=[code, *args])


def question(name):
    return url("application_question", "council-tax-reduction", name)


@pytest.fixture
def tax():
    return service()


@pytest.fixture
def ann(client):
    user, person = resident_with_person(given_name="Ann", family_name="Lee")
    client.force_login(user)
    return person


def test_the_start_page_says_what_applying_takes_and_anyone_may_read_it(client, tax):
    page = text(client.get(url("application_start")))
    assert "Apply for Council tax reduction" in page
    assert "There are 10 questions" in page
    assert "Start now" in page and "sign in or create an account" in page
    assert "fill in some answers from information organisations already hold" in page


def test_starting_asks_to_sign_in_first(client, tax):
    response = client.get(url("application_continue"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_unknown_or_unpublished_service_is_not_found(client, ann, tax):
    assert client.get(url("application_start", "no-such-service")).status_code == 404
    tax.status = "withdrawn"
    tax.save()
    assert client.get(url("application_start")).status_code == 404
    assert client.get(question("full_name")).status_code == 404


def test_a_service_whose_form_cannot_be_asked_is_not_found(client, ann):
    service(schema={"type": "object", "properties": {"a": {"type": "object"}}})
    assert client.get(url("application_start")).status_code == 404


def test_starting_goes_to_the_prefill_question_first(client, ann, tax):
    response = client.get(url("application_continue"))
    assert response["Location"] == url("application_prefill")
    page = text(client.get(response["Location"]))
    assert "Use information organisations already hold about you" in page
    assert "What is your address?" in page and "How many adults live in your home?" in page
    assert "your consent to see your household information" in page
    assert "for 180 days" in page


def test_prefill_without_a_choice_shows_the_error_summary(client, ann, tax):
    response = client.post(url("application_prefill"), {})
    page = text(response)
    assert response.status_code == 200 and page.count("There is a problem") == 1
    assert "Select yes if you want us to fill in your answers" in page
    assert "<title>Error: " in response.content.decode()


def test_yes_gives_consent_and_fills_in_answers(client, ann, tax):
    household_record(ann)
    response = client.post(url("application_prefill"), {"use_records": "yes"}, follow=True)
    page = text(response)
    assert "We filled in 2 answers from your records" in page
    assert Consent.objects.get(person=ann).recipient == tax.provider
    content = client.get(question("address")).content.decode()
    page = text(client.get(question("address")))
    assert 'value="4 Mill Lane, Riverton RV1 2AB"' in content
    assert "We filled this in from your household on the electoral and housing records at " \
           "Riverton Electoral Services" in page


def test_no_goes_on_to_the_first_question_without_consent(client, ann, tax):
    response = client.post(url("application_prefill"), {"use_records": "no"})
    assert response["Location"] == question("full_name")
    assert not Consent.objects.exists()
    assert client.get(url("application_continue"))["Location"] == question("full_name")


def test_a_question_page_asks_one_thing_as_its_heading(client, ann, tax):
    content = client.get(question("full_name")).content.decode()
    assert re.search(r'<h1 class="govuk-label-wrapper"><label class="govuk-label '
                     r'govuk-label--l" for="id_full_name">What is your full name\?</label></h1>',
                     content)
    content = client.get(question("payment_method")).content.decode()
    assert '<h1 class="govuk-fieldset__heading">How do you pay your council tax?</h1>' in content
    assert content.count('class="govuk-radios__input"') == 3
    content = client.get(question("moved_in")).content.decode()
    assert "govuk-date-input" in content and 'name="moved_in_day"' in content
    content = client.get(question("benefits")).content.decode()
    assert content.count('type="checkbox"') == 3 and "(optional)" in content
    content = client.get(question("circumstances")).content.decode()
    assert 'data-module="govuk-character-count"' in content
    assert "You can enter up to 500 characters" in content
    content = client.get(question("lives_alone")).content.decode()
    assert "govuk-radios--inline" in content


@pytest.mark.parametrize("name, data, message", [
    ("full_name", {"full_name": ""}, "Enter your full name"),
    ("full_name", {"full_name": "x" * 101}, "Your full name must be 100 characters or less"),
    ("adults", {"adults": "two"}, "The number of adults must be a whole number, like 2"),
    ("payment_method", {"payment_method": "cheque"},
     "Select how you pay your council tax from the options"),
    ("moved_in", {"moved_in_day": "31", "moved_in_month": "2", "moved_in_year": "2019"},
     "The date you moved in must be a real date"),
    ("email", {"email": "ann"},
     "Enter an email address in the correct format, like name@example.com"),
])
def test_a_bad_answer_is_shown_in_the_error_summary_and_not_kept(client, ann, tax, name, data,
                                                                  message):
    response = client.post(question(name), data)
    page = text(response)
    assert response.status_code == 200
    assert page.count(message) == 2  # in the summary and at the question
    anchor = "id_moved_in_day" if name == "moved_in" else (
        "id_payment_method_0" if name == "payment_method" else f"id_{name}")
    assert f'href="#{anchor}"' in response.content.decode()
    assert not ApplicationDraft.objects.filter(answers__has_key=name).exists()


def test_a_good_answer_is_saved_and_the_next_question_follows(client, ann, tax):
    response = client.post(question("adults"), {"adults": " 2 "})
    assert response["Location"] == question("monthly_income")
    assert ApplicationDraft.objects.get(person=ann).answers == {"adults": 2}
    response = client.post(question("moved_in"),
                           {"moved_in_day": "27", "moved_in_month": "3", "moved_in_year": "2019"})
    assert ApplicationDraft.objects.get(person=ann).answers["moved_in"] == "2019-03-27"
    content = client.get(question("moved_in")).content.decode()
    assert 'value="27"' in content and 'value="2019"' in content


def _answer_all(client):
    posts = {
        "full_name": {"full_name": "Ann Lee"}, "email": {"email": "ann@example.org"},
        "address": {"address": "4 Mill Lane, Riverton"}, "adults": {"adults": "2"},
        "monthly_income": {"monthly_income": "1,250.50"},
        "payment_method": {"payment_method": "online"},
        "benefits": {"benefits": ["universal-credit"]}, "lives_alone": {"lives_alone": "no"},
        "moved_in": {"moved_in_day": "27", "moved_in_month": "3", "moved_in_year": "2019"},
        "circumstances": {"circumstances": ""},
    }
    for name, data in posts.items():
        response = client.post(question(name), data)
        assert response.status_code == 302, (name, text(response))
    return response


def test_check_your_answers_lists_each_with_a_change_link(client, ann, tax):
    assert _answer_all(client)["Location"] == url("application_check")
    page = text(client.get(url("application_check")))
    assert "Check your answers before sending your application" in page
    assert "What is your full name? Ann Lee" in page
    assert "Which benefits do you get? Universal Credit" in page
    assert "When did you move into your home? 27 March 2019" in page
    assert "Do you live alone? No" in page
    assert "Is there anything else we should know? Not answered" in page
    assert page.count("Change") == 10
    assert f'href="{question("adults")}?change=1"' in client.get(
        url("application_check")).content.decode()


def test_changing_an_answer_returns_to_check_your_answers(client, ann, tax):
    _answer_all(client)
    response = client.get(question("adults") + "?change=1")
    assert f'href="{url("application_check")}" class="govuk-back-link"' in \
        response.content.decode()
    response = client.post(question("adults") + "?change=1", {"adults": "3"})
    assert response["Location"] == url("application_check")
    assert "How many adults live in your home? 3" in text(client.get(url("application_check")))


def test_sending_shows_the_confirmation_with_the_reference(client, ann, tax):
    _answer_all(client)
    response = client.post(url("application_check"))
    assert response["Location"] == url("application_sent")
    case = Case.objects.get(person=ann)
    assert case.answers == {**GOOD_ANSWERS, "monthly_income": 1250.5}
    page = text(client.get(url("application_sent")))
    assert "Application sent" in page and f"Your reference number {case.reference}" in page
    assert "They aim to deal with it within 28 days" in page
    content = client.get(url("application_sent")).content.decode()
    assert f'href="{reverse("portal:request", args=[case.reference])}"' in content
    request_page = text(client.get(reverse("portal:request", args=[case.reference])))
    assert case.reference in request_page
    assert not ApplicationDraft.objects.exists()
    # Going back to the start page offers a new application, not the sent one.
    assert "Start now" in text(client.get(url("application_start")))


def test_sending_with_answers_missing_lists_each_in_the_error_summary(client, ann, tax):
    client.post(question("full_name"), {"full_name": "Ann Lee"})
    response = client.post(url("application_check"))
    page = text(response)
    assert response.status_code == 200 and "There is a problem" in page
    assert "Enter your email address" in page
    assert page.count("Enter your email address") == 2  # in the summary and the list
    assert f'href="{question("email")}?change=1"' in response.content.decode()
    assert not Case.objects.exists()


def test_the_draft_survives_signing_out_and_in(client, ann, tax):
    client.post(question("full_name"), {"full_name": "Ann Lee"})
    client.logout()
    client.force_login(ann.user)
    page = text(client.get(url("application_start")))
    assert "Continue your application" in page and "Delete your draft" in page
    assert 'value="Ann Lee"' in client.get(question("full_name")).content.decode()
    assert client.get(url("application_continue"))["Location"] == url("application_prefill")


def test_the_draft_can_be_deleted(client, ann, tax):
    client.post(question("full_name"), {"full_name": "Ann Lee"})
    assert "Delete your draft application" in text(client.get(url("application_discard")))
    response = client.post(url("application_discard"), follow=True)
    assert "has been deleted" in text(response)
    assert not ApplicationDraft.objects.exists()


def test_an_account_without_a_person_cannot_apply(client, tax):
    client.force_login(UserFactory())
    response = client.get(question("full_name"))
    assert response.status_code == 200 and "full_name" not in response.content.decode()


def test_the_data_download_includes_unsent_applications(client, ann, tax):
    household_record(ann)
    client.post(url("application_prefill"), {"use_records": "yes"})
    client.post(question("full_name"), {"full_name": "Ann Lee"})
    archive = zipfile.ZipFile(io.BytesIO(client.post(reverse("portal:download")).content))
    (draft,) = json.loads(archive.read("applications.json"))["drafts"]
    assert draft["service"] == "council-tax-reduction"
    assert draft["answers"]["full_name"] == "Ann Lee"
    assert draft["filled_in_from_records"]["address"]["owner"] == "Riverton Electoral Services"
    assert draft["consent"] == str(Consent.objects.get(person=ann).public_id)
