"""The ledger's public surface, and that it stays a pure core."""

from __future__ import annotations

import subprocess
import sys

import tearline.ledger

EXPECTED = {
    # merkle
    "EMPTY_ROOT",
    "HASH_SIZE",
    "LEAF_PREFIX",
    "NODE_PREFIX",
    "leaf_hash",
    "node_hash",
    "root_hash",
    "inclusion_proof",
    "consistency_proof",
    "verify_inclusion",
    "verify_leaf_inclusion",
    "verify_consistency",
    # compact
    "Frontier",
    "NodeHash",
    "SubtreeHash",
    "root_from_subtrees",
    "inclusion_proof_from_subtrees",
    "consistency_proof_from_subtrees",
    # heads
    "STH_PREFIX",
    "TreeHead",
    "SignedTreeHead",
    "sign_tree_head",
    "verify_tree_head",
    "key_id",
    "private_key_from_pem",
    "private_key_from_raw",
    "private_key_to_pem",
    "private_key_to_raw",
    "public_key_from_pem",
    "public_key_from_raw",
    "public_key_to_pem",
    "public_key_to_raw",
    # leaf
    "LEAF_MAGIC",
    "ReleaseLeaf",
    # receipts
    "Receipt",
    "verify_receipt",
    "verify_consistency_between",
}


def test_exported_members() -> None:
    assert set(tearline.ledger.__all__) == EXPECTED
    assert len(tearline.ledger.__all__) == len(EXPECTED)
    for name in EXPECTED:
        assert hasattr(tearline.ledger, name), name


def test_importing_the_ledger_loads_no_adapter() -> None:
    # A fresh interpreter, so nothing another test imported can hide a dependency.
    code = (
        "import sys, tearline.ledger\n"
        "bad = ('sqlalchemy', 'alembic', 'fastapi', 'typer', 'tearline.store', 'tearline.cli',"
        " 'tearline.api', 'tearline.web', 'tearline.services')\n"
        "print(sorted(m for m in sys.modules if m.startswith(bad)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
