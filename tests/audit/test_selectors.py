"""Roots and proofs from stored nodes agree with the in-memory reference, in one query each."""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agora.audit import merkle
from agora.audit.exceptions import BadProofRequest, TreeSizeOutOfRange
from agora.audit.selectors import consistency_proof, inclusion_proof, tree_root
from tests.audit.helpers import append, leaf_hashes

pytestmark = pytest.mark.django_db


def test_database_proofs_equal_the_reference_for_every_size_up_to_70():
    append(70, batch=9)
    hashes = leaf_hashes()
    for size in range(1, 71):
        assert tree_root(size) == merkle.root_from_leaves(hashes[:size])
        for seq in range(size):
            proof = inclusion_proof(seq=seq, tree_size=size)
            assert proof.leaf_hash == hashes[seq]
            assert proof.proof == merkle.reference_inclusion_proof(seq, hashes[:size])
        for first in range(1, size + 1):
            assert consistency_proof(first=first, second=size) == (
                merkle.reference_consistency_proof(first, hashes[:size]))


def test_random_pairs_verify_against_roots():
    append(200, batch=50)
    hashes = leaf_hashes()
    rng = random.Random(4)
    for _ in range(100):
        second = rng.randint(1, 200)
        first = rng.randint(1, second)
        seq = rng.randrange(second)
        root1, root2 = tree_root(first), tree_root(second)
        proof = inclusion_proof(seq=seq, tree_size=second)
        assert merkle.verify_inclusion(seq, second, hashes[seq], proof.proof, root2)
        assert merkle.verify_consistency(
            first, second, root1, root2, consistency_proof(first=first, second=second))


def test_each_proof_is_one_query_with_the_log_size_beside_its_nodes():
    append(100, batch=100)
    with CaptureQueriesContext(connection) as queries:
        inclusion_proof(seq=37, tree_size=99)
    assert len(queries.captured_queries) == 1
    with CaptureQueriesContext(connection) as queries:
        consistency_proof(first=13, second=99)
    assert len(queries.captured_queries) == 1


def test_out_of_range_requests_are_refused():
    append(5)
    with pytest.raises(TreeSizeOutOfRange):
        inclusion_proof(seq=5, tree_size=5)
    with pytest.raises(TreeSizeOutOfRange):
        inclusion_proof(seq=0, tree_size=6)
    with pytest.raises(BadProofRequest):
        consistency_proof(first=4, second=3)
    with pytest.raises(BadProofRequest):
        consistency_proof(first=0, second=3)
    with pytest.raises(TreeSizeOutOfRange):
        consistency_proof(first=1, second=6)
    with pytest.raises(TreeSizeOutOfRange):  # keys of a tree this size would overflow
        inclusion_proof(seq=2**62 - 1, tree_size=2**62)
    with pytest.raises(TreeSizeOutOfRange):
        consistency_proof(first=2, second=2**62)
