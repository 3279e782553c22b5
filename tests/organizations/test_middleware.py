"""Members and operators must activate TOTP before they can use anything else."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agora.organizations.middleware import (
    MESSAGE,
    RequireMemberTwoFactorMiddleware,
    has_totp,
    second_factor_required,
)
from tests.factories import MembershipFactory, TotpAuthenticatorFactory, UserFactory

pytestmark = pytest.mark.django_db

ACTIVATE = reverse("mfa_activate_totp")


def signed_in(client, user):
    client.force_login(user)
    return client


def sent_to_activate(response) -> bool:
    return response.status_code == 302 and response["Location"] == ACTIVATE


@pytest.fixture
def member():
    return MembershipFactory().user


@pytest.fixture
def operator():
    return UserFactory(operator=True)


@pytest.mark.parametrize("who", ["member", "operator"])
@pytest.mark.parametrize("path", ["/", "/console/", "/django-admin/"])
def test_without_totp_every_page_sends_to_activation(client, request, who, path):
    signed_in(client, request.getfixturevalue(who))

    response = client.get(path)

    assert sent_to_activate(response)


def test_the_redirect_explains_why(client, member):
    signed_in(client, member)

    response = client.get("/")

    assert [str(m) for m in get_messages(response.wsgi_request)] == [MESSAGE]


def test_posts_are_stopped_too(client, member):
    signed_in(client, member)

    response = client.post("/console/", {"name": "x"})

    assert sent_to_activate(response)


@pytest.mark.parametrize(
    "path",
    [
        ACTIVATE,
        reverse("mfa_index"),
        reverse("account_logout"),
        reverse("account_email"),
        reverse("account_change_password"),
        reverse("account_reauthenticate"),
        "/healthz",
        "/readyz",
        "/api/v1/openapi.json",
    ],
)
def test_account_mfa_probe_api_and_static_pages_stay_open(client, member, path):
    signed_in(client, member)

    response = client.get(path)

    assert not sent_to_activate(response)


@pytest.mark.parametrize(
    ("path", "exempt"),
    [
        ("/static/agora.css", True),
        ("/healthz", True),
        ("/api/v1/anything", True),
        ("/apiary/", False),
        ("/console/static/", False),
    ],
)
def test_exemptions_go_by_path_prefix_for_views_outside_allauth(rf, member, path, exempt):
    def page(request):  # a view of this project, not of allauth
        return HttpResponse()

    request = rf.get(path)
    request.user = member
    request.session = {}
    request._messages = FallbackStorage(request)

    response = RequireMemberTwoFactorMiddleware(page).process_view(request, page, (), {})

    assert (response is None) is exempt


def test_signing_out_works_without_totp(client, member):
    signed_in(client, member)

    client.post(reverse("account_logout"))

    assert "_auth_user_id" not in client.session


def test_member_with_totp_goes_where_they_asked(client):
    user = MembershipFactory(user=UserFactory(totp=True)).user
    signed_in(client, user)

    assert not sent_to_activate(client.get("/console/"))


def test_operator_with_totp_goes_where_they_asked(client):
    signed_in(client, UserFactory(operator=True, totp=True))

    assert not sent_to_activate(client.get("/console/"))


def test_recovery_codes_alone_are_not_a_second_factor(client, member):
    Authenticator.objects.create(
        user=member, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "00", "used_mask": 0}
    )
    signed_in(client, member)

    assert sent_to_activate(client.get("/"))


def test_resident_without_membership_is_not_forced(client):
    signed_in(client, UserFactory())

    response = client.get("/")

    assert not sent_to_activate(response)
    assert response.status_code == 200


def test_resident_may_still_open_the_activation_page(client):
    signed_in(client, UserFactory())

    response = client.get(ACTIVATE)

    # allauth first asks for the password again when the sign-in is not recent.
    assert response.status_code in (200, 302)
    assert not sent_to_activate(response)


def test_anonymous_visitors_are_not_redirected_to_activation(client):
    response = client.get("/")

    assert not sent_to_activate(response)


def test_a_membership_granted_mid_session_applies_on_the_next_page(client):
    user = UserFactory()
    signed_in(client, user)
    assert not sent_to_activate(client.get("/"))

    MembershipFactory(user=user)

    assert sent_to_activate(client.get("/"))


def test_activating_totp_lifts_the_redirect(client, member):
    signed_in(client, member)
    assert sent_to_activate(client.get("/"))

    TotpAuthenticatorFactory(user=member)

    assert not sent_to_activate(client.get("/"))


def test_each_check_costs_one_query(django_assert_num_queries):
    user = UserFactory()
    with django_assert_num_queries(1):
        assert not second_factor_required(user)
    with django_assert_num_queries(1):
        assert not has_totp(user)


@pytest.mark.parametrize("is_member", [False, True])
def test_a_page_asks_about_memberships_once(client, is_member):
    """The second-factor check and the navigation's console link share one answer."""
    user = UserFactory(totp=True)
    if is_member:
        MembershipFactory(user=user)
    signed_in(client, user)

    with CaptureQueriesContext(connection) as captured:
        html = client.get("/").content.decode()

    asked = [q["sql"] for q in captured.captured_queries
             if 'FROM "organizations_membership"' in q["sql"]]
    assert len(asked) == 1
    assert (f'href="{reverse("console:dashboard")}"' in html) is is_member
