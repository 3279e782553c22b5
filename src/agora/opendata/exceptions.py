"""Errors of the open data app, on the one hierarchy (`core.exceptions`).

The CKAN Action API maps each to CKAN's own error shape (`ckan.errors`)."""

from agora.core.exceptions import AgoraError, InvalidInput


class SearchQueryInvalid(InvalidInput):
    """A `q`, `fq` or `sort` that the catalogue's query syntax cannot read."""

    code = "search-query-invalid"
    title = "The search query is invalid"


class LoadFailed(InvalidInput):
    """A CSV or JSON file that cannot be loaded into the DataStore: each bad row with its
    line and reason, so the publisher can fix them all at once. Nothing was loaded."""

    code = "datastore-load-failed"
    title = "The file has rows that cannot be loaded"

    def __init__(self, rows: list[tuple[int, str]], *, field: str = "upload"):
        self.rows = rows
        shown = [f"line {line}: {reason}" for line, reason in rows[:100]]
        if len(rows) > 100:
            shown.append(f"… and {len(rows) - 100} more bad rows")
        super().__init__(
            f"{len(rows)} row(s) cannot be loaded; nothing was loaded. " + "; ".join(shown[:5]),
            errors=[{"field": field, "message": message} for message in shown],
        )


class ActionInvalid(AgoraError):
    """A CKAN action parameter of the wrong type or out of range (CKAN's Validation Error)."""

    code = "ckan-invalid-parameter"
    status = 409
    title = "A parameter of the CKAN action is invalid"

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}", errors=[{"field": field, "message": message}])


class ActionBadRequest(AgoraError):
    """An unknown CKAN action, a write sent as GET, or a body that is not JSON."""

    code = "ckan-bad-request"
    status = 400
    title = "The CKAN action cannot be run as sent"
