"""agora.client against the running app: signed requests, fresh tokens, problems raised."""

import json
import time

import pytest
from joserfc import jws

from agora.client import AgoraClient, ApiProblem, mint_token
from agora.organizations.keys import jws_registry, keypair_generate, public_key_load
from tests.api.helpers import make_client, make_organization, unb64


@pytest.fixture
def keyed(transactional_db):
    return make_client(make_organization())


@pytest.fixture
def platform(live_server, settings):
    """The live server, with the platform's base URL (the tokens' audience) set to it."""
    settings.BASE_URL = live_server.url
    return live_server.url


@pytest.fixture
def key_file(tmp_path, keyed):
    path = tmp_path / "client.pem"
    path.write_bytes(keyed.private_pem)
    path.chmod(0o600)
    return path


def test_get_signs_each_request_afresh(platform, keyed, key_file):
    agora = AgoraClient(platform, keyed.client_id, key_file, purpose="case-management")
    first = agora.get("/api/v1/whoami", on_behalf_of="person:7")
    second = agora.get("/api/v1/whoami")  # a reused token would be refused as a replay
    assert first["client_id"] == keyed.client_id
    assert first["organization"]["slug"] == "riverton-council"
    assert first["on_behalf_of"] == "person:7" and second["on_behalf_of"] is None
    assert second["purpose"] == "case-management"


def test_key_given_as_pem_text_and_per_call_purpose(platform, keyed):
    agora = AgoraClient(
        platform + "/", keyed.client_id, key=keyed.private_pem.decode(), purpose="default"
    )
    assert agora.get("api/v1/whoami", purpose="benefit-check")["purpose"] == "benefit-check"


def test_es256_client(platform, transactional_db):
    keyed = make_client(make_organization("food-bank"), alg="ES256")
    agora = AgoraClient(platform, keyed.client_id, key=keyed.private_pem, purpose="x")
    assert agora.get("/api/v1/whoami")["client_id"] == keyed.client_id


def test_errors_raise_api_problem(platform, keyed):
    wrong_audience = AgoraClient(
        platform, keyed.client_id, key=keyed.private_pem, purpose="x",
        audience="https://elsewhere.example",
    )
    with pytest.raises(ApiProblem) as refused:
        wrong_audience.get("/api/v1/whoami")
    assert refused.value.status == 401 and refused.value.code == "wrong-audience"
    agora = AgoraClient(platform, keyed.client_id, key=keyed.private_pem, purpose="x")
    with pytest.raises(ApiProblem) as missing:
        agora.post("/api/v1/nowhere", {"a": 1})
    assert missing.value.status == 404 and missing.value.code == "not-found"


def test_mint_token_claims():
    private_pem, public_jwk = keypair_generate("EdDSA")
    before = int(time.time())
    token = mint_token(
        client_id="c-1", key=private_pem, audience="https://agora.example/",
        purpose="case-management", on_behalf_of="person:1",
    )
    header, payload, _ = token.split(".")
    assert unb64(header) == {"alg": "EdDSA", "typ": "JWT"}
    claims = unb64(payload)
    assert claims["iss"] == claims["sub"] == "c-1"
    assert claims["aud"] == "https://agora.example"
    assert before <= claims["iat"] <= claims["exp"] - 60
    assert claims["purpose"] == "case-management" and claims["on_behalf_of"] == "person:1"
    verified = jws.deserialize_compact(
        token, public_key_load(public_jwk), algorithms=["EdDSA"], registry=jws_registry("EdDSA")
    )
    assert json.loads(verified.payload) == claims
    again = mint_token(client_id="c-1", key=private_pem, audience="a", purpose="p")
    assert unb64(again.split(".")[1])["jti"] != claims["jti"]


def test_mint_token_with_es256_key():
    private_pem, _ = keypair_generate("ES256")
    token = mint_token(client_id="c", key=private_pem, audience="a", purpose="p")
    assert unb64(token.split(".")[0])["alg"] == "ES256"


def test_client_refuses_bad_arguments(tmp_path):
    private_pem, _ = keypair_generate("EdDSA")
    with pytest.raises(ValueError, match="either"):
        AgoraClient("https://agora.example", "c", purpose="p")
    with pytest.raises(ValueError, match="either"):
        AgoraClient("https://agora.example", "c", tmp_path / "k.pem", key=private_pem, purpose="p")
    with pytest.raises(ValueError, match="http"):
        AgoraClient("file:///etc/passwd", "c", key=private_pem, purpose="p")
