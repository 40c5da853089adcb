"""Fingerprinting copies as they are released: the key, the streams, the recipients' secrets.

The release path calls, inside its unit of work::

    key = fingerprint_key(workspace, create=True)       # once, before the unit of work
    marked = fingerprint_copy(session, key, report=..., version=..., body=..., partner=..., at=now)

A *stream* is one base text of one report version (``docs/fingerprinting.md``): every copy
of that exact text, to whichever partner and whenever, shares its slots and biases, so
evidence against the same recipients adds up across leaks. Each partner gets a random secret
per stream (kept in the database); its codeword needs that secret *and* the key file.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from tearline.domain.errors import ConflictError, StoreError
from tearline.fingerprint import (
    Layout,
    LayoutError,
    biases,
    codeword,
    fingerprint_id,
    fingerprint_text,
    stream_layout,
)
from tearline.fingerprint.capacity import Capacity, copy_capacity
from tearline.fingerprint.code import cutoff_for, key_check
from tearline.services.workspace import Workspace
from tearline.settings import Settings
from tearline.store.fingerprints import FingerprintStore
from tearline.store.keys import KEY_BYTES, load_or_create_key, read_secret_file

FINGERPRINT_KEY_FILE = Path("keys") / "fingerprint.key"
SCHEME = "tardos-symmetric-v1"

SecretSource = Callable[[], bytes]
"""Makes a recipient's secret (32 random bytes by default; the demo passes a seeded one)."""


def new_secret() -> bytes:
    return secrets.token_bytes(32)


@dataclass(frozen=True, slots=True)
class MarkedCopy:
    text: str
    fingerprint_id: str
    stream_id: str
    slots: int


class IdenticalCopyError(ConflictError):
    """A new recipient's copy would be byte-identical to other recipients' copies of the same
    text: a leak of it could not name its source. Nothing was stored for it."""

    def __init__(self, partner: str, others: tuple[str, ...], slots: int) -> None:
        self.partner = partner
        self.others = others
        self.slots = slots
        super().__init__(
            f"the copy for {partner} would be identical to the copy already made for "
            f"{', '.join(others)} ({slots} fingerprint slots): a leak of it could not name "
            "its source. Release to fewer partners, add declared slots {a|b} to the report, "
            "or force it (--force-untraceable), recorded in the ledger as untraceable"
        )


def fingerprint_key_path(settings: Settings) -> Path:
    return settings.home / FINGERPRINT_KEY_FILE


def fingerprint_key(workspace: Workspace, *, create: bool = False) -> bytes:
    """The home's fingerprint key (32 bytes, mode 0600). With ``create``, make one when
    missing — but never while streams made with a key exist: a new key would make every
    earlier copy untraceable, so that is refused (restore the key instead)."""
    path = fingerprint_key_path(workspace.settings)
    if not path.exists() and create:
        if workspace.exists():
            with workspace.unit_of_work() as session:
                if FingerprintStore(session).has_streams():
                    raise StoreError(
                        f"fingerprint key file {path} is missing, yet copies fingerprinted "
                        "with it were released: restore that key; a new one would make them "
                        "untraceable"
                    )
        workspace.settings.home.mkdir(parents=True, exist_ok=True, mode=0o700)
        return load_or_create_key(path)
    key = read_secret_file(path)
    if len(key) != KEY_BYTES:
        raise StoreError(
            f"key file {path} is damaged (expected {KEY_BYTES} bytes, found {len(key)})"
        )
    return key


def stream_id_for(report: str, version: str, text_sha256: str) -> str:
    digest = hashlib.sha256(f"{report}\x00{version}\x00{text_sha256}".encode()).hexdigest()
    return f"fps-{digest[:16]}"


def fingerprint_copy(
    session: Session,
    key: bytes,
    *,
    report: str,
    version: str,
    body: str,
    partner: str,
    at: datetime,
    make_secret: SecretSource | None = None,
    allow_identical: bool = False,
) -> MarkedCopy:
    """``partner``'s copy of ``body`` (which may hold declared slots), in the caller's unit of
    work: the stream is created on first use, the partner's secret on its first copy
    (``make_secret``, default ``new_secret``). A first copy that would be identical to
    another recipient's copy of the stream raises ``IdenticalCopyError`` before anything is
    stored for it, unless ``allow_identical``."""
    store = FingerprintStore(session)
    text_sha256 = hashlib.sha256(body.encode("utf-8")).hexdigest()
    stream = store.stream_id(report, version, text_sha256)
    if stream is None:
        stream = stream_id_for(report, version, text_sha256)
        layout = stream_layout(body, key, stream)
        code = {
            "scheme": SCHEME,
            "cutoff": cutoff_for(len(layout.slots)),
            "key_check": key_check(key),
        }
        store.add_stream(
            stream_id=stream,
            report=report,
            version=version,
            text_sha256=text_sha256,
            base_text=layout.text,
            layout=layout.to_dict(),
            code=code,
            at=at,
        )
    else:
        base_text, stored, code = store.layout(stream)
        check_key(key, code, stream)
        layout = stored_layout(stream, base_text, stored)
    held = store.recipient(stream, partner)
    cutoff = float(str(code["cutoff"]))
    if held is None:
        secret = (make_secret or new_secret)()
        if not allow_identical:
            _refuse_identical(store, key, stream, layout, cutoff, partner, secret)
        fid = fingerprint_id(key, stream, secret)
        store.add_recipient(
            stream_id=stream, partner=partner, secret=secret, fingerprint_id=fid, at=at
        )
    else:
        secret, fid = held
    text = fingerprint_text(layout, key, stream, secret, cutoff)
    return MarkedCopy(text, fid, stream, len(layout.slots))


def _refuse_identical(
    store: FingerprintStore,
    key: bytes,
    stream: str,
    layout: Layout,
    cutoff: float,
    partner: str,
    secret: bytes,
) -> None:
    bias = biases(key, stream, layout.alphabet, cutoff)
    mine = codeword(key, stream, secret, bias)
    same = tuple(
        sorted(
            p for p, s in store.recipients(stream).items() if codeword(key, stream, s, bias) == mine
        )
    )
    if same:
        raise IdenticalCopyError(partner, same, len(layout.slots))


def copy_trace_capacity(
    session: Session, key: bytes, stream: str, partner: str, *, epsilon: float
) -> Capacity:
    """The trace capacity of ``partner``'s copy in ``stream`` among all its recipients so
    far (``fingerprint.capacity``)."""
    store = FingerprintStore(session)
    base_text, stored, code = store.layout(stream)
    check_key(key, code, stream)
    layout = stored_layout(stream, base_text, stored)
    return copy_capacity(
        layout,
        key,
        stream,
        store.recipients(stream),
        partner,
        epsilon=epsilon,
        cutoff=float(str(code["cutoff"])),
    )


def stored_layout(stream: str, base_text: str, stored: dict[str, Any]) -> Layout:
    """A stream's layout as stored; a damaged one is a store error, never a guess."""
    try:
        return Layout.from_dict(base_text, stored)
    except (LayoutError, KeyError, TypeError, ValueError) as exc:
        raise StoreError(
            f"fingerprint stream {stream}: the stored slot layout is damaged: {exc}"
        ) from exc


def check_key(key: bytes, code: dict[str, object], stream: str) -> None:
    if code.get("key_check") != key_check(key):
        raise StoreError(
            f"the fingerprint key is not the one stream {stream} was made with: restore "
            "HOME/keys/fingerprint.key"
        )
