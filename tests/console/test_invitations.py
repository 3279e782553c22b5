"""Inviting a new member: the mail goes out after commit, with allauth's set-password link."""

import re
from unittest import mock

import pytest
from allauth.account.forms import UserTokenForm
from django.db import transaction

from agora.console.invitations import invitation_url, member_invite
from agora.core.exceptions import PermissionDenied
from agora.organizations.models import Membership
from agora.people.models import User
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organization():
    return OrganizationFactory(name="Riverton Council", slug="riverton")


@pytest.fixture
def admin(organization):
    return MembershipFactory(organization=organization, role="admin").user


def test_invitation_url_carries_a_valid_allauth_reset_key():
    user = UserFactory(password=None)
    url = invitation_url(user)
    uidb36, key = re.search(r"/accounts/password/reset/key/([0-9a-z]+)-(.+)/$", url).groups()
    assert url.startswith("http://testserver/")
    form = UserTokenForm(data={"uidb36": uidb36, "key": key})
    assert form.is_valid(), form.errors
    assert form.reset_user == user


def test_new_account_is_invited_after_commit(
    organization, admin, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        membership, created = member_invite(
            actor=admin, organization=organization, email="new@example.org", role="caseworker"
        )
        assert mailoutbox == []  # nothing leaves before the transaction commits
    assert created
    assert len(callbacks) == 1
    callbacks[0]()

    [mail] = mailoutbox
    assert mail.to == ["new@example.org"]
    assert mail.subject.startswith("[Agora] ")
    assert "Riverton Council" in mail.body
    assert "caseworker" in mail.body
    assert invitation_url(membership.user).rsplit("/", 2)[0] in mail.body


def test_existing_account_gets_no_invitation(
    organization, admin, mailoutbox, django_capture_on_commit_callbacks
):
    existing = UserFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _, created = member_invite(
            actor=admin, organization=organization, email=existing.email, role="analyst"
        )
    assert not created
    assert callbacks == []
    assert mailoutbox == []


def test_no_mail_when_the_change_is_rolled_back(
    organization, admin, mailoutbox, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        member_invite(actor=admin, organization=organization, email="gone@example.org", role="dpo")
        raise RuntimeError("something later failed")
    assert not User.objects.filter(email="gone@example.org").exists()
    assert mailoutbox == []


def test_a_mail_failure_does_not_undo_the_membership(
    organization, admin, django_capture_on_commit_callbacks, caplog
):
    with (
        mock.patch(
            "agora.console.invitations.EmailMultiAlternatives.send",
            side_effect=ConnectionRefusedError("mail server down"),
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        membership, created = member_invite(
            actor=admin, organization=organization, email="new@example.org", role="dpo"
        )
    assert created
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert "mail server down" in caplog.text


def test_refused_invitation_creates_nothing(organization, mailoutbox):
    outsider = MembershipFactory(role="admin").user
    with pytest.raises(PermissionDenied):
        member_invite(actor=outsider, organization=organization, email="x@example.org", role="dpo")
    assert not User.objects.filter(email="x@example.org").exists()
    assert mailoutbox == []


@pytest.mark.django_db
def test_an_invited_member_who_sets_a_password_signs_in_without_a_second_mail(
    client, mailoutbox
):
    """Setting the first password through the invitation proves the address."""
    from allauth.account.models import EmailAddress

    from agora.console.invitations import invitation_url
    from agora.core.actors import SYSTEM
    from agora.organizations.services import membership_add
    from tests.factories import OrganizationFactory

    organization = OrganizationFactory()
    membership, created = membership_add(
        actor=SYSTEM, organization=organization, email="new.member@example.org", role="caseworker"
    )
    assert created
    link = invitation_url(membership.user).removeprefix("http://testserver")
    form_page = client.get(link, follow=True)
    password = "a-long-new-password-77"
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"password1": password, "password2": password},
    )
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=membership.user).verified is True
    mailoutbox.clear()
    client.logout()
    response = client.post(
        "/accounts/login/", {"login": "new.member@example.org", "password": password}
    )
    assert response.status_code == 302
    assert "confirm-email" not in response.url
    assert mailoutbox == []
