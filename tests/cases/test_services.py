from datetime import timedelta

import pytest
from django.utils import timezone

from agora.audit.models import LogEntry
from agora.cases.exceptions import StaleVersion, TransitionNotAllowed
from agora.cases.models import Case, CaseEvent
from agora.cases.selectors import case_read
from agora.cases.services import (
    Location,
    Reporter,
    case_create,
    case_status_change,
    status_model_define,
)
from agora.core.exceptions import InvalidInput, NotFound, PermissionDenied
from tests.cases.helpers import client_of, resident, service_make, staff_of
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_a_resident_makes_a_request_and_gets_a_reference_and_a_deadline():
    service = service_make(OrganizationFactory(slug="riverton-council"), target_days=14)
    me = resident()
    case = case_create(viewer=me, service=service, answers={"children": 2})
    assert case.reference.startswith(f"RIV-{timezone.now().year}-")
    assert case.person == me.person and case.organization == service.provider
    assert case.status == "received" and case.is_open
    assert abs((case.deadline - case.created_at) - timedelta(days=14)) < timedelta(seconds=1)
    entry = LogEntry.objects.order_by("-seq").first()
    assert (entry.action, entry.decision, entry.resource_id) == (
        "case.create", "permit", case.reference)
    assert entry.subject == str(me.person.public_id)


def test_references_are_unique_and_counted_per_prefix():
    service = service_make(OrganizationFactory(slug="riverton-council"))
    me = resident()
    numbers = [case_create(viewer=me, service=service).reference for _ in range(3)]
    assert [n[-6:] for n in numbers] == ["000001", "000002", "000003"]


def test_anyone_may_report_a_street_problem_with_contact_details_only():
    from agora.access.viewers import anonymous_viewer

    service = service_make(location_based=True, name="Pothole")
    case = case_create(
        viewer=anonymous_viewer(), service=service, channel="open311",
        reporter=Reporter(name="Ann", email="Ann@Example.org"),
        location=Location(51.5, -0.1), description="Deep hole", media_url="https://x.org/a.jpg",
    )
    assert case.person is None and case.reporter_email == "ann@example.org"


def test_a_street_problem_needs_a_location_and_nothing_is_written():
    from agora.access.viewers import anonymous_viewer

    service = service_make(location_based=True, name="Pothole")
    with pytest.raises(InvalidInput, match="needs a location"):
        case_create(viewer=anonymous_viewer(), service=service, description="Hole")
    assert not Case.objects.exists()


def test_an_overlong_description_is_refused():
    with pytest.raises(InvalidInput, match="4,000"):
        case_create(viewer=resident(), service=service_make(), description="x" * 4001)
    assert not Case.objects.exists()


def test_a_resident_cannot_ask_for_someone_else():
    other = resident()
    with pytest.raises(PermissionDenied):
        case_create(viewer=resident(), service=service_make(), person=other.person)
    assert not Case.objects.exists()
    assert LogEntry.objects.filter(action="case.create", decision="deny").count() == 1


def test_a_partner_client_creates_for_its_own_service_and_a_retry_returns_the_same():
    service = service_make()
    client = client_of(service.provider)
    person = resident().person
    first = case_create(viewer=client, service=service, person=person, channel="api",
                        external_ref="X-1")
    again = case_create(viewer=client, service=service, person=person, channel="api",
                        external_ref="X-1")
    assert first.pk == again.pk and Case.objects.count() == 1


def test_status_change_moves_logs_and_bumps_the_version():
    service = service_make()
    case = case_create(viewer=resident(), service=service)
    staff = staff_of(service.provider)
    changed = case_status_change(viewer=staff, reference=case.reference, status="in-progress",
                                 note="Looking now", expected_version=1)
    assert (changed.status, changed.version) == ("in-progress", 2)
    event = CaseEvent.objects.filter(case=case).last()
    assert (event.status_from, event.status_to, event.text) == ("received", "in-progress",
                                                                  "Looking now")


def test_a_status_change_not_allowed_and_a_stale_version_change_nothing():
    service = service_make()
    case = case_create(viewer=resident(), service=service)
    staff = staff_of(service.provider)
    case_status_change(viewer=staff, reference=case.reference, status="approved")
    with pytest.raises(TransitionNotAllowed, match="cannot move"):
        case_status_change(viewer=staff, reference=case.reference, status="in-progress")
    with pytest.raises(StaleVersion):
        case_status_change(viewer=staff, reference=case.reference, status="in-progress",
                           expected_version=1)
    case.refresh_from_db()
    assert (case.status, case.version, case.is_open) == ("approved", 2, False)


def test_another_organisation_gets_not_found_and_the_refusal_is_logged():
    service = service_make()
    case = case_create(viewer=resident(), service=service)
    outsider = staff_of(OrganizationFactory())
    with pytest.raises(NotFound):
        case_status_change(viewer=outsider, reference=case.reference, status="in-progress")
    with pytest.raises(NotFound):
        case_read(viewer=outsider, reference=case.reference)
    assert LogEntry.objects.filter(resource_id=case.reference, decision="deny").count() == 2


def test_waiting_for_the_resident_pauses_the_clock():
    service = service_make(target_days=10)
    now = timezone.now()
    case = case_create(viewer=resident(), service=service, now=now)
    staff = staff_of(service.provider)
    paused = case_status_change(viewer=staff, reference=case.reference,
                                status="waiting-for-you", now=now + timedelta(days=2))
    assert paused.deadline is None
    resumed = case_status_change(viewer=staff, reference=case.reference,
                                 status="in-progress", now=now + timedelta(days=7))
    assert resumed.deadline == now + timedelta(days=15)


def test_the_resident_reads_their_request_and_its_timeline():
    me = resident()
    case = case_create(viewer=me, service=service_make())
    view = case_read(viewer=me, reference=case.reference)
    assert view.as_resident and view.status.resident_text.startswith("We have received")
    assert [e.kind for e in view.events] == ["status"]


def _model(initial_text: str) -> list[dict]:
    return [
        {"code": "new", "label": "New", "resident_text": initial_text, "is_initial": True,
         "next_codes": ["fixed"]},
        {"code": "fixed", "label": "Fixed", "resident_text": "We fixed it.", "is_final": True},
    ]


def test_a_redefined_status_model_is_used_at_once_though_each_process_keeps_models():
    service = service_make()
    admin = staff_of(service.provider, role="admin")
    status_model_define(actor=admin, service=service, statuses=_model("We saw it."))
    case = case_create(viewer=resident(), service=service)
    staff = staff_of(service.provider)
    assert case_read(viewer=staff, reference=case.reference,
                     timeline=False).status.resident_text == "We saw it."
    status_model_define(actor=admin, service=service, statuses=_model("We have it."))
    # Neither the row the service was passed as nor another process's read goes stale.
    view = case_read(viewer=staff, reference=case.reference, timeline=False)
    assert view.status.resident_text == "We have it."
    assert case_create(viewer=resident(), service=service).status == "new"
    with pytest.raises(TransitionNotAllowed):
        case_status_change(viewer=staff, reference=case.reference, status="in-progress")


def test_a_status_read_logs_one_entry_after_reading_and_a_refusal_too():
    service = service_make()
    case = case_create(viewer=resident(), service=service)
    partner = client_of(service.provider)
    view = case_read(viewer=partner, reference=case.reference, timeline=False)
    assert view.status.code == "received" and view.events == []
    with pytest.raises(NotFound):
        case_read(viewer=client_of(OrganizationFactory()), reference=case.reference,
                  timeline=False)
    reads = LogEntry.objects.filter(action="case.read", resource_id=case.reference)
    assert sorted(reads.values_list("decision", flat=True)) == ["deny", "permit"]


@pytest.mark.django_db(transaction=True)
def test_references_stay_unique_when_four_threads_create_at_once():
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes one writer at a time (IMMEDIATE transactions); the "
                    "concurrent case is PostgreSQL's row lock on the counter")
    service = service_make(OrganizationFactory(slug="riverton-council"))
    viewers = [resident() for _ in range(4)]
    made, errors = [], []

    def work(viewer):
        try:
            for _ in range(10):
                made.append(case_create(viewer=viewer, service=service).reference)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(v,)) for v in viewers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len(made) == 40 and len(set(made)) == 40
    assert sorted(int(r[-6:]) for r in made) == list(range(1, 41))
