"""The tamper-evident ledger: an RFC 9162 Merkle tree, signed tree heads and receipts.

Pure: values in, values out. No database, no files, no clock (timestamps are passed in).

* ``merkle``   RFC 9162 §2.1 hashing, proofs over raw leaves, and their verification
* ``compact``  the same proofs from stored subtree hashes; the O(log n) append frontier
* ``heads``    Ed25519 signed tree heads and key encodings
* ``receipts`` inclusion receipts and consistency between signed heads
* ``leaf``     the canonical, versioned byte encoding of one release (the log's entries)

Every check raises ``tearline.domain.errors.VerificationError``; none returns a bool.
"""

from tearline.ledger.compact import (
    Frontier,
    NodeHash,
    SubtreeHash,
    consistency_proof_from_subtrees,
    inclusion_proof_from_subtrees,
    root_from_subtrees,
)
from tearline.ledger.heads import (
    STH_PREFIX,
    SignedTreeHead,
    TreeHead,
    key_id,
    private_key_from_pem,
    private_key_from_raw,
    private_key_to_pem,
    private_key_to_raw,
    public_key_from_pem,
    public_key_from_raw,
    public_key_to_pem,
    public_key_to_raw,
    sign_tree_head,
    verify_tree_head,
)
from tearline.ledger.leaf import LEAF_MAGIC, ReleaseLeaf
from tearline.ledger.merkle import (
    EMPTY_ROOT,
    HASH_SIZE,
    LEAF_PREFIX,
    NODE_PREFIX,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root_hash,
    verify_consistency,
    verify_inclusion,
    verify_leaf_inclusion,
)
from tearline.ledger.receipts import Receipt, verify_consistency_between, verify_receipt

__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "LEAF_MAGIC",
    "LEAF_PREFIX",
    "NODE_PREFIX",
    "STH_PREFIX",
    "Frontier",
    "NodeHash",
    "Receipt",
    "ReleaseLeaf",
    "SignedTreeHead",
    "SubtreeHash",
    "TreeHead",
    "consistency_proof",
    "consistency_proof_from_subtrees",
    "inclusion_proof",
    "inclusion_proof_from_subtrees",
    "key_id",
    "leaf_hash",
    "node_hash",
    "private_key_from_pem",
    "private_key_from_raw",
    "private_key_to_pem",
    "private_key_to_raw",
    "public_key_from_pem",
    "public_key_from_raw",
    "public_key_to_pem",
    "public_key_to_raw",
    "root_from_subtrees",
    "root_hash",
    "sign_tree_head",
    "verify_consistency",
    "verify_consistency_between",
    "verify_inclusion",
    "verify_leaf_inclusion",
    "verify_receipt",
    "verify_tree_head",
]
