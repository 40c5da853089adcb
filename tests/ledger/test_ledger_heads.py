"""Signed tree heads: encoding, signing, verification, JSON and key handling."""

from __future__ import annotations

import dataclasses
import hashlib
import json

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tearline.domain.errors import StoreError, VerificationError
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
from tearline.ledger.merkle import root_hash

# A fixed key and head, so the encoding and signature are pinned (Ed25519 is deterministic).
KEY = private_key_from_raw(bytes(range(32)))
ROOT = root_hash([b"a", b"b", b"c"])
TIMESTAMP_MS = 1_700_000_000_000
GOLDEN_SIGNING_BYTES = bytes.fromhex(
    "746561726c696e652d7374682d76310a"  # b"tearline-sth-v1\n"
    "0000000000000003"  # size 3
    "0000018bcfe56800"  # 1_700_000_000_000 ms
    "36642e73c2540ab121e3a6bf9545b0a24982cd830eb13d3cd19de3ce6c021ec1"  # root
)
GOLDEN_JSON = (
    '{"key_id":"56475aa75463474c0285df5dbf2bcab73da651358839e9b77481b2eab107708c",'
    '"root":"36642e73c2540ab121e3a6bf9545b0a24982cd830eb13d3cd19de3ce6c021ec1",'
    '"signature":"6e848cb8efb54a5a34ca79cea94e02ab6c902b368a431c661974abc326aefb09'
    '2d0b54f49c4cf3ef7b123f08cdb3be64669f12210fe29428da7f4757dd276409",'
    '"size":3,"timestamp_ms":1700000000000,"version":1}'
)


def _sth() -> SignedTreeHead:
    return sign_tree_head(KEY, 3, ROOT, TIMESTAMP_MS)


def test_signing_bytes_are_the_documented_layout() -> None:
    head = TreeHead(size=3, root=ROOT, timestamp_ms=TIMESTAMP_MS)
    assert head.signing_bytes() == GOLDEN_SIGNING_BYTES
    assert GOLDEN_SIGNING_BYTES.startswith(STH_PREFIX)
    assert len(GOLDEN_SIGNING_BYTES) == 64


def test_golden_json_round_trip() -> None:
    sth = _sth()
    assert sth.to_json() == GOLDEN_JSON
    assert SignedTreeHead.from_json(GOLDEN_JSON) == sth
    assert SignedTreeHead.from_dict(sth.to_dict()) == sth
    verify_tree_head(KEY.public_key(), SignedTreeHead.from_json(GOLDEN_JSON))


def test_key_id_is_sha256_of_the_raw_public_key() -> None:
    raw = public_key_to_raw(KEY.public_key())
    assert key_id(KEY.public_key()) == hashlib.sha256(raw).digest() == _sth().key_id


def test_another_key_is_named_in_the_error() -> None:
    other = Ed25519PrivateKey.generate().public_key()
    with pytest.raises(VerificationError, match=f"expected key {key_id(other).hex()}"):
        verify_tree_head(other, _sth())


@pytest.mark.parametrize(
    "change",
    [
        {"size": 4},
        {"timestamp_ms": TIMESTAMP_MS + 1},
        {"root": root_hash([b"a", b"b", b"d"])},
    ],
    ids=["size", "timestamp", "root"],
)
def test_any_changed_field_breaks_the_signature(change: dict[str, object]) -> None:
    sth = _sth()
    forged = dataclasses.replace(sth, head=dataclasses.replace(sth.head, **change))  # type: ignore[arg-type]
    with pytest.raises(VerificationError, match="signature does not verify"):
        verify_tree_head(KEY.public_key(), forged)


def test_a_changed_signature_byte_is_rejected() -> None:
    sth = _sth()
    signature = bytearray(sth.signature)
    signature[10] ^= 0x01
    with pytest.raises(VerificationError, match="signature does not verify"):
        verify_tree_head(KEY.public_key(), dataclasses.replace(sth, signature=bytes(signature)))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"size": -1}, "tree size"),
        ({"size": 2**64}, "tree size"),
        ({"size": True}, "tree size"),
        ({"timestamp_ms": -5}, "timestamp_ms"),
        ({"timestamp_ms": 1.5}, "timestamp_ms"),
        ({"root": ROOT[:31]}, "root"),
        ({"root": ROOT.hex()}, "root"),
    ],
)
def test_tree_head_rejects_bad_values(kwargs: dict[str, object], message: str) -> None:
    values: dict[str, object] = {"size": 3, "root": ROOT, "timestamp_ms": TIMESTAMP_MS}
    with pytest.raises(ValueError, match=message):
        TreeHead(**(values | kwargs))  # type: ignore[arg-type]


def _mutated(**changes: object) -> dict[str, object]:
    document: dict[str, object] = json.loads(GOLDEN_JSON)
    for key, value in changes.items():
        if value is ...:
            del document[key]
        else:
            document[key] = value
    return document


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (_mutated(size=...), "missing fields \\['size'\\]"),
        (_mutated(extra=1), "unknown fields \\['extra'\\]"),
        (_mutated(version=2), "unsupported version 2"),
        (_mutated(size=-1), "'size' must be an integer"),
        (_mutated(size=True), "'size' must be an integer"),
        (_mutated(size=3.0), "'size' must be an integer"),
        (_mutated(size="3"), "'size' must be an integer"),
        (_mutated(timestamp_ms=2**64), "'timestamp_ms' must be an integer"),
        (_mutated(root=ROOT.hex().upper()), "'root' must be lowercase hex"),
        (_mutated(root=ROOT.hex()[:-2]), "'root' must be 32 bytes"),
        (_mutated(root="0x" + ROOT.hex()[2:]), "'root' must be lowercase hex"),
        (_mutated(signature="00" * 63), "'signature' must be 64 bytes"),
        (_mutated(key_id=None), "'key_id' must be lowercase hex"),
        ([], "expected an object"),
    ],
)
def test_malformed_json_forms_are_rejected(document: object, message: str) -> None:
    with pytest.raises(VerificationError, match=message):
        SignedTreeHead.from_dict(document)


@pytest.mark.parametrize(
    "text",
    [
        GOLDEN_JSON[:-1] + ',"size":4}',  # a duplicated key: two readers could disagree
        GOLDEN_JSON.replace('"size":3', '"size":NaN'),
        GOLDEN_JSON[:-1],
        b"\xff",
        "[]",
    ],
    ids=["duplicate-key", "nan", "truncated", "not-utf8", "not-an-object"],
)
def test_malformed_json_text_is_rejected(text: str | bytes) -> None:
    with pytest.raises(VerificationError, match="signed tree head"):
        SignedTreeHead.from_json(text)


# -- keys -------------------------------------------------------------------------------------


def test_key_round_trips() -> None:
    public = KEY.public_key()
    assert private_key_to_raw(private_key_from_raw(private_key_to_raw(KEY))) == bytes(range(32))
    assert public_key_to_raw(public_key_from_raw(public_key_to_raw(public))) == (
        public_key_to_raw(public)
    )
    assert public_key_from_pem(public_key_to_pem(public)) == public
    pem = private_key_to_pem(KEY)
    assert pem.startswith(b"-----BEGIN PRIVATE KEY-----")
    assert private_key_to_raw(private_key_from_pem(pem)) == bytes(range(32))


def test_password_protected_private_key() -> None:
    pem = private_key_to_pem(KEY, password=b"correct horse")
    assert b"ENCRYPTED" in pem
    assert private_key_to_raw(private_key_from_pem(pem, b"correct horse")) == bytes(range(32))
    with pytest.raises(StoreError, match="cannot load private key"):
        private_key_from_pem(pem, b"wrong")
    with pytest.raises(StoreError, match="cannot load private key"):
        private_key_from_pem(pem)


def test_malformed_or_foreign_keys_are_rejected() -> None:
    ec_key = ec.generate_private_key(ec.SECP256R1())
    ec_private_pem = private_key_to_pem(ec_key)  # type: ignore[arg-type]
    ec_public_pem = public_key_to_pem(ec_key.public_key())  # type: ignore[arg-type]
    with pytest.raises(StoreError, match="expected an Ed25519 private key"):
        private_key_from_pem(ec_private_pem)
    with pytest.raises(VerificationError, match="expected an Ed25519 public key"):
        public_key_from_pem(ec_public_pem)
    with pytest.raises(StoreError, match="malformed Ed25519 private key"):
        private_key_from_raw(b"short")
    with pytest.raises(VerificationError, match="malformed Ed25519 public key"):
        public_key_from_raw(b"short")
    with pytest.raises(VerificationError, match="malformed public key PEM"):
        public_key_from_pem(b"-----BEGIN PUBLIC KEY-----\ngarbage\n-----END PUBLIC KEY-----\n")
    with pytest.raises(StoreError, match="cannot load private key"):
        private_key_from_pem(b"not a pem")
