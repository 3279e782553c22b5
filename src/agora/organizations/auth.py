"""The ninja authentication for machine clients: a signed JWT per request, and a scope.

Use it on an operation with `**client_auth("<scope>")`; the handler then finds the
verified token (client, purpose, on_behalf_of) in `request.auth`.
"""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from agora.core.exceptions import AuthenticationFailed
from agora.core.problems import problems
from agora.organizations.scopes import SCOPES
from agora.organizations.tokens import InvalidToken, VerifiedToken, token_verify


class ClientToken(HttpBearer):
    """`Authorization: Bearer <JWT>`, signed by the API client's private key."""

    openapi_bearerFormat = "JWT"
    openapi_description = (
        "A JWT signed with the API client's private key (alg EdDSA with an Ed25519 key, "
        "or ES256 with a P-256 key), fresh for each request. Claims: iss and sub = the "
        "client id; aud = the platform's base URL; iat; exp at most 300 s after iat; "
        "a unique jti (replays are refused); purpose (a short code); optional "
        "on_behalf_of. See /problems/ for the reasons a token can be refused."
    )

    def __init__(self, scope: str):
        if scope not in SCOPES:
            raise ValueError(f"Undeclared scope {scope!r}; declare it in organizations.scopes.")
        self.scope = scope
        super().__init__()

    def __call__(self, request: HttpRequest) -> VerifiedToken:
        value = request.headers.get("Authorization", "")
        if not value:
            raise AuthenticationFailed(
                "Send a signed token in the header “Authorization: Bearer <JWT>”."
            )
        scheme, _, token = value.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise InvalidToken("The Authorization header must be “Bearer <JWT>”.")
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> VerifiedToken:
        return token_verify(token=token, scope=self.scope)


def client_auth(scope: str, *statuses: int) -> dict[str, Any]:
    """Return the operation arguments that require a client token holding `scope`,
    declaring the problems (`statuses`) the operation adds to the token's own."""
    return {
        "auth": ClientToken(scope),
        # core.problems.document lists the scope in the operation's security requirement.
        "openapi_extra": {"x-required-scope": scope, **problems(*statuses)},
    }
