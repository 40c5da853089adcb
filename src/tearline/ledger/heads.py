"""Signed tree heads: the log's Ed25519 signature over (size, root, timestamp).

Provenance: the role of RFC 9162 §4.10 (``TreeHeadDataV2``) and RFC 6962 §3.5 signed tree
heads, with our own fixed, versioned encoding instead of TLS structures.

Signed bytes (``TreeHead.signing_bytes``), 64 bytes, every field fixed-width::

    b"tearline-sth-v1\\n"          16 bytes: names the format and its version
    size          uint64 big-endian  number of leaves
    timestamp_ms  uint64 big-endian  milliseconds since 1970-01-01T00:00:00Z (passed in)
    root          32 bytes           MTH of the first `size` leaves (RFC 9162 §2.1.1)

A different prefix, hence a different signature, marks any future version, and the fixed
widths leave no two heads with the same bytes.

JSON form (``SignedTreeHead.to_dict``; byte strings lowercase hex, see ``_codec``)::

    {"version": 1, "size": 8, "timestamp_ms": 1700000000000, "root": "<32 bytes>",
     "key_id": "<32 bytes: SHA-256 of the raw public key>", "signature": "<64 bytes>"}

Keys: Ed25519 only. Public keys travel as PEM (SubjectPublicKeyInfo) or as their 32 raw bytes;
private keys as PEM (PKCS#8, optionally password-encrypted) or their 32-byte raw seed. These
helpers turn bytes into keys and back; reading and writing files is the store's job. Malformed
public material raises ``VerificationError``; a malformed private key raises ``StoreError``
(the log cannot sign with what it holds).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from tearline.domain.errors import StoreError, VerificationError
from tearline.ledger import _codec
from tearline.ledger.merkle import HASH_SIZE

STH_PREFIX = b"tearline-sth-v1\n"
"""First bytes of every signed tree head: the format's name and version."""

STH_VERSION = 1
"""``version`` field of the JSON form."""

SIGNATURE_SIZE = 64
"""Length of an Ed25519 signature."""

_STH_FIELDS = frozenset({"version", "size", "timestamp_ms", "root", "key_id", "signature"})


@dataclass(frozen=True, slots=True)
class TreeHead:
    """What the log commits to: the tree of ``size`` leaves has ``root``, as of ``timestamp_ms``."""

    size: int
    root: bytes
    timestamp_ms: int

    def __post_init__(self) -> None:
        _require_uint64("tree size", self.size)
        _require_uint64("timestamp_ms", self.timestamp_ms)
        _require_bytes("root", self.root, HASH_SIZE)

    def signing_bytes(self) -> bytes:
        """The canonical encoding that is signed (see the module docstring)."""
        return (
            STH_PREFIX
            + self.size.to_bytes(8, "big")
            + self.timestamp_ms.to_bytes(8, "big")
            + self.root
        )


@dataclass(frozen=True, slots=True)
class SignedTreeHead:
    """A tree head, the id of the key that signed it, and the Ed25519 signature."""

    head: TreeHead
    key_id: bytes
    signature: bytes

    def __post_init__(self) -> None:
        _require_bytes("key id", self.key_id, HASH_SIZE)
        _require_bytes("signature", self.signature, SIGNATURE_SIZE)

    def to_dict(self) -> dict[str, object]:
        return {
            "version": STH_VERSION,
            "size": self.head.size,
            "timestamp_ms": self.head.timestamp_ms,
            "root": self.head.root.hex(),
            "key_id": self.key_id.hex(),
            "signature": self.signature.hex(),
        }

    @classmethod
    def from_dict(cls, data: object) -> SignedTreeHead:
        """Parse the JSON form strictly; ``VerificationError`` names the bad field."""
        what = "signed tree head"
        fields = _codec.require_keys(data, _STH_FIELDS, what)
        _codec.version_field(fields, STH_VERSION, what)
        head = TreeHead(
            size=_codec.int_field(fields, "size", what),
            root=_codec.hex_field(fields, "root", what, HASH_SIZE),
            timestamp_ms=_codec.int_field(fields, "timestamp_ms", what),
        )
        return cls(
            head=head,
            key_id=_codec.hex_field(fields, "key_id", what, HASH_SIZE),
            signature=_codec.hex_field(fields, "signature", what, SIGNATURE_SIZE),
        )

    def to_json(self) -> str:
        return _codec.canonical_json(self.to_dict())

    @classmethod
    def from_json(cls, text: str | bytes) -> SignedTreeHead:
        return cls.from_dict(_codec.parse_json(text, "signed tree head"))


def sign_tree_head(
    private_key: Ed25519PrivateKey, size: int, root: bytes, timestamp_ms: int
) -> SignedTreeHead:
    """Sign (size, root, timestamp_ms); the caller passes the time in, so this stays pure."""
    head = TreeHead(size=size, root=root, timestamp_ms=timestamp_ms)
    return SignedTreeHead(
        head=head,
        key_id=key_id(private_key.public_key()),
        signature=private_key.sign(head.signing_bytes()),
    )


def verify_tree_head(public_key: Ed25519PublicKey, sth: SignedTreeHead) -> None:
    """Check that ``public_key`` signed ``sth``; raise ``VerificationError`` otherwise."""
    # Compare key ids first: "signed by another key" is a clearer finding than a bad signature.
    expected = key_id(public_key)
    if sth.key_id != expected:
        raise VerificationError(
            f"tree head names signing key {sth.key_id.hex()}, expected key {expected.hex()}"
        )
    try:
        public_key.verify(sth.signature, sth.head.signing_bytes())
    except InvalidSignature:
        raise VerificationError(
            f"tree head signature does not verify (size {sth.head.size}, "
            f"root {sth.head.root.hex()}, timestamp_ms {sth.head.timestamp_ms})"
        ) from None


def key_id(public_key: Ed25519PublicKey) -> bytes:
    """SHA-256 of the raw 32-byte public key: names the key in tree heads and receipts."""
    return hashlib.sha256(public_key_to_raw(public_key)).digest()


# -- keys: bytes in, bytes out ---------------------------------------------------------------


def public_key_to_raw(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes_raw()


def public_key_from_raw(raw: bytes) -> Ed25519PublicKey:
    try:
        return Ed25519PublicKey.from_public_bytes(raw)
    except (ValueError, TypeError) as exc:
        raise VerificationError(f"malformed Ed25519 public key: {exc}") from exc


def public_key_to_pem(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def public_key_from_pem(pem: bytes) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(pem)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise VerificationError(f"malformed public key PEM: {exc}") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise VerificationError(f"expected an Ed25519 public key, got {type(key).__name__}")
    return key


def private_key_to_raw(private_key: Ed25519PrivateKey) -> bytes:
    return private_key.private_bytes_raw()


def private_key_from_raw(raw: bytes) -> Ed25519PrivateKey:
    try:
        return Ed25519PrivateKey.from_private_bytes(raw)
    except (ValueError, TypeError) as exc:
        raise StoreError(f"malformed Ed25519 private key: {exc}") from exc


def private_key_to_pem(private_key: Ed25519PrivateKey, password: bytes | None = None) -> bytes:
    """PKCS#8 PEM, encrypted with ``password`` when one is given."""
    encryption: serialization.KeySerializationEncryption = (
        serialization.NoEncryption()
        if password is None
        else serialization.BestAvailableEncryption(password)
    )
    return private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )


def private_key_from_pem(pem: bytes, password: bytes | None = None) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(pem, password)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        # cryptography raises these for garbage, a wrong password and a missing one alike.
        raise StoreError(f"cannot load private key PEM: {exc}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise StoreError(f"expected an Ed25519 private key, got {type(key).__name__}")
    return key


def _require_uint64(what: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{what} must be an int, got {type(value).__name__}")
    if not 0 <= value <= _codec.UINT64_MAX:
        raise ValueError(f"{what} must be in 0..2**64-1, got {value}")


def _require_bytes(what: str, value: bytes, size: int) -> None:
    if not isinstance(value, bytes) or len(value) != size:
        raise ValueError(f"{what} must be {size} bytes, got {value!r}")
