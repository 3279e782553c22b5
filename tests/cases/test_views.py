"""The console's request pages and the resident's "Your requests", through Django's client."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from agora.cases.models import CaseEvent
from agora.cases.services import case_create, case_document_request, case_refer
from agora.organizations.models import Membership
from tests.cases.helpers import service_make
from tests.console.test_views import error_summary, sign_in
from tests.factories import MembershipFactory, OrganizationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%test\n"


@pytest.fixture
def council():
    return OrganizationFactory(slug="riverton-council", name="Riverton Council")


@pytest.fixture
def caseworker(council):
    return MembershipFactory(organization=council, role=Membership.Role.CASEWORKER).user


@pytest.fixture
def ann():
    user = UserFactory(email="ann@example.org")
    PersonFactory(user=user, given_name="Ann", family_name="Lee")
    return user


def _request(ann, service, **kwargs):
    from agora.access.viewers import viewer_for_resident

    return case_create(viewer=viewer_for_resident(ann), service=service, **kwargs)


def test_the_queue_lists_by_deadline_with_counts_and_an_overdue_filter(client, council,
                                                                       caseworker, ann):
    soon = service_make(council, name="Blue badge", target_days=5)
    later = service_make(council, name="Housing register", target_days=40)
    late = _request(ann, soon, now=timezone.now() - timedelta(days=10))
    far = _request(ann, later)
    near = _request(ann, soon)
    sign_in(client, caseworker)
    page = client.get("/console/organisations/riverton-council/requests/")
    html = page.content.decode()
    assert page.status_code == 200
    order = [html.index(f">{case.reference}<") for case in (late, near, far)]
    assert order == sorted(order)
    assert "Overdue</strong>" in html and 'id="overdue-count">1<' in html
    overdue = client.get("/console/organisations/riverton-council/requests/?overdue=on")
    assert "1 request, overdue" in overdue.content.decode()


def test_a_caseworker_changes_status_and_a_stale_form_shows_an_error(client, council,
                                                                     caseworker, ann):
    case = _request(ann, service_make(council))
    sign_in(client, caseworker)
    url = f"/console/organisations/riverton-council/requests/{case.reference}/status"
    done = client.post(url, {"status": "in-progress", "note": "Looking", "version": 1},
                       follow=True)
    assert "Status changed to “In progress”" in done.content.decode()
    stale = client.post(url, {"status": "approved", "version": 1})
    assert stale.status_code == 200
    assert "is now at version 2" in error_summary(stale)


def test_an_empty_message_is_refused_on_the_page(client, council, caseworker, ann):
    case = _request(ann, service_make(council))
    sign_in(client, caseworker)
    url = f"/console/organisations/riverton-council/requests/{case.reference}/message"
    response = client.post(url, {"text": ""})
    assert "Enter message" in error_summary(response)
    assert CaseEvent.objects.filter(case=case).count() == 1


def test_another_organisations_request_is_a_404_page(client, council, ann):
    case = _request(ann, service_make(council))
    other = MembershipFactory(role=Membership.Role.CASEWORKER)
    sign_in(client, other.user)
    response = client.get(
        f"/console/organisations/{other.organization.slug}/requests/{case.reference}/")
    assert response.status_code == 404


def test_your_requests_shows_status_next_step_deadline_and_overdue(client, council, ann):
    _request(ann, service_make(council, name="Blue badge", target_days=5),
             now=timezone.now() - timedelta(days=10))
    client.force_login(ann)
    html = client.get("/requests/").content.decode()
    assert "Blue badge" in html and "We have received your request." in html
    assert "it is overdue" in html and 'id="overdue-warning"' in html


def test_the_resident_replies_and_sends_a_requested_document(client, council, caseworker, ann):
    from agora.access.viewers import viewer_for_staff

    case = _request(ann, service_make(council))
    case_document_request(viewer=viewer_for_staff(caseworker, council),
                          reference=case.reference, document_name="Proof of income")
    client.force_login(ann)
    url = f"/requests/{case.reference}/"
    page = client.get(url).content.decode()
    assert "Send Proof of income" in page
    wrong = client.post(url, {"form": "document", "document": SimpleUploadedFile(
        "run.exe", b"MZ\x90\x00", content_type="application/pdf")})
    assert "must be a PDF, JPEG or PNG" in wrong.content.decode()
    sent = client.post(url, {"form": "document", "document": SimpleUploadedFile(
        "income.pdf", PDF, content_type="application/pdf")}, follow=True)
    assert "“income.pdf” has been sent." in sent.content.decode()
    replied = client.post(url, {"form": "reply", "text": "Thanks"}, follow=True)
    assert "Your reply has been sent." in replied.content.decode()
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds[-2:] == ["document-supplied", "message-in"]
    assert CaseEvent.objects.get(kind="document-requested").fulfilled_at is not None


def test_the_resident_agrees_to_a_referral_and_the_request_moves(client, council,
                                                                  caseworker, ann):
    from agora.access.viewers import viewer_for_staff

    case = _request(ann, service_make(council))
    food_bank = OrganizationFactory(name="Riverton Food Bank")
    case_refer(viewer=viewer_for_staff(caseworker, council), reference=case.reference,
               to_organization=food_bank, reason="They give emergency food.")
    client.force_login(ann)
    url = f"/requests/{case.reference}/"
    assert "Pass your request to Riverton Food Bank?" in client.get(url).content.decode()
    done = client.post(url, {"form": "referral", "answer": "yes"}, follow=True)
    assert "passed to Riverton Food Bank" in done.content.decode()
    case.refresh_from_db()
    assert case.organization == food_bank
    sign_in(client, caseworker)
    gone = client.get(f"/console/organisations/riverton-council/requests/{case.reference}/")
    assert gone.status_code == 404


def test_someone_elses_request_is_not_found_on_the_portal(client, council, ann):
    case = _request(ann, service_make(council))
    stranger = UserFactory()
    PersonFactory(user=stranger)
    client.force_login(stranger)
    assert client.get(f"/requests/{case.reference}/").status_code == 404
