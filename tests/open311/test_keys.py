"""Open311 keys: issued to an organisation's API client, stored hashed, revocable."""

import hashlib
import re

import pytest
from typer.testing import CliRunner

from agora.cases.open311_keys import (
    open311_key_client,
    open311_key_issue,
    open311_key_list,
    open311_key_revoke,
)
from agora.cases.open311_models import Open311Key
from agora.cli import app
from agora.core.actors import SYSTEM
from agora.core.exceptions import InvalidInput, NotFound, PermissionDenied
from agora.organizations.models import Membership
from tests.factories import ApiClientFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
KEY = re.compile(r"o311_[0-9a-f]{8}_[A-Za-z0-9_-]{43}")


def run(*args: str):
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})


def test_a_key_is_shown_once_and_stored_only_as_its_digest():
    client = ApiClientFactory()
    _record, key = open311_key_issue(actor=SYSTEM, client=client)
    assert KEY.fullmatch(key)
    stored = Open311Key.objects.get()
    assert stored.digest == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(Open311Key.objects.values().get())
    assert open311_key_client(key) == client
    assert open311_key_client(key[:-1] + ("A" if key[-1] != "A" else "B")) is None
    assert open311_key_client("") is None


def test_revoked_keys_and_inactive_clients_stop_working():
    client = ApiClientFactory()
    record, key = open311_key_issue(actor=SYSTEM, client=client)
    open311_key_revoke(actor=SYSTEM, prefix=record.prefix)
    assert open311_key_client(key) is None
    assert open311_key_revoke(actor=SYSTEM, prefix=record.prefix).revoked_at  # again: fine

    _, other = open311_key_issue(actor=SYSTEM, client=client)
    client.is_active = False
    client.save()
    assert open311_key_client(other) is None
    with pytest.raises(InvalidInput):
        open311_key_issue(actor=SYSTEM, client=client)


def test_only_the_organisations_admins_and_operators_manage_keys():
    client = ApiClientFactory()
    admin = MembershipFactory(organization=client.organization).user
    caseworker = MembershipFactory(organization=client.organization,
                                   role=Membership.Role.CASEWORKER).user
    record, _ = open311_key_issue(actor=admin, client=client)
    with pytest.raises(PermissionDenied):
        open311_key_issue(actor=caseworker, client=client)
    with pytest.raises(PermissionDenied):
        open311_key_issue(actor=UserFactory(), client=client)
    assert list(open311_key_list(actor=caseworker, organization=client.organization)) == []
    with pytest.raises(NotFound):  # a stranger cannot even learn the key exists
        open311_key_revoke(actor=UserFactory(), prefix=record.prefix)
    assert open311_key_revoke(actor=UserFactory(operator=True), prefix=record.prefix).revoked_at


def test_the_command_line_issues_lists_and_revokes():
    client = ApiClientFactory(name="Fix My Street Riverton")
    slug = client.organization.slug
    created = run("open311", "key", "create", "--org", slug)
    assert created.exit_code == 0, created.output
    key = KEY.search(created.output)[0]
    assert open311_key_client(key) == client
    prefix = Open311Key.objects.get().prefix

    listed = run("open311", "key", "list", "--org", slug)
    assert prefix in listed.output and "active" in listed.output
    assert key not in listed.output

    revoked = run("open311", "key", "revoke", prefix)
    assert revoked.exit_code == 0 and "Revoked" in revoked.output
    assert open311_key_client(key) is None
    assert "revoked" in run("open311", "key", "list", "--org", slug).output


def test_the_command_line_names_the_problem():
    client = ApiClientFactory(name="One")
    ApiClientFactory(organization=client.organization, name="Two")
    slug = client.organization.slug
    several = run("open311", "key", "create", "--org", slug)
    assert several.exit_code == 2 and "--client" in several.stderr
    assert run("open311", "key", "create", "--org", slug, "--client", "Two").exit_code == 0
    missing = run("open311", "key", "create", "--org", slug, "--client", "Three")
    assert missing.exit_code == 2 and "agora apiclient create" in missing.stderr
    assert run("open311", "key", "create", "--org", "nope").exit_code == 2
    assert run("open311", "key", "revoke", "deadbeef").exit_code == 2
