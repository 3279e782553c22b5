"""Verify the signed JWT a machine client sends with each request.

A client signs a short-lived token with its private key (EdDSA with Ed25519, or
ES256 with P-256) and sends it as `Authorization: Bearer <JWT>`. `token_verify` returns
the client and the token's claims, or raises one of the errors below, each with its
own problem code so a client developer can tell what to fix.

Nothing is written for a refused token. An accepted token's `jti` is stored until the
token expires, so the same token is never accepted twice.
"""

import base64
import binascii
import json
import re
import uuid
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from joserfc import jws
from joserfc.errors import BadSignatureError, JoseError

from agora.core.compiled import CompiledRead
from agora.core.exceptions import AuthenticationFailed
from agora.organizations.keys import ALLOWED_ALGS, alg_for_jwk, jws_registry, public_key_load
from agora.organizations.models import ApiClient, UsedTokenId
from agora.organizations.scopes import scope_require

MAX_TOKEN_CHARS = 4096
CLOCK_SKEW_SECONDS = 30
MAX_LIFETIME_SECONDS = 300
MAX_JTI_CHARS = 200  # UsedTokenId.jti
MAX_ON_BEHALF_OF_CHARS = 200
ALLOWED_HEADER_MEMBERS = frozenset({"alg", "typ", "kid"})
PURPOSE_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,99}")
_SEGMENT = re.compile(r"[A-Za-z0-9_-]+")


class TokenRefused(AuthenticationFailed):
    """Base of the reasons a token is refused; all are 401 with WWW-Authenticate."""


class InvalidToken(TokenRefused):
    """The Authorization header does not hold a well-formed JWT with the claims the
    platform requires (iss, sub, aud, iat, exp, jti, purpose). The detail names what
    is missing or malformed."""

    code = "invalid-token"
    title = "The token is not a well-formed API token"


class AlgNotAllowed(TokenRefused):
    """The token's `alg` is not one the platform accepts, or does not match the
    client's key. Sign with EdDSA (Ed25519 key) or ES256 (P-256 key); `none` and the
    shared-secret HS algorithms are always refused."""

    code = "alg-not-allowed"
    title = "The token's signing algorithm is not allowed"


class UnknownClient(TokenRefused):
    """The token's `iss` is not the client id of an active API client. Disabled and
    unknown clients get the same answer."""

    code = "unknown-client"
    title = "The token's issuer is not an active API client"


class BadSignature(TokenRefused):
    """The signature does not match the token's contents and the client's registered
    public key. The token was changed after signing, or signed with another key."""

    code = "bad-signature"
    title = "The token's signature does not verify"


class WrongAudience(TokenRefused):
    """The token's `aud` must be the platform's base URL, exactly."""

    code = "wrong-audience"
    title = "The token is meant for another audience"


class TokenNotYetValid(TokenRefused):
    """The token's `iat` (or `nbf`) is in the future, beyond 30 seconds of clock skew.
    Check the client's clock."""

    code = "token-not-yet-valid"
    title = "The token is not valid yet"


class TokenExpired(TokenRefused):
    """The token's `exp` has passed. Mint a fresh token for each request."""

    code = "token-expired"
    title = "The token has expired"


class TokenLifetimeTooLong(TokenRefused):
    """A token may live at most 5 minutes: `exp` may be at most 300 seconds after `iat`."""

    code = "token-lifetime-too-long"
    title = "The token lives longer than 5 minutes"


class TokenReplayed(TokenRefused):
    """A token with this `jti` from this client was already accepted. Each request
    needs a fresh token with a new, unique `jti`."""

    code = "token-replayed"
    title = "The token has already been used"


class PurposeMissing(TokenRefused):
    """Every token must say why the data is needed: a `purpose` claim holding a short
    code (letters, digits, `.`, `_`, `:`, `-`; at most 100 characters)."""

    code = "purpose-missing"
    title = "The token does not state a purpose"


@dataclass(frozen=True)
class VerifiedToken:
    """A token the platform accepted: who sent it, and why."""

    client: ApiClient
    claims: dict[str, Any]
    purpose: str
    on_behalf_of: str | None
    jti: str


def _b64_json(segment: str, what: str) -> dict[str, Any]:
    try:
        raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
        value = json.loads(raw)
    except (binascii.Error, ValueError) as error:
        raise InvalidToken(f"The token's {what} is not base64url-encoded JSON.") from error
    if not isinstance(value, dict):
        raise InvalidToken(f"The token's {what} is not a JSON object.")
    return value


def _number(claims: dict[str, Any], name: str, *, required: bool = True) -> float | None:
    value = claims.get(name)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidToken(f"The token must carry “{name}” as seconds since the epoch.")
    return float(value)


def _split(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    if len(token) > MAX_TOKEN_CHARS:
        raise InvalidToken(f"The token is longer than {MAX_TOKEN_CHARS} characters.")
    segments = token.split(".")
    if len(segments) != 3 or not all(_SEGMENT.fullmatch(s) for s in segments[:2]):
        raise InvalidToken("The token is not a signed JWT (three base64url parts).")
    if segments[2] and not _SEGMENT.fullmatch(segments[2]):
        raise InvalidToken("The token's signature is not base64url.")
    # An empty signature is left for the alg check to refuse ("none" is never allowed).
    return _b64_json(segments[0], "header"), _b64_json(segments[1], "payload")


def _check_header(header: dict[str, Any]) -> str:
    alg = header.get("alg")
    if not isinstance(alg, str) or alg not in ALLOWED_ALGS:
        raise AlgNotAllowed(f"The alg {alg!r} is refused; sign with EdDSA or ES256.")
    unexpected = set(header) - ALLOWED_HEADER_MEMBERS
    if unexpected:
        raise InvalidToken(f"Unexpected token header members: {', '.join(sorted(unexpected))}.")
    typ = header.get("typ")
    if typ is not None and (not isinstance(typ, str) or typ.upper() != "JWT"):
        raise InvalidToken("The token's typ must be JWT.")
    return alg


# The client behind every token, read by its unique id (a slice: no ORDER BY) and
# compiled once per process (decision 51).
_ACTIVE_CLIENT = CompiledRead(
    ApiClient,
    lambda client_id: ApiClient.objects.select_related("organization")
    .filter(client_id=client_id, is_active=True, organization__is_active=True)[:1],
    fields=("client_id",), stand_ins=((uuid.UUID(int=1),), (uuid.UUID(int=2),)),
)


def _client_for(issuer: Any) -> ApiClient:
    if not isinstance(issuer, str) or not issuer:
        raise InvalidToken("The token must carry “iss”: the client id.")
    try:
        client_id = uuid.UUID(issuer)
    except ValueError as error:
        raise UnknownClient("No active API client has this id.") from error
    client = _ACTIVE_CLIENT.first(client_id)
    if client is None:
        raise UnknownClient("No active API client has this id.")
    return client


def _verified_claims(token: str, client: ApiClient, alg: str) -> dict[str, Any]:
    if alg != alg_for_jwk(client.public_jwk):
        raise AlgNotAllowed(
            f"This client's key signs with {alg_for_jwk(client.public_jwk)}, not {alg}."
        )
    key = public_key_load(client.public_jwk)
    try:
        verified = jws.deserialize_compact(
            token, key, algorithms=[alg], registry=jws_registry(alg)
        )
    except BadSignatureError as error:
        raise BadSignature("The signature does not match this client's public key.") from error
    except JoseError as error:
        raise InvalidToken(f"The token could not be read: {error.description}") from error
    claims = json.loads(verified.payload)  # the bytes that were signed, parsed again
    if not isinstance(claims, dict):
        raise InvalidToken("The token's payload is not a JSON object.")
    return claims


def _check_claims(claims: dict[str, Any], client: ApiClient, now: float) -> None:
    if claims.get("sub") != str(client.client_id):
        raise InvalidToken("The token's “sub” must be the client id, like “iss”.")
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if settings.BASE_URL not in audiences:
        raise WrongAudience(f"The token's “aud” must be “{settings.BASE_URL}”.")
    issued_at = _number(claims, "iat")
    expires_at = _number(claims, "exp")
    not_before = _number(claims, "nbf", required=False)
    if issued_at > now + CLOCK_SKEW_SECONDS or (
        not_before is not None and not_before > now + CLOCK_SKEW_SECONDS
    ):
        raise TokenNotYetValid("The token was issued in the future; check the client's clock.")
    if expires_at <= issued_at:
        raise InvalidToken("The token's “exp” must come after its “iat”.")
    if expires_at + CLOCK_SKEW_SECONDS <= now:
        raise TokenExpired("The token has expired; mint a fresh one for each request.")
    if expires_at - issued_at > MAX_LIFETIME_SECONDS:
        raise TokenLifetimeTooLong(
            f"“exp” is {int(expires_at - issued_at)} seconds after “iat”; "
            f"the most allowed is {MAX_LIFETIME_SECONDS}."
        )
    jti = claims.get("jti")
    if not isinstance(jti, str) or not jti or len(jti) > MAX_JTI_CHARS:
        raise InvalidToken(
            f"The token must carry “jti”: a unique string of at most {MAX_JTI_CHARS} characters."
        )
    purpose = claims.get("purpose")
    if not isinstance(purpose, str) or not PURPOSE_PATTERN.fullmatch(purpose):
        raise PurposeMissing("State why the data is needed in “purpose”, as a short code.")
    on_behalf_of = claims.get("on_behalf_of")
    if on_behalf_of is not None and (
        not isinstance(on_behalf_of, str)
        or not on_behalf_of
        or len(on_behalf_of) > MAX_ON_BEHALF_OF_CHARS
    ):
        raise InvalidToken(
            f"“on_behalf_of” must be a string of at most {MAX_ON_BEHALF_OF_CHARS} characters."
        )


# A client's last use is shown to the minute, so it is written at most once a minute,
# and its expired ids are swept then too: a busy client's requests each write only their
# own `jti`, instead of all queueing for a write of the client's one row.
LAST_USE_RESOLUTION = timedelta(minutes=1)


def _token_record_use(client: ApiClient, jti: str, expires_at: float) -> None:
    """Store the `jti` until the token expires and, at most once a minute, note the
    client's last use and sweep its expired ids.

    The unique (client, jti) constraint alone refuses a replay: of two requests carrying
    the same token, whichever inserts second fails and is refused, with no look first.
    """
    now = timezone.now()
    used = UsedTokenId(client=client, jti=jti,
                       expires_at=datetime.fromtimestamp(expires_at + CLOCK_SKEW_SECONDS, tz=UTC))
    try:
        # Outside a transaction (an API request) the insert is a transaction of its own:
        # one round trip, where BEGIN and COMMIT around it made three (decision 46).
        # Inside one, a savepoint keeps a refused replay from dooming the caller's.
        with transaction.atomic() if transaction.get_connection().in_atomic_block \
                else nullcontext():
            used.save(force_insert=True)
    except IntegrityError as error:
        raise TokenReplayed("This token was already used; send a fresh one.") from error
    if client.last_used_at is None or now - client.last_used_at >= LAST_USE_RESOLUTION:
        with transaction.atomic():
            UsedTokenId.objects.filter(client=client, expires_at__lt=now).delete()
            ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
        client.last_used_at = now


def token_verify(*, token: str, scope: str | None = None) -> VerifiedToken:
    """Verify a client's token and, if given, that the client holds `scope`.

    Return the client and the claims, or raise a TokenRefused subclass (401) or
    ScopeNotGranted (403). Only an accepted token is recorded, with the client's use.
    """
    now = timezone.now().timestamp()
    header, unverified = _split(token)
    alg = _check_header(header)
    client = _client_for(unverified.get("iss"))
    claims = _verified_claims(token, client, alg)
    if claims.get("iss") != unverified.get("iss"):  # cannot differ; belt and braces
        raise BadSignature("The token's issuer changed during verification.")
    _check_claims(claims, client, now)
    if scope is not None:
        scope_require(client.scopes, scope)
    _token_record_use(client, claims["jti"], float(claims["exp"]))
    return VerifiedToken(
        client=client,
        claims=claims,
        purpose=claims["purpose"],
        on_behalf_of=claims.get("on_behalf_of"),
        jti=claims["jti"],
    )
