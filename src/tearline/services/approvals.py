"""Approvals of unverified tearlines: a named reviewer vouches for one exact text.

A tearline whose k the sanitiser cannot prove (``Sanitized.k_verified`` is
false: something in it may still say who a source is, see
``sanitize.about``) does not meet any anonymity target — its certified k is
1 — until a named reviewer has read that very text and approved it for that
partner. The approval is stored against the SHA-256 of the text as it leaves
(header fields and body, ``Sanitized.released``): any change to the report,
the sources, the partner's target or the sanitiser gives another text, and
the approval no longer applies. A release that uses an approval records it
(``release_approvals``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from tearline.domain.errors import ConflictError
from tearline.sanitize import Sanitized
from tearline.services.sanitize import SanitizeResult
from tearline.store.approval_tables import ReleaseApprovalRow, TearlineApprovalRow


@dataclass(frozen=True, slots=True)
class Approval:
    id: int
    report: str
    partner: str
    target_k: float
    text_sha256: str
    reviewer: str
    reason: str
    at: dt.datetime


def text_hash(result: Sanitized) -> str:
    """The SHA-256 of a tearline as it leaves (what an approval is bound to)."""
    return hashlib.sha256(result.released.encode("utf-8")).hexdigest()


class Approvals:
    """Every stored approval, keyed by (report, partner, text hash)."""

    def __init__(self, approvals: dict[tuple[str, str, str], Approval]) -> None:
        self._by_text = approvals

    @classmethod
    def load(cls, session: Session) -> Approvals:
        rows = session.scalars(select(TearlineApprovalRow).order_by(TearlineApprovalRow.id))
        return cls({(r.report_id, r.partner_id, r.text_sha256): _approval(r) for r in rows})

    @classmethod
    def none(cls) -> Approvals:
        return cls({})

    def for_text(self, report: str, partner: str, result: Sanitized) -> Approval | None:
        """The approval of exactly this tearline for this partner, if any
        (the latest when a reviewer approved the same text twice)."""
        return self._by_text.get((report, partner, text_hash(result)))


def _approval(row: TearlineApprovalRow) -> Approval:
    return Approval(
        row.id,
        row.report_id,
        row.partner_id,
        row.target_k,
        row.text_sha256,
        row.reviewer,
        row.reason,
        row.at,
    )


def approve(
    session: Session, sanitized: SanitizeResult, *, reviewer: str, reason: str, now: dt.datetime
) -> Approval:
    """Store ``reviewer``'s approval of the tearline ``sanitized`` (made for a
    partner). Refused when there is nothing to approve or it cannot be."""
    if sanitized.partner is None:
        raise ConflictError("--approve needs --partner: an approval is for one partner")
    if not reviewer.strip():
        raise ConflictError("--reviewer: a named reviewer is required")
    if not reason.strip():
        raise ConflictError("--reason: say why the text may leave")
    if sanitized.target_from == "option":
        raise ConflictError(
            "--target-k with --approve: approve the tearline at the partner's own target"
        )
    result = sanitized.result
    if not result.meets_target:
        raise ConflictError(
            f"cannot approve the tearline of {sanitized.report} for {sanitized.partner}: "
            "a source stays below the target whatever the reviewer says"
        )
    if result.k_verified:
        raise ConflictError(
            f"nothing to approve: the tearline of {sanitized.report} for "
            f"{sanitized.partner} has a verified k"
        )
    digest = text_hash(result)
    row: dict[str, object] = {
        "report_id": sanitized.report,
        "partner_id": sanitized.partner,
        "target_k": sanitized.target_k,
        "text_sha256": digest,
        "reviewer": reviewer.strip(),
        "reason": reason.strip(),
        "at": now,
        "review": [{"text": r.text, "why": r.why} for r in result.review],
    }
    ident = session.execute(insert(TearlineApprovalRow).returning(TearlineApprovalRow.id), row)
    approval_id = int(ident.scalar_one())
    return Approval(
        approval_id,
        sanitized.report,
        sanitized.partner,
        sanitized.target_k,
        digest,
        reviewer.strip(),
        reason.strip(),
        now,
    )


def record_use(session: Session, release_id: str, approval: Approval) -> None:
    """Record that the released copy ``release_id`` went out on ``approval``."""
    session.execute(
        insert(ReleaseApprovalRow), {"release_id": release_id, "approval_id": approval.id}
    )


def approval_of_release(session: Session, release_id: str) -> Approval | None:
    row = session.execute(
        select(TearlineApprovalRow)
        .join(ReleaseApprovalRow, ReleaseApprovalRow.approval_id == TearlineApprovalRow.id)
        .where(ReleaseApprovalRow.release_id == release_id)
    ).scalar_one_or_none()
    return None if row is None else _approval(row)
