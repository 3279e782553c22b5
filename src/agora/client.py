"""A small client for Agora's API that signs every request with the client's private key.

    from agora.client import AgoraClient

    agora = AgoraClient(
        "https://agora.example.org",
        "0b7c…-client-id",
        private_key_path="riverton-caseworker.pem",
        purpose="case-management",
    )
    agora.get("/api/v1/whoami")

Each request carries a fresh token (new `jti`, 60-second lifetime) minted by
`mint_token`, which other HTTP libraries can use directly. Standard library only,
apart from joserfc; it does not need Django.
"""

import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from typing import Any

from joserfc import jws

from agora.organizations.keys import ClientKey, jws_registry, private_key_load

DEFAULT_LIFETIME_SECONDS = 60


class ApiProblem(Exception):
    """The API answered with an error; `problem` holds its problem+json document."""

    def __init__(self, status: int, problem: dict[str, Any]):
        self.status = status
        self.problem = problem
        self.code = problem.get("code", "")
        self.detail = problem.get("detail", "")
        super().__init__(f"{status} {self.code}: {self.detail}")


def mint_token(
    *,
    client_id: str,
    key: ClientKey | bytes | str,
    audience: str,
    purpose: str,
    on_behalf_of: str | None = None,
    lifetime: int = DEFAULT_LIFETIME_SECONDS,
    issued_at: int | None = None,
    jti: str | None = None,
    alg: str | None = None,
    extra_claims: dict[str, Any] | None = None,
) -> str:
    """Return a signed token for one request.

    `key` is the client's private key: PEM bytes or text, or a loaded joserfc key.
    `audience` is the platform's base URL (e.g. "https://agora.example.org"), with no
    trailing slash. Every call makes a new `jti`, so a token is good for one request.
    """
    loaded, key_alg = private_key_load(key) if isinstance(key, bytes | str) else (key, None)
    if key_alg is None:
        public = loaded.as_dict(private=False)
        key_alg = "EdDSA" if public.get("kty") == "OKP" else "ES256"
    alg = alg or key_alg
    now = int(time.time()) if issued_at is None else issued_at
    claims: dict[str, Any] = {
        "iss": str(client_id),
        "sub": str(client_id),
        "aud": audience.rstrip("/"),
        "iat": now,
        "exp": now + lifetime,
        "jti": jti or str(uuid.uuid4()),
        "purpose": purpose,
    }
    if on_behalf_of is not None:
        claims["on_behalf_of"] = on_behalf_of
    claims.update(extra_claims or {})
    payload = json.dumps(claims, separators=(",", ":")).encode()
    return jws.serialize_compact(
        {"alg": alg, "typ": "JWT"}, payload, loaded, algorithms=[alg], registry=jws_registry(alg)
    )


class AgoraClient:
    """Call the Agora API as one API client; every request is signed afresh."""

    def __init__(
        self,
        base_url: str,
        client_id: str,
        private_key_path: str | Path | None = None,
        *,
        key: ClientKey | bytes | str | None = None,
        purpose: str,
        audience: str | None = None,
        timeout: float = 30,
    ):
        if (private_key_path is None) == (key is None):
            raise ValueError("Give either private_key_path or key.")
        if private_key_path is not None:
            key = Path(private_key_path).read_bytes()
        self.key, self.alg = private_key_load(key) if isinstance(key, bytes | str) else (key, None)
        if urllib.parse.urlsplit(base_url).scheme not in {"http", "https"}:
            raise ValueError("base_url must be an http or https URL.")
        self.base_url = base_url.rstrip("/")
        self.client_id = str(client_id)
        self.purpose = purpose
        self.audience = (audience or self.base_url).rstrip("/")
        self.timeout = timeout

    def token(self, *, purpose: str | None = None, on_behalf_of: str | None = None) -> str:
        """Return a fresh token for one request."""
        return mint_token(
            client_id=self.client_id,
            key=self.key,
            audience=self.audience,
            purpose=purpose or self.purpose,
            on_behalf_of=on_behalf_of,
            alg=self.alg,
        )

    def get(self, path: str, *, params: dict[str, Any] | None = None, **token_args: Any) -> Any:
        """GET `path` (e.g. "/api/v1/whoami"); return the decoded JSON answer."""
        return self.request("GET", path, params=params, **token_args)

    def post(self, path: str, json_body: Any = None, **token_args: Any) -> Any:
        """POST `json_body` as JSON to `path`; return the decoded JSON answer."""
        return self.request("POST", path, json_body=json_body, **token_args)

    def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json_body: Any = None,
        purpose: str | None = None,
        on_behalf_of: str | None = None,
    ) -> Any:
        """Send one signed request; raise ApiProblem if the API answers with an error."""
        url = self.base_url + "/" + path.lstrip("/")
        if params:
            url += "?" + urllib.parse.urlencode(params, doseq=True)
        headers = {
            "Authorization": "Bearer " + self.token(purpose=purpose, on_behalf_of=on_behalf_of),
            "Accept": "application/json, application/problem+json",
        }
        data = None
        if json_body is not None:
            data = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=data, headers=headers, method=method)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                body = response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            body = error.read()
            try:
                problem = json.loads(body)
            except ValueError:
                problem = {"detail": body.decode(errors="replace")[:500]}
            raise ApiProblem(error.code, problem if isinstance(problem, dict) else {}) from None
        if status == 204 or not body:
            return None
        return json.loads(body)
