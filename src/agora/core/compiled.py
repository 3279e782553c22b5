"""Hot reads by a key, compiled to SQL once per process instead of on every call.

Django builds a queryset and compiles its SQL afresh each time it runs: for a read of
one row by a key with `select_related`, about half of the read's Python time (the API
client behind every token, a request by its reference: docs/benchmarks.md, decision 51).
A `CompiledRead` builds its queryset once per database, with stand-in keys, keeps the
SQL, the columns and the converters Django compiled, and on each call sends the same
SQL with the keys in the stand-ins' places; rows become model instances as Django's own
`ModelIterable` makes them (`Model.from_db`, then the `select_related` rows).

Written here rather than taken from a library: no maintained package caches Django's
compiled SQL (Django itself has no prepared querysets), and the parts used are the
compiler's public attributes (`select`, `klass_info`, `col_count`) that `ModelIterable`
reads. Only keys compared with `exact` (or `gt`, `lt`…) may vary: each is prepared for
the database by its field (`get_db_prep_value`), as Django prepares the value of such a
lookup, and the first compile checks that both give the same parameters.
"""

from collections.abc import Callable
from dataclasses import dataclass
from itertools import chain
from typing import Any, Generic, TypeVar

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    positions: tuple[int, ...]  # of each key in params
    compiler: Any  # the SQLCompiler, with `select` and `klass_info` filled by as_sql
    converters: dict
    init_list: list[str]
    start: int
    end: int
    populators: list


class CompiledRead(Generic[M]):
    """One queryset shape, compiled once per database; `first(*keys)` runs it for keys.

    `build(*keys)` returns the queryset of `model` for its keys, each used exactly once
    and compared with the field of the same place in `fields` (`exact`, or a comparison
    such as `gt` that prepares its value as the field does); `stand_ins` are two tuples of
    keys, different in every place, that find where each key sits among the parameters.
    """

    def __init__(self, model: type[M], build: Callable[..., QuerySet[M]], *,
                 fields: tuple[str, ...], stand_ins: tuple[tuple[Any, ...], tuple[Any, ...]]):
        self.model = model
        self.build = build
        self.field_names = fields
        self.stand_ins = stand_ins
        self._by_alias: dict[str, _Compiled] = {}

    def _compile(self, alias: str) -> _Compiled:
        connection = connections[alias]
        self.fields = [self.model._meta.get_field(name) for name in self.field_names]
        compiled = []
        for keys in self.stand_ins:
            compiler = self.build(*keys).query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            compiled.append((compiler, sql, tuple(params)))
        (compiler, sql, params), (_, other_sql, other_params) = compiled
        differ = [n for n, (a, b) in enumerate(zip(params, other_params, strict=True))
                  if a != b]
        positions = []
        for field, key in zip(self.fields, self.stand_ins[0], strict=True):
            prepared = field.get_db_prep_value(key, connection)
            positions += [n for n in differ if params[n] == prepared]
        if sql != other_sql or sorted(positions) != differ or len(differ) != len(self.fields):
            raise ValueError("Each key of a CompiledRead must appear once among the "
                             "parameters, prepared as its field prepares it (an exact match "
                             "or a comparison); this queryset does not have that shape.")
        select, klass_info = compiler.select, compiler.klass_info
        fields = [column[0] for column in select[0:compiler.col_count]]
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        return _Compiled(
            sql=sql, params=params, positions=tuple(positions), compiler=compiler,
            converters=compiler.get_converters(fields),
            init_list=[column[0].target.attname for column in select[start:end]],
            start=start, end=end,
            populators=get_related_populators(klass_info, select, alias))

    def all(self, *keys: Any) -> list[M]:
        """Return the rows the queryset would return for these keys, as model instances."""
        alias = router.db_for_read(self.model)
        compiled = self._by_alias.get(alias)
        if compiled is None:
            compiled = self._by_alias[alias] = self._compile(alias)
        connection = connections[alias]
        params = list(compiled.params)
        for position, field, key in zip(compiled.positions, self.fields, keys, strict=True):
            params[position] = field.get_db_prep_value(key, connection)
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows: Any = cursor.fetchall()
        if compiled.converters:
            rows = compiled.compiler.apply_converters(chain(rows), compiled.converters)
        model = compiled.compiler.klass_info["model"]
        found = []
        for row in rows:
            instance = model.from_db(alias, compiled.init_list, row[compiled.start:compiled.end])
            for populator in compiled.populators:
                populator.populate(row, instance)
            found.append(instance)
        return found

    def first(self, *keys: Any) -> M | None:
        """Return the first row for these keys, or None (slice the queryset to one row)."""
        rows = self.all(*keys)
        return rows[0] if rows else None
