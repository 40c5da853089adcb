"""The restriction cascade: allies following one another in restricting a hub.

A threshold model in the manner of Granovetter (1978), stated in full in
docs/risk.md §9. On day D we restrict hub H (``tearline cascade --restrict H``).
The *allies* are the partners other than H with a tie to H in force on D;
ally i has a tolerance (r_i, k_i, c_i, A_i) (``Tolerance``; the default when
it states none). With S_t the allies restricting after round t (S_0 = ∅) and
W_t the world in which each ally of S_t has capped its intelligence tie to H
at c_i (a new tie reading dated D):

    S_{t+1} = S_t ∪ { i ∉ S_t :  max_{A ∈ A_i} reach_{W_t}(H, A) ≥ r_i
                                  or  1 + |S_t| ≥ k_i }

(the 1 is our own restriction, which every ally sees). S only grows, so the
rounds reach a fixed point after at most |allies| rounds; the output lists
each round's newcomers and why. Reach is ``compute_reach`` with the given seed
(exact where tractable), so the cascade is deterministic for a seed. Pure: the
worlds before and after are values; nothing is written.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from tearline.domain import ActorKind, NotFoundError, Tie, Tolerance, World
from tearline.domain.uncertain import DEFAULT_TOLERANCE
from tearline.risk.reach import reach_in_world


@dataclass(frozen=True, slots=True)
class Restriction:
    """Ally ``ally`` restricts in this round, because of ``reason``."""

    ally: str
    reason: str
    intelligence_before: float
    intelligence_after: float


@dataclass(frozen=True, slots=True)
class CascadeRound:
    number: int
    restrictions: tuple[Restriction, ...]


@dataclass(frozen=True, slots=True)
class Cascade:
    """The rounds to the fixed point; ``after`` is the world with every
    restriction applied (``before`` unchanged)."""

    hub: str
    on: date
    allies: tuple[str, ...]
    rounds: tuple[CascadeRound, ...]
    reach_before: dict[str, float]
    reach_after: dict[str, float]
    before: World
    after: World

    @property
    def restricted(self) -> tuple[str, ...]:
        return tuple(r.ally for rnd in self.rounds for r in rnd.restrictions)


def allies_of(world: World, hub: str, on: date) -> tuple[str, ...]:
    """Partners other than ``hub`` with a tie to it in force on ``on``."""
    partners = {a.id for a in world.actors_of_kind(ActorKind.PARTNER)} - {hub}
    return tuple(
        sorted(
            t.source for t in world.ties_in_force(on) if t.target == hub and t.source in partners
        )
    )


def _tolerance(world: World, ally: str) -> Tolerance:
    found = world.actor(ally).tolerance
    return found if found is not None else DEFAULT_TOLERANCE


def _restrict(
    world: World, ally: str, hub: str, on: date, cap: float
) -> tuple[World, float, float]:
    """``world`` with ally→hub's intelligence capped at ``cap`` from ``on``."""
    current = {(t.source, t.target): t for t in world.ties_in_force(on)}[(ally, hub)]
    lowered = min(current.intelligence, cap)
    ranges = tuple((d, b) for d, b in current.ranges if d.value != "intelligence")
    tie = dataclasses.replace(
        current,
        as_of=on,
        intelligence=lowered,
        ranges=ranges,
        note=f"restricts sharing with {hub} (cascade)",
    )
    ties: list[Tie] = [t for t in world.ties if (t.source, t.target, t.as_of) != (ally, hub, on)]
    ties.append(tie)
    rebuilt = World.build(
        model=world.model,
        actors=world.actors,
        groups=world.groups,
        ties=ties,
        sources=world.sources,
        reports=world.reports,
        protocols=world.protocols,
        releases=world.releases,
    )
    return rebuilt, current.intelligence, lowered


def hub_reach(world: World, hub: str, on: date, seed: int) -> dict[str, float]:
    adversaries = [a.id for a in world.actors_of_kind(ActorKind.ADVERSARY)]
    result = reach_in_world(
        world, partners=[hub], adversaries=adversaries, as_of=on, seed=seed, paths=0
    )
    return {p.adversary: p.reach for p in result.pairs}


def cascade(
    world: World,
    hub: str,
    on: date,
    *,
    seed: int = 0,
    reach_tolerance: float | None = None,
) -> Cascade:
    """Run the cascade to its fixed point. ``reach_tolerance`` replaces every
    ally's reach tolerance (for sweeps over tolerances)."""
    actor = world.actor(hub)
    if actor.kind is not ActorKind.PARTNER:
        raise NotFoundError("partner", hub)
    allies = allies_of(world, hub, on)
    restricting: set[str] = set()
    rounds: list[CascadeRound] = []
    current = world
    reach_before = hub_reach(world, hub, on, seed)
    reach = reach_before
    while True:
        newcomers: list[tuple[str, str]] = []
        for ally in allies:
            if ally in restricting:
                continue
            tol = _tolerance(world, ally)
            threshold = tol.reach if reach_tolerance is None else reach_tolerance
            watched = tol.adversaries or tuple(reach)
            worst = max(watched, key=lambda a: (reach.get(a, 0.0), a))
            seen = 1 + len(restricting)
            if reach.get(worst, 0.0) >= threshold:
                newcomers.append(
                    (ally, f"{hub}'s reach to {worst} {reach[worst]:.4f} ≥ tolerance {threshold:g}")
                )
            elif seen >= tol.allies:
                newcomers.append(
                    (ally, f"{seen} restricting (us included) ≥ tolerance {tol.allies}")
                )
        if not newcomers:
            break
        restrictions = []
        for ally, reason in newcomers:
            current, was, now = _restrict(
                current, ally, hub, on, _tolerance(world, ally).restrict_to
            )
            restrictions.append(Restriction(ally, reason, was, now))
            restricting.add(ally)
        rounds.append(CascadeRound(len(rounds) + 1, tuple(restrictions)))
        reach = hub_reach(current, hub, on, seed)
    return Cascade(hub, on, allies, tuple(rounds), reach_before, reach, world, current)


def sweep_dates(first: date, last: date, step_days: int) -> list[date]:
    """Every ``step_days`` from ``first`` to ``last`` inclusive."""
    if step_days < 1:
        raise ValueError("the step must be at least one day")
    out: list[date] = []
    day = first
    while day <= last:
        out.append(day)
        day = date.fromordinal(day.toordinal() + step_days)
    return out
