"""Test helpers for the API: organisations, clients with keys, tokens, problem checks."""

import base64
import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

from joserfc import jws

from agora.core.actors import SYSTEM
from agora.organizations.keys import jws_registry, keypair_generate, private_key_load
from agora.organizations.models import ApiClient, Organization
from agora.organizations.services import apiclient_create, organization_create

BASE_URL = "http://testserver"  # tests/settings.py sets AGORA_BASE_URL to this


@dataclass
class KeyedClient:
    """An API client and the private key that only the client holds."""

    client: ApiClient
    private_pem: bytes

    @property
    def client_id(self) -> str:
        return str(self.client.client_id)

    def token(self, **overrides: Any) -> str:
        """Mint a valid token; `overrides` replace claims (None removes one)."""
        return token_for(self, **overrides)

    def headers(self, **overrides: Any) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token(**overrides)}"}


def make_organization(slug: str = "riverton-council", **fields: Any) -> Organization:
    fields.setdefault("name", slug.replace("-", " ").title())
    fields.setdefault("kind", Organization.Kind.GOVERNMENT)
    return organization_create(actor=SYSTEM, slug=slug, **fields)


def make_client(
    organization: Organization | None = None,
    *,
    name: str = "Case system",
    scopes: tuple[str, ...] = ("whoami",),
    alg: str = "EdDSA",
) -> KeyedClient:
    organization = organization or make_organization()
    private_pem, public_jwk = keypair_generate(alg)
    client = apiclient_create(
        actor=SYSTEM,
        organization=organization,
        name=name,
        public_jwk=public_jwk,
        scopes=list(scopes),
    )
    return KeyedClient(client=client, private_pem=private_pem)


def token_for(keyed: KeyedClient, *, header: dict | None = None, **overrides: Any) -> str:
    """Sign a token for `keyed`; each override replaces a claim, None removes it."""
    now = int(time.time())
    claims = {
        "iss": keyed.client_id,
        "sub": keyed.client_id,
        "aud": BASE_URL,
        "iat": now,
        "exp": now + 60,
        "jti": str(uuid.uuid4()),
        "purpose": "case-management",
    }
    claims.update(overrides)
    claims = {name: value for name, value in claims.items() if value is not None}
    key, alg = private_key_load(keyed.private_pem)
    return jws.serialize_compact(
        header or {"alg": alg, "typ": "JWT"},
        json.dumps(claims).encode(),
        key,
        algorithms=[alg],
        registry=jws_registry(alg),
    )


def b64(data: dict | bytes) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64(segment: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


def assert_problem(response, status: int, code: str) -> dict:
    """Assert the response is a problem+json of this status and code; return its body."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/problem+json"), response[
        "Content-Type"
    ]
    body = response.json()
    assert body["code"] == code, body
    assert body["status"] == status
    assert body["type"] == f"{BASE_URL}/problems/{code}"
    assert body["title"] and body["detail"]
    assert body["instance"] == response.wsgi_request.path
    if status == 401:
        assert response["WWW-Authenticate"].startswith("Bearer")
    return body
