"""Amending the world after the first release, with immediate, visible consequences.

One entry point, ``amend``, for the CLI commands (`protocol add|retire`, `source set`,
`report amend`), for scenario files that carry changes to stored objects (`load`), and for the
server. In the caller's unit of work it

1. applies each change (``store.amendments``; unknown ids, older versions and impossible status
   changes are refused before anything is written, and any refusal rolls back them all);
2. re-decides every pending (report, partner) pair the changes touch — reports resting on a
   changed source, amended reports, partners a changed protocol covers — and lists the decisions
   that change, like `whatif` (common random numbers: a difference is due to the change); the
   new decisions are recorded (purpose ``amend``);
3. lists, for a source marked compromised, every release already made that rests on it
   (partner, date, copy and report version) for the handler;
4. records one audit entry per change (who, when, why, what changed), each sealed in the ledger.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tearline.domain.errors import ConflictError, MalformedInputError
from tearline.domain.protocols import Protocol
from tearline.domain.releases import to_utc
from tearline.domain.reports import Report
from tearline.domain.sources import Source, SourceStatus
from tearline.domain.world import World
from tearline.scenario import read_scenario
from tearline.services.audit import Act, AuditTrail
from tearline.services.decisions import Decisions, recipients
from tearline.services.reassess import DecisionChange, what_if
from tearline.services.world import LoadResult, current_world
from tearline.store.amendments import Amender, Changes
from tearline.store.decisions import DecisionLog
from tearline.store.identity import IdentityCipher
from tearline.store.repository import WorldRepository
from tearline.store.tables import ReleaseRow

# Which status may follow which. A compromised source stays compromised: lifting it would
# release again what rests on someone the adversary may already know.
TRANSITIONS: dict[str, frozenset[str]] = {
    "active": frozenset({"compromised", "extracted", "retired"}),
    "extracted": frozenset({"compromised", "retired"}),
    "retired": frozenset({"compromised"}),
    "compromised": frozenset(),
}


@dataclass(frozen=True, slots=True)
class ProtocolVersion:
    protocol: Protocol


@dataclass(frozen=True, slots=True)
class ProtocolRetirement:
    protocol: str


@dataclass(frozen=True, slots=True)
class SourceChange:
    source: str
    status: SourceStatus | None = None
    max_risk: float | None = None
    population: int | None = None
    selectivity: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SourceRedefinition:
    """A stored source given again in full by a scenario file."""

    source: Source


@dataclass(frozen=True, slots=True)
class ReportVersion:
    report: Report
    version: int | None = None  # None: the next one


Change = ProtocolVersion | ProtocolRetirement | SourceChange | SourceRedefinition | ReportVersion


@dataclass(frozen=True, slots=True)
class Amendment:
    """One change as applied: its audit action, what it changed, and its audit entry."""

    action: str
    subject: str
    changes: Changes
    entry: int = -1

    def describe(self) -> str:
        parts = [
            f"{name} {show_value(before)} → {show_value(after)}"
            for name, (before, after) in self.changes.items()
        ]
        return f"{self.action} {self.subject}: {'; '.join(parts)}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "subject": self.subject,
            "changes": self.changes,
            "audit_entry": self.entry,
            "summary": self.describe(),
        }


@dataclass(frozen=True, slots=True)
class AmendResult:
    amendments: tuple[Amendment, ...]
    decided: int  # pending pairs re-decided
    decision_changes: tuple[DecisionChange, ...]
    releases_at_risk: tuple[dict[str, Any], ...]  # past releases resting on compromised sources

    def as_dict(self) -> dict[str, Any]:
        return {
            "amendments": [a.as_dict() for a in self.amendments],
            "redecided": self.decided,
            "decision_changes": [c.as_dict() for c in self.decision_changes],
            "releases_resting_on_compromised": list(self.releases_at_risk),
        }


def amend(
    session: Session,
    changes: list[Change],
    act: Act,
    trail: AuditTrail,
    *,
    today: date,
    seed: int = 0,
    cipher: IdentityCipher | None = None,
) -> AmendResult:
    """Apply ``changes`` in the caller's unit of work (see the module docstring)."""
    if not act.reason:
        raise ConflictError("an amendment must say why: give --reason")
    before = current_world(session)
    amender = Amender(session, cipher)
    applied = [_apply(amender, before, change, act) for change in changes]
    after = current_world(session)
    pairs = _affected_pairs(before, after, changes)
    decision_changes: tuple[DecisionChange, ...] = ()
    if pairs:
        _, table, decision_changes = what_if(Decisions(before, today, seed=seed), after, pairs)
        log = DecisionLog(session)
        for i in range(len(pairs)):
            log.record(table.at(i), as_of=today, at=act.at, purpose="amend")
    compromised = {s.id for s in after.sources if s.status is SourceStatus.COMPROMISED}
    changed_sources = dict.fromkeys(
        _source_id(c) for c in changes if isinstance(c, SourceChange | SourceRedefinition)
    )
    burned = [
        ident
        for ident in changed_sources
        if ident in compromised and before.source(ident).status is not SourceStatus.COMPROMISED
    ]
    at_risk = _releases_resting_on(session, after, burned)
    recorded = []
    for amendment in applied:
        details: dict[str, Any] = {"changes": amendment.changes}
        if decision_changes:
            details["decision_changes"] = len(decision_changes)
        if at_risk and amendment.action == "source.amend":
            details["releases_resting_on_compromised"] = [r["release"] for r in at_risk]
        entry = trail.record(
            act, action=amendment.action, subject=amendment.subject, details=details
        )
        recorded.append(Amendment(amendment.action, amendment.subject, amendment.changes, entry.id))
    return AmendResult(tuple(recorded), len(pairs), decision_changes, tuple(at_risk))


def _source_id(change: SourceChange | SourceRedefinition) -> str:
    return change.source if isinstance(change, SourceChange) else change.source.id


def _apply(amender: Amender, world: World, change: Change, act: Act) -> Amendment:
    if isinstance(change, ProtocolVersion):
        p = change.protocol
        changes = amender.add_protocol_version(p, at=act.at, reason=act.reason)
        return Amendment("protocol.version", p.id, changes)
    if isinstance(change, ProtocolRetirement):
        changes = amender.retire_protocol(change.protocol, at=act.at, reason=act.reason)
        return Amendment("protocol.retire", change.protocol, changes)
    if isinstance(change, SourceChange | SourceRedefinition):
        ident = _source_id(change)
        current = amender.source_row(ident).status
        wanted = (
            change.status.value
            if isinstance(change, SourceChange) and change.status is not None
            else change.source.status.value
            if isinstance(change, SourceRedefinition)
            else current
        )
        if wanted != current and wanted not in TRANSITIONS[current]:
            allowed = ", ".join(sorted(TRANSITIONS[current])) or "none: it is final"
            raise ConflictError(
                f"source {ident!r} is {current}: it cannot become {wanted} (allowed: {allowed})"
            )
        if isinstance(change, SourceChange):
            changes = amender.set_source(
                ident,
                status=None if change.status is None else change.status.value,
                max_risk=change.max_risk,
                population=change.population,
                selectivity=dict(change.selectivity),
            )
        else:
            changes = amender.redefine_source(change.source)
        if not changes:
            raise ConflictError(f"source {ident!r} already is as given: nothing to amend")
        return Amendment("source.amend", ident, changes)
    changes = amender.new_report_version(change.report, version=change.version, at=act.at)
    return Amendment("report.version", change.report.id, changes)


def _affected_pairs(before: World, after: World, changes: list[Change]) -> list[tuple[str, str]]:
    """Pending (report, partner) pairs whose decision a change may move, in a stable order."""
    reports: set[str] = set()
    partners: set[str] = set()
    every_partner = recipients(after)
    for change in changes:
        if isinstance(change, SourceChange | SourceRedefinition):
            ident = _source_id(change)
            reports |= {r.id for r in after.reports if ident in r.sources}
        elif isinstance(change, ReportVersion):
            reports.add(change.report.id)
        else:
            ident = change.protocol.id if isinstance(change, ProtocolVersion) else change.protocol
            # Whoever it covered before or covers now (a retired one: before only).
            for world in (before, after):
                for p in world.protocols:
                    if p.id == ident:
                        partners |= {
                            x
                            for x in every_partner
                            if (world.groups_of(x) | {x}) & set(p.applies_to)
                        }
    released = {(r.report, r.partner) for r in after.releases}
    return [
        (r.id, p)
        for r in after.reports
        for p in every_partner
        if (r.id in reports or p in partners) and (r.id, p) not in released
    ]


def _releases_resting_on(
    session: Session, world: World, sources: list[str]
) -> list[dict[str, Any]]:
    """Every release already made (or imported) of a report resting on one of ``sources``."""
    if not sources:
        return []
    wanted = set(sources)
    reports = {r.id: [s for s in r.sources if s in wanted] for r in world.reports}
    reports = {r: s for r, s in reports.items() if s}
    rows = session.scalars(
        select(ReleaseRow)
        .where(ReleaseRow.report_id.in_(list(reports)))
        .order_by(ReleaseRow.at, ReleaseRow.id)
    )
    return [
        {
            "release": row.id,
            "report": row.report_id,
            "report_version": row.report_version,
            "partner": row.partner_id,
            "version": row.version,
            "at": to_utc(row.at).isoformat().replace("+00:00", "Z"),
            "origin": row.origin,
            "sources": reports[row.report_id],
        }
        for row in rows
    ]


def show_value(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return "—" if value is None else str(value)


def changes_from_load(result: LoadResult) -> list[Change]:
    """The amendments a scenario file carries (stored objects it gives again)."""
    changes: list[Change] = [ProtocolVersion(p) for p in result.amended_protocols]
    changes += [SourceRedefinition(x) for x in result.amended_sources]
    changes += [ReportVersion(r, v) for r, v in result.amended_reports]
    return changes


def protocol_versions_from(session: Session, path: Path) -> list[Change]:
    """New versions of stored protocols from a scenario file that holds protocols only
    (validated against the store; a new protocol id is refused: `load` adds those)."""
    known = WorldRepository(session).known_ids()
    world = read_scenario(path, known=known).world
    others = [kind for kind, n in world.counts().items() if n and kind != "protocols"]
    if others or not world.protocols:
        raise MalformedInputError(
            str(path),
            f"must hold protocols only (found {', '.join(others) or 'none'})",
            "protocols",
        )
    unknown = [p.id for p in world.protocols if p.id not in known.protocols]
    if unknown:
        raise ConflictError(
            f"{path}: unknown protocol id {unknown[0]!r}: a new protocol is added with "
            "`tearline load`, a new version of a stored one here"
        )
    return [ProtocolVersion(p) for p in world.protocols]
