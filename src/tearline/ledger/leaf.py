"""The ledger entry of one release: a canonical, versioned byte encoding.

Each release writes one leaf to the log; RFC 9162 §2.1.1 hashes the leaf's raw bytes, so the
bytes themselves must be canonical: one value, one encoding, and no two values alike. The
format is fixed-order and length-prefixed (no JSON, no map ordering, no whitespace)::

    magic             20 bytes   b"tearline-release-v1\\n" (names the format and its version)
    release_id        str        the release (one copy of one report to one partner)
    report_id         str        the report it is a copy of
    content_sha256    32 bytes   SHA-256 of the exact bytes of the copy that left
    version           str        "full" or "tearline" (kept as text, so new versions need no
                                 new format)
    recipient         str        the partner's actor id
    fingerprint_id    opt str    the fingerprint embedded in the copy, if any
    protocol_version  opt str    the sharing protocol version that allowed it, if any,
                                 named as decisions name them (``meridian-sharing@v3``)
    at_us             uint64 BE  release time: microseconds since 1970-01-01T00:00:00Z

    str      uint16 BE length n (1..65535), then n bytes of UTF-8
    opt str  0x00 (absent), or 0x01 followed by a str

Version 2 (issue 17) is version 1 with the magic ``b"tearline-release-v2\n"`` and the copy's
trace capacity appended after ``at``::

    trace_slots       uint32 BE  fingerprint slots in the copy
    trace_named       1 byte     0x01 if a whole exact leak of the copy names its recipient,
                                 and only it, at trace_epsilon; 0x00 if not (a copy released
                                 identical to another recipient's is recorded here as 0x00)
    trace_epsilon     str        the ε of that check, as ``format(ε, "g")`` (``0.01``)

A leaf without capacity (``trace_slots`` None) is written as version 1, byte for byte as
before, so every leaf written before version 2 existed hashes exactly as it did.

Version 3 (``b"tearline-release-v3\\n"``, issue 13: reports have versions, releases may be
overrides) is version 1's fields and ``at``, then the capacity as an option (0x00, or 0x01
followed by version 2's three fields), then::

    report_version    uint32 BE  the version of the report the copy was made from (1, 2, ...)
    origin            str        "release" (decided by the protocols) or "override" (released
                                 against them under a named approver)

A leaf is written as version 3 exactly when ``report_version`` is set; versions 1 and 2
keep their bytes.

Strings are never empty (absent optional fields are 0x00, not ""), so the encoding of a value
is unique; ``decode`` refuses anything ``encode`` would not produce (a wrong magic, a bad
presence byte, invalid UTF-8, trailing bytes), raising ``VerificationError`` that names the
field, like every other malformed proof material in this package. A later format gets a new
magic, so old leaves keep their meaning and hashes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tearline.domain.errors import VerificationError
from tearline.ledger._codec import UINT64_MAX

LEAF_MAGIC = b"tearline-release-v1\n"
"""First bytes of every release leaf: the format's name and version."""

LEAF_MAGIC_V3 = b"tearline-release-v3\n"
"""Version 3: the report version and origin (see the module docstring)."""

ORIGINS = ("release", "override")
"""How a copy came to leave: through the protocols, or against them by a named approver."""

LEAF_MAGIC_V2 = b"tearline-release-v2\n"
"""Version 2: version 1's fields, then the copy's trace capacity."""

CONTENT_HASH_SIZE = 32
"""SHA-256 output length of ``content_sha256``."""

MAX_TEXT_BYTES = 0xFFFF
"""Longest string field, in UTF-8 bytes (its length is a uint16)."""

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ABSENT, _PRESENT = 0, 1


@dataclass(frozen=True, slots=True)
class ReleaseLeaf:
    """What the ledger records about one release. ``at`` is timezone-aware (any zone; kept
    as the UTC instant, to the microsecond)."""

    release_id: str
    report_id: str
    content_sha256: bytes
    version: str
    recipient: str
    fingerprint_id: str | None
    protocol_version: str | None
    at: datetime
    trace_slots: int | None = None
    trace_named: bool | None = None
    trace_epsilon: str | None = None
    report_version: int | None = None  # set: a v3 leaf
    origin: str = "release"

    def __post_init__(self) -> None:
        for name in ("release_id", "report_id", "version", "recipient"):
            _require_text(name, getattr(self, name))
        for name in ("fingerprint_id", "protocol_version"):
            value = getattr(self, name)
            if value is not None:
                _require_text(name, value)
        if not isinstance(self.content_sha256, bytes) or len(self.content_sha256) != 32:
            raise ValueError("content_sha256 must be the 32 bytes of a SHA-256 digest")
        if not isinstance(self.at, datetime) or self.at.utcoffset() is None:
            raise ValueError("at must be a timezone-aware datetime")
        if not 0 <= _micros(self.at) <= UINT64_MAX:
            raise ValueError(f"at must not be before 1970-01-01T00:00:00Z, got {self.at}")
        capacity = (self.trace_slots, self.trace_named, self.trace_epsilon)
        if any(v is not None for v in capacity):
            if any(v is None for v in capacity):
                raise ValueError("trace_slots, trace_named and trace_epsilon go together")
            if not isinstance(self.trace_slots, int) or not 0 <= self.trace_slots <= 0xFFFFFFFF:
                raise ValueError(f"trace_slots must be a uint32, got {self.trace_slots!r}")
            if not isinstance(self.trace_named, bool):
                raise ValueError(f"trace_named must be a bool, got {self.trace_named!r}")
            _require_text("trace_epsilon", self.trace_epsilon)
        if self.report_version is not None and (
            isinstance(self.report_version, bool)
            or not isinstance(self.report_version, int)
            or not 1 <= self.report_version <= 0xFFFFFFFF
        ):
            raise ValueError(f"report_version must be 1..2**32-1, got {self.report_version!r}")
        if self.origin not in ORIGINS:
            raise ValueError(f"origin must be one of {ORIGINS}, got {self.origin!r}")
        if self.origin != "release" and self.report_version is None:
            raise ValueError("an override is written as a v3 leaf: give report_version")
        # Keep the UTC instant, so equal instants are equal values (and equal bytes).
        object.__setattr__(self, "at", self.at.astimezone(UTC))

    @classmethod
    def for_copy(
        cls,
        *,
        release_id: str,
        report_id: str,
        copy: bytes,
        version: str,
        recipient: str,
        at: datetime,
        fingerprint_id: str | None = None,
        protocol_version: str | None = None,
        trace_slots: int | None = None,
        trace_named: bool | None = None,
        trace_epsilon: str | None = None,
        report_version: int | None = None,
        origin: str = "release",
    ) -> ReleaseLeaf:
        """The leaf of a copy given its bytes (hashed here, so callers cannot pass a stale hash)."""
        return cls(
            report_version=report_version,
            origin=origin,
            release_id=release_id,
            report_id=report_id,
            content_sha256=hashlib.sha256(copy).digest(),
            version=version,
            recipient=recipient,
            fingerprint_id=fingerprint_id,
            protocol_version=protocol_version,
            at=at,
            trace_slots=trace_slots,
            trace_named=trace_named,
            trace_epsilon=trace_epsilon,
        )

    def encode(self) -> bytes:
        """The canonical bytes (see the module docstring): what the log hashes and keeps."""
        v3 = self.report_version is not None
        v2 = not v3 and self.trace_slots is not None
        magic = LEAF_MAGIC_V3 if v3 else LEAF_MAGIC_V2 if v2 else LEAF_MAGIC
        parts = [magic, _text(self.release_id), _text(self.report_id), self.content_sha256]
        parts += [_text(self.version), _text(self.recipient)]
        parts += [_optional(self.fingerprint_id), _optional(self.protocol_version)]
        parts.append(_micros(self.at).to_bytes(8, "big"))
        capacity = b""
        if self.trace_slots is not None and self.trace_epsilon is not None:
            capacity = self.trace_slots.to_bytes(4, "big")
            capacity += bytes([1 if self.trace_named else 0]) + _text(self.trace_epsilon)
        if v3:
            parts.append(bytes([_PRESENT]) + capacity if capacity else bytes([_ABSENT]))
            assert self.report_version is not None
            parts += [self.report_version.to_bytes(4, "big"), _text(self.origin)]
        else:
            parts.append(capacity)
        return b"".join(parts)

    @classmethod
    def decode(cls, data: bytes) -> ReleaseLeaf:
        """Parse canonical bytes; ``VerificationError`` names the first bad field."""
        reader = _Reader(data)
        magic = reader.take(len(LEAF_MAGIC), "magic")
        if magic not in (LEAF_MAGIC, LEAF_MAGIC_V2, LEAF_MAGIC_V3):
            raise VerificationError(
                f"release leaf: field 'magic' must be {LEAF_MAGIC!r}, {LEAF_MAGIC_V2!r} or "
                f"{LEAF_MAGIC_V3!r} (unknown format or version)"
            )
        release_id = reader.text("release_id")
        report_id = reader.text("report_id")
        content = reader.take(CONTENT_HASH_SIZE, "content_sha256")
        version = reader.text("version")
        recipient = reader.text("recipient")
        fingerprint_id = reader.optional("fingerprint_id")
        protocol_version = reader.optional("protocol_version")
        at_us = int.from_bytes(reader.take(8, "at"), "big")
        trace_slots: int | None = None
        trace_named: bool | None = None
        trace_epsilon: str | None = None
        has_capacity = magic == LEAF_MAGIC_V2
        if magic == LEAF_MAGIC_V3:
            flag = reader.take(1, "trace")[0]
            if flag not in (_ABSENT, _PRESENT):
                raise VerificationError(
                    f"release leaf: field 'trace' has presence byte {flag:#04x}, "
                    "expected 0x00 or 0x01"
                )
            has_capacity = flag == _PRESENT
        if has_capacity:
            trace_slots = int.from_bytes(reader.take(4, "trace_slots"), "big")
            flag = reader.take(1, "trace_named")[0]
            if flag not in (0, 1):
                raise VerificationError(
                    f"release leaf: field 'trace_named' is {flag:#04x}, expected 0x00 or 0x01"
                )
            trace_named = flag == 1
            trace_epsilon = reader.text("trace_epsilon")
        report_version: int | None = None
        origin = "release"
        if magic == LEAF_MAGIC_V3:
            report_version = int.from_bytes(reader.take(4, "report_version"), "big")
            if report_version == 0:
                raise VerificationError("release leaf: field 'report_version' is 0")
            origin = reader.text("origin")
            if origin not in ORIGINS:
                raise VerificationError(
                    f"release leaf: field 'origin' is {origin!r}, not one of {ORIGINS}"
                )
        last = "origin" if magic == LEAF_MAGIC_V3 else "trace_epsilon" if has_capacity else "at"
        reader.end(last)
        try:
            at = _EPOCH + timedelta(microseconds=at_us)
        except OverflowError:
            raise VerificationError("release leaf: field 'at' is past year 9999") from None
        return cls(
            release_id=release_id,
            report_id=report_id,
            content_sha256=content,
            version=version,
            recipient=recipient,
            fingerprint_id=fingerprint_id,
            protocol_version=protocol_version,
            at=at,
            trace_slots=trace_slots,
            trace_named=trace_named,
            trace_epsilon=trace_epsilon,
            report_version=report_version,
            origin=origin,
        )

    def to_dict(self) -> dict[str, object]:
        """A JSON view for people and tools (the bytes, not this view, are what is signed)."""
        return {
            "release_id": self.release_id,
            "report_id": self.report_id,
            "content_sha256": self.content_sha256.hex(),
            "version": self.version,
            "recipient": self.recipient,
            "fingerprint_id": self.fingerprint_id,
            "protocol_version": self.protocol_version,
            "at": self.at.isoformat().replace("+00:00", "Z"),
            "report_version": self.report_version,
            "origin": self.origin,
            **(
                {}
                if self.trace_slots is None
                else {
                    "trace": {
                        "slots": self.trace_slots,
                        "named": self.trace_named,
                        "epsilon": self.trace_epsilon,
                    }
                }
            ),
        }


def _micros(at: datetime) -> int:
    # Integer arithmetic on the timedelta, so no float rounding can move the instant.
    delta = at - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _require_text(name: str, value: object) -> None:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} must be a non-empty string, got {value!r}")
    try:
        size = len(value.encode("utf-8"))
    except UnicodeEncodeError as exc:  # lone surrogates have no UTF-8 form
        raise ValueError(f"{name} is not encodable as UTF-8: {exc}") from exc
    if size > MAX_TEXT_BYTES:
        raise ValueError(f"{name} is {size} bytes in UTF-8, at most {MAX_TEXT_BYTES} fit")


def _text(value: str) -> bytes:
    raw = value.encode("utf-8")
    return len(raw).to_bytes(2, "big") + raw


def _optional(value: str | None) -> bytes:
    return bytes([_ABSENT]) if value is None else bytes([_PRESENT]) + _text(value)


class _Reader:
    """Reads fields off the front of a leaf, naming the field in every error."""

    def __init__(self, data: bytes, kind: str = "release leaf") -> None:
        if not isinstance(data, bytes):
            raise VerificationError(f"{kind} must be bytes, got {type(data).__name__}")
        self._data = data
        self._at = 0
        self._kind = kind

    def take(self, size: int, field: str) -> bytes:
        end = self._at + size
        if end > len(self._data):
            raise VerificationError(
                f"{self._kind}: field {field!r} is cut short at byte {len(self._data)}"
            )
        chunk, self._at = self._data[self._at : end], end
        return chunk

    def text(self, field: str) -> str:
        size = int.from_bytes(self.take(2, field), "big")
        if size == 0:
            raise VerificationError(f"{self._kind}: field {field!r} is empty")
        try:
            return self.take(size, field).decode("utf-8")  # strict: no overlong or surrogates
        except UnicodeDecodeError as exc:
            raise VerificationError(f"{self._kind}: field {field!r} is not UTF-8: {exc}") from None

    def optional(self, field: str) -> str | None:
        flag = self.take(1, field)[0]
        if flag == _ABSENT:
            return None
        if flag != _PRESENT:
            raise VerificationError(
                f"{self._kind}: field {field!r} has presence byte {flag:#04x}, expected 0x00 or 0x01"
            )
        return self.text(field)

    def end(self, last: str = "at") -> None:
        if self._at != len(self._data):
            raise VerificationError(
                f"{self._kind}: {len(self._data) - self._at} unexpected bytes after field {last!r}"
            )
