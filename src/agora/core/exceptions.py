"""The one error hierarchy. Each error has a stable code, an HTTP status and a plain detail.

The API turns these into RFC 9457 problem+json (see `core.problems`); pages show the
same `detail` in the GOV.UK error summary.
"""

from typing import Any


class AgoraError(Exception):
    """Base of every error Agora raises on purpose."""

    code = "error"
    status = 400
    title = "Something is wrong with the request"

    def __init__(self, detail: str | None = None, *, errors: list[dict[str, Any]] | None = None):
        self.detail = detail or self.title
        self.errors = errors or []
        super().__init__(self.detail)


class InvalidInput(AgoraError):
    code = "invalid-input"
    status = 422
    title = "The request has invalid values"

    @classmethod
    def from_validation_error(cls, error: Any) -> "InvalidInput":
        """Turn Django's ValidationError (from full_clean or a validator) into field errors."""
        if hasattr(error, "error_dict"):
            errors = [
                {"field": field, "message": message}
                for field, messages in error.message_dict.items()
                for message in messages
            ]
        else:
            errors = [{"field": "", "message": message} for message in error.messages]
        detail = " ".join(item["message"] for item in errors) or cls.title
        return cls(detail, errors=errors)


class NotFound(AgoraError):
    """Missing and forbidden look the same to the caller (fail closed)."""

    code = "not-found"
    status = 404
    title = "Not found"


class PermissionDenied(AgoraError):
    code = "forbidden"
    status = 403
    title = "You do not have permission to do this"


class Conflict(AgoraError):
    code = "conflict"
    status = 409
    title = "This conflicts with what is already there"


class AuthenticationFailed(AgoraError):
    code = "unauthenticated"
    status = 401
    title = "Authentication is required"
