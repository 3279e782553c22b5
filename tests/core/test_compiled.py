"""A read compiled once gives what the queryset gives, for every key, without compiling."""

import uuid
from unittest import mock

import pytest
from django.db.models.sql.compiler import SQLCompiler

from agora.core.compiled import CompiledRead
from agora.organizations.models import ApiClient, Membership
from tests.factories import ApiClientFactory, MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def _active_client(key):
    return (ApiClient.objects.select_related("organization")
            .filter(client_id=key, is_active=True, organization__is_active=True)[:1])


READ = CompiledRead(ApiClient, _active_client, fields=("client_id",),
                    stand_ins=((uuid.UUID(int=1),), (uuid.UUID(int=2),)))


def _fields(instance) -> dict:
    return {key: value for key, value in vars(instance).items() if not key.startswith("_")}


def test_the_same_rows_as_the_queryset_with_their_related_rows():
    clients = [ApiClientFactory(), ApiClientFactory(organization=OrganizationFactory())]
    for client in clients:
        expected = next(iter(_active_client(client.client_id)))

        found = READ.first(client.client_id)

        assert _fields(found) == _fields(expected)
        assert _fields(found.organization) == _fields(expected.organization)
        assert found._state.adding is False and found._state.db == "default"


def test_no_row_and_a_filtered_out_row_give_none():
    hidden = ApiClientFactory(organization=OrganizationFactory(is_active=False))

    assert READ.first(uuid.uuid4()) is None
    assert READ.first(hidden.client_id) is None


def test_after_the_first_call_nothing_is_compiled_again(django_assert_num_queries):
    client = ApiClientFactory()
    READ.first(client.client_id)

    with mock.patch.object(SQLCompiler, "as_sql", side_effect=AssertionError), \
            django_assert_num_queries(1):
        assert READ.first(client.client_id).pk == client.pk


def test_a_queryset_whose_key_is_not_one_exact_parameter_is_refused():
    twice = CompiledRead(Membership, lambda key: Membership.objects.filter(
        role=key, organization__slug=key)[:1], fields=("role",),
        stand_ins=(("admin",), ("dpo",)))
    MembershipFactory()

    with pytest.raises(ValueError, match="appear once"):
        twice.first("admin")
