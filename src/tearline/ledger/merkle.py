"""The Merkle tree of the ledger, exactly as RFC 9162 §2.1 defines it.

Provenance: RFC 9162 (Certificate Transparency 2.0), which restates RFC 6962 §2.1:

* §2.1.1 Merkle Tree Hash: ``MTH({}) = SHA-256()``, ``MTH({d}) = SHA-256(0x00 || d)``, and
  for ``n > 1``, with ``k`` the largest power of two smaller than ``n``,
  ``MTH(D[n]) = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n]))``. Nothing is ever duplicated:
  an odd node is carried up, never paired with itself.
* §2.1.3.1 inclusion proofs ``PATH(m, D[n])``; §2.1.3.2 their verification.
* §2.1.4.1 consistency proofs ``PROOF(m, D[n])``; §2.1.4.2 their verification.

Leaves are the raw entries: every function here that takes ``leaves`` hashes them itself.
The verifiers take the *leaf hash* (``leaf_hash(entry)``), as the published vectors do;
``verify_leaf_inclusion`` is the same check starting from the raw entry.

Verification never returns a bool: it returns None or raises ``VerificationError`` with what
was expected and what was calculated. Asking to *build* an impossible proof (an index outside
the tree, a consistency proof from the empty tree) is a programming error: ``ValueError``.

The list-based builders here are the plain recursive definitions. ``tearline.ledger.compact``
builds the same proofs from stored subtree hashes in O(log n); the tests hold the two equal.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from tearline.domain.errors import VerificationError

HASH_SIZE = 32
"""SHA-256 output length: every leaf hash, node hash, root and proof element has it."""

LEAF_PREFIX = b"\x00"
"""Domain separator for leaves (§2.1.1), so no leaf can pass for an interior node."""

NODE_PREFIX = b"\x01"
"""Domain separator for interior nodes (§2.1.1)."""

EMPTY_ROOT = hashlib.sha256(b"").digest()
"""``MTH({})``: the root of the tree with no leaves (§2.1.1)."""


def leaf_hash(leaf: bytes) -> bytes:
    """``SHA-256(0x00 || leaf)``: the hash of one raw entry (§2.1.1)."""
    return hashlib.sha256(LEAF_PREFIX + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """``SHA-256(0x01 || left || right)``: the hash of an interior node (§2.1.1)."""
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def split_point(n: int) -> int:
    """The largest power of two strictly smaller than ``n`` (``n > 1``): where §2.1.1 splits."""
    return 1 << ((n - 1).bit_length() - 1)


# -- building: the recursive definitions of §2.1.1, §2.1.3.1 and §2.1.4.1 ----------------------


def root_hash(leaves: Sequence[bytes]) -> bytes:
    """``MTH(D[n])`` of the raw entries ``leaves`` (§2.1.1); the empty tree gives ``EMPTY_ROOT``."""
    if not leaves:
        return EMPTY_ROOT
    return _mth([leaf_hash(leaf) for leaf in leaves], 0, len(leaves))


def inclusion_proof(leaves: Sequence[bytes], index: int) -> list[bytes]:
    """``PATH(index, D[n])`` (§2.1.3.1): sibling hashes from the leaf up to the root."""
    if not 0 <= index < len(leaves):
        raise ValueError(f"leaf index {index} is outside a tree of size {len(leaves)}")
    return _path([leaf_hash(leaf) for leaf in leaves], index, 0, len(leaves))


def consistency_proof(leaves: Sequence[bytes], old_size: int) -> list[bytes]:
    """``PROOF(old_size, D[n])`` (§2.1.4.1): proves the first ``old_size`` leaves are a prefix.

    ``old_size == len(leaves)`` gives the empty proof. ``old_size == 0`` is refused: the RFC
    defines these proofs for ``0 < m < n`` only, and any tree trivially extends the empty one.
    """
    if not 0 < old_size <= len(leaves):
        raise ValueError(
            f"consistency proofs need 0 < old_size <= new_size; got {old_size}, {len(leaves)}"
        )
    if old_size == len(leaves):
        return []
    return _subproof([leaf_hash(leaf) for leaf in leaves], old_size, 0, len(leaves), True)


def _mth(hashes: Sequence[bytes], lo: int, hi: int) -> bytes:
    """``MTH`` of the leaves whose hashes are ``hashes[lo:hi]`` (non-empty)."""
    if hi - lo == 1:
        return hashes[lo]
    mid = lo + split_point(hi - lo)
    return node_hash(_mth(hashes, lo, mid), _mth(hashes, mid, hi))


def _path(hashes: Sequence[bytes], m: int, lo: int, hi: int) -> list[bytes]:
    """``PATH(m - lo, D[lo:hi])``: the deeper part first, then this level's sibling."""
    if hi - lo == 1:
        return []
    mid = lo + split_point(hi - lo)
    if m < mid:
        return [*_path(hashes, m, lo, mid), _mth(hashes, mid, hi)]
    return [*_path(hashes, m, mid, hi), _mth(hashes, lo, mid)]


def _subproof(hashes: Sequence[bytes], m: int, lo: int, hi: int, b: bool) -> list[bytes]:
    """``SUBPROOF(m - lo, D[lo:hi], b)``; ``b`` says whether ``D[lo:m]`` is the old tree itself."""
    if m == hi:
        # The old tree ends here. If this subtree *is* the old tree the verifier already has
        # its hash; otherwise it is a node the verifier needs.
        return [] if b else [_mth(hashes, lo, hi)]
    mid = lo + split_point(hi - lo)
    if m <= mid:
        return [*_subproof(hashes, m, lo, mid, b), _mth(hashes, mid, hi)]
    return [*_subproof(hashes, m, mid, hi, False), _mth(hashes, lo, mid)]


# -- verifying: the algorithms of §2.1.3.2 and §2.1.4.2 --------------------------------------


def verify_inclusion(
    leaf_hash: bytes, index: int, tree_size: int, proof: Sequence[bytes], root: bytes
) -> None:
    """Check that ``leaf_hash`` is leaf ``index`` of the tree of ``tree_size`` leaves with ``root``.

    ``leaf_hash`` is the *hash* of the entry (see ``verify_leaf_inclusion`` for raw bytes).
    The tree size is bound to the root only by a signed tree head: check that signature too
    (``tearline.ledger.receipts.verify_receipt`` does both).
    """
    _check_hash("leaf hash", leaf_hash)
    _check_proof(proof)
    # Step 1: an index at or past the end is outside the tree; this also rejects size 0.
    if not 0 <= index < tree_size:
        raise VerificationError(f"leaf index {index} is outside a tree of size {tree_size}")
    calculated = _root_from_inclusion(leaf_hash, index, tree_size, proof)
    _check_match("root", expected=root, calculated=calculated)


def verify_leaf_inclusion(
    leaf: bytes, index: int, tree_size: int, proof: Sequence[bytes], root: bytes
) -> None:
    """``verify_inclusion`` starting from the raw entry rather than its hash."""
    verify_inclusion(leaf_hash(leaf), index, tree_size, proof, root)


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    """Check that the tree (``new_size``, ``new_root``) extends (``old_size``, ``old_root``).

    Equal sizes need an empty proof and equal roots. ``old_size == 0`` is always rejected:
    RFC 9162 defines consistency only for ``0 < first``, and a proof from the empty tree
    proves nothing.
    """
    _check_proof(proof)
    if old_size < 1:
        raise VerificationError(
            f"consistency from a tree of size {old_size} is undefined (RFC 9162 needs 0 < first)"
        )
    if new_size < old_size:
        raise VerificationError(f"new tree size {new_size} is smaller than old size {old_size}")
    if old_size == new_size:
        if proof:
            raise VerificationError(
                f"trees of equal size {old_size} need an empty proof, got {len(proof)} hashes"
            )
        if old_root != new_root:
            raise VerificationError(
                f"trees of equal size {old_size} have different roots: "
                f"old {old_root.hex()}, new {new_root.hex()}"
            )
        return
    calculated_old, calculated_new = _roots_from_consistency(old_size, new_size, old_root, proof)
    _check_match("old root", expected=old_root, calculated=calculated_old)
    _check_match("new root", expected=new_root, calculated=calculated_new)


def _root_from_inclusion(
    leaf_hash: bytes, index: int, tree_size: int, proof: Sequence[bytes]
) -> bytes:
    """Steps 2-5 of §2.1.3.2: fold the path into a root, failing on a path of the wrong length."""
    # Step 2: fn is our node's index at the current level, sn the index of the level's last
    # node; both halve as we climb, and sn reaches 0 exactly at the root.
    fn, sn = index, tree_size - 1
    r = leaf_hash  # Step 3.
    for p in proof:  # Step 4.
        if sn == 0:  # 4a: already at the root, yet hashes remain.
            raise _wrong_length("inclusion", len(proof), _inclusion_length(index, tree_size))
        if fn & 1 or fn == sn:
            # 4b: p is our left sibling. Either we are a right child, or we are the last node
            # of our level, carried up unpaired (4b.ii) to the level where we are one.
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn, sn = fn >> 1, sn >> 1
        else:  # otherwise we are a left child
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1  # 4c.
    if sn != 0:  # Step 5: sn must be 0, else the path ran out below the root.
        raise _wrong_length("inclusion", len(proof), _inclusion_length(index, tree_size))
    return r


def _roots_from_consistency(
    old_size: int, new_size: int, old_root: bytes, proof: Sequence[bytes]
) -> tuple[bytes, bytes]:
    """Steps 1-7 of §2.1.4.2 for ``0 < old_size < new_size``: both roots the proof implies."""
    expected_length = _consistency_length(old_size, new_size)
    if not proof:  # Step 1.
        raise _wrong_length("consistency", 0, expected_length)
    # Step 2: when the old tree is a perfect subtree the verifier already holds its hash,
    # so the log leaves it out of the proof; put it back as the starting node.
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1  # Step 3.
    # Step 4: climb to the level of path[0], the largest perfect subtree ending where the old
    # tree ends (the trailing 1 bits of old_size - 1).
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]  # Step 5: fr rebuilds the old root, sr the new one.
    for c in path[1:]:  # Step 6.
        if sn == 0:  # 6a.
            raise _wrong_length("consistency", len(proof), expected_length)
        if fn & 1 or fn == sn:
            # 6b: c is a left sibling, so it is in the old tree too: both roots take it.
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:  # 6b.iii: carried up unpaired, as in §2.1.3.2 step 4b.ii
                while not fn & 1 and fn != 0:
                    fn, sn = fn >> 1, sn >> 1
        else:  # c is a right sibling that only the new tree has
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1  # 6c.
    if sn != 0:  # Step 7: sn must be 0 (the caller compares fr and sr with the roots).
        raise _wrong_length("consistency", len(proof), expected_length)
    return fr, sr


# -- small helpers ----------------------------------------------------------------------------


def _inclusion_length(index: int, tree_size: int) -> int:
    """How many hashes ``PATH(index, D[tree_size])`` has: levels below and on the right border.

    ``inner`` counts levels below the node where the paths to ``index`` and to the last leaf
    part; above it every right-border node that is a right child contributes one hash.
    """
    inner = (index ^ (tree_size - 1)).bit_length()
    return inner + (index >> inner).bit_count()


def _consistency_length(old_size: int, new_size: int) -> int:
    """How many hashes ``PROOF(old_size, D[new_size])`` has, for ``0 < old_size < new_size``."""
    # The proof is the inclusion proof of the old tree's last perfect subtree, seen as one
    # leaf at level ``shift``, plus that subtree itself unless it is the whole old tree.
    shift = (old_size & -old_size).bit_length() - 1
    inner = ((old_size - 1) ^ (new_size - 1)).bit_length() - shift
    border = ((old_size - 1) >> (inner + shift)).bit_count()
    seed = 0 if old_size == 1 << shift else 1
    return seed + inner + border


def _wrong_length(kind: str, got: int, expected: int) -> VerificationError:
    return VerificationError(f"{kind} proof has {got} hashes, expected {expected}")


def _check_hash(what: str, value: bytes) -> None:
    if not isinstance(value, bytes) or len(value) != HASH_SIZE:
        size = len(value) if isinstance(value, bytes) else type(value).__name__
        raise VerificationError(f"{what} must be {HASH_SIZE} bytes, got {size}")


def _check_proof(proof: Sequence[bytes]) -> None:
    for position, element in enumerate(proof):
        _check_hash(f"proof hash #{position}", element)


def _check_match(what: str, *, expected: bytes, calculated: bytes) -> None:
    if calculated != expected:
        raise VerificationError(
            f"calculated {what} {calculated.hex()} does not match expected {expected.hex()}"
        )
