"""Monotone protection, as one property of the whole decision engine.

Making any actor closer to any other on any plane, lowering any protection,
or adding a past release never loosens any decision for any (report,
partner) pair and never lowers any source's exposure (docs/protocols.md,
"Monotone protection")."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tearline.domain import (
    ActorKind,
    Conditions,
    Dimension,
    Effect,
    Protocol,
    Release,
    ReleaseScope,
    Rule,
    Version,
    World,
)
from tearline.protocols import Outcome
from tearline.protocols.decide import FLOOR
from tearline.risk import RiskOptions, exposure
from tearline.scenario import parse_scenario
from tearline.services.changes import apply_changes, parse_protection, parse_tie
from tearline.services.decisions import Decisions
from tests.protocols.test_protocols_reassess import OPEN
from tests.risk.test_risk_batch import small_worlds

TODAY = date(2026, 6, 1)
_THRESHOLD = st.sampled_from([1e-6, 1e-4, 1e-3, 0.01, 0.05, 0.2, 0.5])


@st.composite
def _rule(draw: st.DrawFn, rid: str) -> Rule:
    effect = draw(st.sampled_from(list(Effect)))
    if effect is Effect.PERMIT:  # permits require safe figures
        when = Conditions(
            marginal_risk_below=draw(st.none() | _THRESHOLD),
            cumulative_risk_below=draw(st.none() | _THRESHOLD),
            reach_below=draw(st.none() | _THRESHOLD),
            k_at_least=draw(st.none() | st.sampled_from([1.0, 10.0, 100.0, 1e4])),
        )
    else:  # forbids fire on dangerous ones
        when = Conditions(
            marginal_risk_above=draw(st.none() | _THRESHOLD),
            cumulative_risk_above=draw(st.none() | _THRESHOLD),
            reach_above=draw(st.none() | _THRESHOLD),
            k_below=draw(st.none() | st.sampled_from([1.0, 10.0, 100.0, 1e4])),
        )
    return Rule(rid, effect, draw(st.sampled_from(list(ReleaseScope))), when)


@st.composite
def cases(draw: st.DrawFn) -> tuple[World, World, str]:
    """A world with protocols, and the same world after one change that can
    only raise risk: a closer tie, a lower protection, or one more release."""
    world, _ = draw(small_worlds())
    partners = [a.id for a in world.actors if a.kind is ActorKind.PARTNER]
    rules = tuple(draw(_rule(f"r{i}")) for i in range(draw(st.integers(1, 4))))
    protocol = Protocol("p", "P", tuple(partners), rules)
    world = dataclasses.replace(world, protocols=(protocol,))
    ids = [a.id for a in world.actors]
    kind = draw(st.sampled_from(["tie", "protection", "release"]))
    if kind == "tie":
        a, b = draw(st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True))
        dimension = draw(st.sampled_from(list(Dimension)))
        delta = draw(st.sampled_from([0.0, 0.05, 0.3, 1.0]))
        text = f"{a}->{b}:{dimension.value}=+{delta}"
        changed = apply_changes(world, [parse_tie(text)], [], on=TODAY)[0]
    elif kind == "protection":
        actor = draw(st.sampled_from(ids))
        text = f"{actor}=-{draw(st.sampled_from([0.0, 0.1, 0.5, 1.0]))}"
        changed = apply_changes(world, [], [parse_protection(text)], on=TODAY)[0]
    else:
        report = draw(st.sampled_from([r.id for r in world.reports]))
        partner = draw(st.sampled_from(ids[1:]))
        version = draw(st.sampled_from(list(Version)))
        at = datetime(2025, 1, 1, tzinfo=UTC)
        release = Release("added", report, partner, version, at)
        changed = dataclasses.replace(world, releases=(*world.releases, release))
        text = f"release {report} ({version.value}) to {partner}"
    return world, changed, f"{kind}: {text}"


_SHARED = """\
tearline: 1
model: {{default_max_risk: {max_risk}}}
actors:
  - {{id: home, kind: originator, protection: 0.95}}
  - {{id: a, kind: partner, protection: {pa}}}
  - {{id: b, kind: partner, protection: {pb}}}
  - {{id: x, kind: adversary, protection: 0.1, capacity: {capacity}}}
ties:
  - {{from: a, to: x, as_of: 2024-01-01, intelligence: {ax}}}
  - {{from: b, to: x, as_of: 2024-01-01, intelligence: {bx}}}
sources:
  - id: s1
    population: {population}
    threatened_by: [x]
    attributes:
      - {{name: post, value: chief engineer of the northern yard, selectivity: 0.001}}
      - {{name: place, value: the harbour town of Velm, selectivity: 0.01}}
reports:
  - {{id: r1, title: T, category: military, classification: SECRET, sources: [s1],
     text: "The chief engineer of the northern yard reports a delay."}}
  - {{id: r2, title: T, category: military, classification: SECRET, sources: [s1],
     text: "Work in the harbour town of Velm is slowing."}}
protocols:
  - id: p
    applies_to: [a, b]
    rules:
      - {{id: safe, effect: permit, when: {{{condition}: {threshold}}}}}
releases:
  - {{id: old, report: {released}, partner: b, version: full, at: 2025-01-01T00:00:00Z}}
"""


@st.composite
def shared_sources(draw: st.DrawFn) -> tuple[World, World, str]:
    """Two partners, one source; the history already sent part of its mosaic
    to one partner, whose tie to the adversary then strengthens: the case in
    which a release's marginal risk *falls* (diminishing returns)."""
    level = st.sampled_from([0.05, 0.1, 0.2, 0.4, 0.6, 0.8])
    text = _SHARED.format(
        max_risk=draw(st.sampled_from([0.01, 0.05, 0.2, 0.9])),
        pa=draw(level),
        pb=draw(level),
        capacity=draw(st.sampled_from([1, 10, 50])),
        ax=draw(level),
        bx=draw(level),
        population=draw(st.sampled_from([2_000, 20_000, 200_000])),
        condition=draw(st.sampled_from(["marginal_risk_below", "cumulative_risk_below"])),
        threshold=draw(st.sampled_from([1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3])),
        released=draw(st.sampled_from(["r1", "r2"])),
    )
    world = parse_scenario(text).world
    delta = draw(st.sampled_from([0.1, 0.3, 0.6]))
    change = f"b->x:intelligence=+{delta}"
    changed = apply_changes(world, [parse_tie(change)], [], on=TODAY)[0]
    return world, changed, f"tie: {change}"


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases() | shared_sources())
def test_no_change_that_raises_risk_loosens_a_decision(case: tuple[World, World, str]) -> None:
    world, changed, what = case
    recipients = [a.id for a in world.actors if a.kind is not ActorKind.ORIGINATOR]
    recipients = [p for p in recipients if world.actor(p).kind is not ActorKind.ADVERSARY]
    pairs = [(r.id, p) for r in world.reports for p in recipients]
    engine = Decisions(world, TODAY)
    before = engine.decide_table(pairs)
    # Fresh and warm (a what-if reuses the engine's state): both must hold.
    for after in (
        Decisions(changed, TODAY).decide_table(pairs),
        engine.with_world(changed).decide_table(pairs),
    ):
        for i, pair in enumerate(pairs):
            was, now = before.outcomes[i], after.outcomes[i]
            assert now.restrictiveness >= was.restrictiveness, (what, pair, was, now)
    options = RiskOptions(as_of=TODAY, disclosure=engine.model)
    risk_before = {s.source: s.risk for s in exposure(world, options=options).sources}
    for s in exposure(changed, options=options).sources:
        assert s.risk >= risk_before[s.source] - 1e-12, (what, s.source)


def test_a_marginal_permit_does_not_loosen_when_another_partner_drifts() -> None:
    """The regression: b already holds r1; when b's tie to the adversary
    strengthens, r1's *history* marginal risk for a falls from 0.14 to 0.07,
    and a permit asking marginal_risk_below 0.1 used to open a full copy for
    a — an unchanged partner — while every source grew more exposed."""
    text = _SHARED.format(
        max_risk=0.9,
        pa=0.2,
        pb=0.2,
        capacity=10,
        ax=0.6,
        bx=0.4,
        population=20000,
        condition="marginal_risk_below",
        threshold=0.1,
        released="r1",
    )
    world = parse_scenario(text).world
    changed = apply_changes(world, [parse_tie("b->x:intelligence=+0.6")], [], on=TODAY)[0]
    before = Decisions(world, TODAY).decide("r1", "a")
    after = Decisions(changed, TODAY).decide("r1", "a")
    assert after.outcome.restrictiveness >= before.outcome.restrictiveness
    # The copy's own risk does not depend on what b holds or how close b is.
    full_before, full_after = before.figures[Version.FULL], after.figures[Version.FULL]
    assert full_after.marginal_risk == full_before.marginal_risk
    assert full_after.cumulative_risk > full_before.cumulative_risk


def test_the_floor_refuses_a_copy_that_adds_to_a_source_above_its_threshold() -> None:
    """s1's capacity-to-population ratio alone puts it above max_risk 0.01:
    the full copy (naming s1's post) is refused whatever the protocol says;
    the tearline, which no longer narrows s1 down, may go."""
    text = OPEN.replace("default_max_risk: 0.05", "default_max_risk: 0.01").replace(
        "capacity: 10", "capacity: 50"
    )
    world = parse_scenario(text).world
    decision = Decisions(world, TODAY).decide("r1", "ally")
    assert decision.figures[Version.FULL].floor
    assert any(r.description == FLOOR and r.version is Version.FULL for r in decision.reasons)
    assert not decision.figures[Version.TEARLINE].floor
    assert decision.outcome is Outcome.TEARLINE
