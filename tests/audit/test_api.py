"""The public API: signed tree head, proofs anyone can check, problems for bad input."""

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from joserfc.jwk import OKPKey

from agora.audit import merkle
from agora.audit.canonical import HEAD_PREFIX
from agora.audit.models import TreeHead
from agora.audit.services import tree_head_sign
from tests.audit.helpers import append, leaf_hashes

pytestmark = pytest.mark.django_db

BASE = "/api/v1/audit"


def problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == code
    return body


def test_tree_head_is_signed_and_checkable_with_the_public_key(client):
    append(11)
    tree_head_sign()
    head = client.get(f"{BASE}/tree-head").json()
    assert head["tree_size"] == 11 and head["algorithm"] == "Ed25519"
    assert head["root_hash"] == merkle.root_from_leaves(leaf_hashes()).hex()
    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(head["public_key"]))
    signed = f"{head['tree_size']}\n{head['root_hash']}\n{head['timestamp']}"
    message = HEAD_PREFIX + signed.encode()
    key.verify(base64.b64decode(head["signature"]), message)  # raises if it does not verify
    current = client.get(f"{BASE}/public-key").json()
    assert current["public_key"] == head["public_key"]
    assert current["key_id"] == head["key_id"] == OKPKey.import_key(key).thumbprint()


def test_the_tree_head_is_the_latest_signed_not_signed_on_request(client):
    append(4)
    tree_head_sign()
    append(3)
    for _ in range(3):
        assert client.get(f"{BASE}/tree-head").json()["tree_size"] == 4
    assert TreeHead.objects.count() == 1


def test_before_the_first_head_the_tree_head_is_a_problem(client):
    append(2)
    body = problem(client.get(f"{BASE}/tree-head"), 404, "no-tree-head")
    assert "signed" in body["detail"]


def test_public_keys_lists_every_key_with_its_validity(client):
    body = client.get(f"{BASE}/public-keys").json()
    assert len(body["keys"]) == 1
    (key,) = body["keys"]
    assert key["valid_until"] is None and key["valid_from"].endswith("Z")
    assert key["key_id"] == client.get(f"{BASE}/public-key").json()["key_id"]


def test_an_inclusion_proof_verifies_against_the_signed_head(client):
    append(23, batch=4)
    tree_head_sign()
    head = client.get(f"{BASE}/tree-head").json()
    body = client.get(f"{BASE}/proofs/inclusion", {"seq": 9, "tree_size": 23}).json()
    assert body["leaf_hash"] == leaf_hashes()[9].hex()
    proof = [bytes.fromhex(item) for item in body["proof"]]
    root = bytes.fromhex(head["root_hash"])
    assert merkle.verify_inclusion(9, 23, bytes.fromhex(body["leaf_hash"]), proof, root)
    assert not merkle.verify_inclusion(10, 23, leaf_hashes()[10], proof, root)


def test_a_consistency_proof_links_two_heads(client):
    append(6)
    tree_head_sign()
    old = client.get(f"{BASE}/tree-head").json()
    append(15, batch=5)
    tree_head_sign()
    new = client.get(f"{BASE}/tree-head").json()
    body = client.get(f"{BASE}/proofs/consistency", {"first": 6, "second": 21}).json()
    assert merkle.verify_consistency(
        6, 21, bytes.fromhex(old["root_hash"]), bytes.fromhex(new["root_hash"]),
        [bytes.fromhex(item) for item in body["proof"]])


@pytest.mark.parametrize(
    ("path", "params", "status", "code"),
    [
        ("proofs/inclusion", {"seq": 5, "tree_size": 5}, 404, "tree-size-out-of-range"),
        ("proofs/inclusion", {"seq": 0, "tree_size": 99}, 404, "tree-size-out-of-range"),
        ("proofs/inclusion", {"seq": -1, "tree_size": 3}, 422, "invalid-input"),
        ("proofs/inclusion", {"seq": "x", "tree_size": 3}, 422, "invalid-input"),
        ("proofs/inclusion", {"tree_size": 3}, 422, "invalid-input"),
        ("proofs/inclusion", {"seq": 1, "tree_size": 2**70}, 422, "invalid-input"),
        ("proofs/consistency", {"first": 4, "second": 2}, 422, "bad-proof-request"),
        ("proofs/consistency", {"first": 0, "second": 2}, 422, "invalid-input"),
        ("proofs/consistency", {"first": 1, "second": 9}, 404, "tree-size-out-of-range"),
    ],
)
def test_bad_requests_are_problems_not_errors(client, path, params, status, code):
    append(5)
    problem(client.get(f"{BASE}/{path}", params), status, code)


def test_the_log_api_needs_no_token(client):
    append(1)
    tree_head_sign()
    for path in ("tree-head", "public-key", "public-keys", "proofs/inclusion?seq=0&tree_size=1"):
        assert client.get(f"{BASE}/{path}").status_code == 200
