"""The release leaf: its pinned byte layout, round trips, and refusal of non-canonical bytes."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tearline.domain.errors import VerificationError
from tearline.ledger.leaf import LEAF_MAGIC, ReleaseLeaf
from tearline.ledger.merkle import leaf_hash

AT = datetime(2025, 3, 21, 9, 30, 0, 123456, tzinfo=UTC)
LEAF = ReleaseLeaf(
    release_id="rel-0001",
    report_id="rep-1",
    content_sha256=bytes(range(32)),
    version="tearline",
    recipient="ally",
    fingerprint_id="fp-7",
    protocol_version="alliance-standard@2",
    at=AT,
)
# The documented layout, field by field; regenerate only with a new LEAF_MAGIC.
GOLDEN = b"".join(
    [
        b"tearline-release-v1\n",  # magic
        b"\x00\x08rel-0001",  # release_id: uint16 length, UTF-8
        b"\x00\x05rep-1",  # report_id
        bytes(range(32)),  # content_sha256
        b"\x00\x08tearline",  # version
        b"\x00\x04ally",  # recipient
        b"\x01\x00\x04fp-7",  # fingerprint_id: present
        b"\x01\x00\x13alliance-standard@2",  # protocol_version: present
        bytes.fromhex("000630d6e5ff7840"),  # at: 1742549400123456 µs since the epoch
    ]
)
GOLDEN_LEAF_HASH = "ae355a62c237d9a7dd9eae04b5d2d00b30b7876541d0d66b0f1c5d9a69ca3222"


def test_encoding_is_the_documented_layout() -> None:
    assert LEAF.encode() == GOLDEN
    assert GOLDEN.startswith(LEAF_MAGIC)
    assert int.from_bytes(GOLDEN[-8:], "big") == 1_742_549_400 * 10**6 + 123_456
    assert leaf_hash(GOLDEN).hex() == GOLDEN_LEAF_HASH
    assert ReleaseLeaf.decode(GOLDEN) == LEAF


def test_absent_optional_fields_are_one_zero_byte() -> None:
    leaf = ReleaseLeaf(
        "r", "p", bytes(32), "full", "é", None, None, datetime(1970, 1, 1, tzinfo=UTC)
    )
    assert leaf.encode() == (
        LEAF_MAGIC + b"\x00\x01r" + b"\x00\x01p" + bytes(32) + b"\x00\x04full"
        + b"\x00\x02\xc3\xa9" + b"\x00" + b"\x00" + bytes(8)
    )  # fmt: skip


def test_the_same_instant_in_another_zone_is_the_same_leaf() -> None:
    shifted = AT.astimezone(timezone(timedelta(hours=5, minutes=30)))
    other = ReleaseLeaf(**{**_fields(LEAF), "at": shifted})
    assert other == LEAF
    assert other.encode() == GOLDEN
    assert other.at.tzinfo is UTC


def test_for_copy_hashes_the_copy() -> None:
    leaf = ReleaseLeaf.for_copy(
        release_id="r", report_id="p", copy=b"the copy", version="full", recipient="hub", at=AT
    )
    assert leaf.content_sha256 == hashlib.sha256(b"the copy").digest()
    assert leaf.fingerprint_id is None
    assert leaf.protocol_version is None


def test_to_dict_is_a_readable_view() -> None:
    assert LEAF.to_dict() == {
        "release_id": "rel-0001",
        "report_id": "rep-1",
        "content_sha256": bytes(range(32)).hex(),
        "version": "tearline",
        "recipient": "ally",
        "fingerprint_id": "fp-7",
        "protocol_version": "alliance-standard@2",
        "at": "2025-03-21T09:30:00.123456Z",
        "report_version": None,
        "origin": "release",
    }


GOLDEN_V2 = b"".join(
    [
        b"tearline-release-v2\n",
        GOLDEN[len(LEAF_MAGIC) :],  # version 1's fields, unchanged
        b"\x00\x00\x00\x11",  # trace_slots: 17
        b"\x01",  # trace_named: yes
        b"\x00\x040.01",  # trace_epsilon
    ]
)


def test_version_2_appends_the_trace_capacity_and_version_1_is_unchanged() -> None:
    leaf = ReleaseLeaf(
        **{**_fields(LEAF), "trace_slots": 17, "trace_named": True, "trace_epsilon": "0.01"}
    )
    assert leaf.encode() == GOLDEN_V2
    assert ReleaseLeaf.decode(GOLDEN_V2) == leaf
    assert leaf.to_dict()["trace"] == {"slots": 17, "named": True, "epsilon": "0.01"}
    # A leaf without capacity is version 1, byte for byte, and hashes as it always did.
    assert LEAF.encode() == GOLDEN
    assert leaf_hash(LEAF.encode()).hex() == GOLDEN_LEAF_HASH
    assert "trace" not in LEAF.to_dict()
    untraceable = ReleaseLeaf.decode(GOLDEN_V2[:-7] + b"\x00" + GOLDEN_V2[-6:])
    assert untraceable.trace_named is False


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"trace_slots": 3}, "go together"),
        ({"trace_slots": 3, "trace_named": True}, "go together"),
        ({"trace_slots": -1, "trace_named": True, "trace_epsilon": "0.01"}, "uint32"),
        ({"trace_slots": 3, "trace_named": 1, "trace_epsilon": "0.01"}, "bool"),
        ({"trace_slots": 3, "trace_named": True, "trace_epsilon": ""}, "non-empty"),
    ],
)
def test_capacity_fields_that_have_no_encoding_are_refused(
    change: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        ReleaseLeaf(**{**_fields(LEAF), **change})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (GOLDEN_V2[:-7] + b"\x02" + GOLDEN_V2[-6:], "'trace_named' is 0x02"),
        (GOLDEN_V2 + b"\x00", "1 unexpected bytes after field 'trace_epsilon'"),
        (GOLDEN_V2[:-3], "field 'trace_epsilon' is cut short"),
    ],
)
def test_non_canonical_version_2_bytes_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(VerificationError, match=message):
        ReleaseLeaf.decode(data)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"release_id": ""}, "release_id must be a non-empty string"),
        ({"fingerprint_id": ""}, "fingerprint_id must be a non-empty string"),
        ({"recipient": "x" * 65536}, "at most 65535 fit"),
        ({"report_id": "\ud800"}, "not encodable as UTF-8"),
        ({"content_sha256": bytes(31)}, "32 bytes"),
        ({"at": datetime(2025, 1, 1)}, "timezone-aware"),
        ({"at": datetime(1969, 12, 31, 23, 59, tzinfo=UTC)}, "before 1970"),
    ],
)
def test_values_that_have_no_encoding_are_refused(change: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ReleaseLeaf(**{**_fields(LEAF), **change})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"tearline-release-v9\n" + GOLDEN[20:], "field 'magic'"),
        (b"tearline-release-v2\n" + GOLDEN[20:], "field 'trace_slots' is cut short"),
        (GOLDEN[:5], "field 'magic' is cut short"),
        (GOLDEN[:-1], "field 'at' is cut short"),
        (GOLDEN + b"\x00", "1 unexpected bytes after field 'at'"),
        (LEAF_MAGIC + b"\x00\x00" + GOLDEN[30:], "field 'release_id' is empty"),
        (LEAF_MAGIC + b"\x00\x02\xc0\xaf" + GOLDEN[30:], "field 'release_id' is not UTF-8"),
        (LEAF_MAGIC + b"\xff\xff" + GOLDEN[30:], "field 'release_id' is cut short"),
        (GOLDEN.replace(b"\x01\x00\x04fp-7", b"\x02\x00\x04fp-7"), "presence byte 0x02"),
    ],
)
def test_non_canonical_bytes_are_refused_naming_the_field(data: bytes, message: str) -> None:
    with pytest.raises(VerificationError, match=message):
        ReleaseLeaf.decode(data)


_SAFE = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)


@given(
    release_id=_SAFE,
    report_id=_SAFE,
    content=st.binary(min_size=32, max_size=32),
    version=_SAFE,
    recipient=_SAFE,
    fingerprint_id=st.none() | _SAFE,
    protocol_version=st.none() | _SAFE,
    micros=st.integers(min_value=0, max_value=253_402_300_799_999_999),  # up to 9999-12-31
)
def test_decode_inverts_encode(
    release_id: str,
    report_id: str,
    content: bytes,
    version: str,
    recipient: str,
    fingerprint_id: str | None,
    protocol_version: str | None,
    micros: int,
) -> None:
    leaf = ReleaseLeaf(
        release_id,
        report_id,
        content,
        version,
        recipient,
        fingerprint_id,
        protocol_version,
        datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=micros),
    )
    data = leaf.encode()
    assert ReleaseLeaf.decode(data) == leaf
    assert ReleaseLeaf.decode(data).encode() == data


@given(st.binary(max_size=200))
def test_decode_either_round_trips_or_refuses(data: bytes) -> None:
    # Canonical: any bytes that decode are exactly the encoding of what they decode to.
    try:
        leaf = ReleaseLeaf.decode(LEAF_MAGIC + data)
    except VerificationError:
        return
    assert leaf.encode() == LEAF_MAGIC + data


def _fields(leaf: ReleaseLeaf) -> dict[str, object]:
    return {name: getattr(leaf, name) for name in ReleaseLeaf.__dataclass_fields__}
