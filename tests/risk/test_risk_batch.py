"""The batched evaluator against ``assess_release``, its what-ifs against fresh
runs, and the decisions built on it against the per-pair decision function."""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime
from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tearline.cli.demo import DEMO_DAY, demo_text
from tearline.domain import (
    Actor,
    ActorKind,
    Attribute,
    Generalization,
    ModelParams,
    Release,
    Report,
    Source,
    Tie,
    Version,
    World,
)
from tearline.domain.ties import DIMENSIONS, Dimension
from tearline.protocols import Decider
from tearline.protocols.cedar import PolicySet
from tearline.protocols.engine import _ppb
from tearline.protocols.figures import to_ppb
from tearline.risk import LeakGraph, RiskOptions, assess_release
from tearline.risk.batch import BatchAssessor, RiskMatrix, _relevant_bits, _resample
from tearline.risk.disclosure import Disclosed, disclosures
from tearline.risk.exact import relevant_edges
from tearline.risk.worlds import sample_worlds
from tearline.scenario import parse_scenario
from tearline.services.changes import apply_changes, parse_protection, parse_tie
from tearline.services.decisions import Decisions, pending_pairs
from tests.risk.risk_brute import small_graphs
from tests.strategies import worlds as scenario_worlds

TOLERANCE = 1e-12
DAY = date(2024, 6, 1)


@pytest.fixture(scope="module")
def demo() -> World:
    return parse_scenario(demo_text()).world


def _recipients(world: World) -> list[str]:
    return [a.id for a in world.actors if a.kind is not ActorKind.ORIGINATOR]


def assert_matches_assess_release(
    world: World, pairs: Sequence[tuple[str, str]], options: RiskOptions
) -> RiskMatrix:
    """Every figure of the batch equals ``assess_release``'s for the same options."""
    matrix = BatchAssessor(world, options).assess(pairs)
    for report, partner in pairs:
        for version in Version:
            one = assess_release(world, report, partner, version, options=options)
            batch = matrix[report, partner, version]
            assert (batch.exact, batch.worlds) == (one.exact, one.worlds)
            assert batch.marginal == pytest.approx(one.marginal, abs=TOLERANCE)
            assert batch.cumulative == pytest.approx(one.cumulative, abs=TOLERANCE)
            reaches = [a.reach for s in one.sources for a in s.adversaries]
            if reaches:
                assert batch.reach == pytest.approx(max(reaches), abs=TOLERANCE)
            else:
                assert batch.reach is None
            assert [s.source for s in batch.sources] == [s.source for s in one.sources]
            for mine, theirs in zip(batch.sources, one.sources, strict=True):
                assert mine.before == pytest.approx(theirs.before, abs=TOLERANCE)
                assert mine.after == pytest.approx(theirs.after, abs=TOLERANCE)
                assert mine.max_risk == theirs.max_risk
                assert mine.exceeds == theirs.exceeds
            assert matrix.figures(report, partner, version) == (
                batch.marginal,
                batch.cumulative,
                batch.reach,
            )
    return matrix


# -- equality with assess_release -----------------------------------------------------


def test_demo_world_matches_assess_release(demo: World) -> None:
    pairs = pending_pairs(demo)[::3]  # every third pair keeps the test quick
    assert_matches_assess_release(demo, pairs, RiskOptions(as_of=DEMO_DAY))


def test_demo_world_before_the_drift_matches(demo: World) -> None:
    released = [(r.report, r.partner) for r in demo.releases[::7]]  # pairs with history too
    options = RiskOptions(as_of=date(2025, 7, 1), seed=3)
    assert_matches_assess_release(demo, [*pending_pairs(demo)[::11], *released], options)


def _ladder_world() -> World:
    """``far`` reaches the adversary over 20 uncertain edges (sampled), ``near``
    over one, ``left`` and ``right`` over 10 each: one batch mixes a sample
    and several enumerations."""
    actors = [Actor("adv", "Adv", ActorKind.ADVERSARY, 0.0, capacity=30)]
    ties = []
    for name, hops in (("far", 20), ("near", 1), ("left", 10), ("right", 10)):
        actors.append(Actor(name, name, ActorKind.PARTNER, 0.2))
        chain = [name, *(f"{name}{i}" for i in range(hops - 1)), "adv"]
        for a, b in itertools.pairwise(chain):
            ties.append(Tie(a, b, DAY, intelligence=0.9))
        actors += [Actor(x, x, ActorKind.THIRD_PARTY, 0.1) for x in chain[1:-1]]
    attribute = Attribute(
        "post", "the deputy", 0.01, generalizations=(Generalization("staff", 0.2),)
    )
    source = Source("s", "S", 5000, ("adv",), (attribute,))
    reports = [
        Report("full", "t", "c", "SECRET", "From the deputy.", ("s",)),
        Report("vague", "t", "c", "SECRET", "From the staff.", ("s",)),
    ]
    history = [Release("h1", "vague", "near", Version.FULL, datetime(2024, 1, 2, tzinfo=UTC))]
    return World.build(
        actors=actors, ties=ties, sources=[source], reports=reports, releases=history
    )


def test_one_batch_mixes_sample_and_enumerations() -> None:
    world = _ladder_world()
    pairs = [(r, p) for r in ("full", "vague") for p in ("far", "near", "left", "right", "adv")]
    matrix = assert_matches_assess_release(world, pairs, RiskOptions())
    exact = {p: matrix["full", p, Version.FULL].exact for p in ("far", "near", "left", "right")}
    assert exact == {"far": False, "near": True, "left": True, "right": True}
    with pytest.raises(ValueError, match="cannot enumerate"):
        BatchAssessor(world, RiskOptions(exact=True)).assess([("full", "far")])
    assert_matches_assess_release(world, pairs, RiskOptions(exact=False, samples=2048, seed=5))


_LEVEL = st.sampled_from([0.0, 0.2, 0.6, 1.0]) | st.floats(0.0, 1.0)


@st.composite
def small_worlds(draw: st.DrawFn) -> tuple[World, bool]:
    """Small worlds (mostly enumerable) with histories, sources sharing
    adversaries, reports on no source, edges of probability 0 and 1; and
    whether to use a disclosure table instead of the text model."""
    partners = [f"p{i}" for i in range(draw(st.integers(1, 3)))]
    thirds = [f"t{i}" for i in range(draw(st.integers(0, 2)))]
    adversaries = [f"a{i}" for i in range(draw(st.integers(1, 2)))]
    protection = st.sampled_from([0.0, 0.5, 1.0]) | st.floats(0.0, 1.0)
    actors = [Actor("org", "Org", ActorKind.ORIGINATOR, 0.9)]
    actors += [Actor(p, p, ActorKind.PARTNER, draw(protection)) for p in partners]
    actors += [Actor(t, t, ActorKind.THIRD_PARTY, draw(protection)) for t in thirds]
    actors += [
        Actor(a, a, ActorKind.ADVERSARY, draw(protection), draw(st.none() | st.integers(1, 500)))
        for a in adversaries
    ]
    ids = [a.id for a in actors]
    chosen = draw(
        st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=9, unique=True)
    )
    ties = [
        Tie(a, b, DAY, **{d.value: draw(_LEVEL) for d in DIMENSIONS}) for a, b in chosen if a != b
    ]
    sources = []
    for s in range(draw(st.integers(1, 3))):
        attributes = []
        for a in range(draw(st.integers(0, 3))):
            base = draw(st.floats(1e-5, 0.5))
            generals, current = [], base
            for g in range(draw(st.integers(0, 2))):
                if current >= 1.0:
                    break
                current = draw(st.floats(current, 1.0, exclude_min=True))
                generals.append(Generalization(f"g{s}{a}{g}", current))
            attributes.append(
                Attribute(
                    f"n{a}",
                    f"v{s}{a}",
                    base,
                    generalizations=tuple(generals),
                    mentions=(f"m{s}{a}",),
                )
            )
        threatened = draw(st.lists(st.sampled_from(adversaries), unique=True, max_size=2))
        population = draw(st.integers(1, 10**6))
        max_risk = draw(st.none() | st.floats(0.0, 1.0))
        sources.append(
            Source(
                f"s{s}",
                f"S{s}",
                population,
                tuple(threatened),
                tuple(attributes),
                max_risk=max_risk,
            )
        )
    phrases = [
        phrase
        for src in sources
        for attr in src.attributes
        for phrase in (attr.value, *attr.mentions, *(g.value for g in attr.generalizations))
    ]
    reports = []
    for r in range(draw(st.integers(1, 3))):
        resting = draw(st.lists(st.sampled_from([x.id for x in sources]), unique=True))
        text = " ".join(draw(st.lists(st.sampled_from(phrases), max_size=4))) if phrases else ""
        reports.append(Report(f"r{r}", "t", "c", "SECRET", text or "nothing", tuple(resting)))
    releases = [
        Release(
            f"rel{i}",
            draw(st.sampled_from([r.id for r in reports])),
            draw(st.sampled_from(ids[1:])),
            draw(st.sampled_from(list(Version))),
            datetime(2024, 1, 1 + i, tzinfo=UTC),
        )
        for i in range(draw(st.integers(0, 4)))
    ]
    weights = {d: draw(st.sampled_from([0.0, 0.5, 1.0])) for d in Dimension}
    model = ModelParams(dimension_weights=weights, default_capacity=draw(st.integers(1, 100)))
    world = World.build(
        model=model, actors=actors, ties=ties, sources=sources, reports=reports, releases=releases
    )
    return world, draw(st.booleans())


class _Table:
    """A disclosure model that reads levels from a table, unknown names and
    levels past the generalizations included. (Levels are indexes, never
    negative: ``assess_release`` would merge a negative level into a
    partner's copies before finding it discloses nothing.)"""

    def __init__(self, table: dict[tuple[str, Version], Disclosed]) -> None:
        self.table = table

    def __call__(self, report: Report, sources: Sequence[Source], version: Version) -> Disclosed:
        return self.table.get((report.id, version), {})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_worlds(), st.data())
def test_small_worlds_match_assess_release(case: tuple[World, bool], data: st.DataObject) -> None:
    world, use_table = case
    disclosure = disclosures
    if use_table:
        names = ["n0", "n1", "n2", "zz"]
        table: dict[tuple[str, Version], Disclosed] = {}
        for report in world.reports:
            for version in Version:
                keys = data.draw(
                    st.lists(
                        st.tuples(
                            st.sampled_from([s.id for s in world.sources]), st.sampled_from(names)
                        ),
                        unique=True,
                        max_size=3,
                    )
                )
                table[(report.id, version)] = {k: data.draw(st.integers(0, 3)) for k in keys}
        disclosure = _Table(table)
    exact = data.draw(st.sampled_from([None, None, False]))
    options = RiskOptions(
        exact=exact, samples=1024, seed=data.draw(st.integers(0, 5)), disclosure=disclosure
    )
    pairs = [(r.id, p) for r in world.reports for p in _recipients(world)]
    assert_matches_assess_release(world, pairs, options)


@settings(max_examples=150, deadline=None)
@given(small_graphs(max_edges=16))
def test_relevant_edges_on_arrays(
    case: tuple[list[tuple[str, str, float]], str, str, list[str]],
) -> None:
    edges, s, t, nodes = case
    graph = LeakGraph.from_edges(edges, nodes)
    a, b = graph.node(s), graph.node(t)
    if a != b:
        assert _relevant_bits(graph, a, b) == sum(1 << int(e) for e in relevant_edges(graph, a, b))


@given(st.floats(0.0, 1.0) | st.integers(0, 2000).map(lambda k: (k + 0.5) / 1e9))
def test_ppb_on_arrays_is_to_ppb(value: float) -> None:
    assert int(_ppb(np.array([value]))[0]) == to_ppb(value)


def test_pushes_over_reads_the_sources(demo: World) -> None:
    pairs = pending_pairs(demo)[::4]
    matrix = BatchAssessor(demo, RiskOptions(as_of=DEMO_DAY)).assess(pairs)
    over = matrix.pushes_over(1e-9)
    for i, (report, partner) in enumerate(pairs):
        for v, version in enumerate(matrix.versions):
            sources = matrix[report, partner, version].sources
            assert over[v, i] == any(s.marginal > 1e-9 and s.exceeds for s in sources)
    assert over.any()


# -- what-ifs -------------------------------------------------------------------------


def _changes(world: World) -> list[World]:
    on = DEMO_DAY
    ties = [
        "aldren->kharovia:military=+0.3",  # raised
        "corvel->morvane:intelligence=-0.3",  # lowered
        "istrel->sarn:intelligence=0.4",  # a new tie
    ]
    out = [apply_changes(world, [parse_tie(t)], [], on=on)[0] for t in ties]
    out.append(apply_changes(world, [], [parse_protection("morvane=0.9")], on=on)[0])
    extra = Release(
        "extra", "rpt-2024-101", "brisca", Version.FULL, datetime(2026, 11, 1, tzinfo=UTC)
    )
    out.append(dataclasses.replace(world, releases=(*world.releases, extra)))
    return out


def test_resampling_is_the_sample_of_the_changed_graph(demo: World) -> None:
    before = sample_worlds(LeakGraph.from_world(demo, DEMO_DAY), 4096, 7)
    for changed in _changes(demo):
        graph = LeakGraph.from_world(changed, DEMO_DAY)
        assert np.array_equal(_resample(before, graph).masks, sample_worlds(graph, 4096, 7).masks)


def test_what_if_equals_a_fresh_assessment(demo: World) -> None:
    options = RiskOptions(as_of=DEMO_DAY)
    pairs = pending_pairs(demo)
    base = BatchAssessor(demo, options)
    before = base.assess(pairs)
    for changed in _changes(demo):
        after = base.with_changed_world(changed).assess(pairs)
        fresh = BatchAssessor(changed, options).assess(pairs)
        for name in ("marginal", "cumulative", "reach"):
            assert np.array_equal(getattr(after, name), getattr(fresh, name), equal_nan=True)
        moved = after.changed(before)
        differs = (after.marginal != before.marginal) | (after.cumulative != before.cumulative)
        assert np.array_equal(
            moved, differs.any(axis=0) | (after.reach != before.reach).any(axis=0)
        )
        for i in np.flatnonzero(moved)[:5]:
            report, partner = pairs[i]
            assert after[report, partner, Version.FULL] == fresh[report, partner, Version.FULL]
    no_op = base.with_changed_world(demo).assess(pairs)
    assert not no_op.changed(before).any()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_worlds(), small_worlds())
def test_what_if_on_small_worlds(first: tuple[World, bool], second: tuple[World, bool]) -> None:
    world, _ = first
    # The change: the other world's ties among the actors both have.
    ids = {a.id for a in world.actors}
    ties = [t for t in second[0].ties if t.source in ids and t.target in ids]
    changed = dataclasses.replace(world, ties=tuple(ties))
    pairs = [(r.id, p) for r in world.reports for p in _recipients(world)]
    options = RiskOptions(samples=1024)
    base = BatchAssessor(world, options)
    base.assess(pairs)
    after = base.with_changed_world(changed).assess(pairs)
    fresh = BatchAssessor(changed, options).assess(pairs)
    for name in ("marginal", "cumulative", "reach"):
        assert np.allclose(
            getattr(after, name), getattr(fresh, name), atol=TOLERANCE, equal_nan=True
        )


# -- decisions on the batch -----------------------------------------------------------


def _decisions_match_the_decider(engine: Decisions, pairs: Sequence[tuple[str, str]]) -> None:
    """Each decision is what ``Decider.decide`` says for its own figures (and
    the versions that can be made)."""
    decider = Decider(engine.world)
    table = engine.decide_table(pairs)
    for i in range(len(table)):
        decision = table.at(i)
        alone = decider.decide(
            decision.report,
            decision.partner,
            decision.figures,
            today=engine.today,
            unavailable=table.grid.unavailable(i),
        )
        assert decision == alone


def test_decisions_are_the_deciders_with_assess_release_figures(demo: World) -> None:
    engine = Decisions(demo, DEMO_DAY)
    pairs = pending_pairs(demo)
    _decisions_match_the_decider(engine, pairs)
    for decision in engine.decide_all(pairs)[::9]:
        for version, figures in decision.figures.items():
            one = engine.figures(decision.report, decision.partner, version).figures
            # The two paths agree to 1e-12; quantised to parts per billion a
            # value sitting on a rounding boundary may land one unit apart.
            mine, theirs = figures.as_context(), one.as_context()
            assert mine["worst_k_milli"] == theirs["worst_k_milli"]
            for key in ("marginal_risk_ppb", "cumulative_risk_ppb", "reach_ppb"):
                assert abs(mine[key] - theirs[key]) <= 1, key
            assert figures.marginal_risk == pytest.approx(one.marginal_risk, abs=TOLERANCE)
            assert figures.cumulative_risk == pytest.approx(one.cumulative_risk, abs=TOLERANCE)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario_worlds())
def test_shared_answers_on_random_protocols(world: World) -> None:
    _decisions_match_the_decider(Decisions(world, date(2031, 1, 1)), pending_pairs(world))


def test_a_what_if_decides_as_a_fresh_engine(demo: World) -> None:
    pairs = pending_pairs(demo)
    engine = Decisions(demo, DEMO_DAY)
    engine.decide_all(pairs)
    for changed in _changes(demo):
        warm = engine.with_world(changed).decide_all(pairs)
        assert warm == Decisions(changed, DEMO_DAY).decide_all(pairs)


def test_the_compiler_hands_over_every_comparison_it_writes(demo: World) -> None:
    """The grouping reads the comparisons as data; each one is in the text, and
    the text compares the figures in no other way."""
    policies = Decider(demo).policies
    assert policies.comparisons
    text = policies.text
    written = re.findall(r"context\.(\w+) (<|<=|>|>=|==) (-?\d+)\b", text)
    figures = [(n, op, int(v)) for n, op, v in written if n in _FIGURE_NAMES]
    assert {(c.name, c.op, c.value) for c in policies.comparisons} == set(figures)
    assert sum(text.count(f"context.{name}") for name in _FIGURE_NAMES) == len(figures)


_FIGURE_NAMES = ("marginal_risk_ppb", "cumulative_risk_ppb", "reach_ppb", "worst_k_milli")


def test_a_policy_set_not_from_the_compiler_is_decided_pair_by_pair(demo: World) -> None:
    compiled = Decider(demo).policies
    foreign = PolicySet(compiled.text, compiled.rules)  # nothing known of how it reads
    pairs = pending_pairs(demo)[:40]
    engine = Decisions(demo, DEMO_DAY, policies=foreign)
    with patch.object(Decider, "decide", autospec=True, side_effect=Decider.decide) as calls:
        table = engine.decide_table(pairs)
    assert calls.call_count == len(pairs)
    assert table.outcomes == Decisions(demo, DEMO_DAY).decide_table(pairs).outcomes
