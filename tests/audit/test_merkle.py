"""RFC 6962 hashing and proofs: every known-answer vector, and the reference against itself."""

import base64
import json
import random
from pathlib import Path

import pytest

from agora.audit import merkle

VECTORS = Path(__file__).with_name("vectors") / "rfc6962"


def b64(value: str | None) -> bytes:
    return base64.b64decode(value) if value else b""


def cases(kind: str) -> list[Path]:
    return sorted((VECTORS / kind).glob("**/*.json"))


def test_the_vectors_are_all_there():
    assert len(cases("inclusion")) >= 90 and len(cases("consistency")) >= 90


def test_roots_of_every_size_match_the_vectors():
    data = json.loads((VECTORS / "roots.json").read_text())
    leaves = [merkle.leaf_hash(bytes.fromhex(item)) for item in data["leaf_inputs_hex"]]
    for size, root in enumerate(data["root_by_tree_size_hex"]):
        assert merkle.root_from_leaves(leaves[:size]).hex() == root
        nodes = merkle.perfect_nodes(0, size)
        stored = {(level, index): merkle.root_from_leaves(
            leaves[index << level:(index + 1) << level]) for level, index in nodes}
        assert merkle.fold([stored[node] for node in nodes]).hex() == root


@pytest.mark.parametrize("path", cases("inclusion"), ids=lambda p: str(p.relative_to(VECTORS)))
def test_inclusion_vector(path):
    case = json.loads(path.read_text())
    accepted = merkle.verify_inclusion(
        case["leafIdx"], case["treeSize"], b64(case["leafHash"]),
        [b64(p) for p in case["proof"] or []], b64(case["root"]),
    )
    assert accepted is not case["wantErr"], case["desc"]


@pytest.mark.parametrize("path", cases("consistency"), ids=lambda p: str(p.relative_to(VECTORS)))
def test_consistency_vector(path):
    case = json.loads(path.read_text())
    accepted = merkle.verify_consistency(
        case["size1"], case["size2"], b64(case["root1"]), b64(case["root2"]),
        [b64(p) for p in case["proof"] or []],
    )
    assert accepted is not case["wantErr"], case["desc"]


def leaves(count: int) -> list[bytes]:
    return [merkle.leaf_hash(n.to_bytes(4, "big")) for n in range(count)]


@pytest.mark.parametrize("size", range(1, 40))
def test_reference_proofs_verify_for_every_leaf_and_older_size(size):
    hashes = leaves(size)
    root = merkle.root_from_leaves(hashes)
    for index in range(size):
        proof = merkle.reference_inclusion_proof(index, hashes)
        assert merkle.verify_inclusion(index, size, hashes[index], proof, root)
        assert not merkle.verify_inclusion(index, size, hashes[index - 1], proof, root) or size == 1
    for first in range(1, size + 1):
        proof = merkle.reference_consistency_proof(first, hashes)
        older = merkle.root_from_leaves(hashes[:first])
        assert merkle.verify_consistency(first, size, older, root, proof)
        if first < size:
            assert not merkle.verify_consistency(first, size, root, older, proof)


def test_a_proof_for_the_wrong_entry_or_root_fails():
    hashes = leaves(21)
    root = merkle.root_from_leaves(hashes)
    proof = merkle.reference_inclusion_proof(5, hashes)
    assert merkle.verify_inclusion(5, 21, hashes[5], proof, root)
    assert not merkle.verify_inclusion(6, 21, hashes[6], proof, root)
    assert not merkle.verify_inclusion(5, 21, hashes[6], proof, root)
    older = merkle.root_from_leaves(hashes[:20])
    assert not merkle.verify_inclusion(5, 21, hashes[5], proof, older)
    assert not merkle.verify_inclusion(5, 40, hashes[5], proof, root)
    assert not merkle.verify_inclusion(5, 21, hashes[5], proof[:-1], root)


def test_node_keys_round_trip_and_sort_in_creation_order():
    created = [node for leaf in range(100) for node in merkle.completed_nodes(leaf)]
    keys = [merkle.node_key(*node) for node in created]
    assert keys == sorted(keys)
    assert [merkle.node_from_key(key) for key in keys] == created


def test_perfect_nodes_refuse_an_unaligned_range():
    with pytest.raises(ValueError):
        merkle.perfect_nodes(3, 7)


def test_random_large_pairs_against_the_recursive_definition():
    rng = random.Random(6962)
    hashes = leaves(300)
    for _ in range(40):
        second = rng.randint(1, 300)
        first = rng.randint(1, second)
        proof = merkle.reference_consistency_proof(first, hashes[:second])
        assert merkle.verify_consistency(
            first, second, merkle.root_from_leaves(hashes[:first]),
            merkle.root_from_leaves(hashes[:second]), proof)
