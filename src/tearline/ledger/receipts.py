"""Receipts: what a partner or auditor keeps to prove one entry is in the ledger.

A receipt holds the raw entry (leaf bytes), its index, its inclusion proof (RFC 9162 §2.1.3.1)
and the signed tree head the proof leads to. ``verify_receipt`` checks it with nothing but the
log's public key: the signature on the head, then the leaf hash recomputed from the leaf bytes
(never taken on trust), then the inclusion proof against the signed root (§2.1.3.2).

``verify_consistency_between`` checks that a later signed head extends an earlier one
(§2.1.4.2), which is how an auditor notices a log that rewrote its history.

JSON form (canonical text from ``to_json``: sorted keys, no whitespace; byte strings
lowercase hex; the tree head in its own versioned form, see ``heads``)::

    {"version": 1, "leaf": "<entry bytes>", "index": 3, "proof": ["<32 bytes>", ...],
     "tree_head": {"version": 1, "size": 8, ...}}
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from tearline.domain.errors import VerificationError
from tearline.ledger import _codec
from tearline.ledger.heads import SignedTreeHead, verify_tree_head
from tearline.ledger.merkle import HASH_SIZE, leaf_hash, verify_consistency, verify_inclusion

RECEIPT_VERSION = 1
"""``version`` field of the receipt JSON form."""

_RECEIPT_FIELDS = frozenset({"version", "leaf", "index", "proof", "tree_head"})


@dataclass(frozen=True, slots=True)
class Receipt:
    """Leaf ``index`` of the tree in ``tree_head`` is ``leaf``, as ``proof`` shows."""

    leaf: bytes
    index: int
    proof: tuple[bytes, ...]
    tree_head: SignedTreeHead

    def __post_init__(self) -> None:
        if not isinstance(self.leaf, bytes):
            raise ValueError(f"leaf must be bytes, got {type(self.leaf).__name__}")
        if isinstance(self.index, bool) or not isinstance(self.index, int) or self.index < 0:
            raise ValueError(f"index must be a non-negative int, got {self.index!r}")
        if not isinstance(self.proof, tuple) or not all(isinstance(h, bytes) for h in self.proof):
            raise ValueError("proof must be a tuple of bytes")

    def to_dict(self) -> dict[str, object]:
        return {
            "version": RECEIPT_VERSION,
            "leaf": self.leaf.hex(),
            "index": self.index,
            "proof": _codec.encode_hex_list(self.proof),
            "tree_head": self.tree_head.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: object) -> Receipt:
        """Parse the JSON form strictly; ``VerificationError`` names the bad field."""
        what = "receipt"
        fields = _codec.require_keys(data, _RECEIPT_FIELDS, what)
        _codec.version_field(fields, RECEIPT_VERSION, what)
        return cls(
            leaf=_codec.hex_field(fields, "leaf", what),
            index=_codec.int_field(fields, "index", what),
            proof=_codec.hex_list_field(fields, "proof", what, HASH_SIZE),
            tree_head=SignedTreeHead.from_dict(fields["tree_head"]),
        )

    def to_json(self) -> str:
        return _codec.canonical_json(self.to_dict())

    @classmethod
    def from_json(cls, text: str | bytes) -> Receipt:
        return cls.from_dict(_codec.parse_json(text, "receipt"))


def verify_receipt(receipt: Receipt, public_key: Ed25519PublicKey) -> None:
    """Check a receipt against the log's public key; ``VerificationError`` says what failed."""
    head = receipt.tree_head.head
    # 1. The head must come from the log: otherwise its root proves nothing.
    try:
        verify_tree_head(public_key, receipt.tree_head)
    except VerificationError as exc:
        raise VerificationError(f"receipt tree head: {exc}") from exc
    # 2. Hash the entry ourselves, so the receipt cannot pair one entry with another's hash.
    # 3. The proof must lead from that leaf, at that index, to the signed root.
    try:
        verify_inclusion(
            leaf_hash(receipt.leaf), receipt.index, head.size, receipt.proof, head.root
        )
    except VerificationError as exc:
        raise VerificationError(
            f"receipt inclusion proof (leaf {receipt.index} of {head.size}): {exc}"
        ) from exc


def verify_consistency_between(
    old: SignedTreeHead,
    new: SignedTreeHead,
    proof: Sequence[bytes],
    public_key: Ed25519PublicKey,
) -> None:
    """Check that signed head ``new`` extends signed head ``old`` (both by ``public_key``).

    As in ``merkle.verify_consistency``, equal sizes need equal roots and an empty proof, and
    a head of size 0 has no consistency proofs: an auditor starts from the first non-empty one.
    Timestamps are not compared; only sizes and roots are bound by the proof.
    """
    for name, sth in (("old", old), ("new", new)):
        try:
            verify_tree_head(public_key, sth)
        except VerificationError as exc:
            raise VerificationError(f"{name} tree head: {exc}") from exc
    try:
        verify_consistency(old.head.size, new.head.size, old.head.root, new.head.root, proof)
    except VerificationError as exc:
        raise VerificationError(
            f"consistency from size {old.head.size} to {new.head.size}: {exc}"
        ) from exc
