"""The resident turns the emails about their requests on and off, per request and by default."""

import pytest

from agora.access.viewers import viewer_for_resident
from agora.cases.services import case_create
from agora.notifications.residents import email_wanted
from tests.cases.helpers import service_make
from tests.console.test_views import success_banner
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ann():
    user = UserFactory(email="ann@example.org")
    PersonFactory(user=user, email=user.email)
    return user


def test_stop_and_restart_emails_about_one_request(client, ann):
    case = case_create(viewer=viewer_for_resident(ann), service=service_make())
    client.force_login(ann)
    page = client.get(f"/requests/{case.reference}/").content.decode()
    assert "Stop emails about this request" in page
    response = client.post(f"/requests/{case.reference}/emails", {"emails": "off"}, follow=True)
    assert "We will not email you about this request." in success_banner(response)
    assert "Email me when this request changes" in response.content.decode()
    assert not email_wanted(ann.person, case.public_id)
    assert email_wanted(ann.person, None)  # the default is untouched


def test_someone_elses_request_cannot_be_changed(client, ann):
    case = case_create(viewer=viewer_for_resident(ann), service=service_make())
    other = UserFactory()
    PersonFactory(user=other)
    client.force_login(other)
    assert client.post(f"/requests/{case.reference}/emails", {"emails": "off"}).status_code == 404
    assert email_wanted(ann.person, case.public_id)


def test_the_default_is_chosen_on_the_account_page(client, ann):
    client.force_login(ann)
    assert "Stop emails about my requests" in client.get("/account/").content.decode()
    response = client.post("/account/emails/", {"emails": "off"}, follow=True)
    assert "We will not email you when your requests change." in success_banner(response)
    assert not email_wanted(ann.person, None)
