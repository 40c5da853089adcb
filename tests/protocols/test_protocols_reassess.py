"""What-if and re-assessment: pure, common random numbers, the demo's drift."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from tearline.cli.demo import demo_text
from tearline.domain import ScenarioError, Version, World
from tearline.protocols import Outcome
from tearline.scenario import parse_scenario
from tearline.services.changes import apply_changes, parse_protection, parse_tie
from tearline.services.decisions import Decisions, decide_all, pending_pairs
from tearline.services.reassess import reassess

TODAY = date(2026, 11, 28)


@pytest.fixture(scope="module")
def demo() -> World:
    return parse_scenario(demo_text()).world


def test_parse_tie_and_protection() -> None:
    change = parse_tie("aldren->kharovia:military=+0.3, intelligence=0.5")
    assert (change.source, change.target) == ("aldren", "kharovia")
    assert {d.value: (s.value, s.relative) for d, s in change.settings.items()} == {
        "military": (0.3, True),
        "intelligence": (0.5, False),
    }
    protection = parse_protection("aldren=-0.1")
    assert (protection.actor, protection.setting.value, protection.setting.relative) == (
        "aldren",
        -0.1,
        True,
    )


@pytest.mark.parametrize(
    "text", ["a->b", "a->b:navy=0.1", "a->b:military=1.5", "a->b:military=x", "nope"]
)
def test_bad_tie_changes_are_refused(text: str) -> None:
    with pytest.raises(ScenarioError):
        parse_tie(text)


def test_changes_clip_and_are_dated(demo: World) -> None:
    changed, ties, _ = apply_changes(
        demo, [parse_tie("aldren->kharovia:military=+0.9")], [], on=TODAY
    )
    (tie,) = ties
    assert tie.as_of == TODAY
    assert tie.military == 1.0
    assert changed.tie_history("aldren", "kharovia")[-1] == tie
    assert demo.tie_history("aldren", "kharovia")[-1].military == 0.5  # the input is untouched


def test_unknown_actor_is_refused(demo: World) -> None:
    with pytest.raises(ScenarioError, match="unknown actor 'atlantis'"):
        apply_changes(demo, [parse_tie("atlantis->kharovia:military=0.1")], [], on=TODAY)


def test_a_no_op_what_if_reports_nothing(demo: World) -> None:
    # Common random numbers: the same world twice differs by exactly nothing.
    result = reassess(demo, demo, today=TODAY)
    assert result.decision_changes == ()
    assert result.sources_at_risk == ()
    assert result.adjustments == ()
    assert result.moved == ()
    # What was already above its threshold is listed apart: act regardless.
    assert result.already_at_risk
    assert all(s.after == s.before > s.max_risk for s in result.already_at_risk)


@pytest.mark.parametrize(
    "change", ["dalmark->kharovia:intelligence=+0", "aldren->kharovia:trade=+0"]
)
def test_a_change_that_changes_nothing_in_force_reports_nothing(demo: World, change: str) -> None:
    """The regression: `whatif --tie "dalmark->kharovia:intelligence=+0"`
    proposed "withhold everything" for three partners it does not concern."""
    changed, _, _ = apply_changes(demo, [parse_tie(change)], [], on=TODAY)
    result = reassess(demo, changed, today=TODAY)
    assert (result.decision_changes, result.sources_at_risk) == ((), ())
    assert (result.adjustments, result.moved) == ((), ())
    assert result.already_at_risk == reassess(demo, demo, today=TODAY).already_at_risk


def test_a_partners_drift_loosens_nothing_and_names_it_first(demo: World) -> None:
    """The regression: after dalmark->kharovia +0.4, Estarre's copies used to
    loosen (tearline to full) while Dalmark's were untouched."""
    changed, _, _ = apply_changes(
        demo, [parse_tie("dalmark->kharovia:intelligence=+0.4")], [], on=TODAY
    )
    result = reassess(demo, changed, today=TODAY)
    assert all(c.after.restrictiveness > c.before.restrictiveness for c in result.decision_changes)
    assert result.moved[0] == "dalmark"
    # Adjustments only for partners whose own figures moved, each with what it fixes.
    assert all(a.partner in result.moved and a.fixes for a in result.adjustments)


def test_the_hubs_latest_drift_restricts_its_decisions(demo: World) -> None:
    # The demo world before the hub's last step towards the adversary...
    last = demo.tie_history("aldren", "kharovia")[-1]
    before = dataclasses.replace(demo, ties=tuple(t for t in demo.ties if t != last))
    result = reassess(before, demo, today=TODAY)
    changes = [c for c in result.decision_changes if c.partner == "aldren"]
    assert changes, "the hub's drift must change some of its decisions"
    assert all(c.after.restrictiveness > c.before.restrictiveness for c in changes)
    assert all(c.after is Outcome.WITHHOLD for c in changes)
    assert any("reach-ceiling" in r for c in changes for r in c.reasons)
    # Nobody else's decisions loosen (monotone protection).
    assert all(c.after.restrictiveness > c.before.restrictiveness for c in result.decision_changes)
    assert result.moved[0] == "aldren"
    # ...and the precedent's pattern: sources whose details went to the hub in
    # full are above their threshold (already before this last step: listed
    # apart, act regardless), the hub's releases named as responsible.
    kestrel = next(s for s in result.already_at_risk if s.source == "src-kestrel")
    assert any(d["partner"] == "aldren" for d in kestrel.drivers)
    assert kestrel.after >= kestrel.before


@pytest.mark.parametrize("partner", ["brisca", "dalmark", "istrel", "pellaro"])
@pytest.mark.parametrize(
    "change", ["intelligence=+0.5,military=+0.5", "diplomatic=+0.3,trade=+0.3"]
)
def test_stronger_ties_never_loosen_the_partners_decisions(
    demo: World, partner: str, change: str
) -> None:
    pairs = pending_pairs(demo)
    base = Decisions(demo, TODAY).decide_table(pairs)
    changed, _, _ = apply_changes(demo, [parse_tie(f"{partner}->kharovia:{change}")], [], on=TODAY)
    after = Decisions(changed, TODAY).decide_table(pairs)
    checked = 0
    for i, (report, whom) in enumerate(pairs):
        if whom == partner:
            checked += 1
            assert after.outcomes[i].restrictiveness >= base.outcomes[i].restrictiveness, report
    assert checked > 0


OPEN = """\
tearline: 1
model: {default_max_risk: 0.05}
actors:
  - {id: home, kind: originator, protection: 0.95}
  - {id: ally, kind: partner, protection: 0.5}
  - {id: adv, kind: adversary, protection: 0.1, capacity: 10}
ties:
  - {from: ally, to: adv, as_of: 2024-01-01, intelligence: 0.05}
sources:
  - id: s1
    population: 2000
    threatened_by: [adv]
    attributes:
      - {name: post, value: chief engineer of the northern yard, selectivity: 0.001}
reports:
  - {id: r1, title: T, category: military, classification: SECRET, sources: [s1],
     text: "The chief engineer of the northern yard reports a delay."}
  - {id: r2, title: T, category: military, classification: SECRET, sources: [s1],
     text: "Work at the yard is slowing."}
protocols:
  - id: open
    applies_to: [ally]
    rules:
      - {id: all, effect: permit}
"""


def test_adjustments_prevent_every_unsafe_release() -> None:
    world = parse_scenario(OPEN).world
    changed, _, _ = apply_changes(world, [parse_tie("ally->adv:intelligence=0.9")], [], on=TODAY)
    result = reassess(world, changed, today=TODAY)
    (adjustment,) = result.adjustments
    assert adjustment.partner == "ally"
    assert adjustment.action == "tearline only"
    assert adjustment.unsafe_before == ("r1:full",)
    (fix,) = adjustment.fixes
    assert fix.cumulative_risk > 0.05  # s1's max_risk: the figure it fixes
    adjusted = dataclasses.replace(changed, protocols=(*changed.protocols, adjustment.protocol))
    engine = Decisions(adjusted, TODAY)
    decisions = decide_all(engine, pending_pairs(adjusted))
    # Partner-wide: no full copies to ally at all now.
    assert {(d.report, d.outcome) for d in decisions} == {
        ("r1", Outcome.TEARLINE),
        ("r2", Outcome.TEARLINE),
    }
    for decision in decisions:
        assert decision.version is not None
        assessment = engine.figures(decision.report, decision.partner, decision.version).assessment
        assert not any(s.marginal > 1e-9 and s.after > s.max_risk for s in assessment.sources)


def test_a_tearlines_k_is_that_of_the_copy_the_partner_would_get(demo: World) -> None:
    from tearline.sanitize import anonymity, disclosures
    from tearline.services.sanitize import tearline_of

    engine = Decisions(demo, TODAY)
    for partner in ("istrel", "pellaro", "aldren"):  # targets 500, 2,000 and 5,000
        for report in ("rpt-2025-007", "rpt-2026-112"):
            figures = engine.decide(report, partner).figures[Version.TEARLINE]
            result = tearline_of(demo, report, partner=partner).result
            sources = [demo.source(s) for s in demo.report(report).sources]
            found = disclosures(result.released, sources)
            ks = [
                anonymity(s, {a: lv for (sid, a), lv in found.items() if sid == s.id})
                for s in sources
            ]
            # An unverified tearline (nobody approved it here) is certified only to k = 1.
            assert figures.worst_k == pytest.approx(min(ks) if result.k_verified else 1.0)
