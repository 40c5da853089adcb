"""Property tests: the ledger's Merkle code against RFC 9162 §2.1 written out literally.

The reference below is MTH, PATH and PROOF/SUBPROOF exactly as §2.1.1, §2.1.3.1 and §2.1.4.1
define them, over list slices, with no cleverness; every faster path must agree with it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

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
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    root_hash,
    verify_consistency,
    verify_inclusion,
    verify_leaf_inclusion,
)

# -- the reference: RFC 9162 §2.1, literally ------------------------------------------------


def _k(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def ref_mth(d: list[bytes]) -> bytes:
    n = len(d)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashlib.sha256(b"\x00" + d[0]).digest()
    k = _k(n)
    return hashlib.sha256(b"\x01" + ref_mth(d[:k]) + ref_mth(d[k:])).digest()


def ref_path(m: int, d: list[bytes]) -> list[bytes]:
    n = len(d)
    if n == 1:
        return []
    k = _k(n)
    if m < k:
        return [*ref_path(m, d[:k]), ref_mth(d[k:])]
    return [*ref_path(m - k, d[k:]), ref_mth(d[:k])]


def ref_proof(m: int, d: list[bytes]) -> list[bytes]:
    return ref_subproof(m, d, True)


def ref_subproof(m: int, d: list[bytes], b: bool) -> list[bytes]:
    n = len(d)
    if m == n:
        return [] if b else [ref_mth(d)]
    k = _k(n)
    if m <= k:
        return [*ref_subproof(m, d[:k], b), ref_mth(d[k:])]
    return [*ref_subproof(m - k, d[k:], False), ref_mth(d[:k])]


# -- a store-like table of perfect subtrees, filled by the frontier ------------------------


def stored_tree(
    leaves: list[bytes],
) -> tuple[Frontier, tuple[NodeHash, ...], Callable[[int, int], bytes], list[tuple[int, int]]]:
    frontier, nodes = Frontier().extend(leaf_hash(leaf) for leaf in leaves)
    table = {(node.level, node.index): node.digest for node in nodes}
    calls: list[tuple[int, int]] = []

    def subtree_hash(start: int, size: int) -> bytes:
        # The contract: only perfect, aligned subtrees are ever asked for.
        assert size > 0, (start, size)
        assert size & (size - 1) == 0, (start, size)
        assert start % size == 0, (start, size)
        calls.append((start, size))
        return table[(size.bit_length() - 1, start // size)]

    return frontier, nodes, subtree_hash, calls


leaf_lists = st.lists(st.binary(max_size=6), min_size=1, max_size=40)


def _flip(data: st.DataObject, hashes: list[bytes]) -> list[bytes]:
    """Change one byte of one hash."""
    position = data.draw(st.integers(0, len(hashes) - 1), label="hash")
    offset = data.draw(st.integers(0, 31), label="byte")
    delta = data.draw(st.integers(1, 255), label="xor")
    changed = bytearray(hashes[position])
    changed[offset] ^= delta
    return [*hashes[:position], bytes(changed), *hashes[position + 1 :]]


def _accepts(check: Callable[[], None]) -> bool:
    try:
        check()
    except VerificationError:
        return False
    return True


# -- agreement with the reference -------------------------------------------------------------


@given(leaf_lists)
def test_roots_agree_with_reference_at_every_size(leaves: list[bytes]) -> None:
    frontier = Frontier()
    assert frontier.root() == EMPTY_ROOT == root_hash([])
    for size in range(1, len(leaves) + 1):
        frontier, _ = frontier.append(leaf_hash(leaves[size - 1]))
        expected = ref_mth(leaves[:size])
        assert root_hash(leaves[:size]) == expected
        assert frontier.root() == expected
    _, _, subtree_hash, _ = stored_tree(leaves)
    for size in range(len(leaves) + 1):
        assert root_from_subtrees(subtree_hash, size) == ref_mth(leaves[:size])


@given(leaf_lists)
def test_frontier_emits_every_perfect_subtree_once(leaves: list[bytes]) -> None:
    frontier, nodes, subtree_hash, _ = stored_tree(leaves)
    n = len(leaves)
    for node in nodes:
        assert node.digest == ref_mth(leaves[node.start : node.start + node.size])
    expected_ids = {(lvl, i) for lvl in range(n.bit_length()) for i in range(n >> lvl)}
    assert [(node.level, node.index) for node in nodes] == sorted(
        expected_ids, key=lambda nid: ((nid[1] + 1) << nid[0], nid[0])
    )
    # A store can rebuild the frontier from what it persisted.
    assert Frontier.from_subtrees(subtree_hash, n) == frontier


@given(leaf_lists)
def test_inclusion_proofs_agree_and_verify(leaves: list[bytes]) -> None:
    n = len(leaves)
    root = ref_mth(leaves)
    _, _, subtree_hash, calls = stored_tree(leaves)
    for index in range(n):
        expected = ref_path(index, leaves)
        assert inclusion_proof(leaves, index) == expected
        calls.clear()
        assert inclusion_proof_from_subtrees(subtree_hash, index, n) == expected
        # O(log n) reads: one per level, plus the pieces of at most one border node.
        assert len(calls) <= 2 * n.bit_length()
        verify_inclusion(leaf_hash(leaves[index]), index, n, expected, root)
        verify_leaf_inclusion(leaves[index], index, n, expected, root)


@given(leaf_lists)
def test_consistency_proofs_agree_and_verify(leaves: list[bytes]) -> None:
    n = len(leaves)
    new_root = ref_mth(leaves)
    _, _, subtree_hash, calls = stored_tree(leaves)
    for old_size in range(1, n + 1):
        expected = ref_proof(old_size, leaves)
        assert consistency_proof(leaves, old_size) == expected
        calls.clear()
        assert consistency_proof_from_subtrees(subtree_hash, old_size, n) == expected
        assert len(calls) <= 2 * n.bit_length()
        verify_consistency(old_size, n, ref_mth(leaves[:old_size]), new_root, expected)


# -- tampering is caught ----------------------------------------------------------------------


@given(leaf_lists, st.data())
def test_any_changed_byte_in_an_inclusion_proof_is_rejected(
    leaves: list[bytes], data: st.DataObject
) -> None:
    n = len(leaves)
    index = data.draw(st.integers(0, n - 1), label="index")
    proof = ref_path(index, leaves)
    if proof:
        with pytest.raises(VerificationError, match="calculated root"):
            verify_inclusion(
                leaf_hash(leaves[index]), index, n, _flip(data, proof), ref_mth(leaves)
            )


@given(leaf_lists, st.data())
def test_any_changed_byte_in_a_consistency_proof_is_rejected(
    leaves: list[bytes], data: st.DataObject
) -> None:
    n = len(leaves)
    old_size = data.draw(st.integers(1, n), label="old_size")
    proof = ref_proof(old_size, leaves)
    if proof:
        with pytest.raises(VerificationError, match=r"calculated (old|new) root"):
            verify_consistency(
                old_size, n, ref_mth(leaves[:old_size]), ref_mth(leaves), _flip(data, proof)
            )


@given(leaf_lists, st.data())
def test_a_changed_root_is_rejected(leaves: list[bytes], data: st.DataObject) -> None:
    n = len(leaves)
    index = data.draw(st.integers(0, n - 1), label="index")
    old_size = data.draw(st.integers(1, n), label="old_size")
    [bad_root] = _flip(data, [ref_mth(leaves)])
    [bad_old_root] = _flip(data, [ref_mth(leaves[:old_size])])
    with pytest.raises(VerificationError, match="does not match expected"):
        verify_inclusion(leaf_hash(leaves[index]), index, n, ref_path(index, leaves), bad_root)
    proof = ref_proof(old_size, leaves)
    with pytest.raises(VerificationError, match="root"):
        verify_consistency(old_size, n, ref_mth(leaves[:old_size]), bad_root, proof)
    with pytest.raises(VerificationError, match="root"):
        verify_consistency(old_size, n, bad_old_root, ref_mth(leaves), proof)


@given(leaf_lists, st.data())
def test_a_proof_of_the_wrong_length_names_the_right_length(
    leaves: list[bytes], data: st.DataObject
) -> None:
    n = len(leaves)
    index = data.draw(st.integers(0, n - 1), label="index")
    old_size = data.draw(st.integers(1, n - 1), label="old_size") if n > 1 else None
    proof = ref_path(index, leaves)
    expected = f"expected {len(proof)}$"
    extra = [*proof, ref_mth(leaves)]
    with pytest.raises(VerificationError, match=expected):
        verify_inclusion(leaf_hash(leaves[index]), index, n, extra, ref_mth(leaves))
    if proof:
        with pytest.raises(VerificationError, match=expected):
            verify_inclusion(leaf_hash(leaves[index]), index, n, proof[:-1], ref_mth(leaves))
    if old_size is not None:
        cproof = ref_proof(old_size, leaves)
        old_root, new_root = ref_mth(leaves[:old_size]), ref_mth(leaves)
        expected = f"expected {len(cproof)}$"
        with pytest.raises(VerificationError, match=expected):
            verify_consistency(old_size, n, old_root, new_root, [*cproof, new_root])
        with pytest.raises(VerificationError, match=expected):
            verify_consistency(old_size, n, old_root, new_root, cproof[:-1])


# -- soundness: against honest roots, only the genuine proof is accepted ----------------------
#
# A wrong index or size can pass with the *same* root when the path has the same shape (leaf 0
# of 3 and of 4 hash identically): the size is bound to the root by the signed tree head, not
# by the proof. What must hold is that, given the true root for the claimed size, a claim is
# accepted exactly when the proof is the genuine one for that claim.


@given(leaf_lists, st.data())
def test_inclusion_claims_are_accepted_only_when_genuine(
    leaves: list[bytes], data: st.DataObject
) -> None:
    total = len(leaves)
    index = data.draw(st.integers(0, total - 1), label="index")
    size = data.draw(st.integers(index + 1, total), label="size")
    proof = ref_path(index, leaves[:size])
    claimed_size = data.draw(st.integers(1, total), label="claimed_size")
    claimed_index = data.draw(st.integers(0, claimed_size + 1), label="claimed_index")
    genuine = (
        claimed_index < claimed_size
        and leaves[claimed_index] == leaves[index]
        and ref_path(claimed_index, leaves[:claimed_size]) == proof
    )
    accepted = _accepts(
        lambda: verify_inclusion(
            leaf_hash(leaves[index]),
            claimed_index,
            claimed_size,
            proof,
            ref_mth(leaves[:claimed_size]),
        )
    )
    assert accepted == genuine


@given(leaf_lists, st.data())
def test_consistency_claims_are_accepted_only_when_genuine(
    leaves: list[bytes], data: st.DataObject
) -> None:
    total = len(leaves)
    new_size = data.draw(st.integers(1, total), label="new_size")
    old_size = data.draw(st.integers(1, new_size), label="old_size")
    proof = ref_proof(old_size, leaves[:new_size])
    claimed_new = data.draw(st.integers(0, total), label="claimed_new")
    claimed_old = data.draw(st.integers(0, total), label="claimed_old")
    genuine = 0 < claimed_old <= claimed_new and (
        ref_proof(claimed_old, leaves[:claimed_new]) == proof
    )
    accepted = _accepts(
        lambda: verify_consistency(
            claimed_old,
            claimed_new,
            ref_mth(leaves[:claimed_old]),
            ref_mth(leaves[:claimed_new]),
            proof,
        )
    )
    assert accepted == genuine


# -- the empty tree has no proofs -------------------------------------------------------------


@given(leaf_lists)
def test_proofs_involving_the_empty_tree_are_rejected(leaves: list[bytes]) -> None:
    n = len(leaves)
    with pytest.raises(VerificationError, match="outside a tree of size 0"):
        verify_inclusion(leaf_hash(leaves[0]), 0, 0, [], EMPTY_ROOT)
    with pytest.raises(VerificationError, match="size 0 is undefined"):
        verify_consistency(0, n, EMPTY_ROOT, ref_mth(leaves), [])
    with pytest.raises(VerificationError, match="size 0 is undefined"):
        verify_consistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])
    with pytest.raises(ValueError, match="old_size"):
        consistency_proof(leaves, 0)
    _, _, subtree_hash, _ = stored_tree(leaves)
    with pytest.raises(ValueError, match="old_size"):
        consistency_proof_from_subtrees(subtree_hash, 0, n)
