"""Errors of the requests app; each is a problem+json on the API and a message on pages."""

from agora.core.exceptions import AgoraError, Conflict, NotFound


class TransitionNotAllowed(Conflict):
    """The request cannot move to this status from the status it is in now. The
    problem's `errors` list the statuses it may move to; a request that has ended
    (approved, refused, completed, withdrawn) moves no further."""

    code = "status-change-not-allowed"
    title = "The request cannot move to this status from its current one"


class StaleVersion(Conflict):
    """The request changed since you read it: the version you sent (`If-Match` or
    `version`) is not its current one. Read the request again, check that your change
    still makes sense, and send it with the new version."""

    code = "stale-version"
    title = "The request changed since you read it"


class VersionRequired(AgoraError):
    """A status change must say which version of the request it was decided on, in an
    `If-Match` header (the ETag of the last read) or a `version` field, so that two
    systems changing the same request cannot silently overwrite each other."""

    code = "version-required"
    status = 428
    title = "Say which version of the request this change is based on"


class RequestClosed(Conflict):
    """The request has ended, so it takes no more messages, documents, deadline changes or
    referrals. Make a new request instead."""

    code = "request-closed"
    title = "The request has ended"


# One detail for every refusal that must look like absence: never vary it.
NOTHING_FOUND_DETAIL = "No request has this reference, or it is not one you may see."


def case_not_found() -> NotFound:
    """Return the one error for "missing or refused", identical in every case."""
    return NotFound(NOTHING_FOUND_DETAIL)
