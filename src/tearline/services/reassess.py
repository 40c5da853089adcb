"""Re-assessment when relationships change: what-if, and its recorded form.

With common random numbers (the same seed, and edge samples keyed by edge
identity) the "before" and "after" assessments differ only by the change:
a change that changes nothing reports nothing.

The report has three parts:
(a) decisions that change for pending (report, partner) pairs;
(b) sources whose exposure is above their threshold after the change because
    of what was *already* released — worst first, with the releases
    responsible (``newly`` marks those the change pushed over);
(c) for each partner whose decisions loosened or whose future releases would
    push a source over its threshold, the least restrictive protocol
    adjustment that brings future risk back under threshold.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from tearline.domain.protocols import Effect, Protocol, ReleaseScope, Rule
from tearline.domain.world import World
from tearline.protocols import Outcome
from tearline.risk import RiskOptions, exposure
from tearline.risk.assess import SourceExposure
from tearline.services.decisions import Decisions, DecisionTable, pending_pairs, risk_matrix

# A release "adds risk" to a source when its marginal risk is above this.
NEGLIGIBLE = 1e-9


@dataclass(frozen=True, slots=True)
class DecisionChange:
    report: str
    partner: str
    before: Outcome
    after: Outcome
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SourceAtRisk:
    source: str
    before: float
    after: float
    max_risk: float
    newly: bool
    releases: tuple[str, ...]
    drivers: tuple[dict[str, Any], ...]


@dataclass(frozen=True, slots=True)
class Adjustment:
    partner: str
    protocol: Protocol
    action: str
    unsafe_before: tuple[str, ...]  # "report:version" that would push a source over

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
        }


@dataclass(frozen=True, slots=True)
class Reassessment:
    as_of: date
    decision_changes: tuple[DecisionChange, ...]
    sources_at_risk: tuple[SourceAtRisk, ...]
    adjustments: tuple[Adjustment, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "decision_changes": [
                {
                    "report": c.report,
                    "partner": c.partner,
                    "before": c.before.value,
                    "after": c.after.value,
                    "reasons": list(c.reasons),
                }
                for c in self.decision_changes
            ],
            "sources_at_risk": [
                {
                    "source": s.source,
                    "before": s.before,
                    "after": s.after,
                    "max_risk": s.max_risk,
                    "newly": s.newly,
                    "releases": list(s.releases),
                    "drivers": list(s.drivers),
                }
                for s in self.sources_at_risk
            ],
            "adjustments": [a.as_dict() for a in self.adjustments],
        }


def _unsafe(table: DecisionTable, positions: Iterable[int]) -> list[str]:
    """The pairs at ``positions`` (as "report:version") whose allowed version
    would add risk to a source already at or over its threshold afterwards."""
    matrix = risk_matrix(table)
    over = matrix.pushes_over(NEGLIGIBLE)
    row = {Outcome(v.value): k for k, v in enumerate(matrix.versions)}
    out = []
    for i in positions:
        k = row.get(table.outcomes[i])  # None: withheld
        if k is not None and over[k, i]:
            out.append(f"{table.pairs[i][0]}:{table.outcomes[i].value}")
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
    engine: Decisions, partner: str, decided: DecisionTable, mine: list[int]
) -> Adjustment | None:
    """``decided``: the pending pairs as ``engine`` (the changed world) decides
    them; ``mine``: the positions of ``partner``'s."""
    unsafe = _unsafe(decided, mine)
    if not unsafe:
        return None
    pairs = [decided.pairs[i] for i in mine]
    world, protocol = engine.world, None
    for action, rule in _CANDIDATES:
        protocol = _adjustment_protocol(world, partner, [rule], engine.today)
        # Protocols do not move risk: the trial reuses the figures, not the decisions.
        trial = engine.with_world(_with_protocol(world, protocol)).decide_table(pairs)
        if not _unsafe(trial, range(len(pairs))):
            return Adjustment(partner, protocol, action, tuple(unsafe))
    assert protocol is not None  # withholding everything is always safe
    return Adjustment(partner, protocol, _CANDIDATES[-1][0], tuple(unsafe))


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


def reassess(world: World, changed: World, *, today: date, seed: int = 0) -> Reassessment:
    """Compare ``world`` and ``changed`` (the same world after a change)."""
    pairs = pending_pairs(world)
    before_engine = Decisions(world, today, seed=seed)
    after_engine, after, changes = what_if(before_engine, changed, pairs)
    # The same disclosure model as the decisions (what copies really disclose).
    options = RiskOptions(as_of=today, seed=seed, disclosure=before_engine.model)
    exposure_before = {s.source: s for s in exposure(world, options=options).sources}
    exposure_after = exposure(changed, options=options).sources
    at_risk = tuple(
        _at_risk(s, exposure_before[s.source])
        for s in sorted(exposure_after, key=lambda s: s.risk - s.max_risk, reverse=True)
        if s.exceeds
    )
    by_partner: dict[str, list[int]] = defaultdict(list)
    for i, (_, partner) in enumerate(pairs):
        by_partner[partner].append(i)
    adjusted = (_adjust(after_engine, p, after, by_partner[p]) for p in sorted(by_partner))
    adjustments = tuple(a for a in adjusted if a is not None)
    return Reassessment(today, changes, at_risk, adjustments)


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
