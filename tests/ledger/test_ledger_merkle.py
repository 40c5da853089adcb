"""Behaviour of tearline.ledger.merkle and .compact: messages, misuse, edge cases."""

from __future__ import annotations

import pytest

from tearline.domain.errors import VerificationError
from tearline.ledger.compact import (
    Frontier,
    NodeHash,
    consistency_proof_from_subtrees,
    inclusion_proof_from_subtrees,
    root_from_subtrees,
)
from tearline.ledger.merkle import (
    EMPTY_ROOT,
    LEAF_PREFIX,
    NODE_PREFIX,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root_hash,
    split_point,
    verify_consistency,
    verify_inclusion,
    verify_leaf_inclusion,
)

LEAVES = [f"entry {i}".encode() for i in range(7)]
ROOT = root_hash(LEAVES)


def test_prefixes_separate_leaves_from_nodes() -> None:
    assert (LEAF_PREFIX, NODE_PREFIX) == (b"\x00", b"\x01")
    left, right = leaf_hash(b"a"), leaf_hash(b"b")
    # A leaf whose bytes are two hashes must not hash like the node over them (RFC 9162 §2.1.1).
    assert leaf_hash(left + right) != node_hash(left, right)


def test_no_node_is_duplicated() -> None:
    # Three leaves: the third is carried up, never paired with itself.
    a, b, c = (leaf_hash(x) for x in (b"a", b"b", b"c"))
    assert root_hash([b"a", b"b", b"c"]) == node_hash(node_hash(a, b), c)


@pytest.mark.parametrize(("n", "k"), [(2, 1), (3, 2), (4, 2), (5, 4), (8, 4), (9, 8), (130, 128)])
def test_split_point_is_largest_power_of_two_below(n: int, k: int) -> None:
    assert split_point(n) == k


def test_root_mismatch_names_expected_and_calculated() -> None:
    proof = inclusion_proof(LEAVES, 3)
    wrong_root = bytes(32)
    with pytest.raises(VerificationError) as info:
        verify_inclusion(leaf_hash(LEAVES[3]), 3, 7, proof, wrong_root)
    assert f"calculated root {ROOT.hex()}" in str(info.value)
    assert f"expected {wrong_root.hex()}" in str(info.value)


def test_leaf_and_leaf_hash_entry_points_agree() -> None:
    proof = inclusion_proof(LEAVES, 6)
    verify_leaf_inclusion(LEAVES[6], 6, 7, proof, ROOT)
    with pytest.raises(VerificationError):
        # Passing the raw entry where its hash belongs is caught, not silently accepted.
        verify_inclusion(LEAVES[6], 6, 7, proof, ROOT)


@pytest.mark.parametrize("bad", [b"", bytes(31), bytes(33), "00" * 32])
def test_malformed_proof_hashes_are_rejected(bad: object) -> None:
    proof: list[object] = [*inclusion_proof(LEAVES, 0)[:-1], bad]
    with pytest.raises(VerificationError, match="proof hash #2 must be 32 bytes"):
        verify_inclusion(leaf_hash(LEAVES[0]), 0, 7, proof, ROOT)  # type: ignore[arg-type]
    with pytest.raises(VerificationError, match="proof hash #0 must be 32 bytes"):
        verify_consistency(3, 7, root_hash(LEAVES[:3]), ROOT, [bad])  # type: ignore[list-item]


@pytest.mark.parametrize("index", [-1, 7, 8, 2**64 - 1])
def test_index_outside_the_tree_is_rejected(index: int) -> None:
    with pytest.raises(VerificationError, match=f"leaf index {index} is outside"):
        verify_inclusion(leaf_hash(LEAVES[0]), index, 7, inclusion_proof(LEAVES, 0), ROOT)


def test_consistency_edge_cases() -> None:
    old_root = root_hash(LEAVES[:3])
    verify_consistency(7, 7, ROOT, ROOT, [])
    with pytest.raises(VerificationError, match="different roots"):
        verify_consistency(7, 7, ROOT, old_root, [])
    with pytest.raises(VerificationError, match="need an empty proof"):
        verify_consistency(7, 7, ROOT, ROOT, [ROOT])
    with pytest.raises(VerificationError, match="smaller than old size"):
        verify_consistency(7, 3, ROOT, old_root, consistency_proof(LEAVES, 3))
    with pytest.raises(VerificationError, match="has 0 hashes, expected 4"):
        verify_consistency(3, 7, old_root, ROOT, [])


def test_building_impossible_proofs_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="outside a tree of size 0"):
        inclusion_proof([], 0)
    with pytest.raises(ValueError, match="outside a tree of size 7"):
        inclusion_proof(LEAVES, 7)
    with pytest.raises(ValueError, match="old_size"):
        consistency_proof(LEAVES, 8)
    assert consistency_proof(LEAVES, 7) == []


# -- compact ----------------------------------------------------------------------------------


def _table() -> tuple[Frontier, dict[tuple[int, int], bytes]]:
    frontier, nodes = Frontier().extend(leaf_hash(leaf) for leaf in LEAVES)
    return frontier, {(node.level, node.index): node.digest for node in nodes}


def test_append_reports_completed_subtrees_smallest_first() -> None:
    frontier, _ = Frontier().extend(leaf_hash(leaf) for leaf in LEAVES[:3])
    new_leaf = leaf_hash(LEAVES[3])
    after, completed = frontier.append(new_leaf)
    # Leaf 3 completes [2, 4) and then [0, 4): a store persists all three rows.
    assert [(n.level, n.index, n.start, n.size) for n in completed] == [
        (0, 3, 3, 1),
        (1, 1, 2, 2),
        (2, 0, 0, 4),
    ]
    assert completed[0] == NodeHash(0, 3, new_leaf)
    assert completed[-1].digest == root_hash(LEAVES[:4]) == after.root()
    assert after.size == 4
    assert after.roots == (root_hash(LEAVES[:4]),)


def test_frontier_holds_one_root_per_set_bit() -> None:
    frontier, _ = _table()
    assert frontier.size == 7
    assert len(frontier.roots) == 3  # 7 = 4 + 2 + 1
    assert frontier.root() == ROOT
    assert Frontier().root() == EMPTY_ROOT
    with pytest.raises(ValueError, match="has 3 frontier roots, got 2"):
        Frontier(7, frontier.roots[:2])
    with pytest.raises(ValueError, match="must be 32 bytes"):
        Frontier(1, (b"short",))
    with pytest.raises(ValueError, match="leaf hash must be 32 bytes"):
        frontier.append(b"not a hash")


def test_subtree_builders_read_only_what_they_need() -> None:
    _, table = _table()
    reads: list[tuple[int, int]] = []

    def subtree_hash(start: int, size: int) -> bytes:
        reads.append((start, size))
        return table[(size.bit_length() - 1, start // size)]

    assert root_from_subtrees(subtree_hash, 7) == ROOT
    assert reads == [(0, 4), (4, 2), (6, 1)]
    reads.clear()
    assert inclusion_proof_from_subtrees(subtree_hash, 1, 7) == inclusion_proof(LEAVES, 1)
    # Leaf 1: its sibling leaf 0, the pair [2, 4), and [4, 7) assembled from [4, 6) and [6, 7).
    assert sorted(reads) == [(0, 1), (2, 2), (4, 2), (6, 1)]
    reads.clear()
    assert consistency_proof_from_subtrees(subtree_hash, 6, 7) == consistency_proof(LEAVES, 6)
    assert sorted(reads) == [(0, 4), (4, 2), (6, 1)]


def test_subtree_builders_refuse_impossible_proofs() -> None:
    _, table = _table()

    def subtree_hash(start: int, size: int) -> bytes:
        return table[(size.bit_length() - 1, start // size)]

    with pytest.raises(ValueError, match="outside"):
        inclusion_proof_from_subtrees(subtree_hash, 7, 7)
    with pytest.raises(ValueError, match="old_size"):
        consistency_proof_from_subtrees(subtree_hash, 8, 7)
    with pytest.raises(ValueError, match="non-negative"):
        root_from_subtrees(subtree_hash, -1)
    assert root_from_subtrees(subtree_hash, 0) == EMPTY_ROOT
    assert consistency_proof_from_subtrees(subtree_hash, 7, 7) == []
