"""The scopes an API client may be granted, each with what it allows.

An operation names the one scope it needs (`organizations.auth.client_auth`); a token
from a client without that scope gets 403 `scope-not-granted`. Add a scope here, with
a description a data protection officer can read, before any operation uses it.
"""

from agora.core.exceptions import PermissionDenied

SCOPES: dict[str, str] = {
    "whoami": "See which client and organisation a token belongs to.",
    "records:read": (
        "Read the records about a person that the organisation holds, or that an active "
        "agreement or the person's consent shares with it, for the token's purpose."
    ),
    "records:write": (
        "Create, update and delete the organisation's own records about people."
    ),
    "documents:read": (
        "Search the hub's documents including the organisation's own internal ones (open "
        "and public documents need no token)."
    ),
    "documents:write": (
        "Publish documents into the hub as the organisation: new documents and new "
        "versions of its own."
    ),
    "datasets:write": (
        "Publish the organisation's open datasets through the CKAN Action API: create "
        "datasets, change their details and add resources, whose rows are loaded into the "
        "DataStore (reading open data needs no token)."
    ),
    "services:write": (
        "Add the organisation's services to the shared catalogue, change them and "
        "withdraw them (reading the catalogue needs no token)."
    ),
    "cases:read": (
        "Read the requests the organisation handles: their status, deadline and timeline."
    ),
    "cases:write": (
        "Create requests for the organisation's own services, change their status, add "
        "messages, notes and document requests to their timeline."
    ),
    "webhooks:manage": (
        "Subscribe the organisation's own HTTPS endpoints to events (new requests, status "
        "changes, withdrawn consents, …), rotate their secrets, pause them, and read and "
        "replay their deliveries. Events carry ids, never personal details."
    ),
    "people:lookup": (
        "Find a person by national identifier, only when the organisation may read at "
        "least one of their records for the token's purpose."
    ),
}


class ScopeNotGranted(PermissionDenied):
    """The client's token is valid, but the client has not been granted the scope this
    operation needs. An administrator of the organisation can grant it."""

    code = "scope-not-granted"
    title = "This client has not been granted the scope this operation needs"


def scope_describe(scope: str) -> str:
    """Return what a scope allows; raise KeyError for a scope nobody declared."""
    return SCOPES[scope]


def scope_require(granted: list[str], scope: str) -> None:
    """Raise ScopeNotGranted unless `scope` is among the `granted` ones."""
    if scope not in SCOPES:
        raise ValueError(f"Undeclared scope {scope!r}; declare it in organizations.scopes.")
    if scope not in granted:
        raise ScopeNotGranted(f"This operation needs the scope “{scope}”.")
