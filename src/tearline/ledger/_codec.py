"""Strict, canonical JSON for the ledger's documents (signed tree heads, receipts).

One encoding per value, so a document cannot be reshaped without changing its bytes:

* every byte string is lowercase hex (no ``0x``, no whitespace, even length);
* every integer is a JSON integer in ``0 .. 2**64 - 1`` (never a bool, float or string);
* objects have exactly the documented keys: missing, unknown and duplicated keys are errors;
* ``canonical_json`` sorts keys and uses no whitespace.

Anything else raises ``VerificationError`` naming the document and field: a malformed proof
document is a failed check, never a half-read one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence

from tearline.domain.errors import VerificationError

UINT64_MAX = 2**64 - 1

_HEX = re.compile(r"(?:[0-9a-f]{2})*")


def canonical_json(document: Mapping[str, object]) -> str:
    """The canonical text of a document: sorted keys, no whitespace, ASCII only."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def parse_json(text: str | bytes, what: str) -> dict[str, object]:
    """Parse one JSON object, refusing duplicate keys and non-finite numbers."""
    try:
        document = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
    except (ValueError, UnicodeDecodeError) as exc:  # JSONDecodeError is a ValueError
        raise VerificationError(f"{what}: not valid JSON ({exc})") from exc
    if not isinstance(document, dict):
        raise VerificationError(f"{what}: expected a JSON object, got {type(document).__name__}")
    return document


def require_keys(data: object, keys: frozenset[str], what: str) -> Mapping[str, object]:
    """``data`` as a mapping with exactly ``keys``."""
    if not isinstance(data, Mapping):
        raise VerificationError(f"{what}: expected an object, got {type(data).__name__}")
    missing = sorted(keys - data.keys())
    unknown = sorted(str(key) for key in data.keys() - keys)
    if missing or unknown:
        raise VerificationError(f"{what}: missing fields {missing}, unknown fields {unknown}")
    return data


def int_field(data: Mapping[str, object], key: str, what: str) -> int:
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= UINT64_MAX:
        raise VerificationError(f"{what}: field {key!r} must be an integer in 0..2**64-1")
    return value


def version_field(data: Mapping[str, object], expected: int, what: str) -> None:
    version = int_field(data, "version", what)
    if version != expected:
        raise VerificationError(f"{what}: unsupported version {version}, expected {expected}")


def hex_field(data: Mapping[str, object], key: str, what: str, size: int | None = None) -> bytes:
    return decode_hex(data[key], f"{what}: field {key!r}", size)


def hex_list_field(data: Mapping[str, object], key: str, what: str, size: int) -> tuple[bytes, ...]:
    values = data[key]
    if not isinstance(values, list):
        raise VerificationError(f"{what}: field {key!r} must be a list of hex strings")
    return tuple(
        decode_hex(value, f"{what}: field {key!r}[{i}]", size) for i, value in enumerate(values)
    )


def decode_hex(value: object, where: str, size: int | None = None) -> bytes:
    if not isinstance(value, str) or not _HEX.fullmatch(value):
        raise VerificationError(f"{where} must be lowercase hex")
    raw = bytes.fromhex(value)
    if size is not None and len(raw) != size:
        raise VerificationError(f"{where} must be {size} bytes, got {len(raw)}")
    return raw


def encode_hex_list(values: Sequence[bytes]) -> list[str]:
    return [value.hex() for value in values]


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    document: dict[str, object] = {}
    for key, value in pairs:
        if key in document:
            # Two parsers could keep different copies: refuse rather than pick one.
            raise ValueError(f"duplicate key {key!r}")
        document[key] = value
    return document


def _no_constants(name: str) -> object:
    raise ValueError(f"{name} is not allowed")
