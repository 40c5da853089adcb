"""Receipts and consistency between signed tree heads."""

from __future__ import annotations

import dataclasses
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tearline.domain.errors import VerificationError
from tearline.ledger.heads import SignedTreeHead, private_key_from_raw, sign_tree_head
from tearline.ledger.merkle import consistency_proof, inclusion_proof, root_hash
from tearline.ledger.receipts import Receipt, verify_consistency_between, verify_receipt

KEY = private_key_from_raw(bytes(range(32)))
PUBLIC = KEY.public_key()
ENTRIES = [f'{{"release": {i}}}'.encode() for i in range(11)]
NOW_MS = 1_700_000_000_000

GOLDEN_RECEIPT = (
    '{"index":1,"leaf":"62","proof":['
    '"022a6979e6dab7aa5ae4c3e5e45f7e977112a7e63593820dbec1ec738a24f93c",'
    '"597fcb31282d34654c200d3418fca5705c648ebf326ec73d8ddef11841f876d8"],'
    '"tree_head":{"key_id":"56475aa75463474c0285df5dbf2bcab73da651358839e9b77481b2eab107708c",'
    '"root":"36642e73c2540ab121e3a6bf9545b0a24982cd830eb13d3cd19de3ce6c021ec1",'
    '"signature":"6e848cb8efb54a5a34ca79cea94e02ab6c902b368a431c661974abc326aefb09'
    '2d0b54f49c4cf3ef7b123f08cdb3be64669f12210fe29428da7f4757dd276409",'
    '"size":3,"timestamp_ms":1700000000000,"version":1},"version":1}'
)


def _head(size: int, timestamp_ms: int = NOW_MS) -> SignedTreeHead:
    return sign_tree_head(KEY, size, root_hash(ENTRIES[:size]), timestamp_ms)


def _receipt(index: int, size: int = len(ENTRIES)) -> Receipt:
    proof = tuple(inclusion_proof(ENTRIES[:size], index))
    return Receipt(leaf=ENTRIES[index], index=index, proof=proof, tree_head=_head(size))


@pytest.mark.parametrize("index", range(len(ENTRIES)))
def test_every_receipt_verifies_and_survives_json(index: int) -> None:
    receipt = _receipt(index)
    verify_receipt(receipt, PUBLIC)
    parsed = Receipt.from_json(receipt.to_json())
    assert parsed == receipt
    verify_receipt(parsed, PUBLIC)


def test_golden_receipt() -> None:
    leaves = [b"a", b"b", b"c"]
    head = sign_tree_head(KEY, 3, root_hash(leaves), NOW_MS)
    receipt = Receipt(b"b", 1, tuple(inclusion_proof(leaves, 1)), head)
    assert receipt.to_json() == GOLDEN_RECEIPT
    assert Receipt.from_json(GOLDEN_RECEIPT) == receipt
    verify_receipt(Receipt.from_json(GOLDEN_RECEIPT), PUBLIC)


def test_receipt_for_another_entry_is_rejected() -> None:
    receipt = dataclasses.replace(_receipt(4), leaf=ENTRIES[5])
    with pytest.raises(VerificationError, match=r"receipt inclusion proof \(leaf 4 of 11\)"):
        verify_receipt(receipt, PUBLIC)


def test_receipt_with_another_index_is_rejected() -> None:
    with pytest.raises(VerificationError, match="receipt inclusion proof"):
        verify_receipt(dataclasses.replace(_receipt(4), index=5), PUBLIC)


def test_receipt_with_a_changed_proof_is_rejected() -> None:
    receipt = _receipt(4)
    proof = list(receipt.proof)
    proof[1] = bytes(b ^ 0xFF for b in proof[1])
    with pytest.raises(VerificationError, match="calculated root"):
        verify_receipt(dataclasses.replace(receipt, proof=tuple(proof)), PUBLIC)


def test_receipt_whose_head_was_rewritten_is_rejected() -> None:
    # The log "removes" entry 10 and re-roots the tree, but cannot re-sign the old head.
    receipt = _receipt(4)
    head = receipt.tree_head
    forged = dataclasses.replace(
        head, head=dataclasses.replace(head.head, root=root_hash(ENTRIES[:10]))
    )
    with pytest.raises(VerificationError, match=r"receipt tree head: .*signature does not verify"):
        verify_receipt(dataclasses.replace(receipt, tree_head=forged), PUBLIC)


def test_receipt_signed_by_another_key_is_rejected() -> None:
    other = Ed25519PrivateKey.generate()
    receipt = _receipt(4)
    resigned = sign_tree_head(other, 11, root_hash(ENTRIES), NOW_MS)
    with pytest.raises(VerificationError, match=r"receipt tree head: .*expected key"):
        verify_receipt(dataclasses.replace(receipt, tree_head=resigned), PUBLIC)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"extra": True}, "unknown fields"),
        ({"version": 0}, "unsupported version 0"),
        ({"index": -1}, "'index' must be an integer"),
        ({"leaf": "XY"}, "'leaf' must be lowercase hex"),
        ({"proof": "00" * 32}, "'proof' must be a list"),
        ({"proof": ["00" * 31]}, r"'proof'\[0\] must be 32 bytes"),
        ({"tree_head": {}}, "signed tree head: missing fields"),
    ],
)
def test_malformed_receipts_are_rejected(change: dict[str, object], message: str) -> None:
    document = json.loads(GOLDEN_RECEIPT) | change
    with pytest.raises(VerificationError, match=message):
        Receipt.from_json(json.dumps(document))


def test_receipt_constructor_checks_types() -> None:
    head = _head(11)
    with pytest.raises(ValueError, match="leaf must be bytes"):
        Receipt("text", 0, (), head)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="index"):
        Receipt(b"x", -1, (), head)
    with pytest.raises(ValueError, match="proof"):
        Receipt(b"x", 0, [bytes(32)], head)  # type: ignore[arg-type]


# -- consistency between signed heads ----------------------------------------------------------


@pytest.mark.parametrize(("old", "new"), [(1, 11), (3, 11), (8, 11), (10, 11), (11, 11)])
def test_later_heads_extend_earlier_ones(old: int, new: int) -> None:
    proof = consistency_proof(ENTRIES[:new], old)
    verify_consistency_between(_head(old), _head(new, NOW_MS + 1), proof, PUBLIC)


def test_rewritten_history_is_detected() -> None:
    # A log that altered entry 2 after signing the size-3 head cannot prove consistency.
    rewritten = [*ENTRIES[:2], b"altered", *ENTRIES[3:]]
    new = sign_tree_head(KEY, 11, root_hash(rewritten), NOW_MS + 1)
    with pytest.raises(VerificationError, match="consistency from size 3 to 11: calculated old"):
        verify_consistency_between(_head(3), new, consistency_proof(rewritten, 3), PUBLIC)


def test_consistency_needs_both_heads_signed_by_the_key() -> None:
    other = Ed25519PrivateKey.generate()
    forged = sign_tree_head(other, 11, root_hash(ENTRIES), NOW_MS)
    proof = consistency_proof(ENTRIES, 3)
    with pytest.raises(VerificationError, match="new tree head"):
        verify_consistency_between(_head(3), forged, proof, PUBLIC)
    with pytest.raises(VerificationError, match="old tree head"):
        verify_consistency_between(forged, _head(11), [], PUBLIC)


def test_heads_out_of_order_or_from_the_empty_tree_are_rejected() -> None:
    with pytest.raises(VerificationError, match="smaller than old size"):
        verify_consistency_between(_head(11), _head(3), consistency_proof(ENTRIES, 3), PUBLIC)
    with pytest.raises(VerificationError, match="size 0 is undefined"):
        verify_consistency_between(_head(0), _head(11), [], PUBLIC)
