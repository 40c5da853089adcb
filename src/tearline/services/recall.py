"""Recalls: a release withdrawn after the fact, with who, when and why.

``recall`` records it (a ``recalls`` row, and an audit entry that is its own ledger leaf) in
the caller's unit of work. The partner learns of it with its next delivery: ``release_report``
puts every undelivered recall of that partner's releases into the header of the next copy made
for it (``notices_for``) and marks them delivered in that release (``mark_delivered``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tearline.domain.errors import ConflictError, NotFoundError
from tearline.domain.releases import to_utc
from tearline.services.audit import Act, AuditTrail
from tearline.store.audit_tables import RecallRow
from tearline.store.tables import ReleaseRow


@dataclass(frozen=True, slots=True)
class Recall:
    release: str
    report: str
    partner: str
    version: str
    released_at: str
    reason: str
    who: str
    at: str
    audit_entry: int

    def as_dict(self) -> dict[str, object]:
        return {
            "release": self.release,
            "report": self.report,
            "partner": self.partner,
            "version": self.version,
            "released_at": self.released_at,
            "reason": self.reason,
            "by": self.who,
            "at": self.at,
            "audit_entry": self.audit_entry,
            "delivered_in": None,
        }


def recall(session: Session, release_id: str, act: Act, trail: AuditTrail) -> Recall:
    """Record the recall of ``release_id`` (refused: unknown, already recalled, no reason)."""
    if not act.reason:
        raise ConflictError("a recall must say why: give --reason")
    row = session.get(ReleaseRow, release_id)
    if row is None:
        raise NotFoundError("release", release_id)
    earlier = session.get(RecallRow, release_id)
    if earlier is not None:
        raise ConflictError(
            f"release {release_id!r} was already recalled on {_iso(earlier.at)} by {earlier.who}"
        )
    session.add(RecallRow(release_id=release_id, at=act.at, who=act.who, reason=act.reason))
    entry = trail.record(
        act,
        action="recall",
        subject=release_id,
        details={"report": row.report_id, "partner": row.partner_id, "version": row.version},
    )
    return Recall(
        release_id,
        row.report_id,
        row.partner_id,
        row.version,
        _iso(row.at),
        act.reason,
        act.who,
        _iso(act.at),
        entry.id,
    )


def notices_for(session: Session, partner: str) -> list[RecallRow]:
    """Recalls of this partner's releases not yet carried to it, oldest first."""
    return list(
        session.scalars(
            select(RecallRow)
            .join(ReleaseRow, ReleaseRow.id == RecallRow.release_id)
            .where(ReleaseRow.partner_id == partner, RecallRow.delivered_in.is_(None))
            .order_by(RecallRow.at, RecallRow.release_id)
        )
    )


def notice_lines(recalls: list[RecallRow]) -> list[str]:
    """The copy header's lines for recalls. Neither the reason nor who recalled is carried:
    both are internal (a reason may name a compromised source)."""
    return [
        f"RECALL: release {r.release_id} is withdrawn as of {_iso(r.at)[:10]}. "
        "Destroy every copy of it and confirm."
        for r in recalls
    ]


def mark_delivered(session: Session, recalls: list[RecallRow], release_id: str) -> None:
    if recalls:
        session.execute(
            update(RecallRow)
            .where(RecallRow.release_id.in_([r.release_id for r in recalls]))
            .values(delivered_in=release_id)
        )


def _iso(value: datetime) -> str:
    return to_utc(value).isoformat().replace("+00:00", "Z")
