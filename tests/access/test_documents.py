"""The read rule for hub documents: the decision, the ORM filter and the SQL always agree."""

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agora.access.documents import (
    DocumentReader,
    anonymous_reader,
    document_readable,
    readable_documents_q,
    readable_documents_sql,
    reader_for_client,
    reader_for_user,
    roles_pack,
)
from agora.content.models import Document
from tests.factories import ApiClientFactory, MembershipFactory, OrganizationFactory

LEVELS = ["open", "public", "internal", "restricted", "secret"]
ROLES = ["admin", "caseworker", "publisher", "analyst", "dpo"]


@pytest.fixture
def world(db):
    owners = [OrganizationFactory(slug=f"org{n}") for n in range(3)]
    documents = []
    for owner in owners:
        for level in LEVELS:
            for roles in ([], ["caseworker"], ["dpo", "admin"]):
                documents.append(Document.objects.create(
                    owner=owner, source_key=f"{level}-{'-'.join(roles)}", title="x",
                    classification=level, restricted_roles=roles_pack(roles)))
    return owners, documents


readers = st.one_of(
    st.none(),
    st.just(anonymous_reader()),
    st.builds(
        DocumentReader,
        staff=st.dictionaries(st.sampled_from([0, 1, 2]),
                              st.frozensets(st.sampled_from(ROLES)), max_size=3),
        client_organization=st.one_of(st.none(), st.sampled_from([0, 1, 2])),
    ),
)


def _with_ids(reader, owners):
    """Map the drawn organisation indexes to the world's ids."""
    if reader is None:
        return None
    return DocumentReader(
        staff={owners[index].pk: roles for index, roles in reader.staff.items()},
        client_organization=(owners[reader.client_organization].pk
                             if reader.client_organization is not None else None),
    )


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drawn=readers)
def test_the_decision_the_filter_and_the_sql_agree(world, drawn):
    owners, documents = world
    reader = _with_ids(drawn, owners)
    decided = {d.pk for d in documents if document_readable(
        reader, owner_id=d.owner_id, classification=d.classification,
        restricted_roles=d.restricted_roles)}
    filtered = set(Document.objects.filter(readable_documents_q(reader))
                   .values_list("pk", flat=True))
    condition, params = readable_documents_sql(
        reader, owner="owner_id", classification="classification", roles="restricted_roles")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM content_document WHERE {condition}", params)
        selected = {row[0] for row in cursor.fetchall()}
    assert decided == filtered == selected


def test_the_rule_in_words(world):
    owners, documents = world
    by_key = {(d.owner_id, d.source_key): d for d in documents}

    def readable(reader, owner, key):
        d = by_key[(owner.pk, key)]
        return document_readable(reader, owner_id=d.owner_id, classification=d.classification,
                                 restricted_roles=d.restricted_roles)

    a, b = owners[0], owners[1]
    assert readable(anonymous_reader(), a, "public-") and readable(anonymous_reader(), a, "open-")
    assert not readable(anonymous_reader(), a, "internal-")
    assert not readable(None, a, "public-")
    member = MembershipFactory(organization=a, role="publisher").user
    assert readable(reader_for_user(member), a, "internal-")
    assert not readable(reader_for_user(member), b, "internal-")
    assert not readable(reader_for_user(member), a, "restricted-caseworker")
    caseworker = MembershipFactory(organization=a, role="caseworker").user
    assert readable(reader_for_user(caseworker), a, "restricted-caseworker")
    assert not readable(reader_for_user(caseworker), a, "secret-caseworker")  # fail closed
    client = reader_for_client(ApiClientFactory(organization=a))
    assert readable(client, a, "internal-") and not readable(client, a, "restricted-caseworker")
    a.is_active = False
    a.save()
    assert not readable(reader_for_user(member), a, "internal-")
