"""The caseworker's single view of a person: one logged look, for one stated purpose.

`person_view` records the look itself (`person.view`, with the purpose) and then reads
the records through `records_for_person`, which filters them in the query, reduces
them to the allowed fields and logs each read: all in one transaction, so no record is
shown without its entries. `group_records` arranges what came back for the page.

# Move to records.selectors: this is a read of personal data, and the records app is
# where such reads live; it sits here only until that app offers it.
"""

from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby

from django.db import transaction

from agora.access.decisions import Basis, Decision
from agora.access.models import LegalBasis, Purpose
from agora.access.viewers import Viewer
from agora.audit.services import log_append_many
from agora.people.models import Person
from agora.records import entries
from agora.records.selectors import MAX_PAGE, RecordPage, SharedRecord, records_for_person


def person_view(*, viewer: Viewer, person: Person | None, purpose: Purpose) -> RecordPage:
    """Log that the viewer opened the person's page for the purpose; return what they may see."""
    with transaction.atomic():
        page = records_for_person(viewer=viewer, person=person, purpose=purpose, limit=MAX_PAGE)
        seen = page.total > 0
        reason = (
            f"Opened the person's page for {purpose.code}: {page.total} record(s) readable."
            if seen
            else f"Opened the person's page for {purpose.code}: nothing readable."
        )
        log_append_many([entries.draft(
            viewer=viewer, action="person.view", permitted=seen, reason=reason,
            purpose=purpose, subject=person,
        )])
    return page


BASIS_WORDS = {
    Basis.STAFF_ROLE: "Your organisation's own record",
    Basis.OWNER_STAFF: "Your organisation's own record",
    Basis.OWN_DATA: "The person's own information",
    Basis.CONSENT: "The person's consent",
    Basis.AGREEMENT: "Sharing agreement",
}


LEGAL_BASES = dict(LegalBasis.choices)


def _legal_basis_words(code: str) -> str:
    return LEGAL_BASES.get(code, code)


def basis_refs(items: list[SharedRecord], basis: str) -> set[str]:
    """Return the references (agreement or consent ids) of the items shared on this basis."""
    return {
        i.decision.basis_ref for i in items if i.decision.basis == basis and i.decision.basis_ref
    }


def describe_basis(decision: Decision, agreement_titles: dict[str, str]) -> str:
    """Say in words what a record was shared under: own record, agreement "X", consent."""
    words = BASIS_WORDS.get(decision.basis, decision.basis or "Unknown")
    if decision.basis == Basis.AGREEMENT:
        title = agreement_titles.get(decision.basis_ref)
        return f"{words} “{title}”" if title else words
    return words


@dataclass(frozen=True)
class ShownRecord:
    """One record as the page shows it: its allowed fields and the basis it was shared on."""

    title: str
    updated_at: datetime
    fields: list[tuple[str, object]]
    basis: str
    legal_basis: str


@dataclass
class CategoryGroup:
    name: str
    records: list[ShownRecord] = field(default_factory=list)


@dataclass
class OrganizationGroup:
    name: str
    categories: list[CategoryGroup] = field(default_factory=list)


def group_records(
    items: list[SharedRecord], agreement_titles: dict[str, str] | None = None
) -> list[OrganizationGroup]:
    """Return the records grouped by owner organisation, then by category, both by name."""
    titles = agreement_titles or {}
    ordered = sorted(
        items, key=lambda i: (i.record.owner.name, i.record.category.name, i.record.title)
    )
    groups = []
    for name, by_owner in groupby(ordered, key=lambda i: i.record.owner.name):
        group = OrganizationGroup(name=name)
        for category, by_category in groupby(by_owner, key=lambda i: i.record.category.name):
            group.categories.append(CategoryGroup(name=category, records=[
                ShownRecord(
                    title=item.record.title,
                    updated_at=item.record.updated_at,
                    fields=sorted(item.fields.items()),
                    basis=describe_basis(item.decision, titles),
                    legal_basis=_legal_basis_words(item.decision.legal_basis),
                )
                for item in by_category
            ]))
        groups.append(group)
    return groups
