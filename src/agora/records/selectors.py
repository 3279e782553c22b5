"""Reads of records about a person, each one logged, each one reduced to the allowed fields.

The records a viewer may read are chosen inside the database query by
`access.filters.readable_records_filter`; `access.decisions.decide` then gives each
one its basis and the fields it may show. Every read appends one entry per record
returned; an attempt that returns nothing (unknown person, nothing readable, unknown
purpose) appends one refused entry with the reason. Nothing here returns a record
about a person without its entry being written in the same transaction (records about
no one, in a category listing, are not personal data and are not logged).
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from agora.access.decisions import OPEN_LEVELS, Decision, decide
from agora.access.filters import readable_records_filter
from agora.access.models import AgreementGrant, Consent, DataCategory, Purpose
from agora.access.register import LOOK_UP, PurposeCover, purpose_cover
from agora.access.viewers import Viewer
from agora.audit.services import EntryDraft, log_append_many
from agora.people.models import Person
from agora.records import entries
from agora.records.models import Record

MAX_PAGE = 200


@dataclass(frozen=True)
class SharedRecord:
    """A record as this viewer may see it: the allowed fields only, and why it was shared."""

    record: Record
    fields: dict[str, Any]
    decision: Decision
    legal_basis: str  # the decision's, with the Art. 9 condition for a special category


@dataclass(frozen=True)
class RecordPage:
    items: list[SharedRecord]
    total: int  # how many records of the person this viewer may read for the purpose


def purpose_find(code: str) -> Purpose | None:
    """Return the purpose with this code, or None."""
    return Purpose.objects.filter(code=code).first() if code else None


def fields_reduce(fields: dict[str, Any], allowed: tuple[str, ...] | None) -> dict[str, Any]:
    """Return only the allowed fields (all of them when `allowed` is None)."""
    if allowed is None:
        return dict(fields)
    permitted = set(allowed)
    return {name: value for name, value in fields.items() if name in permitted}


def _decision_key(record: Record) -> tuple:
    # Everything `decide` looks at; records alike in these get the same decision.
    return (record.owner_id, record.subject_id, record.category_id, record.classification,
            tuple(sorted(record.restricted_roles)))


def _decide_each(viewer: Viewer, records: list[Record], purpose: Purpose,
                 now: datetime, cover: PurposeCover | None) -> list[tuple[Record, Decision]]:
    """Decide every record, asking `decide` once per distinct (owner, category, level…)."""
    seen: dict[tuple, Decision] = {}
    decided = []
    for record in records:
        key = _decision_key(record)
        if key not in seen:
            record.category_is_special = record.category.is_special
            seen[key] = decide(viewer=viewer, record=record, purpose=purpose, now=now,
                               cover=cover)
        decided.append((record, seen[key]))
    return decided


def _why_nothing(viewer: Viewer, purpose: Purpose | None) -> str:
    """Say why nothing was returned, without naming what exists.

    The acting organisation's own data protection officer reads this entry in their
    reports, so it must not tell them which organisations hold what about the person.
    """
    if purpose is None:  # the person reading their own data
        return "No organisation holds a record about this person."
    return (
        f"Nothing about this person is readable by {viewer.label} for {purpose.code}: no "
        "record of its own, and no agreement or consent in force, covers any."
    )


def _refused(viewer: Viewer | None, *, action: str, reason: str, purpose: Purpose | None,
             purpose_code: str, subject: Person | None) -> None:
    log_append_many([entries.draft(
        viewer=viewer, action=action, permitted=False, reason=reason, purpose=purpose,
        purpose_code=purpose_code, subject=subject,
    )])


def records_for_person(
    *,
    viewer: Viewer | None,
    person: Person | None,
    purpose: Purpose | None,
    purpose_code: str = "",
    limit: int = 50,
    offset: int = 0,
    now: datetime | None = None,
    categories: Collection[str] | None = None,
) -> RecordPage:
    """Return the person's records this viewer may read for the purpose, and log each read.

    `categories` (data category codes) narrows the read to those categories, so a caller
    that needs only some (an application's prefill) neither reads nor logs the rest.

    A person reading their own records needs no purpose (pass None): the decision's
    own-data basis. Otherwise an unknown person (None), an unknown purpose (None, with the
    code asked for in `purpose_code`) or a person with nothing readable all return an
    empty page and log one refused `record.list` entry, so they look alike to the caller.
    """
    limit = max(1, min(limit, MAX_PAGE))
    offset = max(0, offset)
    now = now or timezone.now()
    own = viewer is not None and person is not None and viewer.person_id == person.pk
    with transaction.atomic():
        if viewer is None or person is None or (purpose is None and not own):
            reason = (
                "No one is identified." if viewer is None
                else f"The purpose “{purpose_code[:60]}” is not one the platform knows."
                if purpose is None and purpose_code
                else "No purpose was stated." if purpose is None
                else _why_nothing(viewer, purpose)  # unknown looks like refused, even here
            )
            _refused(viewer, action="record.list", reason=reason, purpose=purpose,
                     purpose_code=purpose_code, subject=person)
            return RecordPage(items=[], total=0)
        # What the organisation declared for the purpose: read once, for both the filter
        # and the decisions (the person reading their own records needs none).
        cover = None if own else purpose_cover(viewer, purpose)
        readable = Record.objects.filter(subject=person).filter(readable_records_filter(
            viewer=viewer, purpose=purpose, now=now, subject=person, cover=cover))
        if categories is not None:
            wanted = DataCategory.objects.filter(code__in=list(categories))
            readable = readable.filter(category_id__in=list(wanted.values_list("pk", flat=True)))
        total = readable.count()
        if total == 0:
            if own:  # a person asking for their own records was allowed to ask; none exist
                log_append_many([entries.draft(
                    viewer=viewer, action="record.list", permitted=True, purpose=purpose,
                    subject=person, reason=_why_nothing(viewer, purpose),
                )])
            else:
                _refused(viewer, action="record.list", purpose=purpose,
                         purpose_code=purpose_code, subject=person,
                         reason=_why_nothing(viewer, purpose))
            return RecordPage(items=[], total=0)
        page = list(
            readable.select_related("owner", "category")
            .order_by("-updated_at", "-pk")[offset:offset + limit]
        )
        drafts: list[EntryDraft] = []
        items: list[SharedRecord] = []
        for record, decision in _decide_each(viewer, page, purpose, now, cover):
            legal_basis = entries.legal_basis_of(decision, purpose, record.category.is_special)
            drafts.append(entries.draft(
                viewer=viewer, action="record.read", permitted=decision.permitted,
                reason=decision.reason, purpose=purpose, legal_basis=legal_basis,
                subject=person, resource_id=str(record.public_id),
            ))
            if decision.permitted:
                items.append(SharedRecord(
                    record=record,
                    fields=fields_reduce(record.fields, decision.fields_allowed),
                    decision=decision,
                    legal_basis=legal_basis,
                ))
        if not items and offset == 0:
            # The filter and the decision disagreed (say, a consent withdrawn between the
            # two): the decision wins and the answer is "nothing", as for any refusal.
            total = 0
        if not drafts:  # a page past the end: the asking is still recorded
            drafts.append(entries.draft(
                viewer=viewer, action="record.list", permitted=True, purpose=purpose,
                subject=person, reason=f"Asked for records after the last of {total}.",
            ))
        log_append_many(drafts)
    return RecordPage(items=items, total=total)


_TABLE = f'"{Record._meta.db_table}"'
_NEWEST_FIRST = f'ORDER BY {_TABLE}."updated_at" DESC, {_TABLE}."id" DESC'
# Plain SQL, written once (fixed names): building them through the ORM on every call
# cost more than running them. Either may name more than the filter lets through (any
# grant or consent, in force or not): the filter still decides.
_PROVIDERS = (
    f'SELECT DISTINCT "provider_id" FROM "{AgreementGrant._meta.db_table}" '  # noqa: S608
    'WHERE "recipient_id" = %s AND "purpose_id" = %s AND "category_id" = %s '
    'AND "provider_id" <> %s ORDER BY "provider_id"'
)
_CONSENTED = (
    f'{_TABLE}."subject_id" IN (SELECT c."person_id" FROM "{Consent._meta.db_table}" c '  # noqa: S608
    f'INNER JOIN "{Consent.categories.through._meta.db_table}" cc ON cc."consent_id" = c."id" '
    'WHERE c."recipient_id" = %s AND c."purpose_id" = %s AND cc."datacategory_id" = %s)'
)


def _category_routes(viewer: Viewer, purpose: Purpose | None,
                     category: DataCategory) -> list[tuple[str, list, bool]]:
    """Return conditions that together hold every record of the category the viewer may
    read, each one an index can walk: (SQL, its parameters, whether newest first).

    They follow the filter's branches (`access.filters._readable`): the viewer's own
    organisation's records, records about no one, the viewer's own as a person, and for a
    purpose the records of each organisation that grants the category to the viewer's by
    agreement and those of the people who consented to it. Each may hold more than is
    readable (the filter still decides); none may miss a readable record. All but the
    consenting people's are walked newest first; they have few records each, found
    through them (the index `record_person_access`) rather than by walking the category.
    """
    # Records about no one anyone may read, one route per level (each an index range).
    routes = [(f'{_TABLE}."subject_id" IS NULL AND {_TABLE}."classification" = %s', [level],
               True) for level in sorted(OPEN_LEVELS)]
    organization = viewer.organization_id
    owner = f'{_TABLE}."owner_id" = %s'
    if organization is not None:
        routes.append((owner, [organization], True))
    if viewer.person_id is not None:
        routes.append((f'{_TABLE}."subject_id" = %s', [viewer.person_id], True))
    if purpose is not None and organization is not None:
        with connection.cursor() as cursor:
            cursor.execute(_PROVIDERS, [organization, purpose.pk, category.pk, organization])
            providers = [row[0] for row in cursor.fetchall()]
        routes += [(owner, [provider], True) for provider in providers]
        routes.append((_CONSENTED, [organization, purpose.pk, category.pk], False))
    return routes


def _newest_readable(readable: QuerySet, routes: list[tuple[str, list, bool]],
                     count: int) -> RawSQL:
    """Return SQL selecting the ids of the `count` newest readable records of each route.

    The newest `count` readable records are among them. Each route is its own subquery
    with its own order and limit, so each walks its index newest first and stops once it
    has `count` readable rows, rather than one walk of the whole category that a viewer
    who may read little of it would take to the end (docs/benchmarks.md, "Latency at
    size"). Written here, not through the ORM: Django cannot limit the parts of a union
    on SQLite, and compiling the filtered query once, not once per route, saves most of
    the time the ORM would add.
    """
    base, base_params = readable.order_by().values("pk").query.sql_with_params()
    # `base` ends with its WHERE clause, whose top level is a conjunction (filter()
    # calls): one more condition can be ANDed on.
    parts, params = [], []
    for number, (route, route_params, newest_first) in enumerate(routes):
        tail = f" {_NEWEST_FIRST} LIMIT {int(count)}" if newest_first else ""
        parts.append(f"SELECT * FROM ({base} AND {route}{tail}) route{number}")  # noqa: S608
        params.extend([*base_params, *route_params])
    return RawSQL(" UNION ALL ".join(parts), params)  # noqa: S611 (compiled, parameters apart)


def category_readable(*, viewer: Viewer, purpose: Purpose | None, category: DataCategory,
                      now: datetime, newest: int,
                      cover: PurposeCover | None = LOOK_UP) -> QuerySet[Record]:
    """Return the `newest` records of the category this viewer may read, newest first.

    The query `records_in_category` runs (the latency benchmark times it alone). Nothing
    is logged here: the caller logs what it shows.
    """
    readable = Record.objects.filter(category=category).filter(readable_records_filter(
        viewer=viewer, purpose=purpose, now=now, cover=cover))
    routes = _category_routes(viewer, purpose, category)
    return (Record.objects.filter(pk__in=_newest_readable(readable, routes, newest))
            .order_by("-updated_at", "-pk"))


@dataclass(frozen=True)
class CategoryPage:
    items: list[SharedRecord]
    more: bool  # whether a later page holds more readable records (no total: see below)


def records_in_category(
    *,
    viewer: Viewer | None,
    purpose: Purpose | None,
    category: DataCategory | None,
    limit: int = 50,
    offset: int = 0,
    now: datetime | None = None,
) -> CategoryPage:
    """Return the newest records of one category this viewer may read, and log each read.

    A page and whether another follows, but no total: counting every readable record of
    a category means walking all of it, while a page newest first stops as soon as it is
    full (`_newest_readable`; docs/benchmarks.md, "Latency at size"). Personal records
    need a purpose the viewer's organisation declared for the category; without one only
    what needs no purpose is listed. No viewer or no category: an empty page, nothing
    logged (nothing about anyone was asked for).
    """
    limit = max(1, min(limit, MAX_PAGE))
    offset = max(0, offset)
    if viewer is None or category is None:
        return CategoryPage(items=[], more=False)
    now = now or timezone.now()
    with transaction.atomic():
        cover = purpose_cover(viewer, purpose)
        rows = list(
            category_readable(viewer=viewer, purpose=purpose, category=category, now=now,
                              cover=cover, newest=offset + limit + 1)
            .select_related("owner", "category", "subject")[offset:offset + limit + 1]
        )
        page, more = rows[:limit], len(rows) > limit
        drafts: list[EntryDraft] = []
        items: list[SharedRecord] = []
        for record, decision in _decide_each(viewer, page, purpose, now, cover):
            if record.subject_id is None and not decision.permitted:
                continue  # nothing about anyone: the filter and the rules disagreed, skip it
            legal_basis = entries.legal_basis_of(decision, purpose, category.is_special)
            if record.subject_id is not None:  # a read of personal data is logged
                drafts.append(entries.draft(
                    viewer=viewer, action="record.read", permitted=decision.permitted,
                    reason=decision.reason, purpose=purpose, legal_basis=legal_basis,
                    subject=record.subject, resource_id=str(record.public_id),
                ))
            if decision.permitted:
                items.append(SharedRecord(
                    record=record, fields=fields_reduce(record.fields, decision.fields_allowed),
                    decision=decision, legal_basis=legal_basis,
                ))
        if drafts:
            log_append_many(drafts)
    return CategoryPage(items=items, more=more)


def person_lookup(
    *,
    viewer: Viewer | None,
    person: Person | None,
    purpose: Purpose | None,
    purpose_code: str = "",
    now: datetime | None = None,
) -> Person | None:
    """Return the person only if this viewer may read at least one of their records.

    Log the lookup either way (`person.lookup`); an unknown person, an unknown purpose
    and a person with nothing readable all give None.
    """
    now = now or timezone.now()
    with transaction.atomic():
        readable = False
        if viewer is not None and person is not None and purpose is not None:
            readable = Record.objects.filter(subject=person).filter(
                readable_records_filter(viewer=viewer, purpose=purpose, now=now, subject=person)
            ).exists()
        if readable:
            reason = f"At least one record of this person is readable for {purpose.code}."
        elif viewer is None:
            reason = "No one is identified."
        elif purpose is None:
            reason = f"The purpose “{purpose_code[:60]}” is not one the platform knows."
        else:  # unknown and refused alike: the acting organisation's DPO reads this
            reason = (f"No person whose records {viewer.label} may read for {purpose.code} "
                      "holds this identifier.")
        log_append_many([entries.draft(
            viewer=viewer, action="person.lookup", permitted=readable, reason=reason,
            purpose=purpose, purpose_code=purpose_code, subject=person,
        )])
    return person if readable else None


MAX_SEARCH_RESULTS = 20


def people_search(
    *,
    viewer: Viewer | None,
    purpose: Purpose | None,
    name: str,
    now: datetime | None = None,
) -> list[Person]:
    """Return people matching every word of `name` who have a record readable for the purpose.

    Fail closed: someone the viewer may read nothing about is never shown, so a search
    cannot be used to learn who is known to other organisations. Each person shown gets a
    permitted `person.lookup` entry (they see who searched for them); a search that shows
    no one gets one refused entry without a subject.
    """
    words = name.split()[:5]
    if viewer is None or purpose is None or not words:
        return []
    now = now or timezone.now()
    readable = Record.objects.filter(subject=OuterRef("pk")).filter(
        readable_records_filter(viewer=viewer, purpose=purpose, now=now)
    )
    matches = Person.objects.filter(Exists(readable))
    for word in words:
        matches = matches.filter(Q(given_name__icontains=word) | Q(family_name__icontains=word))
    with transaction.atomic():
        found = list(matches.order_by("family_name", "given_name", "pk")[:MAX_SEARCH_RESULTS])
        reason = f"Searched by name for {purpose.code}"
        drafts = [
            entries.draft(viewer=viewer, action="person.lookup", permitted=True, purpose=purpose,
                          subject=person, reason=f"{reason}; a record of this person is readable.")
            for person in found
        ] or [entries.draft(viewer=viewer, action="person.lookup", permitted=False,
                            purpose=purpose, reason=f"{reason}; no one readable matched.")]
        log_append_many(drafts)
    return found
