"""Fill a benchmark's tables fast, below the ORM: the world of a million rows takes minutes.

COPY on PostgreSQL; on SQLite `executemany` on the driver's connection, with values
written as Django stores them (UUIDs as 32 hex digits, datetimes as naive UTC text,
durations as microseconds, booleans as 0/1).
"""

import uuid
from datetime import UTC, datetime, timedelta


def bulk_rows(table: str, columns: list[str], rows, *, batch: int = 10_000) -> None:
    """Insert rows (an iterable of tuples in `columns` order) into `table`."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        sql = (f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 (fixed names)
               f"VALUES ({', '.join(['?'] * len(columns))})")
        raw = connection.connection
        rows = iter(rows)
        while chunk := [row for _, row in zip(range(batch), rows, strict=False)]:
            raw.executemany(sql, [sqlite_row(row) for row in chunk])


def sqlite_row(row: tuple) -> tuple:
    """Return a row's values as Django's SQLite backend stores them."""
    out = []
    for value in row:
        if isinstance(value, uuid.UUID):
            value = value.hex
        elif isinstance(value, datetime):
            value = value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
        elif isinstance(value, timedelta):
            value = int(value.total_seconds() * 1_000_000)
        elif isinstance(value, bool):
            value = int(value)
        out.append(value)
    return tuple(out)
