"""Adding, changing and withdrawing services: checked in full, logged, providers only."""

import pytest

from agora.audit.models import LogEntry
from agora.catalog.eligibility import InvalidRule
from agora.catalog.formschema import InvalidFormSchema
from agora.catalog.models import Service
from agora.catalog.services import service_create, service_update, service_withdraw
from agora.core.exceptions import Conflict, InvalidInput, NotFound, PermissionDenied
from agora.organizations.models import Membership
from tests.catalog.helpers import FORM, RULE, add_service
from tests.factories import MembershipFactory


def test_a_publisher_adds_a_service_with_topics_rule_and_form_and_it_is_logged(council):
    publisher = MembershipFactory(organization=council, role=Membership.Role.PUBLISHER).user
    service = service_create(
        actor=publisher, provider=council, code="school-uniform-grant",
        topics=["schools"], details={"name": "School uniform grant", "status": "published",
                                     "eligibility_rule": RULE, "form_schema": FORM,
                                     "target_days": 10, "cost": ""},
    )
    assert [t.slug for t in service.topics.all()] == ["schools"]
    entry = LogEntry.objects.get(action="service.publish")
    assert (entry.organization, entry.resource_id, entry.actor_label) == (
        "council", str(service.public_id), publisher.email)
    assert "School uniform grant" in entry.reason


@pytest.mark.parametrize(("rule", "says"), [
    ({"and": [{"frobnicate": [1, 2]}]}, "“frobnicate” is not a JSON Logic operator"),
    ({">=": [{"var": "shoe_size"}, 9]}, "No question asks for shoe_size"),
    ({"map": [[1], {"var": ""}]}, "“map” works on lists"),
    ({"==": [1, 1], "<": [1, 2]}, "exactly one operator"),
    (True, "must be a JSON Logic operation"),
])
def test_a_rule_that_cannot_be_checked_is_refused_and_nothing_is_saved(council, rule, says):
    with pytest.raises(InvalidRule) as refused:
        add_service(council, "bad-rule", rule=rule)
    assert says in refused.value.detail
    assert not Service.objects.exists()
    assert not LogEntry.objects.filter(action="service.publish").exists()


@pytest.mark.parametrize(("form", "says"), [
    ({"type": "object", "properties": {"a": {"type": "strin"}}}, "not a valid JSON Schema"),
    ({"type": "object", "properties": {"a": {"maxLength": 3}}}, "“a” needs a type"),
    ({"type": "array"}, "must be {\"type\": \"object\"}"),
    ({"type": "object", "properties": {"a": {"type": "string"}}, "required": ["b"]},
     "Required fields that the form does not have: b"),
])
def test_a_form_that_is_not_a_valid_json_schema_is_refused(council, form, says):
    with pytest.raises(InvalidFormSchema) as refused:
        add_service(council, "bad-form", form=form)
    assert says in refused.value.detail
    assert not Service.objects.exists()


def test_unknown_topics_bad_codes_and_taken_codes_are_refused(council, foodbank):
    with pytest.raises(InvalidInput, match="Unknown topic: nowhere"):
        add_service(council, "x", topics=["nowhere"])
    with pytest.raises(InvalidInput, match="slug"):
        add_service(council, "Not A Slug!")
    with pytest.raises(InvalidInput, match="reserved"):
        add_service(council, "questions")
    add_service(council, "pothole")
    with pytest.raises(Conflict, match="already used"):
        add_service(foodbank, "pothole")
    assert Service.objects.count() == 1


def test_only_the_providers_publishers_and_admins_add_services(council):
    caseworker = MembershipFactory(organization=council, role=Membership.Role.CASEWORKER).user
    with pytest.raises(PermissionDenied):
        service_create(actor=caseworker, provider=council, code="x", details={"name": "X"})
    assert not Service.objects.exists()


def test_another_organisations_service_cannot_be_changed_as_if_it_did_not_exist(
        council, foodbank):
    service = add_service(council, "pothole", "Report a pothole")
    stranger = MembershipFactory(organization=foodbank, role=Membership.Role.ADMIN).user
    with pytest.raises(NotFound):
        service_update(actor=stranger, service=service, changes={"name": "Mine now"})
    service.refresh_from_db()
    assert service.name == "Report a pothole"


def test_a_change_and_a_withdrawal_are_logged_and_a_bad_change_leaves_nothing(council):
    admin = MembershipFactory(organization=council, role=Membership.Role.ADMIN).user
    service = add_service(council, "pothole", "Report a pothole")
    service_update(actor=admin, service=service, changes={"target_days": 5},
                   topics=["report-a-street-problem"])
    with pytest.raises(InvalidRule):
        service_update(actor=admin, service=service, changes={
            "name": "Renamed", "eligibility_rule": {"bogus": []}})
    service.refresh_from_db()
    assert (service.name, service.target_days) == ("Report a pothole", 5)
    service_withdraw(actor=admin, service=service)
    actions = list(LogEntry.objects.filter(resource_type="service").values_list(
        "action", flat=True))
    assert actions == ["service.publish", "service.change", "service.withdraw"]
    assert Service.objects.get().status == "withdrawn"
