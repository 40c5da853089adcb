"""A report resting on a compromised source is withheld from everyone, whatever the protocols
say — through the one decision function and through the batched table, whose classes of
pairs Cedar cannot tell apart must never mix compromised and clean reports."""

from __future__ import annotations

import dataclasses
from datetime import date

from tearline.domain import SourceStatus, World
from tearline.protocols import Outcome
from tearline.scenario import parse_scenario
from tearline.services.decisions import Decisions

DAY = date(2025, 6, 1)
WORLD = (
    """\
tearline: 1
actors:
  - {id: home, kind: originator, protection: 0.9}
  - {id: p1, kind: partner, protection: 0.9}
  - {id: p2, kind: partner, protection: 0.9}
  - {id: adv, kind: adversary, protection: 0.1}
sources:
  - {id: s-clean, population: 100000, threatened_by: [adv]}
  - {id: s-burned, population: 100000, threatened_by: [adv]}
reports:
"""
    + "".join(
        f"""  - {{id: r{i}, title: T, category: c, classification: S, sources: [{src}], text: t {i}}}
"""
        for i, src in enumerate(["s-clean", "s-burned", "s-clean", "s-burned", "s-clean"])
    )
    + """\
protocols:
  - {id: open, applies_to: [p1, p2], rules: [{id: all, effect: permit}]}
"""
)


def _compromise(world: World, source: str) -> World:
    sources = tuple(
        dataclasses.replace(s, status=SourceStatus.COMPROMISED) if s.id == source else s
        for s in world.sources
    )
    return dataclasses.replace(world, sources=sources)


def test_compromised_sources_withhold_in_the_table_and_alone() -> None:
    world = parse_scenario(WORLD).world
    pairs = [(r.id, p) for r in world.reports for p in ("p1", "p2")]
    clean = Decisions(world, DAY).decide_table(pairs)
    assert set(clean.outcomes) == {Outcome.FULL}
    burned = _compromise(world, "s-burned")
    engine = Decisions(burned, DAY)
    table = engine.decide_table(pairs)
    for i, (report, partner) in enumerate(pairs):
        resting = "s-burned" in burned.report(report).sources
        expected = Outcome.WITHHOLD if resting else Outcome.FULL
        assert table.outcomes[i] is expected, (report, partner)
        assert table.at(i).outcome is expected
        alone = Decisions(burned, DAY).decide(report, partner)
        assert alone.outcome is expected
        if resting:
            assert "compromised source s-burned" in alone.reasons[0].render()
    # A what-if engine carried over from the clean world must not reuse its answers.
    carried = Decisions(world, DAY)
    carried.decide_table(pairs)
    after = carried.with_world(burned).decide_table(pairs)
    assert after.outcomes == table.outcomes
