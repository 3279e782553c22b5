"""Errors of the records app and of the exchange API."""

from agora.core.exceptions import Conflict, InvalidInput, NotFound


class UnknownPurpose(InvalidInput):
    """The token's `purpose` is not one of the platform's purposes. Use a purpose code
    from the shared vocabulary (for example `benefit-assessment` or `debt-advice`);
    agreements and consents are granted for those purposes only."""

    code = "unknown-purpose"
    title = "The purpose is not one the platform knows"


class ExternalRefTaken(Conflict):
    """Your organisation already holds a record under this `external_ref`, about another
    person. A reference names one record about one person; delete the old record or
    use a new reference."""

    code = "external-ref-taken"
    title = "This reference is already used for another person's record"


# One detail for every refusal that must look like absence (an unknown person, an unknown
# record, one this viewer may not see): never vary it, so it reveals nothing.
NOTHING_FOUND_DETAIL = "Nothing is there that you may see for this purpose."


def nothing_found() -> NotFound:
    """Return the one error for "missing or refused", identical in every case."""
    return NotFound(NOTHING_FOUND_DETAIL)
