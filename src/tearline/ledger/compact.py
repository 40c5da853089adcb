"""Roots and proofs from stored subtree hashes, and the append-only frontier of the tree.

Provenance: the trees, roots and proofs of RFC 9162 §2.1.1, §2.1.3.1 and §2.1.4.1, computed the
way transparency-dev/merkle does in its ``compact`` (compact ranges) and ``proof`` packages.

A *perfect subtree* at ``(level, index)`` holds the ``2**level`` leaves starting at leaf
``index * 2**level``. Once complete its hash never changes, so a store can write each one once
and read a handful per proof:

* ``Frontier`` is the list of perfect-subtree roots that make up the current tree (one per set
  bit of its size, largest first: O(log n) hashes). ``append`` costs O(log n) hashes, returns
  every perfect subtree the new leaf completes (for the store to persist), and ``root``
  folds the frontier into ``MTH`` without reading a single leaf.
* ``inclusion_proof_from_subtrees`` / ``consistency_proof_from_subtrees`` build
  ``PATH`` / ``PROOF`` from a ``subtree_hash(start, size)`` callable, calling it O(log n) times.

Why this is enough: in the recursion of §2.1.1 every left part ``D[0:k]`` is a perfect
subtree, and every right part starts at a multiple of the next power of two above its length.
Such a range is the perfect subtrees of the binary digits of its length, largest first, and its
``MTH`` is those hashes folded from the right (``_range_root``). Each proof has at most one
such non-perfect node: the right sibling where the path first turns left.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from tearline.ledger.merkle import EMPTY_ROOT, HASH_SIZE, node_hash, split_point

SubtreeHash = Callable[[int, int], bytes]
"""``subtree_hash(start, size)``: the hash of the perfect subtree of ``size`` leaves (a power
of two) that starts at leaf ``start`` (a multiple of ``size``). ``size == 1`` is a leaf hash."""


@dataclass(frozen=True, slots=True)
class NodeHash:
    """The hash of the perfect subtree at ``(level, index)``: leaves ``[start, start + size)``."""

    level: int
    index: int
    digest: bytes

    @property
    def start(self) -> int:
        return self.index << self.level

    @property
    def size(self) -> int:
        return 1 << self.level


@dataclass(frozen=True, slots=True)
class Frontier:
    """The roots of the perfect subtrees that make up a tree of ``size`` leaves, largest first."""

    size: int = 0
    roots: tuple[bytes, ...] = ()

    def __post_init__(self) -> None:
        if isinstance(self.size, bool) or not isinstance(self.size, int) or self.size < 0:
            raise ValueError(f"frontier size must be a non-negative int, got {self.size!r}")
        # One perfect subtree per set bit of the size: 6 = 4 + 2 leaves has two roots.
        if len(self.roots) != self.size.bit_count():
            raise ValueError(
                f"a tree of size {self.size} has {self.size.bit_count()} frontier roots, "
                f"got {len(self.roots)}"
            )
        for digest in self.roots:
            _require_hash("frontier root", digest)

    @classmethod
    def from_subtrees(cls, subtree_hash: SubtreeHash, size: int) -> Frontier:
        """Rebuild the frontier of a stored tree of ``size`` leaves from O(log n) subtree hashes."""
        return cls(size, tuple(subtree_hash(start, n) for start, n in _perfect_subtrees(0, size)))

    def append(self, leaf_hash: bytes) -> tuple[Frontier, tuple[NodeHash, ...]]:
        """Add one leaf (by its hash): the new frontier and every perfect subtree it completes.

        The completed subtrees come smallest first, starting with the leaf itself at level 0,
        so a store that keeps all of them can answer any ``subtree_hash(start, size)``.
        """
        _require_hash("leaf hash", leaf_hash)
        roots = list(self.roots)
        digest, level, index = leaf_hash, 0, self.size
        completed = [NodeHash(level, index, digest)]
        # Like a binary counter's carry: each trailing 1 bit of the old size is a perfect
        # subtree of that level just left of the new leaf, which the new node now completes.
        carry = self.size
        while carry & 1:
            digest = node_hash(roots.pop(), digest)
            level, index, carry = level + 1, index >> 1, carry >> 1
            completed.append(NodeHash(level, index, digest))
        roots.append(digest)
        return Frontier(self.size + 1, tuple(roots)), tuple(completed)

    def extend(self, leaf_hashes: Iterable[bytes]) -> tuple[Frontier, tuple[NodeHash, ...]]:
        """``append`` each leaf hash in turn; all completed subtrees, in completion order."""
        frontier, completed = self, list[NodeHash]()
        for leaf_hash in leaf_hashes:
            frontier, nodes = frontier.append(leaf_hash)
            completed.extend(nodes)
        return frontier, tuple(completed)

    def root(self) -> bytes:
        """``MTH`` of the whole tree (§2.1.1), from the frontier alone."""
        if not self.roots:
            return EMPTY_ROOT
        return _fold_right(self.roots)


def root_from_subtrees(subtree_hash: SubtreeHash, tree_size: int) -> bytes:
    """``MTH`` of the first ``tree_size`` leaves, from O(log n) stored subtree hashes."""
    if tree_size < 0:
        raise ValueError(f"tree size must be non-negative, got {tree_size}")
    if tree_size == 0:
        return EMPTY_ROOT
    return _range_root(subtree_hash, 0, tree_size)


def inclusion_proof_from_subtrees(
    subtree_hash: SubtreeHash, index: int, tree_size: int
) -> list[bytes]:
    """``PATH(index, D[tree_size])`` (§2.1.3.1), equal to ``merkle.inclusion_proof``."""
    if not 0 <= index < tree_size:
        raise ValueError(f"leaf index {index} is outside a tree of size {tree_size}")
    # Walk down from the root, keeping the sibling of each part we enter; the proof lists
    # them from the leaf up, so reverse at the end.
    siblings: list[bytes] = []
    lo, hi = 0, tree_size
    while hi - lo > 1:
        mid = lo + split_point(hi - lo)
        if index < mid:
            siblings.append(_range_root(subtree_hash, mid, hi))
            hi = mid
        else:
            siblings.append(subtree_hash(lo, mid - lo))
            lo = mid
    siblings.reverse()
    return siblings


def consistency_proof_from_subtrees(
    subtree_hash: SubtreeHash, old_size: int, new_size: int
) -> list[bytes]:
    """``PROOF(old_size, D[new_size])`` (§2.1.4.1), equal to ``merkle.consistency_proof``."""
    if not 0 < old_size <= new_size:
        raise ValueError(
            f"consistency proofs need 0 < old_size <= new_size; got {old_size}, {new_size}"
        )
    # Walk down from the root towards the end of the old tree, as SUBPROOF recurses.
    # `whole` is SUBPROOF's b: whether the part we are in could still be the old tree itself.
    nodes: list[bytes] = []
    lo, hi, whole = 0, new_size, True
    while old_size != hi:
        mid = lo + split_point(hi - lo)
        if old_size <= mid:
            nodes.append(_range_root(subtree_hash, mid, hi))
            hi = mid
        else:
            nodes.append(subtree_hash(lo, mid - lo))
            lo, whole = mid, False
    if not whole:
        # We stopped on a part that ends where the old tree ends but starts after it begins:
        # the verifier does not know it. It is perfect (we last stepped into a left part).
        nodes.append(subtree_hash(lo, hi - lo))
    nodes.reverse()
    return nodes


def _perfect_subtrees(start: int, end: int) -> list[tuple[int, int]]:
    """``(start, size)`` of the perfect subtrees making up ``[start, end)``, largest first.

    ``start`` must be 0 or a multiple of the smallest power of two ``>= end - start``.
    """
    pieces: list[tuple[int, int]] = []
    length = end - start
    for level in reversed(range(length.bit_length())):
        if length >> level & 1:
            pieces.append((start, 1 << level))
            start += 1 << level
    return pieces


def _range_root(subtree_hash: SubtreeHash, start: int, end: int) -> bytes:
    """``MTH(D[start:end])`` for a range of the §2.1.1 recursion (see the module docstring)."""
    return _fold_right([subtree_hash(s, n) for s, n in _perfect_subtrees(start, end)])


def _fold_right(hashes: tuple[bytes, ...] | list[bytes]) -> bytes:
    """Combine subtree roots, largest (leftmost) first, as §2.1.1 splits: ``a, b, c -> a(bc)``."""
    digest = hashes[-1]
    for left in reversed(hashes[:-1]):
        digest = node_hash(left, digest)
    return digest


def _require_hash(what: str, value: bytes) -> None:
    if not isinstance(value, bytes) or len(value) != HASH_SIZE:
        raise ValueError(f"{what} must be {HASH_SIZE} bytes, got {value!r}")
