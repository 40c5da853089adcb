"""The world: everything a scenario describes, as one immutable value."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from tearline.domain.actors import Actor, ActorKind, Group
from tearline.domain.errors import NotFoundError
from tearline.domain.params import ModelParams
from tearline.domain.protocols import Protocol
from tearline.domain.releases import Release
from tearline.domain.reports import Report
from tearline.domain.sources import Source
from tearline.domain.ties import Tie

T = TypeVar("T", Actor, Group, Source, Report, Protocol, Release)


def _by_id(items: Iterable[T]) -> tuple[T, ...]:
    return tuple(sorted(items, key=lambda item: item.id))


@dataclass(frozen=True, slots=True)
class World:
    """Actors, groups, ties, sources, reports, protocols and releases.

    Collections are kept in a canonical order (by id; ties by pair and date;
    releases by time) so that two worlds with the same content compare equal
    however they were assembled.
    """

    model: ModelParams = field(default_factory=ModelParams)
    actors: tuple[Actor, ...] = ()
    groups: tuple[Group, ...] = ()
    ties: tuple[Tie, ...] = ()
    sources: tuple[Source, ...] = ()
    reports: tuple[Report, ...] = ()
    protocols: tuple[Protocol, ...] = ()
    releases: tuple[Release, ...] = ()

    @classmethod
    def build(
        cls,
        *,
        model: ModelParams | None = None,
        actors: Iterable[Actor] = (),
        groups: Iterable[Group] = (),
        ties: Iterable[Tie] = (),
        sources: Iterable[Source] = (),
        reports: Iterable[Report] = (),
        protocols: Iterable[Protocol] = (),
        releases: Iterable[Release] = (),
    ) -> World:
        return cls(
            model=model or ModelParams(),
            actors=_by_id(actors),
            groups=_by_id(groups),
            ties=tuple(sorted(ties, key=lambda t: (t.source, t.target, t.as_of))),
            sources=_by_id(sources),
            reports=_by_id(reports),
            protocols=_by_id(protocols),
            releases=tuple(sorted(releases, key=lambda r: (r.at, r.id))),
        )

    # -- lookups ---------------------------------------------------------------

    def actor(self, ident: str) -> Actor:
        return _find(self.actors, ident, "actor")

    def group(self, ident: str) -> Group:
        return _find(self.groups, ident, "group")

    def source(self, ident: str) -> Source:
        return _find(self.sources, ident, "source")

    def report(self, ident: str) -> Report:
        return _find(self.reports, ident, "report")

    def protocol(self, ident: str) -> Protocol:
        return _find(self.protocols, ident, "protocol")

    def release(self, ident: str) -> Release:
        return _find(self.releases, ident, "release")

    def actors_of_kind(self, kind: ActorKind) -> tuple[Actor, ...]:
        return tuple(a for a in self.actors if a.kind is kind)

    def group_members(self, ident: str) -> frozenset[str]:
        """The actors in a group, nested groups expanded."""
        groups = {g.id: g for g in self.groups}
        found: set[str] = set()
        seen: set[str] = set()
        stack = [ident]
        if ident not in groups:
            raise NotFoundError("group", ident)
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            for member in groups[current].members:
                if member in groups:
                    stack.append(member)
                else:
                    found.add(member)
        return frozenset(found)

    def groups_of(self, actor_id: str) -> frozenset[str]:
        """Every group an actor belongs to, directly or through nesting."""
        return frozenset(g.id for g in self.groups if actor_id in self.group_members(g.id))

    def protocols_for(self, partner: str) -> tuple[Protocol, ...]:
        """The protocols that apply to ``partner``: those naming it, or a group
        it belongs to (directly or through nesting), in the world's order.
        The one answer to "which protocols apply"; everything else calls it."""
        holders = {partner} | self.groups_of(partner)
        return tuple(p for p in self.protocols if holders & set(p.applies_to))

    # -- ties over time ----------------------------------------------------------

    def ties_in_force(self, on: date | None = None) -> tuple[Tie, ...]:
        """For each directed pair, the latest tie dated on or before ``on``
        (all dates when ``on`` is None). Pairs with no tie yet are absent."""
        latest: dict[tuple[str, str], Tie] = {}
        for tie in self.ties:  # sorted by pair, then date
            if on is not None and tie.as_of > on:
                continue
            latest[(tie.source, tie.target)] = tie
        return tuple(latest.values())

    def tie_history(self, source: str, target: str) -> tuple[Tie, ...]:
        return tuple(t for t in self.ties if t.source == source and t.target == target)

    def uncertain(self, on: date | None = None) -> bool:
        """Whether any input that matters on ``on`` is uncertain: a tie in force
        with a belief on some plane, or an actor with uncertain behaviour."""
        return any(a.uncertain for a in self.actors) or any(
            t.ranges for t in self.ties_in_force(on)
        )

    def source_max_risk(self, source: Source) -> float:
        return source.max_risk if source.max_risk is not None else self.model.default_max_risk

    def adversary_capacity(self, actor: Actor) -> int:
        return actor.capacity if actor.capacity is not None else self.model.default_capacity

    def without_identities(self) -> World:
        return World(
            model=self.model,
            actors=self.actors,
            groups=self.groups,
            ties=self.ties,
            sources=tuple(s.without_identity() for s in self.sources),
            reports=self.reports,
            protocols=self.protocols,
            releases=self.releases,
        )

    def counts(self) -> dict[str, int]:
        return {
            "actors": len(self.actors),
            "groups": len(self.groups),
            "ties": len(self.ties),
            "sources": len(self.sources),
            "reports": len(self.reports),
            "protocols": len(self.protocols),
            "releases": len(self.releases),
        }


def _find(items: tuple[T, ...], ident: str, kind: str) -> T:
    for item in items:
        if item.id == ident:
            return item
    raise NotFoundError(kind, ident)
