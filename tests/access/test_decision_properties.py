"""Property: the decision and the query filter always agree, and every permit has a basis.

Hypothesis builds small random worlds (organisations, members with random roles,
people, registers of processing, API clients limited to some purposes, agreements,
consents, records) and a random viewer and purpose. For every
record, `decide(...).permitted` must equal "the filtered queryset holds it", and each
permitted read must be explained by a basis that is checked here again, independently,
against the world's own description (not through the code under test).
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from agora.access.decisions import PERSONAL_DATA_ROLES, Basis, decide
from agora.access.filters import readable_records_filter
from agora.access.viewers import (
    anonymous_viewer,
    viewer_for_client,
    viewer_for_resident,
    viewer_for_staff,
)
from agora.organizations.models import Membership
from agora.records.models import Record
from agora.records.selectors import MAX_PAGE, records_in_category
from tests.access.conftest import category, purpose
from tests.factories import (
    AgreementFactory,
    ApiClientFactory,
    ConsentFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    PurposeDeclarationFactory,
    RecordFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2030, 6, 1, 12, 0, tzinfo=UTC)
ROLES = [role.value for role in Membership.Role]
LEVELS = ["open", "public", "internal", "restricted"]
CATEGORIES = ["housing", "health"]  # health is special
PURPOSES = ["housing-allocation", "social-care-support", "debt-advice"]  # one with Art. 9
STATUSES = ["active", "active", "active", "draft", "suspended", "ended"]  # mostly active
N_ORGS, N_PEOPLE = 2, 2  # few, so that grants and records often meet

starts = st.sampled_from([-48, -48, -1, 0, 1])  # hours from now, boundaries included
ends = st.sampled_from([-1, 0, 1, 48, 48])
subset = st.sets


@dataclass
class AgreementSpec:
    provider: int
    recipient: int
    status: str
    start: int
    end: int
    categories: frozenset
    purposes: frozenset
    fields: tuple


@dataclass
class DeclarationSpec:
    org: int
    purpose: str
    categories: frozenset
    status: str


@dataclass
class ConsentSpec:
    person: int
    recipient: int
    categories: frozenset
    purpose: str
    given: int
    expires: int
    withdrawn: bool


@dataclass
class RecordSpec:
    owner: int
    subject: int | None
    level: str
    category: str
    roles: frozenset


org = st.integers(0, N_ORGS - 1)
person = st.integers(0, N_PEOPLE - 1)
declarations = st.builds(
    DeclarationSpec,
    org=org,
    purpose=st.sampled_from(PURPOSES),
    # Mostly both categories, so that declarations often meet grants and records.
    categories=st.sampled_from([frozenset(CATEGORIES)] * 3 + [frozenset({c}) for c in CATEGORIES]),
    # Mostly approved: only approved declarations count.
    status=st.sampled_from(["approved", "approved", "approved", "proposed", "withdrawn"]),
)
# Per organisation, the purposes its API client is limited to (empty: all declared).
client_limits = st.lists(subset(st.sampled_from(PURPOSES), max_size=2).map(frozenset),
                         min_size=N_ORGS, max_size=N_ORGS)
agreements = st.builds(
    AgreementSpec,
    provider=org,
    recipient=org,
    status=st.sampled_from(STATUSES),
    start=starts,
    end=ends,
    categories=subset(st.sampled_from(CATEGORIES), min_size=1).map(frozenset),
    purposes=subset(st.sampled_from(PURPOSES), min_size=1).map(frozenset),
    fields=st.lists(st.sampled_from(["name", "status", "notes"]), min_size=1, unique=True).map(
        tuple
    ),
)
consents = st.builds(
    ConsentSpec,
    person=person,
    recipient=org,
    categories=subset(st.sampled_from(CATEGORIES), min_size=1).map(frozenset),
    purpose=st.sampled_from(PURPOSES),
    given=starts,
    expires=ends,
    withdrawn=st.sampled_from([False, False, True]),
)
# One record for every owner, subject (or none) and category, so that every grant meets
# records; what varies is each record's classification and named roles.
SLOTS = [
    (owner, subject, code)
    for owner in range(N_ORGS)
    for subject in [None, *range(N_PEOPLE)]
    for code in CATEGORIES
]
records = st.lists(
    st.tuples(
        st.sampled_from(LEVELS),
        subset(st.sampled_from([*ROLES, "ADMIN"]), max_size=3).map(frozenset),
    ),
    min_size=len(SLOTS),
    max_size=len(SLOTS),
).map(
    lambda levels: [
        RecordSpec(owner, subject, level, code, roles)
        for (owner, subject, code), (level, roles) in zip(SLOTS, levels, strict=True)
    ]
)
members = st.lists(
    st.tuples(org, subset(st.sampled_from(ROLES), min_size=1, max_size=3)),
    min_size=1,
    max_size=4,
)


@dataclass
class World:
    orgs: list
    people: list
    records: dict  # Record -> RecordSpec
    agreement_specs: list
    consent_specs: list
    declaration_specs: list  # the ones written (one approved, one proposed at most)
    client_limits: list


def build(members_spec, agreement_specs, consent_specs, record_specs,
          declaration_specs=(), limits=None):
    orgs = [OrganizationFactory() for _ in range(N_ORGS)]
    written, taken = [], set()
    for spec in declaration_specs:
        key = (spec.org, spec.purpose, spec.status)
        if spec.status != "withdrawn" and key in taken:
            continue  # the register holds one approved and one proposed at most
        taken.add(key)
        PurposeDeclarationFactory(
            organization=orgs[spec.org], purpose=purpose(spec.purpose), status=spec.status,
            categories=[category(code) for code in spec.categories],
            special_condition="9.2.h" if "health" in spec.categories else "",
        )
        written.append(spec)
    people = [PersonFactory(user=UserFactory()) for _ in range(N_PEOPLE)]
    staff = []
    for org_index, roles in members_spec:
        user = UserFactory()
        for role in sorted(roles):
            MembershipFactory(user=user, organization=orgs[org_index], role=role)
        staff.append((user, orgs[org_index], roles))
    for spec in agreement_specs:
        AgreementFactory(
            provider=orgs[spec.provider],
            recipient=orgs[spec.recipient],
            status=spec.status,
            valid_from=NOW + timedelta(hours=spec.start),
            valid_to=NOW + timedelta(hours=spec.end),
            categories=[category(code) for code in spec.categories],
            purposes=[purpose(code) for code in spec.purposes],
            fields_allowed=list(spec.fields),
        )
    for spec in consent_specs:
        ConsentFactory(
            person=people[spec.person],
            recipient=orgs[spec.recipient],
            categories=[category(code) for code in spec.categories],
            purpose=purpose(spec.purpose),
            given_at=NOW + timedelta(hours=spec.given),
            expires_at=NOW + timedelta(hours=spec.expires),
            withdrawn_at=NOW - timedelta(hours=1) if spec.withdrawn else None,
        )
    built = {}
    for spec in record_specs:
        record = RecordFactory(
            owner=orgs[spec.owner],
            subject=None if spec.subject is None else people[spec.subject],
            classification=spec.level,
            category=category(spec.category),
            restricted_roles=sorted(spec.roles),
        )
        built[record] = spec
    limits = list(limits) if limits is not None else [frozenset()] * N_ORGS
    return World(orgs, people, built, agreement_specs, consent_specs, written, limits), staff


def every_viewer(world, staff):
    """Yield every kind of viewer in the world with its plain description for `check_basis`."""
    yield None, None
    yield anonymous_viewer(), None
    for index, person in enumerate(world.people):
        yield viewer_for_resident(person.user), ("resident", index)
    for user, organization, roles in staff:
        index = world.orgs.index(organization)
        yield viewer_for_staff(user, organization), ("staff", index, frozenset(roles))
    for index, organization in enumerate(world.orgs):
        yield viewer_for_client(ApiClientFactory(organization=organization)), ("client", index)
        limited = ApiClientFactory(organization=organization,
                                   purposes=sorted(world.client_limits[index]))
        yield viewer_for_client(limited), ("client", index, world.client_limits[index])


def check_basis(decision, spec: RecordSpec, who, purpose_code, world):
    """Assert, from the world's description alone, that the permit's basis really holds."""
    kind = who[0] if who else "anonymous"
    org_index = who[1] if kind in ("staff", "client") else None
    roles = who[2] if kind == "staff" else frozenset()
    restricted = spec.level == "restricted"
    basis = decision.basis
    if spec.subject is None:
        if basis == Basis.PUBLIC:
            assert spec.level in ("open", "public")
        elif basis == Basis.OWNER_STAFF:
            assert kind == "staff" and org_index == spec.owner
            assert spec.level == "internal" or roles & spec.roles
        else:
            assert basis == Basis.OWNER_CLIENT
            assert kind == "client" and org_index == spec.owner and spec.level == "internal"
        return
    if basis == Basis.OWN_DATA:
        assert who == ("resident", spec.subject)
        return
    assert purpose_code is not None, "personal data read without a purpose"
    assert any(
        d.org == org_index and d.purpose == purpose_code and d.status == "approved"
        and spec.category in d.categories
        for d in world.declaration_specs
    ), "personal data read for a purpose the organisation has not declared for it"
    if kind == "client" and len(who) > 2 and who[2]:
        assert purpose_code in who[2], "a limited client acted for another purpose"
    if basis == Basis.STAFF_ROLE:
        allowed = roles & PERSONAL_DATA_ROLES
        assert kind == "staff" and org_index == spec.owner and allowed
        assert not restricted or allowed & spec.roles
        return
    if basis == Basis.OWNER_CLIENT:
        assert kind == "client" and org_index == spec.owner and not restricted
        return
    assert not restricted, "restricted personal record shared outside the owner"
    assert kind == "client" or roles & PERSONAL_DATA_ROLES
    if basis == Basis.CONSENT:
        assert any(
            c.person == spec.subject
            and c.recipient == org_index
            and spec.category in c.categories
            and c.purpose == purpose_code
            and c.given <= 0 < c.expires
            and not c.withdrawn
            for c in world.consent_specs
        ), "consent basis without a matching consent"
        assert decision.legal_basis == "6.1.a"
        return
    assert basis == Basis.AGREEMENT, f"unknown basis {basis!r}"
    matching = [
        a
        for a in world.agreement_specs
        if a.provider == spec.owner
        and a.recipient == org_index
        and a.status == "active"
        and a.start <= 0 < a.end
        and spec.category in a.categories
        and purpose_code in a.purposes
    ]
    assert matching, "agreement basis without a matching active, in-date agreement"
    if spec.category == "health":
        assert purpose_code == "social-care-support"
    assert decision.fields_allowed in {a.fields for a in matching}


# Random worlds (members, agreements, consents, records) and a purpose, for both tests.
WORLDS = {
    "members_spec": members,
    "declaration_specs": st.lists(declarations, min_size=2, max_size=8),
    "limits": client_limits,
    "agreement_specs": st.lists(agreements, min_size=1, max_size=4),
    "consent_specs": st.lists(consents, min_size=1, max_size=4),
    "record_specs": records,
    "purpose_code": st.sampled_from([None, *PURPOSES]),
}


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(**WORLDS)
def test_decision_and_filter_agree(
    db, members_spec, declaration_specs, limits, agreement_specs, consent_specs, record_specs,
    purpose_code
):
    with transaction.atomic():
        world, staff = build(members_spec, agreement_specs, consent_specs, record_specs,
                             declaration_specs, limits)
        reason = None if purpose_code is None else purpose(purpose_code)
        for viewer, who in every_viewer(world, staff):
            check_viewer(viewer, who, reason, world)
        transaction.set_rollback(True)


def check_viewer(viewer, who, reason, world):
    kept = set(
        Record.objects.filter(readable_records_filter(viewer=viewer, purpose=reason, now=NOW))
    )
    for record, spec in world.records.items():
        decision = decide(viewer=viewer, record=record, purpose=reason, now=NOW)
        assert decision.permitted == (record in kept), (who, spec, decision.reason)
        if decision.permitted:
            assert viewer is not None
            check_basis(decision, spec, who, reason and reason.code, world)
            event(f"permit {decision.basis}")
        else:
            assert decision.reason


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(**WORLDS)
def test_decision_and_one_subject_filter_agree(
    db, members_spec, declaration_specs, limits, agreement_specs, consent_specs, record_specs,
    purpose_code
):
    """With `subject=`, and in a query already narrowed to one person (which the filter
    then writes for that person alone), the filter keeps exactly that person's records
    `decide` permits."""
    with transaction.atomic():
        world, staff = build(members_spec, agreement_specs, consent_specs, record_specs,
                             declaration_specs, limits)
        reason = None if purpose_code is None else purpose(purpose_code)
        for viewer, who in every_viewer(world, staff):
            rule = readable_records_filter(viewer=viewer, purpose=reason, now=NOW)
            for subject in world.people:
                kept = set(Record.objects.filter(readable_records_filter(
                    viewer=viewer, purpose=reason, now=NOW, subject=subject)))
                narrowed = set(Record.objects.filter(subject=subject).filter(rule))
                for record, spec in world.records.items():
                    decision = decide(viewer=viewer, record=record, purpose=reason, now=NOW)
                    about = record.subject_id == subject.pk
                    assert (decision.permitted and about) == (record in kept), (
                        who, spec, decision.reason)
                    assert (decision.permitted and about) == (record in narrowed), (
                        who, spec, decision.reason, "narrowed")
        transaction.set_rollback(True)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(**WORLDS)
def test_decision_and_category_listing_agree(
    db, members_spec, declaration_specs, limits, agreement_specs, consent_specs, record_specs,
    purpose_code
):
    """The category listing, which gathers its candidates by route (own organisation,
    about no one, own person, each granting provider, consenting people) before the filter,
    lists exactly the records of the category `decide` permits, newest first."""
    with transaction.atomic():
        world, staff = build(members_spec, agreement_specs, consent_specs, record_specs,
                             declaration_specs, limits)
        reason = None if purpose_code is None else purpose(purpose_code)
        categories = {record.category for record in world.records}
        for viewer, who in every_viewer(world, staff):
            for listed_category in categories:
                page = records_in_category(viewer=viewer, purpose=reason,
                                           category=listed_category, limit=MAX_PAGE, now=NOW)
                permitted = {
                    record.pk for record in world.records
                    if record.category == listed_category
                    and decide(viewer=viewer, record=record, purpose=reason, now=NOW).permitted
                }
                assert {item.record.pk for item in page.items} == permitted, (who, reason)
                stamps = [(item.record.updated_at, item.record.pk) for item in page.items]
                assert stamps == sorted(stamps, reverse=True)
        transaction.set_rollback(True)
