"""Record writes: permitted or refused by the one decision, one log entry each, all or nothing."""

import uuid

import pytest

from agora.access.viewers import anonymous_viewer
from agora.audit.models import LogEntry
from agora.core.actors import SYSTEM
from agora.core.exceptions import InvalidInput, NotFound, PermissionDenied
from agora.records import services
from agora.records.exceptions import NOTHING_FOUND_DETAIL, ExternalRefTaken, UnknownPurpose
from agora.records.models import Record
from tests.factories import PersonFactory
from tests.records.helpers import (
    BENEFIT_FIELDS,
    client_viewer,
    last_entries,
    log_count,
    make_record,
    purpose,
    staff_viewer,
)

PURPOSE = "benefit-assessment"


def create(viewer, person, **overrides):
    arguments = dict(
        viewer=viewer, purpose=purpose(PURPOSE), subject=person, category="income-and-benefits",
        title="Universal Credit", fields=dict(BENEFIT_FIELDS),
    )
    arguments.update(overrides)
    return services.record_create(**arguments)


# ------------------------------------------------------------------ create


def test_owner_client_creates_a_record_with_one_permit_entry(benefits, person):
    viewer = client_viewer(benefits, on_behalf_of="caseworker:17")
    before = log_count()
    record = create(viewer, person, external_ref="BA-1")
    assert record.owner == benefits and record.subject == person
    assert record.fields == BENEFIT_FIELDS
    assert log_count() == before + 1
    (entry,) = last_entries(1)
    assert (entry.action, entry.decision, entry.actor_kind) == ("record.create", "permit", "client")
    assert entry.actor_id == str(viewer.client.client_id)
    assert entry.organization == "benefits" and entry.on_behalf_of == "caseworker:17"
    assert entry.purpose == PURPOSE and entry.legal_basis == "6.1.e"
    assert entry.subject == str(person.public_id)
    assert (entry.resource_type, entry.resource_id) == ("record", str(record.public_id))


def test_caseworker_creates_and_publisher_is_refused_with_an_entry(benefits, person):
    create(staff_viewer(benefits, "caseworker"), person)
    before = log_count()
    with pytest.raises(PermissionDenied):
        create(staff_viewer(benefits, "publisher"), person)
    assert Record.objects.count() == 1
    assert log_count() == before + 1
    (entry,) = last_entries(1)
    assert (entry.action, entry.decision, entry.actor_kind) == ("record.create", "deny", "staff")
    assert "personal-data role" in entry.reason


def test_no_organisation_no_record(person):
    with pytest.raises(PermissionDenied):
        create(anonymous_viewer(), person)
    assert not Record.objects.exists()
    assert last_entries(1)[0].decision == "deny"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"fields": {"amounts": [1, 2]}}, "fields.amounts"),
        ({"fields": {"nested": {"a": 1}}}, "fields.nested"),
        ({"fields": {"note": "x" * 2001}}, "fields.note"),
        ({"fields": {"1st": "bad name"}}, "fields"),
        ({"fields": {f"f{i}": i for i in range(51)}}, "fields"),
        ({"fields": {"n": float("nan")}}, "fields.n"),
        ({"fields": {"n": 2**60}}, "fields.n"),
        ({"fields": {"s": "\ud800"}}, "fields.s"),
        ({"title": "nul\x00"}, "title"),
        ({"fields": ["not", "an", "object"]}, "fields"),
        ({"category": "astrology"}, "category"),
        ({"classification": "open"}, "classification"),
        ({"classification": "secret"}, "classification"),
        ({"classification": "restricted"}, "restricted_roles"),
        ({"restricted_roles": ["caseworker"]}, "restricted_roles"),
        ({"classification": "restricted", "restricted_roles": ["wizard"]}, "restricted_roles"),
        ({"title": "   "}, "title"),
        ({"external_ref": "has spaces"}, "external_ref"),
    ],
)
def test_bad_values_are_named_and_nothing_is_written(benefits, person, overrides, field):
    before = log_count()
    with pytest.raises(InvalidInput) as caught:
        create(client_viewer(benefits), person, **overrides)
    assert field in {error["field"] for error in caught.value.errors}
    assert not Record.objects.exists()
    assert log_count() == before


def test_a_failing_log_append_leaves_no_record(benefits, person, monkeypatch):
    def broken(drafts):
        raise RuntimeError("log unavailable")

    monkeypatch.setattr(services, "log_append_many", broken)
    with pytest.raises(RuntimeError):
        create(client_viewer(benefits), person)
    assert not Record.objects.exists()


# ------------------------------------------------------------------ update


def test_owner_updates_with_one_entry(benefits, person):
    record = make_record(benefits, person)
    before = log_count()
    services.record_update(viewer=client_viewer(benefits), purpose=purpose(PURPOSE),
                           record=record, fields={"benefit": "Pension Credit"}, title="PC")
    record.refresh_from_db()
    assert record.fields == {"benefit": "Pension Credit"} and record.title == "PC"
    assert log_count() == before + 1
    assert last_entries(1)[0].action == "record.update"


def test_outsider_update_looks_like_a_missing_record_and_is_logged(benefits, council, person):
    record = make_record(benefits, person)
    before = log_count()
    with pytest.raises(NotFound) as caught:
        services.record_update(viewer=client_viewer(council), purpose=purpose(PURPOSE),
                               record=record, fields={"bad": ["values"]})
    assert caught.value.detail == NOTHING_FOUND_DETAIL
    record.refresh_from_db()
    assert record.fields == BENEFIT_FIELDS
    assert log_count() == before + 1
    (entry,) = last_entries(1)
    assert (entry.decision, entry.organization) == ("deny", "council")


def test_owner_staff_without_a_role_get_permission_denied(benefits, person):
    record = make_record(benefits, person)
    with pytest.raises(PermissionDenied):
        services.record_update(viewer=staff_viewer(benefits, "analyst"),
                               purpose=purpose(PURPOSE), record=record, title="New")
    assert last_entries(1)[0].decision == "deny"


def test_staff_cannot_lock_themselves_out_by_restricting_a_record(benefits, person):
    record = make_record(benefits, person)
    with pytest.raises(PermissionDenied):
        services.record_update(viewer=staff_viewer(benefits, "caseworker"),
                               purpose=purpose(PURPOSE), record=record,
                               classification="restricted", restricted_roles=["dpo"])
    record.refresh_from_db()
    assert record.classification == "internal"
    assert last_entries(1)[0].decision == "deny"


# ------------------------------------------------------------------ delete


def test_delete_keeps_the_log_entries(benefits, person):
    viewer = client_viewer(benefits)
    record = create(viewer, person)
    services.record_delete(viewer=viewer, purpose=purpose(PURPOSE), record_id=record.public_id)
    assert not Record.objects.exists()
    actions = list(LogEntry.objects.filter(resource_id=str(record.public_id))
                   .values_list("action", "decision"))
    assert actions == [("record.create", "permit"), ("record.delete", "permit")]


def test_outsider_delete_and_unknown_id_are_alike_and_logged(benefits, council, person):
    record = make_record(benefits, person)
    viewer = client_viewer(council)
    details = []
    for record_id in (record.public_id, uuid.uuid4()):
        before = log_count()
        with pytest.raises(NotFound) as caught:
            services.record_delete(viewer=viewer, purpose=purpose(PURPOSE), record_id=record_id)
        details.append(caught.value.detail)
        assert log_count() == before + 1
        assert last_entries(1)[0].decision == "deny"
    assert details[0] == details[1]
    assert Record.objects.filter(pk=record.pk).exists()


# ------------------------------------------------------------------ push and import


def test_push_is_idempotent_by_external_ref(benefits, person):
    viewer = client_viewer(benefits)
    arguments = dict(viewer=viewer, purpose=purpose(PURPOSE), subject=person,
                     external_ref="BA-77", category="income-and-benefits", title="UC",
                     fields={"benefit": "Universal Credit"})
    first, created = services.record_push(**arguments)
    assert created
    second, created = services.record_push(**{**arguments, "fields": {"benefit": "PIP"}})
    assert not created and second.pk == first.pk
    assert Record.objects.get().fields == {"benefit": "PIP"}
    assert [e.action for e in last_entries(2)] == ["record.create", "record.update"]


def test_push_refuses_a_reference_used_for_another_person(benefits, person):
    viewer = client_viewer(benefits)
    make_record(benefits, person, external_ref="BA-1")
    with pytest.raises(ExternalRefTaken):
        services.record_push(viewer=viewer, purpose=purpose(PURPOSE), subject=PersonFactory(),
                             external_ref="BA-1", category="income-and-benefits",
                             title="UC", fields={})


def test_push_about_no_one_known_is_refused_and_logged(benefits):
    before = log_count()
    with pytest.raises(NotFound):
        services.record_push(viewer=client_viewer(benefits), purpose=purpose(PURPOSE),
                             subject=None, external_ref="BA-1", category="income-and-benefits",
                             title="UC", fields={})
    assert log_count() == before + 1
    assert last_entries(1)[0].decision == "deny"


def test_unknown_purpose_is_logged_then_refused(benefits, person):
    before = log_count()
    with pytest.raises(UnknownPurpose):
        services.purpose_require(viewer=client_viewer(benefits), code="curiosity",
                                 action="record.list", subject=person)
    assert log_count() == before + 1
    (entry,) = last_entries(1)
    assert (entry.purpose, entry.decision, entry.subject) == (
        "curiosity", "deny", str(person.public_id))


def test_import_is_for_the_command_line_only_and_runs_once(benefits, person):
    arguments = dict(owner=benefits, subject=person, category="income-and-benefits",
                     title="UC", fields={"benefit": "UC"}, external_ref="bn-1",
                     public_id=uuid.UUID(int=7))
    with pytest.raises(PermissionDenied):
        services.record_import(actor=client_viewer(benefits), **arguments)
    before = log_count()
    record, created = services.record_import(actor=SYSTEM, **arguments)
    again, created_again = services.record_import(actor=SYSTEM, **arguments)
    assert created and not created_again and again.pk == record.pk
    assert record.public_id == uuid.UUID(int=7)
    assert log_count() == before + 1
    assert last_entries(1)[0].actor_kind == "system"
