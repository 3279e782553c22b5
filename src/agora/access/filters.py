"""The access rules of `access.decisions` as a query filter, applied inside the database.

`readable_records_filter` returns a `Q` for a Record queryset (or, with `prefix`, for a
queryset of something that points at records) that keeps exactly the records `decide`
permits for reading. Agreements and consents are matched with correlated `Exists`
subqueries, so nothing is looped over in Python and a refused record simply is not in
the result. With no viewer the filter matches nothing.
"""

from datetime import datetime

from django.db import NotSupportedError
from django.db.models import BooleanField, Exists, Func, OuterRef, Q, QuerySet
from django.utils import timezone

from agora.access.decisions import OPEN_LEVELS, PERSONAL_DATA_ROLES, UNRESTRICTED_LEVELS
from agora.access.models import Agreement, Classification, Consent, Purpose
from agora.access.viewers import Viewer

NOTHING = Q(pk__in=[])


class JsonListHasAny(Func):
    """True when a JSON list of strings holds any of the given strings (exact match).

    PostgreSQL's `?|` tests a jsonb array's string elements; SQLite walks the list with
    `json_each`. Either way the comparison is exact, like `in` in Python.
    """

    output_field = BooleanField()
    conditional = True

    def __init__(self, expression, values):
        self.values = sorted(values)
        if not self.values:
            raise ValueError("JsonListHasAny needs at least one value.")
        super().__init__(expression)

    def _lhs(self, compiler, connection):
        return compiler.compile(self.source_expressions[0])

    def as_sqlite(self, compiler, connection, **extra):
        lhs, params = self._lhs(compiler, connection)
        marks = ", ".join(["%s"] * len(self.values))
        # lhs is a compiled column reference and the values are parameters: nothing is spliced.
        sql = f"EXISTS (SELECT 1 FROM json_each({lhs}) WHERE json_each.value IN ({marks}))"  # noqa: S608
        return sql, (*params, *self.values)

    def as_postgresql(self, compiler, connection, **extra):
        lhs, params = self._lhs(compiler, connection)
        return f"({lhs} ?| %s::text[])", (*params, self.values)

    def as_sql(self, compiler, connection, **extra):
        raise NotSupportedError("JsonListHasAny supports SQLite and PostgreSQL only.")


def readable_records_filter(
    *,
    viewer: Viewer | None,
    purpose: Purpose | None,
    now: datetime | None = None,
    prefix: str = "",
) -> Q:
    """Return a Q keeping the records this viewer may read for the purpose (see `decide`)."""
    if viewer is None:
        return NOTHING
    now = now or timezone.now()
    return (Q(**{f"{prefix}subject__isnull": True}) & _non_personal(viewer, prefix)) | (
        Q(**{f"{prefix}subject__isnull": False}) & _personal(viewer, purpose, now, prefix)
    )


def _f(prefix: str, name: str) -> str:
    return f"{prefix}{name}"


def _unrestricted(prefix: str) -> Q:
    return Q(**{_f(prefix, "classification__in"): sorted(UNRESTRICTED_LEVELS)})


def _owned(viewer: Viewer, prefix: str) -> Q:
    return Q(**{_f(prefix, "owner_id"): viewer.organization_id})


def _non_personal(viewer: Viewer, prefix: str) -> Q:
    allowed = Q(**{_f(prefix, "classification__in"): sorted(OPEN_LEVELS)})
    if viewer.is_staff_member or viewer.is_client:
        allowed |= _owned(viewer, prefix) & Q(
            **{_f(prefix, "classification"): Classification.INTERNAL}
        )
    if viewer.is_staff_member:
        allowed |= (
            _owned(viewer, prefix)
            & ~_unrestricted(prefix)
            & Q(JsonListHasAny(_f(prefix, "restricted_roles"), viewer.roles))
        )
    return allowed


def _personal(viewer: Viewer, purpose: Purpose | None, now: datetime, prefix: str) -> Q:
    allowed = NOTHING
    if viewer.person_id is not None:
        allowed |= Q(**{_f(prefix, "subject_id"): viewer.person_id})
    if purpose is None:
        return allowed
    personal_roles = viewer.roles & PERSONAL_DATA_ROLES if viewer.is_staff_member else set()
    if personal_roles:
        allowed |= _owned(viewer, prefix) & (
            _unrestricted(prefix)
            | Q(JsonListHasAny(_f(prefix, "restricted_roles"), personal_roles))
        )
    if viewer.is_client:
        allowed |= _owned(viewer, prefix) & _unrestricted(prefix)
    if personal_roles or viewer.is_client:
        allowed |= _unrestricted(prefix) & (
            Q(_consents(viewer, purpose, now, prefix)) | _agreements(viewer, purpose, now, prefix)
        )
    return allowed


def _consents(viewer: Viewer, purpose: Purpose, now: datetime, prefix: str) -> Exists:
    return Exists(
        Consent.objects.filter(
            person_id=OuterRef(_f(prefix, "subject_id")),
            recipient_id=viewer.organization_id,
            categories=OuterRef(_f(prefix, "category_id")),
            purpose=purpose,
            given_at__lte=now,
            expires_at__gt=now,
            withdrawn_at__isnull=True,
        )
    )


def _agreements(viewer: Viewer, purpose: Purpose, now: datetime, prefix: str) -> Q:
    covered = Q(
        Exists(
            Agreement.objects.filter(
                provider_id=OuterRef(_f(prefix, "owner_id")),
                recipient_id=viewer.organization_id,
                categories=OuterRef(_f(prefix, "category_id")),
                purposes=purpose,
                status=Agreement.Status.ACTIVE,
                valid_from__lte=now,
                valid_to__gt=now,
            )
        )
    )
    if not purpose.special_condition:
        covered &= Q(**{_f(prefix, "category__is_special"): False})
    return covered


def records_readable(*, viewer: Viewer | None, purpose: Purpose | None, queryset: QuerySet):
    """Return the queryset narrowed to the records the viewer may read for the purpose."""
    if viewer is None:
        return queryset.none()
    return queryset.filter(readable_records_filter(viewer=viewer, purpose=purpose))
