"""Selectors: agreements for their organisations' members, consents for their person."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from agora.access.selectors import (
    agreement_get,
    agreements_for_organization,
    agreements_visible,
    consent_get,
    consents_for_person,
)
from agora.access.viewers import anonymous_viewer, viewer_for_resident
from agora.core.actors import SYSTEM
from agora.core.exceptions import NotFound
from tests.factories import (
    AgreementFactory,
    ConsentFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_agreements_for_members_of_either_side(council, foodbank):
    agreement = AgreementFactory(provider=council, recipient=foodbank)
    AgreementFactory()  # between two other organisations
    member = MembershipFactory(organization=foodbank, role="caseworker").user
    assert list(agreements_for_organization(viewer=member, organization=foodbank)) == [agreement]
    assert list(agreements_visible(viewer=member)) == [agreement]
    assert agreement_get(viewer=member, public_id=str(agreement.public_id)) == agreement
    operator = UserFactory(operator=True)
    assert agreements_visible(viewer=operator).count() == 2
    assert agreements_for_organization(viewer=SYSTEM, organization=council).count() == 1


def test_outsiders_see_no_agreements_and_missing_looks_forbidden(council, foodbank):
    agreement = AgreementFactory(provider=council, recipient=foodbank)
    outsider = MembershipFactory(organization=OrganizationFactory()).user
    for viewer in (outsider, None, anonymous_viewer()):
        assert not agreements_for_organization(viewer=viewer, organization=council).exists()
        assert not agreements_visible(viewer=viewer).exists()
    with pytest.raises(NotFound) as forbidden:
        agreement_get(viewer=outsider, public_id=agreement.public_id)
    with pytest.raises(NotFound) as missing:
        agreement_get(viewer=outsider, public_id=uuid.uuid4())
    with pytest.raises(NotFound) as garbage:
        agreement_get(viewer=outsider, public_id="not-a-uuid")
    assert forbidden.value.detail == missing.value.detail == garbage.value.detail


def test_consents_for_the_person_only(foodbank):
    person = PersonFactory(user=UserFactory())
    older = ConsentFactory(person=person, given_at=timezone.now() - timedelta(days=2))
    newer = ConsentFactory(person=person)
    ConsentFactory()  # someone else's
    assert list(consents_for_person(viewer=person.user, person=person)) == [newer, older]
    assert consents_for_person(viewer=viewer_for_resident(person.user), person=person).count() == 2
    assert consent_get(viewer=person.user, person=person, public_id=older.public_id) == older
    stranger = PersonFactory(user=UserFactory())
    for viewer in (
        stranger.user,
        viewer_for_resident(stranger.user),
        None,
        anonymous_viewer(),
        MembershipFactory(organization=foodbank).user,
    ):
        assert not consents_for_person(viewer=viewer, person=person).exists()
        with pytest.raises(NotFound):
            consent_get(viewer=viewer, person=person, public_id=older.public_id)
