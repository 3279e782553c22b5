"""The DataStore: a CSV or JSON resource's rows in a table of their own, and its queries.

Each loaded resource gets one table (`datastore_<resource uuid>`, like CKAN's), with an
integer `_id`, one typed column per field (named c0, c1, … so no header ever reaches
SQL as a name), an index on each column, and the row's text for full-text search
(`_full_text`: a GIN-indexed tsvector on PostgreSQL, plain text on SQLite). Decision 41
says why. A file is parsed and checked whole before anything is written, and the table
is created and filled inside the caller's transaction: a bad file loads nothing.
"""

import csv
import io
import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import connection

from agora.core.exceptions import InvalidInput
from agora.opendata.exceptions import LoadFailed

MAX_BAD_ROWS = 1000  # stop reading after this many: the report is long enough
INSERT_BATCH = 1000
SQL_TYPES = {
    "postgresql": {"int": "BIGINT", "numeric": "DOUBLE PRECISION", "text": "TEXT"},
    "sqlite": {"int": "INTEGER", "numeric": "REAL", "text": "TEXT"},
}
_INT = re.compile(r"^[+-]?\d{1,18}$")


@dataclass(frozen=True)
class Parsed:
    """A file's fields (header names, in order) and its rows as lists of text or None."""

    headers: list[str]
    rows: list[list[str | None]]


def _decode(data: bytes) -> str:
    """Return the text of a UTF-8 file; refuse one that is not, naming each bad line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    bad = []
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as error:
            bad.append((number, f"not UTF-8 text (byte 0x{line[error.start]:02x} at "
                                f"character {error.start + 1}); save the file as UTF-8"))
            if len(bad) >= MAX_BAD_ROWS:
                break
    raise LoadFailed(bad)


def _headers_check(headers: list[str]) -> list[str]:
    names = [header.strip() for header in headers]
    problems = []
    if not any(names):
        problems.append("the first line must name the columns")
    blank = [str(i + 1) for i, name in enumerate(names) if not name]
    if blank and any(names):
        problems.append(f"column(s) {', '.join(blank)} have no name")
    seen: set[str] = set()
    for name in names:
        if name and name in seen:
            problems.append(f"the column name “{name}” is used twice")
        seen.add(name)
    if problems:
        raise LoadFailed([(1, problem) for problem in problems])
    return names


def parse_csv(data: bytes) -> Parsed:
    """Read a CSV file (UTF-8, comma or semicolon); refuse ragged rows, naming each."""
    text = _decode(data)
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers = _headers_check(next(reader))
    except StopIteration:
        raise LoadFailed([(1, "the file is empty")]) from None
    except csv.Error as error:
        raise LoadFailed([(1, str(error))]) from None
    rows: list[list[str | None]] = []
    bad: list[tuple[int, str]] = []
    try:
        for row in reader:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # blank line
            if len(row) != len(headers):
                bad.append((reader.line_num, f"expected {len(headers)} values, found {len(row)}"))
                if len(bad) >= MAX_BAD_ROWS:
                    break
                continue
            rows.append([value if value.strip() else None for value in row])
    except csv.Error as error:
        bad.append((reader.line_num, str(error)))
    if bad:
        raise LoadFailed(bad)
    return Parsed(headers, rows)


def _cell(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    text = str(value)
    return text if text.strip() else None


def parse_json(data: bytes) -> Parsed:
    """Read a JSON file: a list of objects (or {"records": [...]}); refuse anything else."""
    text = _decode(data)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise LoadFailed([(error.lineno, f"not valid JSON ({error.msg})")]) from None
    if isinstance(document, dict) and isinstance(document.get("records"), list):
        document = document["records"]
    if not isinstance(document, list):
        raise LoadFailed([(1, "expected a list of objects, one per row")])
    headers: list[str] = []
    bad = []
    for number, item in enumerate(document, start=1):
        if not isinstance(item, dict):
            bad.append((number, f"row {number} is a {type(item).__name__}, not an object"))
            continue
        for key in item:
            if key not in headers:
                headers.append(key)
    if bad:
        raise LoadFailed(bad)
    if not headers:
        raise LoadFailed([(1, "there are no rows with fields")])
    _headers_check(headers)
    rows = [[_cell(item.get(key)) for key in headers] for item in document]
    return Parsed(headers, rows)


def parse(data: bytes, data_format: str) -> Parsed:
    """Parse a CSV or JSON file by its format."""
    if data_format.upper() == "JSON":
        return parse_json(data)
    return parse_csv(data)


def _infer(values: list[str | None]) -> str:
    if all(value is None for value in values):
        return "text"  # nothing to go by (an empty column, or no rows yet)
    kind = "int"
    for value in values:
        if value is None:
            continue
        value = value.strip()
        if kind == "int" and _INT.match(value):
            continue
        try:
            Decimal(value)
        except InvalidOperation:
            return "text"
        if value.lower() in {"nan", "inf", "-inf", "infinity", "+inf"}:
            return "text"
        kind = "numeric"
    return kind


def fields_infer(parsed: Parsed) -> list[dict[str, str]]:
    """Return the fields with their types (int, numeric, text) and column names."""
    return [
        {"id": header, "type": _infer([row[index] for row in parsed.rows]),
         "column": f"c{index}"}
        for index, header in enumerate(parsed.headers)
    ]


def _typed(value: str | None, kind: str) -> Any:
    if value is None:
        return None
    if kind == "int":
        return int(value.strip())
    if kind == "numeric":
        return float(value.strip())
    return value


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def table_load(table_name: str, fields: list[dict[str, str]], parsed: Parsed) -> int:
    """Create the table and load every row; call it inside a transaction. Return the count."""
    vendor = connection.vendor
    types = SQL_TYPES["postgresql" if vendor == "postgresql" else "sqlite"]
    full_text_type = "TSVECTOR" if vendor == "postgresql" else "TEXT"
    columns = ", ".join(f"{_q(field['column'])} {types[field['type']]}" for field in fields)
    table = _q(table_name)
    names = ", ".join(_q(field["column"]) for field in fields)
    holders = ", ".join(["%s"] * len(fields))
    full_text = "to_tsvector('simple', %s)" if vendor == "postgresql" else "%s"
    insert = (f"INSERT INTO {table} (_id, {names}, _full_text) "
              f"VALUES (%s, {holders}, {full_text})")
    with connection.cursor() as cursor:
        id_type = "BIGINT" if vendor == "postgresql" else "INTEGER"  # SQLite: the rowid
        cursor.execute(f"CREATE TABLE {table} (_id {id_type} PRIMARY KEY, {columns}, "
                       f"_full_text {full_text_type})")
        batch = []
        for number, row in enumerate(parsed.rows, start=1):
            values = [_typed(value, field["type"])
                      for value, field in zip(row, fields, strict=True)]
            batch.append([number, *values, " ".join(value for value in row if value)])
            if len(batch) >= INSERT_BATCH:
                cursor.executemany(insert, batch)
                batch = []
        if batch:
            cursor.executemany(insert, batch)
        for field in fields:
            cursor.execute(f"CREATE INDEX {_q(table_name + '_' + field['column'])} "
                           f"ON {table} ({_q(field['column'])})")
        if vendor == "postgresql":
            cursor.execute(f"CREATE INDEX {_q(table_name + '_ft')} ON {table} "
                           f"USING GIN (_full_text)")
    return len(parsed.rows)


def table_drop(table_name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {_q(table_name)}")


class QueryInvalid(InvalidInput):
    """A datastore_search parameter that names no field or has a value of the wrong type;
    `errors` name the parameter."""

    code = "datastore-query-invalid"
    title = "The DataStore query is invalid"


@dataclass(frozen=True)
class Query:
    filters: dict[str, Any]
    q: str | dict[str, str]
    fields: list[str] | None
    sort: str
    limit: int
    offset: int
    include_total: bool


@dataclass(frozen=True)
class Page:
    fields: list[dict[str, str]]
    rows: list[tuple]
    total: int | None


def _invalid(parameter: str, message: str) -> QueryInvalid:
    return QueryInvalid(message, errors=[{"field": parameter, "message": message}])


def _filter_value(value: Any, field: dict[str, str]) -> Any:
    if isinstance(value, dict | list | bool) or value is None:
        raise _invalid("filters", f"The filter on “{field['id']}” must be a value.")
    try:
        return _typed(str(value), field["type"])
    except ValueError:
        raise _invalid("filters", f"“{value}” is not a valid {field['type']} for "
                                  f"“{field['id']}”.") from None


def _like(value: str) -> str:
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def table_query(table_name: str, fields: list[dict[str, str]], query: Query) -> Page:
    """Run one datastore_search: filters, full text, the chosen fields, sort and a page."""
    by_id = {field["id"]: field for field in fields}
    id_field = {"id": "_id", "type": "int", "column": "_id"}
    where, params = [], []
    for name, value in query.filters.items():
        field = by_id.get(name) or (id_field if name == "_id" else None)
        if field is None:
            raise _invalid("filters", f"There is no field “{name}”.")
        values = value if isinstance(value, list) else [value]
        if not values:
            raise _invalid("filters", f"The filter on “{name}” has no values.")
        typed = [_filter_value(item, field) for item in values]
        where.append(f"{_q(field['column'])} IN ({', '.join(['%s'] * len(typed))})")
        params.extend(typed)
    postgres = connection.vendor == "postgresql"
    texts = {"": query.q} if isinstance(query.q, str) else query.q
    for name, text in texts.items():
        if not isinstance(text, str):
            raise _invalid("q", "Full-text search takes text.")
        if not text.strip():
            continue
        if name:
            field = by_id.get(name)
            if field is None:
                raise _invalid("q", f"There is no field “{name}”.")
            op = "ILIKE" if postgres else "LIKE"
            cast = "::text" if postgres else ""
            where.append(f"{_q(field['column'])}{cast} {op} %s ESCAPE '\\'")
            params.append(_like(text))
        elif postgres:
            where.append("_full_text @@ plainto_tsquery('simple', %s)")
            params.append(text)
        else:
            for word in text.split():
                where.append("_full_text LIKE %s ESCAPE '\\'")
                params.append(_like(word))
    chosen = fields
    if query.fields is not None:
        unknown = [name for name in query.fields if name not in by_id and name != "_id"]
        if unknown:
            raise _invalid("fields", f"There is no field “{unknown[0]}”.")
        chosen = [by_id[name] for name in query.fields if name != "_id"]
    order = []
    for part in filter(None, (part.strip() for part in query.sort.split(","))):
        words = part.split()
        name = words[0].strip('"')
        direction = words[1].lower() if len(words) > 1 else "asc"
        field = by_id.get(name) or (id_field if name == "_id" else None)
        if field is None or direction not in {"asc", "desc"} or len(words) > 2:
            raise _invalid("sort", f"Cannot sort by “{part}”: name a field, then asc or desc.")
        order.append(f"{_q(field['column'])} {direction.upper()}")
    order.append("_id ASC")
    table = _q(table_name)
    condition = f"WHERE {' AND '.join(where)}" if where else ""
    columns = ", ".join(["_id", *(_q(field["column"]) for field in chosen)])
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {table} {condition} "
            f"ORDER BY {', '.join(order)} LIMIT %s OFFSET %s",
            [*params, query.limit, query.offset],
        )
        rows = cursor.fetchall()
        total = None
        if query.include_total:
            cursor.execute(f"SELECT COUNT(*) FROM {table} {condition}", params)
            total = cursor.fetchone()[0]
    return Page(fields=[id_field, *chosen], rows=rows, total=total)


def delimited(rows: list[tuple], delimiter: str) -> str:
    """Return rows as CSV or TSV text (CKAN's records_format csv and tsv)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerows(rows)
    return out.getvalue()
