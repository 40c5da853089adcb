"""World use cases: load a scenario, list and show what is stored, export."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tearline.domain.errors import ConflictError, NotFoundError
from tearline.domain.protocols import Protocol
from tearline.domain.releases import Release
from tearline.domain.reports import Report
from tearline.domain.sources import Source
from tearline.domain.world import World
from tearline.ledger.records import AUDIT_KEY_PREFIX
from tearline.scenario import KnownIds, Scenario, dump_scenario, parse_scenario
from tearline.scenario import read_scenario as read_scenario  # `tearline check`
from tearline.services import views
from tearline.store.identity import IdentityCipher
from tearline.store.ledger_tables import LedgerLeafRow
from tearline.store.repository import WorldRepository
from tearline.store.tables import ReportRow


class Kind(StrEnum):
    ACTORS = "actors"
    GROUPS = "groups"
    TIES = "ties"
    SOURCES = "sources"
    REPORTS = "reports"
    PROTOCOLS = "protocols"
    RELEASES = "releases"


@dataclass(frozen=True, slots=True)
class LoadResult:
    filename: str
    added: dict[str, int]
    replaced: bool
    releases: tuple[Release, ...] = ()  # historical releases the file recorded
    # Stored objects the file gives again: amendments, left to ``services.amend`` (never
    # applied here, so never silently).
    amended_protocols: tuple[Protocol, ...] = ()
    amended_sources: tuple[Source, ...] = ()
    amended_reports: tuple[tuple[Report, int], ...] = ()

    @property
    def amends(self) -> bool:
        return bool(self.amended_protocols or self.amended_sources or self.amended_reports)


def load_scenario(
    session: Session,
    cipher: IdentityCipher,
    *,
    path: Path | None = None,
    text: str | None = None,
    filename: str = "<scenario>",
    replace: bool = False,
) -> LoadResult:
    """Validate a scenario against what is stored and add it.

    Without ``replace`` the file is merged: it may refer to stored ids but not
    redefine them. With ``replace`` the stored world is dropped first. Either
    way nothing is written unless the whole file is valid (the caller's unit
    of work rolls back on error)."""
    repo = WorldRepository(session, cipher)
    known = KnownIds() if replace else repo.known_ids()
    base = None if replace else repo.model()
    scenario: Scenario
    if path is not None:
        scenario = read_scenario(path, known=known, base_model=base)
    else:
        assert text is not None
        scenario = parse_scenario(text, filename, known=known, base_model=base)
    if replace:
        recorded = released_in_ledger(session)
        if recorded:
            # The ledger is append-only evidence of what left: the world it
            # speaks about cannot be swapped underneath it.
            raise ConflictError(
                f"the ledger records {recorded} release(s): a world with a ledger cannot be "
                "replaced (load into a new --home instead)"
            )
        repo.clear()
    if replace or scenario.sets_model or repo.is_empty():
        repo.set_model(scenario.world.model)
    world = scenario.world
    protocols = [p for p in world.protocols if p.id in known.protocols]
    sources = [x for x in world.sources if x.id in known.sources]
    reports = [r for r in world.reports if r.id in known.reports]
    fresh = dataclasses.replace(
        world,
        protocols=tuple(p for p in world.protocols if p.id not in known.protocols),
        sources=tuple(x for x in world.sources if x.id not in known.sources),
        reports=tuple(r for r in world.reports if r.id not in known.reports),
    )
    repo.add(fresh)
    for report in fresh.reports:
        version = scenario.report_versions.get(report.id, 1)
        if version != 1:
            row = session.get(ReportRow, report.id)
            assert row is not None  # just added
            row.version = version
    return LoadResult(
        scenario.filename,
        fresh.counts(),
        replace,
        tuple(world.releases),
        tuple(protocols),
        tuple(sources),
        tuple((r, scenario.report_versions.get(r.id, 1)) for r in reports),
    )


def released_in_ledger(session: Session) -> int:
    """Leaves of the ledger that record releases (made or imported), not audit entries."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(LedgerLeafRow)
            .where(LedgerLeafRow.release_id.not_like(f"{AUDIT_KEY_PREFIX}%"))
        )
        or 0
    )


def current_world(
    session: Session, cipher: IdentityCipher | None = None, *, reveal: bool = False
) -> World:
    return WorldRepository(session, cipher).world(reveal=reveal)


def list_items(session: Session, kind: Kind, world: World | None = None) -> list[dict[str, Any]]:
    repo = WorldRepository(session)
    world = world or repo.world()
    if kind is Kind.ACTORS:
        return [views.actor_view(a) for a in world.actors]
    if kind is Kind.GROUPS:
        return [views.group_view(g, world.group_members(g.id)) for g in world.groups]
    if kind is Kind.TIES:
        return [views.tie_view(t) for t in world.ties]
    if kind is Kind.SOURCES:
        return [views.source_view(x, has_identity=repo.has_identity(x.id)) for x in world.sources]
    if kind is Kind.REPORTS:
        return [views.report_view(r) for r in world.reports]
    if kind is Kind.PROTOCOLS:
        return [views.protocol_view(p) for p in world.protocols]
    return [views.release_view(r) for r in world.releases]


def show_item(
    session: Session, ident: str, *, cipher: IdentityCipher | None = None, reveal: bool = False
) -> tuple[str, dict[str, Any]]:
    """Find ``ident`` among every kind of object; return (kind, detailed view)."""
    repo = WorldRepository(session, cipher)
    world = repo.world(reveal=reveal)
    for actor in world.actors:
        if actor.id == ident:
            view = views.actor_view(actor)
            view["groups"] = sorted(world.groups_of(ident))
            view["ties_out"] = [
                views.tie_view(t) for t in world.ties_in_force() if t.source == ident
            ]
            view["ties_in"] = [
                views.tie_view(t) for t in world.ties_in_force() if t.target == ident
            ]
            return "actor", view
    for group in world.groups:
        if group.id == ident:
            return "group", views.group_view(group, world.group_members(ident))
    for source in world.sources:
        if source.id == ident:
            view = views.source_view(source, has_identity=repo.has_identity(ident), detail=True)
            view["reports"] = [r.id for r in world.reports if ident in r.sources]
            return "source", view
    for report in world.reports:
        if report.id == ident:
            view = views.report_view(report, detail=True)
            view["releases"] = [views.release_view(r) for r in world.releases if r.report == ident]
            return "report", view
    for protocol in world.protocols:
        if protocol.id == ident:
            return "protocol", views.protocol_view(protocol)
    for release in world.releases:
        if release.id == ident:
            return "release", views.release_view(release)
    raise NotFoundError("actor, group, source, report, protocol or release", ident)


def export_scenario(
    session: Session, cipher: IdentityCipher | None = None, *, reveal: bool = False
) -> str:
    return dump_scenario(current_world(session, cipher, reveal=reveal), include_identities=reveal)
