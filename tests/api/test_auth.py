"""Every way a machine client's token can be refused, seen through the API."""

import time
import uuid

import pytest

from agora.core.actors import SYSTEM
from agora.organizations.models import UsedTokenId
from agora.organizations.services import apiclient_deactivate
from tests.api.helpers import assert_problem, b64, make_client, token_for, unb64

WHOAMI = "/api/v1/whoami"


def get(client, token=None, header=None):
    extra = {}
    if header is not None:
        extra["HTTP_AUTHORIZATION"] = header
    elif token is not None:
        extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client.get(WHOAMI, **extra)


def test_whoami_answers_a_valid_token(client, keyed):
    token = keyed.token(on_behalf_of="person:42", purpose="benefit-check")
    response = get(client, token)
    assert response.status_code == 200, response.content
    assert response.json() == {
        "client_id": keyed.client_id,
        "client_name": "Case system",
        "organization": {
            "slug": "riverton-council",
            "name": "Riverton Council",
            "kind": "government",
        },
        "scopes": ["whoami"],
        "purpose": "benefit-check",
        "on_behalf_of": "person:42",
    }
    keyed.client.refresh_from_db()
    assert keyed.client.last_used_at is not None
    assert UsedTokenId.objects.filter(client=keyed.client).count() == 1


def test_es256_client_is_accepted(client, organization):
    es_client = make_client(organization, name="EC client", alg="ES256")
    response = get(client, es_client.token())
    assert response.status_code == 200, response.content
    assert response.json()["on_behalf_of"] is None


def test_no_authorization_header_is_unauthenticated(client, db):
    body = assert_problem(get(client), 401, "unauthenticated")
    assert "Bearer" in body["detail"]


def test_wrong_scheme_is_invalid_token(client, keyed):
    assert_problem(get(client, header=f"Basic {keyed.token()}"), 401, "invalid-token")


def test_junk_header_of_8kb_is_invalid_token(client, db):
    response = get(client, header="Bearer " + "x" * 8192)
    assert_problem(response, 401, "invalid-token")
    assert 'error="invalid_token"' in response["WWW-Authenticate"]


@pytest.mark.parametrize(
    "token",
    [
        "not-a-jwt",
        "a.b",
        "a.b.c.d",
        "%%%.$$$.###",
        b64(b"not json") + "." + b64({"iss": "x"}) + ".sig",
        b64([1, 2]) + "." + b64({"iss": "x"}) + ".sig",
    ],
)
def test_malformed_tokens_are_invalid_token(client, db, token):
    assert_problem(get(client, token), 401, "invalid-token")


def _refusals(keyed):
    now = int(time.time())
    return {
        "token-expired": keyed.token(iat=now - 400, exp=now - 100),
        "token-not-yet-valid": keyed.token(iat=now + 120, exp=now + 180),
        "token-lifetime-too-long": keyed.token(iat=now, exp=now + 301),
        "wrong-audience": keyed.token(aud="https://elsewhere.example"),
        "purpose-missing": keyed.token(purpose=None),
        "invalid-token": keyed.token(jti=None),
    }


@pytest.mark.parametrize(
    "code",
    [
        "token-expired",
        "token-not-yet-valid",
        "token-lifetime-too-long",
        "wrong-audience",
        "purpose-missing",
        "invalid-token",
    ],
)
def test_claim_refusals_have_their_own_type_and_write_nothing(client, keyed, code):
    token = _refusals(keyed)[code]
    assert_problem(get(client, token), 401, code)
    assert not UsedTokenId.objects.exists()
    keyed.client.refresh_from_db()
    assert keyed.client.last_used_at is None


@pytest.mark.parametrize("purpose", ["", "  ", 42, ["x"], "x" * 101, "no spaces"])
def test_purpose_must_be_a_short_code(client, keyed, purpose):
    assert_problem(get(client, keyed.token(purpose=purpose)), 401, "purpose-missing")


def test_clock_skew_of_30_seconds_is_allowed(client, keyed):
    now = int(time.time())
    assert get(client, keyed.token(iat=now + 20, exp=now + 80)).status_code == 200


def test_lifetime_of_exactly_five_minutes_is_allowed(client, keyed):
    now = int(time.time())
    assert get(client, keyed.token(iat=now, exp=now + 300)).status_code == 200


@pytest.mark.parametrize("missing", ["iat", "exp", "jti", "sub", "iss"])
def test_required_claims(client, keyed, missing):
    assert_problem(get(client, keyed.token(**{missing: None})), 401, "invalid-token")


def test_replayed_token_is_refused(client, keyed):
    token = keyed.token()
    assert get(client, token).status_code == 200
    assert_problem(get(client, token), 401, "token-replayed")
    assert UsedTokenId.objects.count() == 1


def test_same_jti_in_a_new_token_is_refused(client, keyed):
    assert get(client, keyed.token(jti="one")).status_code == 200
    assert_problem(get(client, keyed.token(jti="one")), 401, "token-replayed")


def test_tampered_payload_is_bad_signature(client, keyed):
    header, payload, signature = keyed.token().split(".")
    claims = unb64(payload)
    claims["purpose"] = "something-else"
    response = get(client, ".".join([header, b64(claims), signature]))
    assert_problem(response, 401, "bad-signature")
    assert not UsedTokenId.objects.exists()


def test_token_signed_by_another_key_is_bad_signature(client, keyed, organization):
    other = make_client(organization, name="Other")
    other.client = keyed.client  # same claims, other key
    assert_problem(get(client, token_for(other)), 401, "bad-signature")


@pytest.mark.parametrize("alg", ["none", "HS256", "HS384", "HS512", "RS256", "ES256", "Ed25519"])
def test_algorithms_other_than_the_clients_are_refused(client, keyed, alg):
    _header, payload, signature = keyed.token().split(".")
    forged_header = b64({"alg": alg, "typ": "JWT"})
    for forged in (f"{forged_header}.{payload}.", f"{forged_header}.{payload}.{signature}"):
        assert_problem(get(client, forged), 401, "alg-not-allowed")


def test_alg_none_is_refused_explicitly(client, keyed):
    _, payload, _ = keyed.token().split(".")
    body = assert_problem(get(client, f"{b64({'alg': 'none'})}.{payload}."), 401, "alg-not-allowed")
    assert "none" in body["detail"]


def test_unknown_header_members_are_refused(client, keyed):
    token = token_for(keyed, header={"alg": "EdDSA", "jku": "https://evil.example/keys"})
    assert_problem(get(client, token), 401, "invalid-token")


def test_unknown_client(client, keyed):
    stranger = str(uuid.uuid4())
    token = keyed.token(iss=stranger, sub=stranger)
    assert_problem(get(client, token), 401, "unknown-client")


def test_disabled_client_looks_unknown(client, keyed):
    apiclient_deactivate(actor=SYSTEM, client=keyed.client)
    body = assert_problem(get(client, keyed.token()), 401, "unknown-client")
    stranger = str(uuid.uuid4())
    response = get(client, keyed.token(iss=stranger, sub=stranger))
    other = assert_problem(response, 401, "unknown-client")
    assert body["detail"] == other["detail"]


def test_client_of_inactive_organisation_looks_unknown(client, keyed, organization):
    organization.is_active = False
    organization.save()
    assert_problem(get(client, keyed.token()), 401, "unknown-client")


def test_scope_not_granted_is_403_and_writes_nothing(client, organization):
    scopeless = make_client(organization, name="No scopes", scopes=())
    assert_problem(get(client, scopeless.token()), 403, "scope-not-granted")
    assert not UsedTokenId.objects.exists()


def test_www_authenticate_names_the_error(client, keyed):
    response = get(client, keyed.token(aud="https://elsewhere.example"))
    assert response["WWW-Authenticate"].startswith('Bearer realm="agora", error="invalid_token"')
