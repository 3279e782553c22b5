"""Key pairs for API clients and the check on the public keys Agora stores."""

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from joserfc.jwk import ECKey, OctKey, OKPKey, RSAKey

from agora.organizations.exceptions import InvalidPublicKey
from agora.organizations.keys import (
    alg_for_jwk,
    keypair_generate,
    private_key_load,
    public_jwk_validate,
)


@pytest.mark.parametrize(
    ("alg", "kty", "crv"), [("EdDSA", "OKP", "Ed25519"), ("ES256", "EC", "P-256")]
)
def test_keypair_generate(alg, kty, crv):
    private_pem, public_jwk = keypair_generate(alg)
    assert private_pem.startswith(b"-----BEGIN PRIVATE KEY-----")  # PKCS#8
    assert public_jwk["kty"] == kty and public_jwk["crv"] == crv
    assert "d" not in public_jwk
    assert alg_for_jwk(public_jwk) == alg
    key, loaded_alg = private_key_load(private_pem)
    assert loaded_alg == alg
    assert key.as_dict(private=False)["x"] == public_jwk["x"]


def test_keypair_generate_refuses_other_algs():
    with pytest.raises(ValueError, match="EdDSA or ES256"):
        keypair_generate("RS256")


def test_public_jwk_validate_keeps_only_public_members():
    _, jwk = keypair_generate("ES256")
    assert public_jwk_validate({**jwk, "kid": "k1", "use": "sig", "alg": "ES256"}) == jwk


@pytest.mark.parametrize(
    "jwk",
    [
        OKPKey.generate_key("Ed25519").as_dict(private=True),
        ECKey.generate_key("P-256").as_dict(private=True),
    ],
    ids=["okp-private", "ec-private"],
)
def test_public_jwk_validate_refuses_private_keys(jwk):
    with pytest.raises(InvalidPublicKey, match="private key"):
        public_jwk_validate(jwk)


@pytest.mark.parametrize(
    "jwk",
    [
        RSAKey.generate_key(2048).as_dict(private=False),
        OctKey.generate_key(256).as_dict(),
        OKPKey.generate_key("Ed448").as_dict(private=False),
        OKPKey.generate_key("X25519").as_dict(private=False),
        ECKey.generate_key("P-384").as_dict(private=False),
        ECKey.generate_key("secp256k1").as_dict(private=False),
        {"kty": "OKP", "crv": "Ed25519"},
        {"kty": "OKP", "crv": "Ed25519", "x": "AAAA"},
        {"kty": "EC", "crv": "P-256", "x": "AAAA", "y": "AAAA"},
        {"kty": "OKP", "crv": "Ed25519", "x": 12},
        {},
        "not a dict",
        None,
    ],
    ids=[
        "rsa", "oct", "ed448", "x25519", "p384", "secp256k1", "no-x", "short-x",
        "not-on-curve", "x-not-string", "empty", "string", "none",
    ],
)
def test_public_jwk_validate_refuses_other_keys(jwk):
    with pytest.raises(InvalidPublicKey):
        public_jwk_validate(jwk)


def test_public_jwk_validate_refuses_unknown_members_and_wrong_alg():
    _, jwk = keypair_generate("EdDSA")
    with pytest.raises(InvalidPublicKey, match="Unexpected"):
        public_jwk_validate({**jwk, "x5u": "https://evil.example"})
    with pytest.raises(InvalidPublicKey, match="EdDSA"):
        public_jwk_validate({**jwk, "alg": "ES256"})


def _pem(private_key) -> bytes:
    return private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def test_private_key_load_reads_pkcs8_written_by_cryptography():
    _, alg = private_key_load(_pem(ed25519.Ed25519PrivateKey.generate()).decode())
    assert alg == "EdDSA"
    _, alg = private_key_load(_pem(ec.generate_private_key(ec.SECP256R1())))
    assert alg == "ES256"


@pytest.mark.parametrize(
    "pem",
    [
        _pem(rsa.generate_private_key(public_exponent=65537, key_size=2048)),
        _pem(ed448.Ed448PrivateKey.generate()),
        _pem(ec.generate_private_key(ec.SECP384R1())),
        b"-----BEGIN PRIVATE KEY-----\nnonsense\n-----END PRIVATE KEY-----\n",
        OKPKey.generate_key("Ed25519").as_pem(private=False),
    ],
    ids=["rsa", "ed448", "p384", "junk", "public-only"],
)
def test_private_key_load_refuses_other_keys(pem):
    with pytest.raises(ValueError, match="Ed25519 or P-256"):
        private_key_load(pem)
