"""Erasing a person deletes their data and keeps, pseudonymised, the record of who saw it."""

import pytest

from agora.audit.models import LogEntry
from agora.audit.verify import log_verify
from agora.core.actors import SYSTEM
from agora.core.exceptions import InvalidInput, PermissionDenied
from agora.people.models import Person
from agora.records.erasure import person_erase
from agora.records.models import Record
from tests.factories import PersonFactory, RecordFactory, UserFactory

pytestmark = pytest.mark.django_db


def _person_with_records(count: int = 2) -> Person:
    person = PersonFactory()
    for _ in range(count):
        RecordFactory(subject=person)
    return person


def test_erasure_deletes_records_and_person_and_keeps_their_entries_pseudonymised():
    person = _person_with_records(3)
    subject = str(person.public_id)
    kept = RecordFactory()  # someone else's record stays

    summary = person_erase(actor=SYSTEM, person=person, reason="Erasure request ER-2026-17")

    assert summary.records_deleted == 3
    assert not Person.objects.filter(public_id=subject).exists()
    assert list(Record.objects.all()) == [kept]
    entries = list(LogEntry.objects.filter(action__in=["record.delete", "person.delete"]))
    assert len(entries) == 4
    assert all(entry.subject is None and entry.subject_pseudonym for entry in entries)
    assert not LogEntry.objects.filter(subject=subject).exists()
    assert "ER-2026-17" in entries[-1].reason
    assert log_verify().ok


def test_an_operator_may_erase_but_a_resident_may_not():
    person = _person_with_records(1)
    with pytest.raises(PermissionDenied):
        person_erase(actor=UserFactory(), person=person, reason="I asked")
    assert Person.objects.filter(pk=person.pk).exists()

    person_erase(actor=UserFactory(operator=True, totp=True), person=person, reason="ER-1")
    assert not Person.objects.filter(pk=person.pk).exists()
    assert LogEntry.objects.get(action="person.delete").actor_kind == "staff"


def test_erasure_without_a_reason_is_refused_and_nothing_changes():
    person = _person_with_records(2)
    with pytest.raises(InvalidInput):
        person_erase(actor=SYSTEM, person=person, reason="   ")
    assert Record.objects.filter(subject=person).count() == 2
    assert not LogEntry.objects.filter(action="person.delete").exists()


def test_the_command_line_erases_a_person_and_refuses_an_unknown_id():
    from typer.testing import CliRunner

    from agora.cli import app

    person = _person_with_records(2)
    runner = CliRunner()
    unknown = runner.invoke(app, ["people", "erase", "not-a-uuid", "--reason", "x", "--yes"])
    assert unknown.exit_code == 2
    assert "No person has the id" in unknown.output

    result = runner.invoke(
        app, ["people", "erase", str(person.public_id), "--reason", "ER-9", "--yes"]
    )
    assert result.exit_code == 0, result.output
    assert "Erased the person and 2 records" in result.output
    assert not Person.objects.filter(pk=person.pk).exists()
