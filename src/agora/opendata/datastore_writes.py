"""DataStore writes row by row: CKAN's datastore_create, datastore_upsert, datastore_delete.

A table made from a file (`datastore.table_load`) and one made by datastore_create are
alike: `_id`, one typed column per field (c0, c1, …), `_full_text`. Here fields are added
to a table, records are checked whole (every bad record named, as a file's bad rows
are) and then inserted, updated or deleted, all inside the caller's transaction, which
holds the table's `DatastoreTable` row locked so two writers never pick the same `_id`.
"""

from typing import Any

from django.db import connection

from agora.opendata.datastore import SQL_TYPES, _filter_value, _invalid, _q, _typed
from agora.opendata.exceptions import LoadFailed

TYPE_NAMES = {
    "int": "int", "int4": "int", "int8": "int", "integer": "int", "bigint": "int",
    "smallint": "int", "int2": "int",
    "numeric": "numeric", "float": "numeric", "float4": "numeric", "float8": "numeric",
    "double precision": "numeric", "real": "numeric", "number": "numeric",
    "text": "text", "varchar": "text", "string": "text",
}
"""CKAN's type names (PostgreSQL's) and the three kinds the DataStore keeps."""

MAX_RECORDS = 100_000


def fields_merge(existing: list[dict], wanted: list[Any]) -> tuple[list[dict], list[dict]]:
    """Return (all fields, the new ones) after adding `wanted` ([{id, type}]) to `existing`.

    A field already there keeps its type (changing it would rewrite every row); asking
    for another type is refused, as is a name used twice or a reserved one.
    """
    by_id = {field["id"]: field for field in existing}
    problems, added = [], []
    if not isinstance(wanted, list):
        raise _invalid("fields", "Must be a list of {id, type}.")
    for position, item in enumerate(wanted):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            problems.append(f"field {position + 1}: must be an object with an “id”")
            continue
        name = item["id"].strip()
        kind = TYPE_NAMES.get(str(item.get("type") or "text").lower())
        if not name or name.startswith("_") or len(name) > 63:
            problems.append(f"field {position + 1}: “{name}” is not a field name (1 to 63 "
                            f"characters, not starting with _)")
        elif kind is None:
            problems.append(f"field “{name}”: type “{item.get('type')}” is not supported; "
                            f"use text, int or numeric")
        elif name in by_id:
            if by_id[name]["type"] != kind:
                problems.append(f"field “{name}” is already {by_id[name]['type']}; its type "
                                f"cannot change")
        else:
            field = {"id": name, "type": kind, "column": f"c{len(existing) + len(added)}"}
            by_id[name] = field
            added.append(field)
    if problems:
        raise _invalid_all("fields", problems)
    return [*existing, *added], added


def _invalid_all(parameter: str, problems: list[str]):
    error = _invalid(parameter, problems[0])
    error.errors = [{"field": parameter, "message": problem} for problem in problems]
    error.detail = "; ".join(problems[:5])
    return error


def fields_infer_from(records: list[dict]) -> list[dict]:
    """Return fields ([{id, type}]) for records sent without any: each key, its kind."""
    names: dict[str, str] = {}
    for record in records:
        if isinstance(record, dict):
            for key, value in record.items():
                kind = "int" if isinstance(value, int) and not isinstance(value, bool) else \
                    "numeric" if isinstance(value, float) else "text"
                previous = names.get(key)
                if previous is None or previous == kind or value is None:
                    names.setdefault(key, kind)
                elif {previous, kind} == {"int", "numeric"}:
                    names[key] = "numeric"
                else:
                    names[key] = "text"
    return [{"id": name, "type": kind} for name, kind in names.items()]


def columns_add(table_name: str, fields: list[dict]) -> None:
    types = SQL_TYPES["postgresql" if connection.vendor == "postgresql" else "sqlite"]
    with connection.cursor() as cursor:
        for field in fields:
            cursor.execute(f"ALTER TABLE {_q(table_name)} ADD COLUMN {_q(field['column'])} "
                           f"{types[field['type']]}")
            cursor.execute(f"CREATE INDEX {_q(table_name + '_' + field['column'])} "
                           f"ON {_q(table_name)} ({_q(field['column'])})")


def table_create(table_name: str, fields: list[dict]) -> None:
    """Create an empty table for fields (datastore_create without a file)."""
    from agora.opendata.datastore import Parsed, table_load

    table_load(table_name, fields, Parsed([field["id"] for field in fields], []))


def unique_index(table_name: str, fields: list[dict], key: list[str]) -> None:
    by_id = {field["id"]: field for field in fields}
    columns = ", ".join(_q(by_id[name]["column"]) for name in key)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE UNIQUE INDEX {_q(table_name + '_pk')} "
                       f"ON {_q(table_name)} ({columns})")


def records_check(records: Any, fields: list[dict], *, key: list[str],
                  needs_key: bool) -> list[dict]:
    """Return the records typed for their fields; refuse them all, naming each bad one."""
    if not isinstance(records, list):
        raise _invalid("records", "Must be a list of objects.")
    if len(records) > MAX_RECORDS:
        raise _invalid("records", f"At most {MAX_RECORDS:,} records in one call.")
    by_id = {field["id"]: field for field in fields}
    typed, bad = [], []
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            bad.append((number, "must be an object of field: value"))
            continue
        unknown = [name for name in record if name not in by_id and name != "_id"]
        if unknown:
            bad.append((number, f"there is no field “{unknown[0]}”"))
            continue
        row, problem = {}, ""
        for name, value in record.items():
            field = by_id.get(name) or {"id": "_id", "type": "int", "column": "_id"}
            if value is None or value == "":
                row[field["column"]] = None
                continue
            if isinstance(value, dict | list | bool):
                problem = f"the value of “{name}” must be a number or text"
                break
            try:
                row[field["column"]] = _typed(str(value), field["type"])
            except ValueError:
                problem = f"“{value}” is not a valid {field['type']} for “{name}”"
                break
        missing = [name for name in key if record.get(name) in (None, "")]
        if not problem and needs_key and missing:
            problem = f"the key field “{missing[0]}” has no value"
        if problem:
            bad.append((number, problem))
        else:
            typed.append(row)
    if bad:
        raise LoadFailed(bad, field="records")
    return typed


def _full_text(values: list[Any]) -> str:
    return " ".join(str(value) for value in values if value not in (None, ""))


def rows_write(table_name: str, fields: list[dict], rows: list[dict], *, method: str,
               key: list[str]) -> int:
    """Insert, update or upsert typed rows by the key's columns (or `_id`); return how many.

    An update of a row that is not there, or an insert of a key that is, refuses the call
    (nothing is written: the caller's transaction rolls back).
    """
    by_id = {field["id"]: field for field in fields}
    key_columns = [by_id[name]["column"] for name in key] or ["_id"]
    columns = [field["column"] for field in fields]
    table = _q(table_name)
    postgres = connection.vendor == "postgresql"
    full_text = "to_tsvector('simple', %s)" if postgres else "%s"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(_id), 0) FROM {table}")
        next_id = cursor.fetchone()[0] + 1
        for number, row in enumerate(rows, start=1):
            found = None
            if all(column in row for column in key_columns):
                where = " AND ".join(f"{_q(column)} = %s" for column in key_columns)
                cursor.execute(f"SELECT _id, {', '.join(_q(c) for c in columns)} FROM {table} "
                               f"WHERE {where}", [row[column] for column in key_columns])
                found = cursor.fetchone()
            if found is not None and method == "insert":
                raise LoadFailed([(number, "a record with this key is already there; use "
                                           "method upsert or update")], field="records")
            if found is None and method == "update":
                raise LoadFailed([(number, "no record has this key")], field="records")
            if found is not None:
                merged = {column: row.get(column, found[index + 1])
                          for index, column in enumerate(columns)}
                sets = ", ".join(f"{_q(column)} = %s" for column in columns)
                cursor.execute(
                    f"UPDATE {table} SET {sets}, _full_text = {full_text} WHERE _id = %s",
                    [*merged.values(), _full_text(list(merged.values())), found[0]])
                continue
            values = [row.get(column) for column in columns]
            row_id = row.get("_id") or next_id
            next_id = max(next_id, row_id) + 1
            names = ", ".join(_q(column) for column in columns)
            holders = ", ".join(["%s"] * len(columns))
            cursor.execute(f"INSERT INTO {table} (_id, {names}, _full_text) "
                           f"VALUES (%s, {holders}, {full_text})",
                           [row_id, *values, _full_text(values)])
    return len(rows)


def rows_delete(table_name: str, fields: list[dict], filters: dict) -> int:
    """Delete the rows matching every filter (field: value or list of values)."""
    by_id = {field["id"]: field for field in fields}
    where, params = [], []
    for name, value in filters.items():
        field = by_id.get(name) or ({"id": "_id", "type": "int", "column": "_id"}
                                    if name == "_id" else None)
        if field is None:
            raise _invalid("filters", f"There is no field “{name}”.")
        values = value if isinstance(value, list) else [value]
        if not values:
            raise _invalid("filters", f"The filter on “{name}” has no values.")
        typed = [_filter_value(item, field) for item in values]
        where.append(f"{_q(field['column'])} IN ({', '.join(['%s'] * len(typed))})")
        params.extend(typed)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_q(table_name)} WHERE {' AND '.join(where)}", params)
        return cursor.rowcount


def row_count(table_name: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {_q(table_name)}")
        return cursor.fetchone()[0]
