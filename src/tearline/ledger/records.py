"""Ledger entries that are not copies: audit records and imported historical releases.

The log holds three kinds of leaf, told apart by their magic (each format names itself and its
version, so a later format gets a new magic and old leaves keep their hashes):

* ``tearline-release-v1\\n`` / ``-v2\\n`` / ``-v3\\n``  a copy that left (``ledger.leaf.ReleaseLeaf``)
* ``tearline-audit-v1\\n``    one entry of the audit trail: who did what, when and why
* ``tearline-imported-v1\\n`` a release made before tearline kept the record, imported from a
  scenario file with its original date (there is no copy, so no content hash)

Encodings follow ``ledger.leaf`` (fixed order, ``str`` = uint16 BE length + UTF-8, ``opt str``
= 0x00 | 0x01 str, times in microseconds since the epoch as uint64 BE)::

    audit:     magic, entry uint64 BE, at_us, who str, action str, subject str,
               reason opt str, details_sha256 32 bytes
    imported:  magic, release_id str, report_id str, version str, recipient str, at_us,
               imported_at_us

An audit leaf commits to the entry's details through the SHA-256 of their canonical JSON
(``details_digest``), so the row in the database can be checked against its leaf field by
field. ``decode_entry`` reads any leaf the log may hold.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from tearline.domain.errors import VerificationError
from tearline.ledger._codec import UINT64_MAX
from tearline.ledger.leaf import (
    LEAF_MAGIC,
    LEAF_MAGIC_V2,
    LEAF_MAGIC_V3,
    ReleaseLeaf,
    _micros,
    _optional,
    _Reader,
    _require_text,
    _text,
)

AUDIT_MAGIC = b"tearline-audit-v1\n"
IMPORTED_MAGIC = b"tearline-imported-v1\n"
AUDIT_KEY_PREFIX = "audit-"
"""Audit leaves are stored in the log under ``audit-<entry>``; releases under their own id."""

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def details_digest(details: Mapping[str, Any]) -> bytes:
    """SHA-256 of the canonical JSON of an entry's details (sorted keys, no whitespace)."""
    text = json.dumps(details, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(text.encode("ascii")).digest()


def audit_key(entry: int) -> str:
    return f"{AUDIT_KEY_PREFIX}{entry}"


def _instant(name: str, at: datetime) -> datetime:
    if not isinstance(at, datetime) or at.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime")
    if not 0 <= _micros(at) <= UINT64_MAX:
        raise ValueError(f"{name} must not be before 1970-01-01T00:00:00Z, got {at}")
    return at.astimezone(UTC)


def _from_micros(kind: str, field: str, value: int) -> datetime:
    try:
        return _EPOCH + timedelta(microseconds=value)
    except OverflowError:
        raise VerificationError(f"{kind}: field {field!r} is past year 9999") from None


@dataclass(frozen=True, slots=True)
class AuditLeaf:
    """What the ledger records about one audit entry."""

    entry: int
    at: datetime
    who: str
    action: str
    subject: str
    reason: str | None
    details_sha256: bytes

    def __post_init__(self) -> None:
        if isinstance(self.entry, bool) or not 0 <= self.entry <= UINT64_MAX:
            raise ValueError(f"entry must be 0..{UINT64_MAX}, got {self.entry!r}")
        for name in ("who", "action", "subject"):
            _require_text(name, getattr(self, name))
        if self.reason is not None:
            _require_text("reason", self.reason)
        if not isinstance(self.details_sha256, bytes) or len(self.details_sha256) != 32:
            raise ValueError("details_sha256 must be the 32 bytes of a SHA-256 digest")
        object.__setattr__(self, "at", _instant("at", self.at))

    @property
    def key(self) -> str:
        return audit_key(self.entry)

    def encode(self) -> bytes:
        return b"".join(
            [
                AUDIT_MAGIC,
                self.entry.to_bytes(8, "big"),
                _micros(self.at).to_bytes(8, "big"),
                _text(self.who),
                _text(self.action),
                _text(self.subject),
                _optional(self.reason),
                self.details_sha256,
            ]
        )

    @classmethod
    def decode(cls, data: bytes) -> AuditLeaf:
        reader = _Reader(data, "audit leaf")
        if reader.take(len(AUDIT_MAGIC), "magic") != AUDIT_MAGIC:
            raise VerificationError(f"audit leaf: field 'magic' must be {AUDIT_MAGIC!r}")
        entry = int.from_bytes(reader.take(8, "entry"), "big")
        at = _from_micros("audit leaf", "at", int.from_bytes(reader.take(8, "at"), "big"))
        who = reader.text("who")
        action = reader.text("action")
        subject = reader.text("subject")
        reason = reader.optional("reason")
        digest = reader.take(32, "details_sha256")
        reader.end("details_sha256")
        return cls(entry, at, who, action, subject, reason, digest)

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": "audit",
            "entry": self.entry,
            "at": self.at.isoformat().replace("+00:00", "Z"),
            "who": self.who,
            "action": self.action,
            "subject": self.subject,
            "reason": self.reason,
            "details_sha256": self.details_sha256.hex(),
        }


@dataclass(frozen=True, slots=True)
class ImportedLeaf:
    """A historical release imported from a scenario file: its original date, and when it
    was imported. It has no copy, so no content hash and no fingerprint."""

    release_id: str
    report_id: str
    version: str
    recipient: str
    at: datetime
    imported_at: datetime

    def __post_init__(self) -> None:
        for name in ("release_id", "report_id", "version", "recipient"):
            _require_text(name, getattr(self, name))
        object.__setattr__(self, "at", _instant("at", self.at))
        object.__setattr__(self, "imported_at", _instant("imported_at", self.imported_at))

    @property
    def key(self) -> str:
        return self.release_id

    def encode(self) -> bytes:
        return b"".join(
            [
                IMPORTED_MAGIC,
                _text(self.release_id),
                _text(self.report_id),
                _text(self.version),
                _text(self.recipient),
                _micros(self.at).to_bytes(8, "big"),
                _micros(self.imported_at).to_bytes(8, "big"),
            ]
        )

    @classmethod
    def decode(cls, data: bytes) -> ImportedLeaf:
        kind = "imported release leaf"
        reader = _Reader(data, kind)
        if reader.take(len(IMPORTED_MAGIC), "magic") != IMPORTED_MAGIC:
            raise VerificationError(f"{kind}: field 'magic' must be {IMPORTED_MAGIC!r}")
        release_id = reader.text("release_id")
        report_id = reader.text("report_id")
        version = reader.text("version")
        recipient = reader.text("recipient")
        at = _from_micros(kind, "at", int.from_bytes(reader.take(8, "at"), "big"))
        imported = _from_micros(
            kind, "imported_at", int.from_bytes(reader.take(8, "imported_at"), "big")
        )
        reader.end("imported_at")
        return cls(release_id, report_id, version, recipient, at, imported)

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": "imported",
            "release_id": self.release_id,
            "report_id": self.report_id,
            "version": self.version,
            "recipient": self.recipient,
            "at": self.at.isoformat().replace("+00:00", "Z"),
            "imported_at": self.imported_at.isoformat().replace("+00:00", "Z"),
        }


Entry = ReleaseLeaf | AuditLeaf | ImportedLeaf


def decode_entry(data: bytes) -> Entry:
    """Decode any leaf of the log by its magic; ``VerificationError`` if none fits."""
    if not isinstance(data, bytes):
        raise VerificationError(f"leaf must be bytes, got {type(data).__name__}")
    if data.startswith(AUDIT_MAGIC):
        return AuditLeaf.decode(data)
    if data.startswith(IMPORTED_MAGIC):
        return ImportedLeaf.decode(data)
    if data.startswith((LEAF_MAGIC, LEAF_MAGIC_V2, LEAF_MAGIC_V3)):
        return ReleaseLeaf.decode(data)
    return ReleaseLeaf.decode(data)  # names the bad magic


def entry_key(entry: Entry) -> str:
    """The key the log stores an entry under (a release id, or ``audit-<n>``)."""
    return entry.key if isinstance(entry, AuditLeaf | ImportedLeaf) else entry.release_id
