"""CSV and JSON data: the columns, a preview, and every row as searchable text.

The first section lists the columns and the row count; the rows follow, a section per
block of `ROWS_PER_SECTION`, each row written "column: value; …" so a search for a value
finds the block it is in. The metadata keeps the columns and a preview of the first rows.
"""

import csv
import io
import json

from agora.content.extraction.base import Extracted, ExtractionError, SectionDraft
from agora.content.extraction.text import decode

ROWS_PER_SECTION = 50
PREVIEW_ROWS = 5


def _rows_sections(columns: list[str], rows: list[dict]) -> list[SectionDraft]:
    sections = [SectionDraft(
        ("Columns",),
        f"{len(rows)} rows. Columns: {', '.join(columns)}.",
    )]
    for start in range(0, len(rows), ROWS_PER_SECTION):
        block = rows[start:start + ROWS_PER_SECTION]
        lines = ["; ".join(f"{column}: {row.get(column, '')}" for column in columns
                           if str(row.get(column, "")).strip())
                 for row in block]
        label = f"Rows {start + 1} to {start + len(block)}"
        sections.append(SectionDraft(("Data", label), "\n".join(lines)))
    return sections


def _table(media_type: str, columns: list[str], rows: list[dict]) -> Extracted:
    preview = [{column: str(row.get(column, "")) for column in columns}
               for row in rows[:PREVIEW_ROWS]]
    return Extracted(
        media_type=media_type,
        sections=_rows_sections(columns, rows),
        metadata={"columns": columns, "row_count": len(rows), "preview": preview},
    )


def extract_csv(data: bytes) -> Extracted:
    text = decode(data)
    if not text.strip():
        raise ExtractionError("The CSV file is empty.")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    try:
        reader = csv.reader(io.StringIO(text), dialect)
        header = next(reader)
        columns = [name.strip() or f"column {n + 1}" for n, name in enumerate(header)]
        rows = [dict(zip(columns, (value.strip() for value in values), strict=False))
                for values in reader if any(value.strip() for value in values)]
    except (csv.Error, StopIteration) as error:
        raise ExtractionError(f"The CSV file is malformed ({error}).") from None
    return _table("text/csv", columns, rows)


def _flatten(value, prefix: str = "") -> list[str]:
    if isinstance(value, dict):
        return [line for key, item in value.items()
                for line in _flatten(item, f"{prefix}{key}.")]
    if isinstance(value, list):
        return [line for n, item in enumerate(value) for line in _flatten(item, f"{prefix}{n}.")]
    return [f"{prefix.rstrip('.')}: {value}"]


def extract_json(data: bytes) -> Extracted:
    try:
        value = json.loads(decode(data))
    except (json.JSONDecodeError, RecursionError) as error:
        raise ExtractionError(f"The JSON file is malformed ({error}).") from None
    if isinstance(value, dict) and isinstance(value.get("data"), list):
        value = value["data"]
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        columns = list(dict.fromkeys(key for item in value for key in item))
        rows = [{key: (json.dumps(item[key]) if isinstance(item.get(key), dict | list)
                       else item.get(key, "")) for key in columns} for item in value]
        return _table("application/json", [str(c) for c in columns], rows)
    lines = _flatten(value)
    sections = [SectionDraft((), "\n".join(lines[start:start + ROWS_PER_SECTION]))
                for start in range(0, len(lines), ROWS_PER_SECTION)] or [
                    SectionDraft((), json.dumps(value))]
    return Extracted(media_type="application/json", sections=sections,
                     metadata={"preview": lines[:PREVIEW_ROWS]})
