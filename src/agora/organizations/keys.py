"""Machine clients' keys: make a key pair, check a public key, load a private key.

A client holds an Ed25519 (JWS alg EdDSA) or P-256 (alg ES256) private key; the
platform stores only the public half as a JWK. This module needs no database, so the
signing client (`agora.client`) uses it too.
"""

from typing import Literal

from joserfc.errors import JoseError
from joserfc.jwa import EdDSAAlgorithm
from joserfc.jwk import ECKey, OKPKey
from joserfc.jws import JWSRegistry

from agora.organizations.exceptions import InvalidPublicKey

Algorithm = Literal["EdDSA", "ES256"]
ClientKey = OKPKey | ECKey

# The only key types and curves a client may hold, with the one alg each signs with.
ALG_FOR_KEY = {("OKP", "Ed25519"): "EdDSA", ("EC", "P-256"): "ES256"}
ALLOWED_ALGS = frozenset(ALG_FOR_KEY.values())

# Public members per key type; anything else (above all the private "d") is refused.
_PUBLIC_MEMBERS = {
    "OKP": {"kty", "crv", "x"},
    "EC": {"kty", "crv", "x", "y"},
}
_OPTIONAL_MEMBERS = {"kid", "use", "alg", "key_ops"}


class _EdDSA(EdDSAAlgorithm):
    # RFC 9864 prefers the name "Ed25519" for the same algorithm; the platform's tokens
    # are specified as "EdDSA" (restricted to Ed25519 keys), so joserfc's deprecation
    # warning on every signature is noise here.
    security_warning = None


class ClientJWSRegistry(JWSRegistry):
    """A JWS registry that knows exactly the two algorithms machine clients may use."""

    algorithms = {"EdDSA": _EdDSA(), "ES256": JWSRegistry.algorithms["ES256"]}
    recommended = ["EdDSA", "ES256"]


def jws_registry(alg: str) -> ClientJWSRegistry:
    """Return a registry that allows only `alg` (one of ALLOWED_ALGS)."""
    if alg not in ALLOWED_ALGS:
        raise ValueError(f"alg must be one of {sorted(ALLOWED_ALGS)}")
    return ClientJWSRegistry(algorithms=[alg])


def keypair_generate(alg: Algorithm = "EdDSA") -> tuple[bytes, dict]:
    """Make a key pair; return the private key as PKCS#8 PEM and the public key as a JWK."""
    if alg == "EdDSA":
        key: ClientKey = OKPKey.generate_key("Ed25519", private=True)
    elif alg == "ES256":
        key = ECKey.generate_key("P-256", private=True)
    else:
        raise ValueError("alg must be EdDSA or ES256")
    private_pem = key.as_pem(private=True)
    return private_pem, public_jwk_validate(key.as_dict(private=False))


def public_jwk_validate(jwk: object) -> dict:
    """Return the public JWK, reduced to its public members, or raise InvalidPublicKey.

    Only OKP/Ed25519 and EC/P-256 public keys are accepted. A JWK that carries private
    members is refused rather than trimmed: its private key has been exposed.
    """
    if not isinstance(jwk, dict):
        raise InvalidPublicKey("The public key must be a JSON object (a JWK).")
    kty, crv = jwk.get("kty"), jwk.get("crv")
    if (kty, crv) not in ALG_FOR_KEY:
        raise InvalidPublicKey(
            f"Key type {kty!r} with curve {crv!r} is not accepted; "
            "use an Ed25519 (OKP) or P-256 (EC) key."
        )
    unknown = set(jwk) - _PUBLIC_MEMBERS[kty] - _OPTIONAL_MEMBERS
    if "d" in jwk:
        raise InvalidPublicKey(
            "This JWK contains a private key (member “d”). Send only the public key, "
            "and make a new key pair: this one is no longer secret."
        )
    if unknown:
        raise InvalidPublicKey(f"Unexpected JWK members: {', '.join(sorted(unknown))}.")
    if "alg" in jwk and jwk["alg"] != ALG_FOR_KEY[(kty, crv)]:
        raise InvalidPublicKey(f"An {crv} key signs with {ALG_FOR_KEY[(kty, crv)]}.")
    missing = [name for name in sorted(_PUBLIC_MEMBERS[kty]) if not isinstance(jwk.get(name), str)]
    if missing:
        raise InvalidPublicKey(f"The JWK lacks these members (as strings): {', '.join(missing)}.")
    public = {name: jwk[name] for name in sorted(_PUBLIC_MEMBERS[kty])}
    try:
        public_key_load(public)
    except (JoseError, ValueError, TypeError) as error:
        raise InvalidPublicKey("The public key's coordinates are not a valid point.") from error
    return public


def public_key_load(jwk: dict) -> ClientKey:
    """Return the joserfc key for a stored public JWK."""
    if jwk.get("kty") == "OKP":
        return OKPKey.import_key(jwk)
    if jwk.get("kty") == "EC":
        return ECKey.import_key(jwk)
    raise InvalidPublicKey("Unsupported key type.")


def alg_for_jwk(jwk: dict) -> str:
    """Return the one JWS alg a stored public key verifies."""
    return ALG_FOR_KEY[(jwk.get("kty"), jwk.get("crv"))]


def private_key_load(pem: bytes | str) -> tuple[ClientKey, str]:
    """Load a PEM private key (PKCS#8, as `agora apiclient create` writes it).

    Return the key and the alg it signs with; refuse any other kind of key.
    """
    data = pem.encode() if isinstance(pem, str) else pem
    for key_class in (OKPKey, ECKey):
        try:
            key = key_class.import_key(data)
        except (JoseError, ValueError, TypeError):
            continue
        public = key.as_dict(private=False)
        alg = ALG_FOR_KEY.get((public.get("kty"), public.get("crv")))
        if alg and key.is_private:
            return key, alg
    raise ValueError("The private key must be an Ed25519 or P-256 private key in PEM form.")
