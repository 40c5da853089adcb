"""Re-assessment when relationships change: what-if, and its recorded form.

A re-assessment is about the change. With common random numbers (the same
seed, and edge samples keyed by edge identity) the "before" and "after"
assessments differ only by the change: a change that changes nothing in
force reports nothing.

The report has four parts:
(a) decisions that change for pending (report, partner) pairs;
(b) sources the change pushed above their threshold (at or below it before,
    above it after) — worst first, with the releases responsible;
(c) sources that were *already* above their threshold before the change:
    "act regardless" — not a consequence of the change, listed apart;
(d) adjustments, only for partners whose own figures (a copy's own risk,
    the partner's reach) the change moved, the partners of the changed ties
    and protections first: for each, the least
    restrictive protocol change (tearline only, then withhold everything)
    under which the partner's protocols themselves refuse every copy that
    would add to a source above its threshold (today only the
    source-protection floor stops those), with the figures it fixes.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tearline.domain.protocols import Effect, Protocol, ReleaseScope, Rule
from tearline.domain.world import World
from tearline.protocols import Outcome
from tearline.protocols.decide import FLOOR
from tearline.risk import RiskOptions, exposure
from tearline.risk.assess import SourceExposure
from tearline.services.decisions import (
    NEGLIGIBLE,
    Decisions,
    DecisionTable,
    pending_pairs,
    risk_matrix,
)


@dataclass(frozen=True, slots=True)
class DecisionChange:
    report: str
    partner: str
    before: Outcome
    after: Outcome
    reasons: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "report": self.report,
            "partner": self.partner,
            "before": self.before.value,
            "after": self.after.value,
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True, slots=True)
class SourceAtRisk:
    source: str
    before: float
    after: float
    max_risk: float
    newly: bool  # pushed over by the change (else already above before it)
    releases: tuple[str, ...]
    drivers: tuple[dict[str, Any], ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "before": self.before,
            "after": self.after,
            "max_risk": self.max_risk,
            "newly": self.newly,
            "releases": list(self.releases),
            "drivers": list(self.drivers),
        }


@dataclass(frozen=True, slots=True)
class Fix:
    """A pending copy an adjustment stops: allowed by the partner's protocols
    but adding to a source above its threshold (the floor refuses it today)."""

    report: str
    version: str
    cumulative_risk: float
    marginal_risk: float
    reach: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "report": self.report,
            "version": self.version,
            "cumulative_risk": self.cumulative_risk,
            "marginal_risk": self.marginal_risk,
            "reach": self.reach,
        }


@dataclass(frozen=True, slots=True)
class Adjustment:
    partner: str
    protocol: Protocol
    action: str
    fixes: tuple[Fix, ...]

    @property
    def unsafe_before(self) -> tuple[str, ...]:
        """The copies it stops, as "report:version"."""
        return tuple(f"{f.report}:{f.version}" for f in self.fixes)

    def as_dict(self) -> dict[str, Any]:
        return {
            "partner": self.partner,
            "action": self.action,
            "protocol": self.protocol.id,
            "version": self.protocol.version,
            "rules": [
                {"id": r.id, "effect": r.effect.value, "release": r.release.value}
                for r in self.protocol.rules
            ],
            "prevents": list(self.unsafe_before),
            "fixes": [f.as_dict() for f in self.fixes],
        }


@dataclass(frozen=True, slots=True)
class Reassessment:
    as_of: date
    decision_changes: tuple[DecisionChange, ...]
    sources_at_risk: tuple[SourceAtRisk, ...]  # pushed over by the change
    already_at_risk: tuple[SourceAtRisk, ...]  # above before it: act regardless
    adjustments: tuple[Adjustment, ...]
    moved: tuple[str, ...] = ()  # partners whose figures the change moved, changed first

    def as_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "decision_changes": [c.as_dict() for c in self.decision_changes],
            "sources_at_risk": [s.as_dict() for s in self.sources_at_risk],
            "already_above_threshold": [s.as_dict() for s in self.already_at_risk],
            "partners_moved": list(self.moved),
            "adjustments": [a.as_dict() for a in self.adjustments],
        }


def _fixes(table: DecisionTable, positions: Sequence[int]) -> list[Fix]:
    """The copies at ``positions`` that the protocols allow but that add to a
    source above its threshold: refused by the floor (or, belt and braces,
    allowed and pushing a source over)."""
    matrix = risk_matrix(table)
    over = matrix.pushes_over(NEGLIGIBLE)
    grid = table.grid
    row = {v: k for k, v in enumerate(grid.versions)}
    out = []
    for i in positions:
        decision = table.at(i)
        floored = {r.version for r in decision.reasons if r.rule is None and r.description == FLOOR}
        allowed = decision.version
        if allowed is not None and over[row[allowed], i]:
            floored.add(allowed)
        for version in sorted(floored, key=lambda v: row[v]):
            k = row[version]
            out.append(
                Fix(
                    table.pairs[i][0],
                    version.value,
                    float(grid.cumulative[k, i]),
                    max(0.0, float(grid.marginal[k, i])),
                    float(grid.reach[k, i]),
                )
            )
    return out


def _adjustment_protocol(world: World, partner: str, rules: list[Rule], as_of: date) -> Protocol:
    ident = f"reassess-{partner}"
    existing = [p for p in world.protocols if p.id == ident]
    version = existing[0].version + 1 if existing else 1
    kept = [r for r in existing[0].rules if r.id not in {x.id for x in rules}] if existing else []
    return Protocol(
        id=ident,
        name=f"Re-assessment measures for {partner}",
        applies_to=(partner,),
        rules=tuple(kept + rules),
        version=version,
        description=f"Adopted after the re-assessment of {as_of.isoformat()}.",
    )


def _with_protocol(world: World, protocol: Protocol) -> World:
    others = [p for p in world.protocols if p.id != protocol.id]
    return dataclasses.replace(
        world, protocols=tuple(sorted([*others, protocol], key=lambda p: p.id))
    )


_CANDIDATES: tuple[tuple[str, Rule], ...] = (
    (
        "tearline only",
        Rule(
            "no-full",
            Effect.FORBID,
            ReleaseScope.FULL,
            description="Re-assessment: no full copies.",
        ),
    ),
    (
        "withhold everything",
        Rule(
            "withhold-all", Effect.FORBID, ReleaseScope.ANY, description="Re-assessment: nothing."
        ),
    ),
)


def _adjust(
    engine: Decisions,
    partner: str,
    decided: DecisionTable,
    mine: list[int],
    known: set[tuple[str, str]],
) -> Adjustment | None:
    """``decided``: the pending pairs as ``engine`` (the changed world) decides
    them; ``mine``: the positions of ``partner``'s; ``known``: the copies
    (report, version) already in ``_fixes`` before the change (not its doing:
    they are the sources "already above threshold"). The least restrictive
    candidate under which the protocols refuse every copy the change added."""
    fixes = [f for f in _fixes(decided, mine) if (f.report, f.version) not in known]
    if not fixes:
        return None
    pairs = [decided.pairs[i] for i in mine]
    world, protocol = engine.world, None
    for action, rule in _CANDIDATES:
        protocol = _adjustment_protocol(world, partner, [rule], engine.today)
        # Protocols do not move risk: the trial reuses the figures, not the decisions.
        trial = engine.with_world(_with_protocol(world, protocol)).decide_table(pairs)
        left = [f for f in _fixes(trial, range(len(pairs))) if (f.report, f.version) not in known]
        if not left:
            return Adjustment(partner, protocol, action, tuple(fixes))
    assert protocol is not None  # withholding everything refuses every copy
    return Adjustment(partner, protocol, _CANDIDATES[-1][0], tuple(fixes))


def what_if(
    engine: Decisions, changed: World, pairs: Sequence[tuple[str, str]]
) -> tuple[Decisions, DecisionTable, tuple[DecisionChange, ...]]:
    """Decide ``pairs`` in ``changed`` (``engine``'s world after a change) and
    list the decisions that change. ``engine`` keeps its risk state and
    decisions, so a what-if after a first one is warm: only what the change
    touches is recomputed (common random numbers keep the rest identical)."""
    before = engine.decide_table(pairs)
    after_engine = engine.with_world(changed)
    after = after_engine.decide_table(pairs)
    changes = tuple(
        DecisionChange(r, p, b, a, tuple(x.render() for x in after.at(i).reasons))
        for i, ((r, p), b, a) in enumerate(zip(pairs, before.outcomes, after.outcomes, strict=True))
        if b is not a
    )
    return after_engine, after, changes


def moved_pairs(before: DecisionTable, after: DecisionTable) -> NDArray[np.bool_]:
    """Per pair: did the partner's own figures move — the copy's own risk or
    the partner's reach? (A source's cumulative exposure moves for every
    partner when one partner drifts; it is reported per source, and the
    floor already refuses copies that would add to an exposed source.)"""
    a, b = before.grid, after.grid
    differ = (a.marginal != b.marginal) | ~(a.reach == b.reach)
    out: NDArray[np.bool_] = differ.any(axis=0)
    return out


def changed_actors(world: World, changed: World, on: date) -> list[str]:
    """The actors at either end of a tie whose strengths in force changed, and
    those whose protection changed, in the order the change names them."""

    def strengths(w: World) -> dict[tuple[str, str], tuple[float, ...]]:
        return {
            (t.source, t.target): (t.diplomatic, t.trade, t.military, t.intelligence)
            for t in w.ties_in_force(on)
        }

    a, b = strengths(world), strengths(changed)
    found: list[str] = []
    for key in [*b, *(k for k in a if k not in b)]:
        if a.get(key) != b.get(key):
            found += list(key)
    before = {x.id: x.protection for x in world.actors}
    found += [x.id for x in changed.actors if before.get(x.id) != x.protection]
    return list(dict.fromkeys(found))


def reassess(world: World, changed: World, *, today: date, seed: int = 0) -> Reassessment:
    """Compare ``world`` and ``changed`` (the same world after a change)."""
    pairs = pending_pairs(world)
    before_engine = Decisions(world, today, seed=seed)
    before = before_engine.decide_table(pairs)
    after_engine, after, changes = what_if(before_engine, changed, pairs)
    # The same disclosure model as the decisions (what copies really disclose).
    options = RiskOptions(as_of=today, seed=seed, disclosure=before_engine.model)
    exposure_before = {s.source: s for s in exposure(world, options=options).sources}
    exposure_after = exposure(changed, options=options).sources
    worst_first = sorted(exposure_after, key=lambda s: s.risk - s.max_risk, reverse=True)
    pushed = tuple(
        _at_risk(s, exposure_before[s.source])
        for s in worst_first
        if s.exceeds and not exposure_before[s.source].exceeds
    )
    already = tuple(
        _at_risk(s, exposure_before[s.source])
        for s in worst_first
        if exposure_before[s.source].exceeds
    )
    # Adjustments only where the change moved a partner's figures, starting
    # with the partners the change names.
    moved = moved_pairs(before, after)
    by_partner: dict[str, list[int]] = defaultdict(list)
    for i in np.flatnonzero(moved).tolist():
        by_partner[pairs[i][1]].append(i)
    named = [a for a in changed_actors(world, changed, today) if a in by_partner]
    order = named + sorted(p for p in by_partner if p not in named)
    mine = {p: [i for i, (_, q) in enumerate(pairs) if q == p] for p in order}
    adjusted = (
        _adjust(
            after_engine,
            p,
            after,
            mine[p],
            {(f.report, f.version) for f in _fixes(before, mine[p])},
        )
        for p in order
    )
    adjustments = tuple(a for a in adjusted if a is not None)
    return Reassessment(today, changes, pushed, already, adjustments, tuple(order))


def _at_risk(after: SourceExposure, before: SourceExposure) -> SourceAtRisk:
    releases = tuple(dict.fromkeys(r for d in after.drivers for r in d.releases))
    drivers = tuple(
        {
            "partner": d.partner,
            "adversary": d.adversary,
            "reach": d.reach,
            "releases": list(d.releases),
        }
        for d in after.drivers
    )
    return SourceAtRisk(
        after.source, before.risk, after.risk, after.max_risk, not before.exceeds, releases, drivers
    )
