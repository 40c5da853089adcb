"""Who acts: the audit trail of every change, decision run, release, approval, re-assessment,
recall and override.

One mechanism for every front end. The CLI names the person with ``--as NAME`` or
``TEARLINE_USER`` (``tearline.cli.acting``), the server with the authenticated user; both build
an ``Act`` and hand it, with the session, to the service that changes something, which calls
``AuditTrail.record`` in the same unit of work::

    act = Act.named(who, at=now, reason=reason)      # MissingActorError if who is empty
    trail = AuditTrail(session, signing_key)
    ...change the world...
    trail.record(act, action="source.status", subject="src-x", details={...})

Each entry is a row of ``audit_log`` (append-only: the database refuses UPDATE and DELETE) and
a leaf of the ledger (``ledger.records.AuditLeaf``) signed into a new tree head, so the row, its
leaf and the change commit together or not at all. ``check_trail`` (run by ``ledger verify``)
compares rows and leaves both ways: a deleted, edited or invented entry is a finding.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from tearline.domain.errors import LedgerIntegrityError, TearlineError, VerificationError
from tearline.domain.releases import to_utc
from tearline.ledger.records import AUDIT_KEY_PREFIX, AuditLeaf, audit_key, details_digest
from tearline.store.audit_tables import AuditRow
from tearline.store.ledger_log import LedgerLog
from tearline.store.ledger_tables import LedgerLeafRow

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MAX_NAME = 200
USER_ENV = "TEARLINE_USER"


class MissingActorError(TearlineError):
    """A command that changes something was not told who acts (a usage error: exit 2)."""


def person_name(name: str | None) -> str:
    """The acting person's name, checked: non-empty, at most 200 characters, printable."""
    text = (name or "").strip()
    if not text:
        raise MissingActorError(
            "this command changes the record and must name who acts: "
            f"give --as NAME or set {USER_ENV}"
        )
    if len(text) > MAX_NAME:
        raise MissingActorError(
            f"the name of who acts is {len(text)} characters; at most {MAX_NAME}"
        )
    if any(unicodedata.category(c).startswith("C") for c in text):
        raise MissingActorError("the name of who acts contains control characters")
    return text


@dataclass(frozen=True, slots=True)
class Act:
    """A named person acting at an instant, with a reason (may be empty where none is asked)."""

    who: str
    at: datetime
    reason: str = ""

    @classmethod
    def named(cls, who: str | None, *, at: datetime, reason: str = "") -> Act:
        if at.utcoffset() is None:
            raise ValueError("at must be timezone-aware")
        return cls(person_name(who), at, reason.strip())


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: datetime
    who: str
    action: str
    subject: str
    reason: str
    details: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat().replace("+00:00", "Z"),
            "who": self.who,
            "action": self.action,
            "subject": self.subject,
            "reason": self.reason,
            "details": dict(self.details),
        }

    def leaf(self) -> AuditLeaf:
        return AuditLeaf(
            entry=self.id,
            at=self.at,
            who=self.who,
            action=self.action,
            subject=self.subject,
            reason=self.reason or None,
            details_sha256=details_digest(self.details),
        )


class AuditTrail:
    """Records entries in the caller's unit of work (never commits)."""

    def __init__(self, session: Session, signing_key: Ed25519PrivateKey) -> None:
        self.session = session
        self.signing_key = signing_key

    def record(
        self,
        act: Act,
        *,
        action: str,
        subject: str,
        details: Mapping[str, Any] | None = None,
    ) -> AuditEntry:
        """Write the row and its ledger leaf, and sign the new head."""
        body = dict(details or {})
        # The leaf keeps microseconds; the row must hold the very same instant.
        at = to_utc(act.at)
        row_id = self.session.execute(
            insert(AuditRow).returning(AuditRow.id),
            {
                "at": at,
                "who": act.who,
                "action": action,
                "subject": subject or "-",
                "reason": act.reason,
                "details": body,
            },
        ).scalar_one()
        entry = AuditEntry(int(row_id), at, act.who, action, subject or "-", act.reason, body)
        log = LedgerLog(self.session)
        leaf = entry.leaf()
        log.append(leaf.key, leaf.encode())
        log.sign_head(self.signing_key, (at - _EPOCH) // timedelta(milliseconds=1))
        return entry


def entries(
    session: Session,
    *,
    who: str | None = None,
    subject: str | None = None,
    actions: Sequence[str] | None = None,
) -> list[AuditEntry]:
    """The trail, oldest first, optionally filtered."""
    query = select(AuditRow).order_by(AuditRow.id)
    if who is not None:
        query = query.where(AuditRow.who == who)
    if subject is not None:
        query = query.where(AuditRow.subject == subject)
    if actions:
        query = query.where(AuditRow.action.in_(list(actions)))
    return [_entry(row) for row in session.scalars(query)]


def _entry(row: AuditRow) -> AuditEntry:
    return AuditEntry(
        row.id, to_utc(row.at), row.who, row.action, row.subject, row.reason, row.details
    )


def check_trail(session: Session) -> int:
    """Every audit row has its leaf and every audit leaf its row, field for field.

    Returns the number of entries checked; ``LedgerIntegrityError`` names the first mismatch
    (a deleted entry shows as a leaf without its row)."""
    rows = {row.id: _entry(row) for row in session.scalars(select(AuditRow))}
    leaves = session.execute(
        select(LedgerLeafRow.leaf_index, LedgerLeafRow.release_id, LedgerLeafRow.leaf)
        .where(LedgerLeafRow.release_id.like(f"{AUDIT_KEY_PREFIX}%"))
        .order_by(LedgerLeafRow.leaf_index)
    ).all()
    seen: set[int] = set()
    for index, key, raw in leaves:
        try:
            leaf = AuditLeaf.decode(bytes(raw))
        except VerificationError as exc:
            raise LedgerIntegrityError(f"leaf {index}: {exc}", index) from exc
        if key != audit_key(leaf.entry):
            raise LedgerIntegrityError(
                f"leaf {index} records audit entry {leaf.entry} but is stored under {key!r}", index
            )
        entry = rows.get(leaf.entry)
        if entry is None:
            raise LedgerIntegrityError(
                f"audit entry {leaf.entry} ({leaf.action} by {leaf.who} at "
                f"{leaf.to_dict()['at']}) is in the ledger (leaf {index}) but missing from the "
                "audit trail: it was deleted",
                index,
            )
        if entry.leaf() != leaf:
            raise LedgerIntegrityError(
                f"audit entry {leaf.entry} differs from its ledger leaf {index}: it was edited",
                index,
            )
        seen.add(leaf.entry)
    missing = sorted(set(rows) - seen)
    if missing:
        raise LedgerIntegrityError(
            f"audit entry {missing[0]} has no ledger leaf: it was not recorded through the "
            "trail, or its leaf was removed"
        )
    return len(rows)
