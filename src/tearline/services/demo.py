"""The demo's overview of a world: what a newcomer should see first."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from tearline.domain.actors import ActorKind
from tearline.domain.sources import SourceStatus
from tearline.domain.ties import DIMENSIONS, Tie
from tearline.domain.world import World
from tearline.store.repository import WorldRepository


@dataclass(frozen=True, slots=True)
class Drift:
    """How a directed relationship moved between its first and latest tie."""

    source: str
    target: str
    first: str
    last: str
    change: dict[str, float]
    history: list[dict[str, Any]]

    @property
    def total(self) -> float:
        return sum(self.change.values())


@dataclass(frozen=True, slots=True)
class Overview:
    counts: dict[str, int]
    actors: list[dict[str, Any]]
    drifts: list[Drift]
    sources: list[dict[str, Any]]
    reports_by_category: dict[str, int]
    controls: dict[str, int]
    releases_by_partner: list[dict[str, Any]]
    precedents: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        return data


def overview(session: Session) -> Overview:
    return overview_of(WorldRepository(session).world())


def hub_drift(world: World) -> tuple[str, str, World] | None:
    """The relationship that drifted most towards an adversary, and the world
    as it was before its latest step (to re-assess that step)."""
    drifts = [d for d in _drifts(world, top=10) if world.actor(d.source).kind is ActorKind.PARTNER]
    if not drifts:
        return None
    drift = drifts[0]
    last = world.tie_history(drift.source, drift.target)[-1]
    before = World.build(
        model=world.model,
        actors=world.actors,
        groups=world.groups,
        ties=[t for t in world.ties if t != last],
        sources=world.sources,
        reports=world.reports,
        protocols=world.protocols,
        releases=world.releases,
    )
    return drift.source, drift.target, before


def overview_of(world: World) -> Overview:
    return Overview(
        counts=world.counts(),
        actors=[
            {
                "id": a.id,
                "name": a.name,
                "kind": a.kind.value,
                "protection": a.protection,
                "capacity": world.adversary_capacity(a) if a.kind is ActorKind.ADVERSARY else None,
                "groups": sorted(world.groups_of(a.id)),
            }
            for a in world.actors
        ],
        drifts=_drifts(world),
        sources=[
            {
                "id": x.id,
                "codename": x.codename,
                "status": x.status.value,
                "population": x.population,
                "attributes": len(x.attributes),
                "threatened_by": list(x.threatened_by),
                # The anonymity set if every attribute were disclosed at its
                # most specific level: how exposed the source could become.
                "k_if_all_disclosed": x.anonymity({a.name: 0 for a in x.attributes}),
            }
            for x in world.sources
        ],
        reports_by_category=dict(Counter(r.category for r in world.reports).most_common()),
        controls=dict(Counter(c for r in world.reports for c in r.controls).most_common()),
        releases_by_partner=_releases_by_partner(world),
        precedents=[
            {"id": x.id, "codename": x.codename, "status": x.status.value, "story": x.description}
            for x in world.sources
            if x.status in (SourceStatus.EXTRACTED, SourceStatus.COMPROMISED)
        ],
    )


def _drifts(world: World, top: int = 3) -> list[Drift]:
    """Relationships towards adversaries (and their aligned third parties)
    that strengthened most over their recorded history."""
    kinds = {a.id: a.kind for a in world.actors}
    histories: dict[tuple[str, str], list[Tie]] = defaultdict(list)
    for tie in world.ties:
        if kinds.get(tie.target) in (ActorKind.ADVERSARY, ActorKind.THIRD_PARTY):
            histories[(tie.source, tie.target)].append(tie)
    drifts = []
    for (source, target), ties in histories.items():
        if len(ties) < 2:
            continue
        first, last = ties[0], ties[-1]
        drifts.append(
            Drift(
                source=source,
                target=target,
                first=first.as_of.isoformat(),
                last=last.as_of.isoformat(),
                change={
                    d.value: round(last.strength(d) - first.strength(d), 6) for d in DIMENSIONS
                },
                history=[
                    {"as_of": t.as_of.isoformat(), **{d.value: t.strength(d) for d in DIMENSIONS}}
                    for t in ties
                ],
            )
        )
    drifts.sort(key=lambda d: d.total, reverse=True)
    return drifts[:top]


def _releases_by_partner(world: World) -> list[dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for release in world.releases:
        row = rows.setdefault(
            release.partner,
            {"partner": release.partner, "full": 0, "tearline": 0, "first": None, "last": None},
        )
        row[release.version.value] += 1
        at = release.at.date().isoformat()
        row["first"] = row["first"] or at
        row["last"] = at
    return sorted(rows.values(), key=lambda r: -(r["full"] + r["tearline"]))
