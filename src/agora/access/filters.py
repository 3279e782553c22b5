"""The access rules of `access.decisions` as a query filter, applied inside the database.

`readable_records_filter` returns a `Q` for a Record queryset (or, with `prefix`, for a
queryset of something that points at records) that keeps exactly the records `decide`
permits for reading. With no viewer the filter matches nothing.

How it is built, for speed (docs/benchmarks.md, "Access filter"):

- Only the branches that can apply to this viewer are written: an anonymous visitor gets
  "open or public, about no one"; a resident adds their own records; staff and clients
  add their organisation's records and, with a purpose, what is shared with them.
- A purpose counts only as the viewer's organisation declared it (`access.register`):
  the categories its approved declaration covers are looked up once, before the query,
  and become parameters of `category IN (…)` on every personal branch but the person's
  own; a purpose not declared (or not allowed to the client) is written as no purpose.
  Only their number belongs to the shape, so no join is added per row.
- Agreements and consents are matched in the same statement as the records
  (`access.grants`), so a withdrawal or a suspension counts on the very next query. Over
  many records, two uncorrelated row-value subqueries (evaluated once per query, not once
  per candidate row); over one person's few records, their consents only and the
  agreements looked up row by row (the consents too on SQLite).
- On SQLite a short list is written as equalities, not `IN (…)`: SQLite builds a
  temporary index for an IN list on every run, costly next to a correlated subquery.
- The condition depends on the viewer only through its *shape* (staff or client, which
  roles, a purpose or not, …); the ids and the time are parameters. So its SQL is
  written once per shape and database and then reused (`_compiled`), and the filter
  resolves to one lookup compiled straight to SQL (`ReadableLookup`), whose columns are
  taken without the ORM's lookup machinery when it filters records directly.
- With `subject`, the filter is written for one person's records only; and a query
  already narrowed to one person (`filter(subject=p)` at its top level) gets the same
  one-person form, whether or not `subject` is passed.

Use it with `filter()`; it is not meant for `exclude()` (the SQL is not written for
SQL's NULL logic under NOT).
"""

from datetime import datetime
from functools import lru_cache
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import NotSupportedError
from django.db.models import BooleanField, Expression, F, Q, QuerySet
from django.db.models.expressions import Col
from django.db.models.lookups import Exact, Lookup
from django.db.models.sql.where import AND, WhereNode
from django.utils import timezone

from agora.access import grants as grants_module
from agora.access.decisions import OPEN_LEVELS, PERSONAL_DATA_ROLES, UNRESTRICTED_LEVELS
from agora.access.models import Classification, Purpose
from agora.access.register import LOOK_UP, PurposeCover, purpose_cover
from agora.access.viewers import Viewer

NOTHING = Q(pk__in=[])


class Slot(NamedTuple):
    """A value the condition takes from the call (an id, the time), not from its shape:
    `index` is its place in `Values`."""

    name: str
    index: int


ORGANIZATION, PERSON, SUBJECT, PURPOSE, NOW = (
    Slot("organization", 0), Slot("person", 1), Slot("subject", 2), Slot("purpose", 3),
    Slot("now", 4))
FIRST_CATEGORY = 5  # the declared categories' slots follow, one per category


class Values(NamedTuple):
    """The values of the slots for one call, in slot order (the categories last)."""

    organization: int | None
    person: int | None
    subject: int | None
    purpose: int | None
    now: datetime
    categories: tuple[int, ...] = ()


# A condition is a small tree of tuples, written as SQL by `_sql`:
#   ("or", [conditions]) / ("and", [conditions])
#   ("eq", column, value) / ("in", column, [values]) / ("null", column) / ("notnull", column)
#   ("roles", [role names])            restricted_roles holds any of them (exact match)
#   ("consent-subquery", one_subject)  the consents in force for the organisation and
#                                      purpose (of SUBJECT only, when one_subject: on
#                                      SQLite looked up row by row)
#   ("agreement-subquery", special, correlated)
#                                      the agreements in force for the organisation and
#                                      purpose (special categories too, when special),
#                                      looked up row by row when correlated
# where column is one of "owner", "subject", "category", "classification", and a value
# is a constant or a Slot.
COLUMNS = {
    "owner": "owner_id",
    "subject": "subject_id",
    "category": "category_id",
    "classification": "classification",
    "roles": "restricted_roles",
}


class Shape(NamedTuple):
    """What the condition depends on, apart from the ids and the time (see `_readable`)."""

    is_staff_member: bool
    is_client: bool
    roles: tuple[str, ...]
    personal_roles: tuple[str, ...]
    has_person: bool
    has_purpose: bool  # a purpose the organisation declared (and the client may act for)
    declared: int  # how many categories the declaration covers
    special_purpose: bool
    subject: str  # "" (any records), "own" (the viewer's own) or "other" (someone else's)


def _shape(viewer: Viewer, purpose: Purpose | None, subject: int | None,
           categories: tuple[int, ...]) -> Shape:
    staff = viewer.is_staff_member
    roles = tuple(sorted(viewer.roles)) if staff else ()
    person_id = viewer.person_id
    declared = purpose is not None and bool(categories)
    return Shape(
        staff,
        viewer.is_client,
        roles,
        tuple(role for role in roles if role in PERSONAL_DATA_ROLES) if staff else (),
        person_id is not None,
        declared,
        len(categories) if declared else 0,
        declared and bool(purpose.special_condition),
        "" if subject is None else "own" if person_id == subject else "other",
    )


class Compiled(NamedTuple):
    """A shape's condition as SQL: `template` names the columns as {owner}, {subject}…;
    `params` holds its parameters in order, constants as they are and None where a slot's
    value goes, `slots` which (position, slot index); `columns` the columns it reads."""

    template: str
    params: tuple
    slots: tuple[tuple[int, int], ...]
    columns: tuple[str, ...]


@lru_cache(maxsize=256)
def _compiled(shape: Shape, vendor: str) -> Compiled | None:
    """Write the condition of this shape as SQL for `vendor` (None: nothing readable)."""
    condition = _readable(shape)
    if condition is None:
        return None
    params: list = []
    template = _sql(condition, vendor, params)
    slots = tuple((position, param.index) for position, param in enumerate(params)
                  if type(param) is Slot)
    constants = tuple(None if type(param) is Slot else param for param in params)
    return Compiled(template, constants, slots, tuple(sorted(_columns_in(condition))))


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


def _sql(condition: tuple, vendor: str, params: list) -> str:
    """Write the condition as an SQL template for `vendor`, appending its parameters."""
    kind = condition[0]
    if kind in ("or", "and"):
        joiner = " OR " if kind == "or" else " AND "
        return "(" + joiner.join(_sql(part, vendor, params) for part in condition[1]) + ")"
    if kind == "eq":
        params.append(condition[2])
        return f"{{{condition[1]}}} = %s"
    if kind == "in":
        values = condition[2]
        params.extend(values)
        if vendor == "sqlite":
            # SQLite builds a temporary index for an IN list on every run, and next to a
            # correlated subquery that made the one-person count 5x slower (37 µs against
            # 7 µs, docs/benchmarks.md); a few equalities cost next to nothing.
            return "(" + " OR ".join([f"{{{condition[1]}}} = %s"] * len(values)) + ")"
        return f"{{{condition[1]}}} IN ({', '.join(['%s'] * len(values))})"
    if kind == "null":
        return f"{{{condition[1]}}} IS NULL"
    if kind == "notnull":
        return f"{{{condition[1]}}} IS NOT NULL"
    if kind == "roles":
        values = list(condition[1])
        if vendor == "postgresql":
            params.append(values)
        else:
            params.extend(values)
        return _has_any_sql(vendor, "{roles}", values)
    if kind == "consent-subquery":
        one_subject = condition[1]
        params.extend([ORGANIZATION, PURPOSE, NOW, NOW])
        if one_subject and vendor == "sqlite":
            # Row by row: SQLite would build a temporary index of the pairs on every run.
            match = grants_module.consent_exists_sql(person="{subject}", category="{category}")
            return f"EXISTS ({match})"
        if one_subject:
            # Not row by row: PostgreSQL would hash every consent of the recipient instead.
            params.append(SUBJECT)
        pairs = grants_module.consent_pairs_sql(subject=one_subject)
        return f"(({{subject}}, {{category}}) IN ({pairs}))"
    if kind == "agreement-subquery":
        _, special, correlated = condition
        params.extend([ORGANIZATION, PURPOSE, NOW, NOW])
        if correlated:
            match = grants_module.agreement_exists_sql(special=special, provider="{owner}",
                                                       category="{category}")
            return f"EXISTS ({match})"
        pairs = grants_module.agreement_pairs_sql(special=special)
        return f"(({{owner}}, {{category}}) IN ({pairs}))"
    raise ValueError(f"Unknown condition {kind!r}.")


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


class ReadableCondition(Expression):
    """The filter as it stands in a `Q`: which shape, which values, through which prefix.

    Resolving it gives a `ReadableLookup`, which `filter()` takes as it is (an expression
    that is not a lookup would be wrapped in `= true` and resolved again when compiled).
    The columns are resolved through `prefix` like any field reference (joins are made
    and reused as for lookups); with no prefix they are the queryset's own columns, taken
    without the ORM's lookup machinery (most of the filter's cost in Python was there).
    """

    conditional = True
    output_field = BooleanField()

    def __init__(self, shape: Shape, values: Values, prefix: str = ""):
        super().__init__()
        self.shape, self.values, self.prefix = shape, values, prefix
        # The columns the SQL reads: the same for every vendor of a shape.
        self.names = _compiled(shape, "sqlite").columns
        # Through a prefix, field references the ORM resolves (and joins); without one,
        # the queryset's own columns, taken directly when resolved.
        self.columns = [F(f"{prefix}{COLUMNS[name]}") for name in self.names] if prefix else []

    def get_source_expressions(self):
        return self.columns

    def set_source_expressions(self, exprs):
        self.columns = list(exprs)

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False,
                           for_save=False):
        if self.prefix:
            columns = RecordColumns(self.names, [
                column.resolve_expression(query, allow_joins, reuse, summarize, for_save)
                for column in self.columns
            ])
        else:
            columns = RecordColumns(self.names, *_own_columns(
                query.model, query.get_initial_alias(), self.names))
        return ReadableLookup(columns, self.shape, self.values)


@lru_cache(maxsize=64)
def _own_columns(model, alias: str, names: tuple[str, ...]) -> tuple[tuple, tuple]:
    """The model's columns of these names under `alias`, and their names in the table,
    made once: like Django's own `Field.cached_col`, a column reference is never changed
    in place, only copied."""
    fields = [model._meta.get_field(COLUMNS[name]) for name in names]
    return tuple(field.get_col(alias) for field in fields), tuple(f.column for f in fields)


class RecordColumns(Expression):
    """The resolved record columns a condition reads, by name.

    `own` holds their names in the table when they are the queryset's own columns (all
    under one alias): then they are written without compiling each one.
    """

    output_field = BooleanField()  # never selected; Expression asks for one

    def __init__(self, names: tuple[str, ...], columns, own: tuple[str, ...] | None = None):
        super().__init__()
        self.names, self.columns, self.own = names, list(columns), own

    def get_source_expressions(self):
        return self.columns

    def set_source_expressions(self, exprs):
        self.columns = list(exprs)

    def as_sql(self, compiler, connection, **extra):
        raise NotSupportedError("Record columns are compiled by the access filter only.")

    def sql(self, compiler, wanted: tuple[str, ...]) -> tuple:
        """Return (name, SQL) of the wanted columns, as the compiler writes them."""
        if self.own is not None and self.columns[0].alias:  # Col(None, …) is unqualified
            # The compiler writes a column as "alias"."column" with the alias quoted as it
            # decides (an alias it made up stays bare); both SQLite and PostgreSQL quote
            # names with double quotes, as Django's `quote_name` does for them.
            qualifier = compiler.quote_name_unless_alias(self.columns[0].alias)
            return _own_column_sql(qualifier, self.names, self.own, wanted)
        compiled = []
        for name, column in zip(self.names, self.columns, strict=True):
            if name in wanted:
                sql, column_params = compiler.compile(column)
                if column_params:  # a plain column never has any; be safe, not wrong
                    raise NotSupportedError("The access filter needs plain columns.")
                compiled.append((name, sql))
        return tuple(compiled)


@lru_cache(maxsize=256)
def _own_column_sql(qualifier: str, names: tuple, own: tuple, wanted: tuple) -> tuple:
    return tuple((name, f'{qualifier}."{column}"')
                 for name, column in zip(names, own, strict=True) if name in wanted)


class ReadableLookup(Lookup):
    """The resolved filter: its SQL is the shape's template with the columns put in."""

    lookup_name = "agora_readable"
    prepare_rhs = False

    def __init__(self, columns: RecordColumns, shape: Shape, values: Values):
        self.shape, self.values = shape, values
        super().__init__(columns, True)

    @property
    def identity(self):
        return (self.__class__, self.lhs, self.shape, self.values)

    def as_sql(self, compiler, connection):
        vendor = connection.vendor
        if vendor not in ("sqlite", "postgresql"):
            raise NotSupportedError("The access filter supports SQLite and PostgreSQL only.")
        columns, shape = self.lhs, self.shape
        organization, person, subject, purpose, now, categories = self.values
        if shape.subject == "" and "subject" in columns.names:
            narrowed = _narrowed_subject(
                compiler.query.where, columns.columns[columns.names.index("subject")])
            if narrowed is not None:
                # Only this person's records can match: write the filter for them alone
                # (fewer branches, their consents only, agreements looked up row by row).
                shape = _one_person(shape, own=narrowed == person)
                subject = narrowed
        compiled = _compiled(shape, vendor)
        if compiled is None:
            raise EmptyResultSet
        now = connection.ops.adapt_datetimefield_value(now)
        values = (organization, person, subject, purpose, now, *categories)
        params = list(compiled.params)
        for position, slot in compiled.slots:
            params[position] = values[slot]
        return _render(compiled.template, columns.sql(compiler, compiled.columns)), params


@lru_cache(maxsize=256)
def _one_person(shape: Shape, *, own: bool) -> Shape:
    """The shape of this viewer's filter over one person's records."""
    return shape._replace(subject="own" if own else "other")


@lru_cache(maxsize=1024)
def _render(template: str, columns: tuple) -> str:
    """Put the compiled column references into a shape's SQL template."""
    return template.format_map(dict(columns))


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
    cover: PurposeCover | None = LOOK_UP,
) -> Q:
    """Return a Q keeping the records this viewer may read for the purpose (see `decide`).

    `subject` (a Person or its id), when given, narrows the filter to that person's
    records: only their consents are looked at, and records about anyone else — or no
    one — are not kept. Pass it when the query is about one person anyway. `cover` is
    `purpose_cover(viewer, purpose)` when the caller already has it.
    """
    if viewer is None:
        return NOTHING
    subject = getattr(subject, "pk", subject)
    categories: tuple[int, ...] = ()
    if purpose is not None and (
        viewer.is_client or (viewer.is_staff_member and viewer.roles & PERSONAL_DATA_ROLES)
    ):  # only they read personal data for a purpose: ask the register once, here
        if cover is LOOK_UP:
            cover = purpose_cover(viewer, purpose)
        categories = cover.category_ids if cover is not None else ()
    shape = _shape(viewer, purpose, subject, categories)
    if _compiled(shape, "sqlite") is None:
        return NOTHING
    values = Values(viewer.organization_id, viewer.person_id, subject,
                    purpose.pk if shape.has_purpose else None, now or timezone.now(),
                    categories if shape.has_purpose else ())
    return Q(ReadableCondition(shape, values, prefix))


def _readable(shape: Shape):
    """Return the condition tree for viewers of this shape (None: nothing is readable)."""
    if shape.subject == "own":  # own data: everything about them
        return ("eq", "subject", SUBJECT)
    if shape.subject == "other":
        personal = _or(_owned_personal(shape), _shared(shape, one_subject=True))
        return _and(("eq", "subject", SUBJECT), _declared(shape), personal)
    about_no_one = ("null", "subject")
    return _or(
        _owned(shape),
        _and(about_no_one, OPEN),
        ("eq", "subject", PERSON) if shape.has_person else None,
        _and(("notnull", "subject"), _declared(shape), _shared(shape, one_subject=False)),
    )


def _declared(shape: Shape):
    """The record's category is one the declaration of the purpose covers."""
    if not shape.has_purpose:
        return None
    return ("in", "category", [Slot(f"category{index}", FIRST_CATEGORY + index)
                               for index in range(shape.declared)])


def _owned(shape: Shape):
    """Records of the viewer's own organisation it may read, beyond open data about no one."""
    if not (shape.is_staff_member or shape.is_client):
        return None
    owner = ("eq", "owner", ORGANIZATION)
    about_no_one_or_declared = _or(("null", "subject"), _declared(shape))
    if shape.is_client:
        # Internal records about no one; with a purpose, unrestricted personal ones too.
        if not shape.has_purpose:
            return _and(owner, ("null", "subject"),
                        ("eq", "classification", Classification.INTERNAL.value))
        return _and(owner, UNRESTRICTED, about_no_one_or_declared)
    roles, personal_roles = shape.roles, shape.personal_roles
    non_personal = ("or", [UNRESTRICTED, ("roles", roles)])
    if shape.has_purpose and personal_roles == roles:  # same rule for both kinds
        return _and(owner, non_personal, about_no_one_or_declared)
    personal = None
    if shape.has_purpose and personal_roles:
        personal = _and(("notnull", "subject"), _declared(shape),
                        ("or", [UNRESTRICTED, ("roles", personal_roles)]))
    return _and(owner, _or(_and(("null", "subject"), non_personal), personal))


def _owned_personal(shape: Shape):
    """Personal records of the viewer's own organisation, the subject being someone else
    (the caller adds the declared categories)."""
    if not shape.has_purpose or not (shape.is_staff_member or shape.is_client):
        return None
    owner = ("eq", "owner", ORGANIZATION)
    if shape.is_client:
        return _and(owner, UNRESTRICTED)
    if not shape.personal_roles:
        return None
    return _and(owner, ("or", [UNRESTRICTED, ("roles", shape.personal_roles)]))


def _shared(shape: Shape, *, one_subject: bool):
    """Unrestricted personal records shared with the viewer's organisation (the caller
    makes sure they are personal and adds the declared categories): by consent or by
    agreement, for the purpose."""
    if not shape.has_purpose or not (shape.personal_roles or shape.is_client):
        return None
    return _and(UNRESTRICTED, ("or", [
        ("consent-subquery", one_subject),
        # One person's records are few: looking their agreements up row by row is
        # cheaper than building every pair the organisation is granted.
        ("agreement-subquery", shape.special_purpose, one_subject),
    ]))


def records_readable(*, viewer: Viewer | None, purpose: Purpose | None, queryset: QuerySet):
    """Return the queryset narrowed to the records the viewer may read for the purpose."""
    if viewer is None:
        return queryset.none()
    return queryset.filter(readable_records_filter(viewer=viewer, purpose=purpose))
