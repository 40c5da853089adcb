"""Ledger use cases: open the log (refusing a damaged one), record releases, hand out
receipts, audit the log, prove it append-only.

The release path calls, inside its own unit of work::

    ledger = open_ledger(workspace, create_key=True)      # once, before the unit of work
    with workspace.unit_of_work() as session:
        ...insert the release rows...
        record_releases(session, leaves, ledger.signing_key, now)

so each release row, its leaf and the signed head that covers it commit together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy.orm import Session

from tearline.domain.errors import (
    ConflictError,
    LedgerIntegrityError,
    StoreError,
    VerificationError,
)

# The ledger's documents and checks, as the CLI reads and renders them.
from tearline.ledger.heads import SignedTreeHead as SignedTreeHead
from tearline.ledger.heads import key_id as key_id
from tearline.ledger.heads import public_key_from_pem as public_key_from_pem
from tearline.ledger.heads import public_key_to_pem as public_key_to_pem
from tearline.ledger.leaf import ReleaseLeaf as ReleaseLeaf
from tearline.ledger.receipts import Receipt as Receipt
from tearline.ledger.receipts import verify_consistency_between
from tearline.ledger.receipts import verify_receipt as verify_receipt
from tearline.ledger.records import IMPORTED_MAGIC, decode_entry, entry_key
from tearline.services.audit import check_trail
from tearline.services.workspace import Workspace
from tearline.settings import Settings
from tearline.store.ledger_key import create_signing_key, load_signing_key
from tearline.store.ledger_log import LedgerLog, LogAudit

LEDGER_KEY_FILE = Path("keys") / "ledger.key"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class OpenLedger:
    """A ledger that passed its start-up check: its keys and its last signed head."""

    signing_key: Ed25519PrivateKey
    head: SignedTreeHead | None

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.signing_key.public_key()


def ledger_key_path(settings: Settings) -> Path:
    return settings.home / LEDGER_KEY_FILE


def signing_key(workspace: Workspace, *, create: bool = False) -> Ed25519PrivateKey:
    """The home's ledger key. With ``create``, make one when missing — but only while no head
    has been signed: a fresh key beside signed heads would orphan the log, so that is refused.
    """
    path = ledger_key_path(workspace.settings)
    if path.exists() or not create:
        return load_signing_key(path)
    if workspace.exists():
        with workspace.unit_of_work() as session:
            head = LedgerLog(session).latest_head()
        if head is not None:
            raise StoreError(
                f"ledger key file {path} is missing, yet the ledger has heads signed by key "
                f"{head.key_id.hex()}: restore that key; a new one would orphan the log"
            )
    workspace.settings.home.mkdir(parents=True, exist_ok=True, mode=0o700)
    return create_signing_key(path)


def open_ledger(workspace: Workspace, *, create_key: bool = False) -> OpenLedger:
    """Load the key and run the start-up check (``LedgerLog.check_head``).

    A log whose recomputed head does not match its last signed head refuses to serve:
    ``LedgerIntegrityError`` says what does not match.
    """
    key = signing_key(workspace, create=create_key)
    with workspace.unit_of_work() as session:
        head = check_ledger(session, key.public_key())
    return OpenLedger(signing_key=key, head=head)


def check_ledger(session: Session, public_key: Ed25519PublicKey) -> SignedTreeHead | None:
    try:
        return LedgerLog(session).check_head(public_key)
    except LedgerIntegrityError as exc:
        raise LedgerIntegrityError(f"the ledger refuses to serve: {exc}") from exc


def record_releases(
    session: Session,
    leaves: Sequence[ReleaseLeaf],
    signing_key: Ed25519PrivateKey,
    now: datetime,
) -> list[int]:
    """Append one leaf per release and sign the new head, in the caller's unit of work.

    Returns the leaf indices, in order. Nothing is committed here: the caller commits the
    release rows, leaves and head together (or rolls all of them back).
    """
    if not leaves:
        return []
    log = LedgerLog(session)
    indices = log.append_many([(leaf.release_id, leaf.encode()) for leaf in leaves])
    log.sign_head(signing_key, to_ms(now))
    return indices


def record_entries(
    session: Session,
    entries: Sequence[tuple[str, bytes]],
    signing_key: Ed25519PrivateKey,
    now: datetime,
) -> list[int]:
    """Append encoded leaves of any kind under their keys and sign the new head (the caller
    commits). Releases use ``record_releases``; audit entries ``services.audit``."""
    if not entries:
        return []
    log = LedgerLog(session)
    indices = log.append_many(list(entries))
    log.sign_head(signing_key, to_ms(now))
    return indices


def to_ms(now: datetime) -> int:
    """Milliseconds since the epoch of an aware datetime (tree heads keep milliseconds)."""
    if now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    # Integer division of timedeltas: exact, where float timestamps can round.
    return (now - _EPOCH) // timedelta(milliseconds=1)


def make_receipt(session: Session, release_id: str, public_key: Ed25519PublicKey) -> Receipt:
    """The receipt of one release, checked as a partner will check it before it is handed out.

    The check catches a damaged node below the frontier (which ``check_head`` cannot see),
    and a leaf stored under another release's id.
    """
    receipt = LedgerLog(session).receipt(release_id)
    if receipt.leaf.startswith(IMPORTED_MAGIC):
        raise ConflictError(
            f"release {release_id!r} was imported from a scenario file (made before tearline "
            "kept the record): no copy left through tearline, so there is no receipt to give"
        )
    _check_leaf(receipt.index, release_id, receipt.leaf)
    try:
        verify_receipt(receipt, public_key)
    except VerificationError as exc:
        raise LedgerIntegrityError(
            f"the stored log gives release {release_id!r} a receipt that fails: {exc}",
            receipt.index,
        ) from exc
    return receipt


def verify_ledger(session: Session, public_key: Ed25519PublicKey) -> LogAudit:
    """The full audit: every leaf, node and head (``LedgerLog.verify_all``); every leaf must
    decode as an entry (release, audit, imported release) naming the key it is stored under;
    and the audit trail must match its leaves both ways (``services.audit.check_trail``)."""
    result = LedgerLog(session).verify_all(public_key, check_leaf=_check_entry)
    check_trail(session)
    return result


def prove_consistency(
    session: Session, old: SignedTreeHead, new: SignedTreeHead, public_key: Ed25519PublicKey
) -> list[bytes]:
    """The consistency proof between two signed heads, from the stored log, verified.

    ``VerificationError`` when the heads are not this log's or the newer one does not extend
    the older one (the log was rewritten between them).
    """
    expected = key_id(public_key)
    for name, sth in (("old", old), ("new", new)):
        if sth.key_id != expected:
            raise VerificationError(
                f"{name} head is signed by key {sth.key_id.hex()}, not this ledger's key "
                f"{expected.hex()}"
            )
    if new.head.size < old.head.size:
        raise VerificationError(
            f"new head has size {new.head.size}, smaller than old head's {old.head.size}: the "
            "log shrank, or the files are given in the wrong order"
        )
    if old.head.size == 0:
        raise VerificationError("old head has size 0: consistency starts from a non-empty head")
    log = LedgerLog(session)
    size = log.size()
    if new.head.size > size:
        raise VerificationError(
            f"new head has size {new.head.size} but the log holds only {size} leaves: the log "
            "lost leaves it once signed"
        )
    proof = log.consistency_proof(old.head.size, new.head.size)
    verify_consistency_between(old, new, proof, public_key)
    return proof


def _check_entry(index: int, key: str, leaf: bytes) -> None:
    """Any kind of leaf: it decodes, and it names the key it is stored under."""
    try:
        decoded = decode_entry(leaf)
    except VerificationError as exc:
        raise LedgerIntegrityError(f"leaf {index}: {exc}", index) from exc
    if entry_key(decoded) != key:
        raise LedgerIntegrityError(
            f"leaf {index} records {entry_key(decoded)!r} but is stored under {key!r}", index
        )


def _check_leaf(index: int, release_id: str, leaf: bytes) -> None:
    try:
        decoded = ReleaseLeaf.decode(leaf)
    except VerificationError as exc:
        raise LedgerIntegrityError(f"leaf {index}: {exc}", index) from exc
    if decoded.release_id != release_id:
        raise LedgerIntegrityError(
            f"leaf {index} records release {decoded.release_id!r} but is stored under "
            f"{release_id!r}",
            index,
        )
