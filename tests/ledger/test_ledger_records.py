"""The other leaves of the log: release leaf v2, audit entries, imported releases.

Old leaves keep their bytes (test_ledger_leaf pins v1); each new kind has its own magic,
a pinned layout, round trips and refusal of non-canonical bytes."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tearline.domain.errors import VerificationError
from tearline.ledger.leaf import LEAF_MAGIC, LEAF_MAGIC_V3, ReleaseLeaf
from tearline.ledger.records import (
    AUDIT_MAGIC,
    IMPORTED_MAGIC,
    AuditLeaf,
    ImportedLeaf,
    decode_entry,
    details_digest,
    entry_key,
)

AT = datetime(2025, 3, 21, 9, 30, 0, 123456, tzinfo=UTC)
AT_BYTES = bytes.fromhex("000630d6e5ff7840")
DIGEST = hashlib.sha256(b"details").digest()


def test_v3_release_leaf_layout_names_the_report_version_and_origin() -> None:
    leaf = ReleaseLeaf(
        "rel-1", "rep-1", bytes(32), "tearline", "ally", None, None, AT,
        report_version=3, origin="override",
    )  # fmt: skip
    assert leaf.encode() == b"".join(
        [
            LEAF_MAGIC_V3,
            b"\x00\x05rel-1",
            b"\x00\x05rep-1",
            bytes(32),
            b"\x00\x08tearline",
            b"\x00\x04ally",
            b"\x00",
            b"\x00",
            AT_BYTES,
            b"\x00",  # no trace capacity
            (3).to_bytes(4, "big"),  # report_version
            b"\x00\x08override",  # origin
        ]
    )
    traced = ReleaseLeaf(
        "rel-1", "rep-1", bytes(32), "full", "ally", None, None, AT, 12, True, "0.01", 2
    )
    assert ReleaseLeaf.decode(traced.encode()) == traced
    assert ReleaseLeaf.decode(leaf.encode()) == leaf
    assert decode_entry(leaf.encode()) == leaf


def test_a_v1_leaf_stays_v1() -> None:
    leaf = ReleaseLeaf("rel-1", "rep-1", bytes(32), "full", "ally", None, None, AT)
    assert leaf.encode().startswith(LEAF_MAGIC)
    assert ReleaseLeaf.decode(leaf.encode()).report_version is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"report_version": 0}, "report_version"),
        ({"report_version": True}, "report_version"),
        ({"origin": "imported"}, "origin"),
        ({"origin": "override", "report_version": None}, "v3 leaf"),
    ],
)
def test_v3_values_without_an_encoding_are_refused(change: dict[str, object], message: str) -> None:
    fields: dict[str, object] = {
        "release_id": "r",
        "report_id": "p",
        "content_sha256": bytes(32),
        "version": "full",
        "recipient": "a",
        "fingerprint_id": None,
        "protocol_version": None,
        "at": AT,
        "report_version": 1,
        "origin": "release",
    }
    with pytest.raises(ValueError, match=message):
        ReleaseLeaf(**{**fields, **change})  # type: ignore[arg-type]


def test_v3_non_canonical_bytes_are_refused() -> None:
    good = ReleaseLeaf("r", "p", bytes(32), "full", "a", None, None, AT, report_version=1).encode()
    zero = good[: -len(b"\x00\x07release") - 4] + bytes(4) + b"\x00\x07release"
    with pytest.raises(VerificationError, match="report_version"):
        ReleaseLeaf.decode(zero)
    with pytest.raises(VerificationError, match="origin"):
        ReleaseLeaf.decode(good.replace(b"\x00\x07release", b"\x00\x07relea5e"))


def test_audit_leaf_layout() -> None:
    leaf = AuditLeaf(7, AT, "ana", "source.status", "src-x", "burned", DIGEST)
    assert leaf.encode() == b"".join(
        [
            AUDIT_MAGIC,
            (7).to_bytes(8, "big"),
            AT_BYTES,
            b"\x00\x03ana",
            b"\x00\x0dsource.status",
            b"\x00\x05src-x",
            b"\x01\x00\x06burned",
            DIGEST,
        ]
    )
    assert entry_key(leaf) == "audit-7"
    assert decode_entry(leaf.encode()) == leaf


def test_imported_leaf_layout() -> None:
    later = datetime(2026, 1, 1, tzinfo=UTC)
    leaf = ImportedLeaf("rel-1", "rep-1", "full", "hub", AT, later)
    assert leaf.encode() == b"".join(
        [
            IMPORTED_MAGIC,
            b"\x00\x05rel-1",
            b"\x00\x05rep-1",
            b"\x00\x04full",
            b"\x00\x03hub",
            AT_BYTES,
            (1_767_225_600 * 10**6).to_bytes(8, "big"),
        ]
    )
    assert entry_key(leaf) == "rel-1"
    assert decode_entry(leaf.encode()) == leaf


def test_details_digest_is_canonical() -> None:
    assert details_digest({"b": 1, "a": [1, "é"]}) == details_digest({"a": [1, "é"], "b": 1})
    assert details_digest({"a": 1}) != details_digest({"a": 2})


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"tearline-audit-v1\n" + bytes(3), "audit leaf: field 'entry' is cut short"),
        (AuditLeaf(1, AT, "a", "b", "c", None, DIGEST).encode() + b"\x00", "after field"),
        (ImportedLeaf("r", "p", "full", "a", AT, AT).encode()[:-1], "imported_at"),
        (b"something else", "field 'magic'"),
    ],
)
def test_non_canonical_entries_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(VerificationError, match=message):
        decode_entry(data)


names = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30)
instants = st.datetimes(
    min_value=datetime(1970, 1, 1), max_value=datetime(9000, 1, 1), timezones=st.just(UTC)
)


@given(
    entry=st.integers(0, 2**64 - 1),
    at=instants,
    who=names,
    action=names,
    subject=names,
    reason=st.none() | names,
    digest=st.binary(min_size=32, max_size=32),
)
def test_audit_leaves_round_trip(
    entry: int, at: datetime, who: str, action: str, subject: str, reason: str | None, digest: bytes
) -> None:
    leaf = AuditLeaf(entry, at, who, action, subject, reason, digest)
    assert AuditLeaf.decode(leaf.encode()) == leaf
    assert decode_entry(leaf.encode()).encode() == leaf.encode()


@given(
    ids=st.tuples(names, names, names, names),
    at=instants,
    imported=instants,
    report_version=st.integers(1, 2**32 - 1),
    origin=st.sampled_from(["release", "override"]),
)
def test_imported_and_v2_leaves_round_trip(
    ids: tuple[str, str, str, str],
    at: datetime,
    imported: datetime,
    report_version: int,
    origin: str,
) -> None:
    leaf = ImportedLeaf(*ids, at, imported)
    assert ImportedLeaf.decode(leaf.encode()) == leaf
    release = ReleaseLeaf(
        ids[0], ids[1], bytes(32), ids[2], ids[3], None, ids[0], at,
        report_version=report_version, origin=origin,
    )  # fmt: skip
    assert ReleaseLeaf.decode(release.encode()) == release
