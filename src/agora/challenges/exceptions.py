"""The challenges' own refusals, on the project's error hierarchy."""

from agora.core.exceptions import Conflict, InvalidInput


class WrongPhase(Conflict):
    code = "wrong-phase"
    title = "The challenge is not in a phase that allows this"


class AlreadySupported(Conflict):
    code = "already-supported"
    title = "You already support this proposal"


def field_error(field: str, message: str) -> InvalidInput:
    """Return an InvalidInput that names the field, for the page's error summary."""
    return InvalidInput(message, errors=[{"field": field, "message": message}])
