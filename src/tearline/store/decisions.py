"""Recorded decisions and the copies behind releases. Never commits."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from tearline.domain.releases import Release, Version, to_utc
from tearline.protocols import Decision
from tearline.store.tables import DecisionRow, ReleaseRow, ReportRow


class DecisionLog:
    def __init__(self, session: Session) -> None:
        self.session = session

    def record(self, decision: Decision, *, as_of: dt.date, at: dt.datetime, purpose: str) -> int:
        view = decision.as_dict()
        result = self.session.execute(
            insert(DecisionRow).returning(DecisionRow.id),
            {
                "report_id": decision.report,
                "partner_id": decision.partner,
                "outcome": decision.outcome.value,
                "as_of": as_of,
                "decided_at": at,
                "purpose": purpose,
                "protocols": list(decision.protocols),
                "figures": view["figures"],
                "reasons": view["rules"],
            },
        )
        return int(result.scalar_one())

    def history(self, partner: str | None = None) -> list[DecisionRow]:
        query = select(DecisionRow).order_by(DecisionRow.decided_at, DecisionRow.id)
        if partner is not None:
            query = query.where(DecisionRow.partner_id == partner)
        return list(self.session.scalars(query))


def report_version(session: Session, report_id: str) -> int:
    """The stored version of a report (its copies name it)."""
    version = session.scalar(select(ReportRow.version).where(ReportRow.id == report_id))
    return 1 if version is None else int(version)


def add_copy(
    session: Session,
    *,
    release_id: str,
    report: str,
    partner: str,
    version: str,
    at: dt.datetime,
    content: str,
    content_sha256: str,
    decision_id: int,
    note: str = "",
    fingerprint_id: str | None = None,
    report_version: int | None = None,
    origin: str = "release",
) -> None:
    session.execute(
        insert(ReleaseRow),
        {
            "id": release_id,
            "report_id": report,
            "partner_id": partner,
            "version": version,
            "at": at,
            "note": note,
            "content": content,
            "content_sha256": content_sha256,
            "decision_id": decision_id,
            "fingerprint_id": fingerprint_id,
            "report_version": report_version,
            "origin": origin,
        },
    )


def stored_releases(session: Session) -> tuple[Release, ...]:
    """The release history as committed now (read again under the release lock)."""
    return tuple(
        Release(r.id, r.report_id, r.partner_id, Version(r.version), to_utc(r.at), r.note)
        for r in session.scalars(select(ReleaseRow).order_by(ReleaseRow.at, ReleaseRow.id))
    )


def unique_release_id(session: Session, wanted: str) -> str:
    """``wanted``, or ``wanted-2``, ``-3``, ... when taken: two releases of one report to
    one partner in the same second never collide (and the id stays reproducible)."""
    candidate, n = wanted, 1
    while session.get(ReleaseRow, candidate) is not None:
        n += 1
        candidate = f"{wanted}-{n}"
    return candidate
