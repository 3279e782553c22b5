"""The access rules of `access.decisions` as a query filter, applied inside the database.

`readable_records_filter` returns a `Q` for a Record queryset (or, with `prefix`, for a
queryset of something that points at records) that keeps exactly the records `decide`
permits for reading. With no viewer the filter matches nothing.

How it is built, for speed (docs/benchmarks.md, "Access filter"):

- Only the branches that can apply to this viewer are written: an anonymous visitor gets
  "open or public, about no one"; a resident adds their own records; staff and clients
  add their organisation's records and, with a purpose, what is shared with them.
- Agreements and consents are matched with two uncorrelated row-value subqueries
  (`access.grants`): evaluated once per query, not once per candidate row, and in the
  same statement as the records, so a withdrawal counts on the very next query.
- The whole condition is one expression compiled straight to SQL (`ReadableCondition`),
  which costs the ORM far less than a tree of lookups and `Exists` querysets.
- With `subject`, the filter is written for one person's records only; and a query
  already narrowed to one person (`filter(subject=p)`) has only that person's consents
  looked at, whether or not `subject` is passed.

Use it with `filter()`; it is not meant for `exclude()` (the SQL is not written for
SQL's NULL logic under NOT).
"""

from datetime import datetime

from django.db import NotSupportedError
from django.db.models import BooleanField, Expression, F, Q, QuerySet
from django.db.models.expressions import Col
from django.db.models.lookups import Exact
from django.db.models.sql.where import AND, WhereNode
from django.utils import timezone

from agora.access import grants as grants_module
from agora.access.decisions import OPEN_LEVELS, PERSONAL_DATA_ROLES, UNRESTRICTED_LEVELS
from agora.access.models import Agreement, Classification, Purpose
from agora.access.viewers import Viewer

NOTHING = Q(pk__in=[])

# A condition is a small tree of tuples, compiled to SQL by `_sql`:
#   ("or", [conditions]) / ("and", [conditions])
#   ("eq", column, value) / ("in", column, [values]) / ("null", column) / ("notnull", column)
#   ("roles", [role names])         restricted_roles holds any of them (exact match)
#   ("consent-subquery", recipient_id, purpose_id, now, subject id or None)
#   ("agreement-subquery", recipient_id, purpose_id, Art. 9 condition (bool), now)
# where column is one of "owner", "subject", "category", "classification".
COLUMNS = {
    "owner": "owner_id",
    "subject": "subject_id",
    "category": "category_id",
    "classification": "classification",
    "roles": "restricted_roles",
}


def _has_any_sql(vendor: str, lhs: str, values: list[str]) -> str:
    """SQL: the JSON list of strings `lhs` holds any of the values (exact match).

    PostgreSQL's `?|` tests a jsonb array's string elements (one parameter, the list);
    SQLite walks the list with `json_each` (one parameter per value).
    """
    if vendor == "postgresql":
        return f"({lhs} ?| %s::text[])"
    marks = ", ".join(["%s"] * len(values))
    # lhs is a compiled column reference and the values are parameters: nothing is spliced.
    return f"EXISTS (SELECT 1 FROM json_each({lhs}) WHERE json_each.value IN ({marks}))"  # noqa: S608


class ReadableCondition(Expression):
    """The filter's condition on a record's columns, compiled straight to SQL.

    `condition` is a tree as described above; the columns are resolved through `prefix`
    like any field reference (so joins are made and reused as for lookups).
    """

    conditional = True
    output_field = BooleanField()

    def __init__(self, condition: tuple, prefix: str = ""):
        super().__init__()
        self.condition = condition
        self.names = sorted(_columns_in(condition))
        self.columns = [F(f"{prefix}{COLUMNS[name]}") for name in self.names]

    def get_source_expressions(self):
        return self.columns

    def set_source_expressions(self, exprs):
        self.columns = list(exprs)

    def as_sql(self, compiler, connection, **extra):
        if connection.vendor not in ("sqlite", "postgresql"):
            raise NotSupportedError("The access filter supports SQLite and PostgreSQL only.")
        columns = {}
        for name, column in zip(self.names, self.columns, strict=True):
            sql, column_params = compiler.compile(column)
            if column_params:  # a plain column never has any; be safe rather than wrong
                raise NotSupportedError("The access filter needs plain columns.")
            columns[name] = sql
        narrowed = None
        if "subject" in self.names:
            narrowed = _narrowed_subject(compiler.query.where,
                                         self.columns[self.names.index("subject")])
        params: list = []
        sql = _sql(self.condition, columns, connection, params, narrowed)
        return sql, params


def _narrowed_subject(where, subject) -> int | None:
    """Return the person the query is already narrowed to (`subject_id = p` ANDed at its
    top level, on the same column the filter reads), else None.

    Then only that person's consents need be looked at — the same answer, at the cost of
    a few rows instead of every consent the recipient holds.
    """
    if not isinstance(subject, Col) or where.negated or where.connector != AND:
        return None
    for child in where.children:
        if isinstance(child, WhereNode):
            found = _narrowed_subject(child, subject)
            if found is not None:
                return found
        elif (
            isinstance(child, Exact)
            and isinstance(child.lhs, Col)
            and child.lhs.alias == subject.alias
            and child.lhs.target.column == subject.target.column
            and type(child.rhs) is int
        ):
            return child.rhs
    return None


def _columns_in(condition: tuple) -> set[str]:
    kind = condition[0]
    if kind in ("or", "and"):
        return set().union(*(_columns_in(part) for part in condition[1]))
    if kind == "roles":
        return {"roles"}
    if kind == "consent-subquery":
        return {"subject", "category"}
    if kind == "agreement-subquery":
        return {"owner", "category"}
    return {condition[1]}


def _sql(condition: tuple, columns: dict[str, str], connection, params: list,
         narrowed: int | None = None) -> str:
    """Write the condition as SQL for this connection, appending its parameters.

    `narrowed` is the person the query is known to be about, if any."""
    kind = condition[0]
    vendor = connection.vendor
    if kind in ("or", "and"):
        joiner = " OR " if kind == "or" else " AND "
        return "(" + joiner.join(_sql(part, columns, connection, params, narrowed)
                                 for part in condition[1]) + ")"
    if kind == "eq":
        params.append(condition[2])
        return f"{columns[condition[1]]} = %s"
    if kind == "in":
        values = condition[2]
        params.extend(values)
        return f"{columns[condition[1]]} IN ({', '.join(['%s'] * len(values))})"
    if kind == "null":
        return f"{columns[condition[1]]} IS NULL"
    if kind == "notnull":
        return f"{columns[condition[1]]} IS NOT NULL"
    if kind == "roles":
        values = condition[1]
        if vendor == "postgresql":
            params.append(values)
        else:
            params.extend(values)
        return _has_any_sql(vendor, columns["roles"], values)
    if kind == "consent-subquery":
        _, recipient_id, purpose_id, now, subject = condition
        subject = narrowed if subject is None else subject
        when = connection.ops.adapt_datetimefield_value(now)
        params.extend([recipient_id, purpose_id, when, when])
        if subject is not None:
            params.append(subject)
        pairs = grants_module.consent_pairs_sql(connection, subject=subject is not None)
        return f"(({columns['subject']}, {columns['category']}) IN ({pairs}))"
    if kind == "agreement-subquery":
        _, recipient_id, purpose_id, special, now = condition
        when = connection.ops.adapt_datetimefield_value(now)
        params.extend([recipient_id, purpose_id, Agreement.Status.ACTIVE.value, when, when])
        pairs = grants_module.agreement_pairs_sql(connection, special=special)
        return f"(({columns['owner']}, {columns['category']}) IN ({pairs}))"
    raise ValueError(f"Unknown condition {kind!r}.")


def _or(*parts):
    parts = [part for part in parts if part is not None]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else ("or", parts)


def _and(*parts):
    if any(part is None for part in parts):
        return None
    return parts[0] if len(parts) == 1 else ("and", list(parts))


UNRESTRICTED = ("in", "classification", sorted(UNRESTRICTED_LEVELS))
OPEN = ("in", "classification", sorted(OPEN_LEVELS))


def readable_records_filter(
    *,
    viewer: Viewer | None,
    purpose: Purpose | None,
    now: datetime | None = None,
    prefix: str = "",
    subject=None,
) -> Q:
    """Return a Q keeping the records this viewer may read for the purpose (see `decide`).

    `subject` (a Person or its id), when given, narrows the filter to that person's
    records: only their consents are looked at, and records about anyone else — or no
    one — are not kept. Pass it when the query is about one person anyway.
    """
    if viewer is None:
        return NOTHING
    condition = _readable(viewer, purpose, now or timezone.now(), _pk(subject))
    if condition is None:
        return NOTHING
    return Q(ReadableCondition(condition, prefix))


def _pk(subject) -> int | None:
    return getattr(subject, "pk", subject)


def _readable(viewer: Viewer, purpose: Purpose | None, now: datetime, subject: int | None):
    """Return the condition tree for this viewer (None: nothing is readable)."""
    if subject is not None:
        if viewer.person_id == subject:  # own data: everything about them
            return ("eq", "subject", subject)
        personal = _others_personal(viewer, purpose, now, subject)
        return _and(("eq", "subject", subject), personal)
    about_no_one = ("null", "subject")
    return _or(
        _owned(viewer, purpose),
        _and(about_no_one, OPEN),
        None if viewer.person_id is None else ("eq", "subject", viewer.person_id),
        _and(("notnull", "subject"), _shared(viewer, purpose, now, None)),
    )


def _staff_roles(viewer: Viewer) -> tuple[list[str], list[str]]:
    """Return (all roles, personal-data roles) of a staff viewer, sorted; empty otherwise."""
    if not viewer.is_staff_member:
        return [], []
    return sorted(viewer.roles), sorted(viewer.roles & PERSONAL_DATA_ROLES)


def _owned(viewer: Viewer, purpose: Purpose | None):
    """Records of the viewer's own organisation it may read, beyond open data about no one."""
    if not (viewer.is_staff_member or viewer.is_client):
        return None
    owner = ("eq", "owner", viewer.organization_id)
    roles, personal_roles = _staff_roles(viewer)
    if viewer.is_client:
        # Internal records about no one; with a purpose, unrestricted personal ones too.
        if purpose is None:
            return _and(owner, ("null", "subject"),
                        ("eq", "classification", Classification.INTERNAL.value))
        return _and(owner, UNRESTRICTED)
    non_personal = ("or", [UNRESTRICTED, ("roles", roles)])
    if purpose is not None and personal_roles == roles:  # same rule for both kinds
        return _and(owner, non_personal)
    personal = None
    if purpose is not None and personal_roles:
        personal = _and(("notnull", "subject"),
                        ("or", [UNRESTRICTED, ("roles", personal_roles)]))
    return _and(owner, _or(_and(("null", "subject"), non_personal), personal))


def _others_personal(viewer: Viewer, purpose: Purpose | None, now: datetime, subject: int):
    """Personal records of one subject, the viewer not being that person."""
    return _or(_owned_personal(viewer, purpose), _shared(viewer, purpose, now, subject))


def _owned_personal(viewer: Viewer, purpose: Purpose | None):
    if purpose is None or not (viewer.is_staff_member or viewer.is_client):
        return None
    owner = ("eq", "owner", viewer.organization_id)
    if viewer.is_client:
        return _and(owner, UNRESTRICTED)
    _, personal_roles = _staff_roles(viewer)
    if not personal_roles:
        return None
    return _and(owner, ("or", [UNRESTRICTED, ("roles", personal_roles)]))


def _shared(viewer: Viewer, purpose: Purpose | None, now: datetime, subject: int | None):
    """Unrestricted personal records shared with the viewer's organisation (the caller
    makes sure they are personal): by consent or by agreement, for the purpose."""
    if purpose is None:
        return None
    _, personal_roles = _staff_roles(viewer)
    if not (personal_roles or viewer.is_client):
        return None
    return _and(UNRESTRICTED, ("or", [
        ("consent-subquery", viewer.organization_id, purpose.pk, now, subject),
        ("agreement-subquery", viewer.organization_id, purpose.pk,
         bool(purpose.special_condition), now),
    ]))


def records_readable(*, viewer: Viewer | None, purpose: Purpose | None, queryset: QuerySet):
    """Return the queryset narrowed to the records the viewer may read for the purpose."""
    if viewer is None:
        return queryset.none()
    return queryset.filter(readable_records_filter(viewer=viewer, purpose=purpose))
