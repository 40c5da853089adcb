"""Ensembles of tie-worlds: intervals bracketed by the exact reach at a range's
ends, certain inputs unchanged, common random numbers, attribution."""

from __future__ import annotations

import dataclasses
from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tearline.domain import Actor, ActorKind, Beta, Dimension, Tie, Uniform, World
from tearline.risk import LeakGraph, reach_in_world
from tearline.risk.ensemble import (
    draw_ensemble,
    first_order,
    interval,
    quantile,
    uncertain_inputs,
)
from tearline.services.uncertainty import EnsembleSettings, ReachQuery, reach_spread

DAY = date(2026, 1, 1)
ACTORS = ["p", "q", "r", "x"]


def _world(ties: list[tuple[str, str, float]], protection: float = 0.3) -> World:
    actors = [
        Actor(a, a, ActorKind.ADVERSARY if a == "x" else ActorKind.PARTNER, protection)
        for a in ACTORS
    ]
    return World.build(
        actors=actors,
        ties=[Tie(s, d, date(2025, 1, 1), intelligence=v) for s, d, v in ties],
    )


def _exact(world: World) -> list[float]:
    return [
        p.reach for p in reach_in_world(world, adversaries=["x"], as_of=DAY, method="exact").pairs
    ]


edge = st.tuples(st.sampled_from(ACTORS), st.sampled_from(ACTORS), st.floats(0.0, 1.0))


@settings(max_examples=25, deadline=None)
@given(
    others=st.lists(edge, max_size=6),
    ends=st.tuples(st.floats(0.0, 1.0), st.floats(0.0, 1.0)).map(sorted),
    pick=st.sampled_from([("p", "q"), ("q", "x"), ("p", "x"), ("r", "x")]),
    seed=st.integers(0, 2**32),
)
def test_range_on_one_tie_is_bracketed_by_the_exact_reach_at_its_ends(
    others: list[tuple[str, str, float]],
    ends: list[float],
    pick: tuple[str, str],
    seed: int,
) -> None:
    a, b = ends
    ties = {(s, d): v for s, d, v in others if s != d}
    ties.pop(pick, None)
    base = [(s, d, v) for (s, d), v in ties.items()]
    at_a = _exact(_world([*base, (*pick, a)]))
    at_b = _exact(_world([*base, (*pick, b)]))
    uncertain = _world([*base, (*pick, (a + b) / 2)])
    uncertain = dataclasses.replace(
        uncertain,
        ties=tuple(
            dataclasses.replace(t, ranges=((Dimension.INTELLIGENCE, Uniform(a, b)),))
            if (t.source, t.target) == pick
            else t
            for t in uncertain.ties
        ),
    )
    query = ReachQuery(None, ("x",), DAY, "exact", None, None, seed)
    _, spreads = reach_spread(uncertain, query, EnsembleSettings(members=40))
    for lo, hi, spread in zip(at_a, at_b, spreads, strict=True):
        i = spread.interval
        assert lo - 1e-12 <= i.low <= i.median <= i.high <= hi + 1e-12


def test_certain_inputs_draw_nothing_and_members_are_the_world() -> None:
    world = _world([("p", "q", 0.4), ("q", "x", 0.7)])
    ensemble = draw_ensemble(world, as_of=DAY, members=5, seed=3)
    assert ensemble.inputs == ()
    assert all(ensemble.member(world, j) == world for j in range(5))
    assert not world.uncertain(DAY)


def test_a_degenerate_range_reproduces_the_certain_figure_exactly() -> None:
    certain = _world([("p", "q", 0.4), ("q", "x", 0.7)])
    uncertain = dataclasses.replace(
        certain,
        ties=tuple(
            dataclasses.replace(t, ranges=((Dimension.INTELLIGENCE, Uniform(0.4, 0.4)),))
            if t.target == "q"
            else t
            for t in certain.ties
        ),
    )
    assert uncertain.uncertain(DAY)
    query = ReachQuery(None, ("x",), DAY, "auto", None, None, 0)
    _, spreads = reach_spread(uncertain, query, EnsembleSettings(members=8))
    for value, spread in zip(_exact(certain), spreads, strict=True):
        assert spread.interval.low == spread.interval.high == value


def test_impulsive_jump_folds_into_the_edge_and_members_jump_or_not() -> None:
    world = _world([("p", "x", 0.5)], protection=0.5)
    p_tie = LeakGraph.from_world(world, DAY).prob.copy()
    actors = tuple(
        dataclasses.replace(a, impulsive=0.2, impulsive_to="x") if a.id == "q" else a
        for a in world.actors
    )
    impulsive = dataclasses.replace(world, actors=actors)
    graph = LeakGraph.from_world(impulsive, DAY)
    e = graph.edge("q", "x")
    assert e is not None
    assert graph.prob[e] == pytest.approx(0.2)  # no tie: the jump alone
    pe = graph.edge("p", "x")
    assert pe is not None
    assert graph.prob[pe] == p_tie[LeakGraph.from_world(world, DAY).edge("p", "x")]
    ensemble = draw_ensemble(impulsive, as_of=DAY, members=2000, seed=1)
    jumped = ensemble.values[:, 0]
    assert set(np.unique(jumped)) <= {0.0, 1.0}
    assert abs(jumped.mean() - 0.2) < 0.03
    member = ensemble.member(impulsive, int(np.argmax(jumped)))
    g = LeakGraph.from_world(member, DAY)
    assert g.prob[g.edge("q", "x")] == 1.0


def test_common_random_numbers_follow_the_input_not_the_world() -> None:
    world = _world([("p", "q", 0.4), ("q", "x", 0.7)])

    def with_ranges(world: World, targets: set[str]) -> World:
        return dataclasses.replace(
            world,
            ties=tuple(
                dataclasses.replace(t, ranges=((Dimension.INTELLIGENCE, Uniform(0.1, 0.9)),))
                if t.target in targets
                else t
                for t in world.ties
            ),
        )

    one = draw_ensemble(with_ranges(world, {"q"}), as_of=DAY, members=50, seed=9)
    two = draw_ensemble(with_ranges(world, {"q", "x"}), as_of=DAY, members=50, seed=9)
    column = [x.name for x in two.inputs].index(one.inputs[0].name)
    assert np.array_equal(one.values[:, 0], two.values[:, column])
    other = draw_ensemble(with_ranges(world, {"q"}), as_of=DAY, members=50, seed=10)
    assert not np.array_equal(one.values, other.values)


def test_beta_belief_quantiles_have_its_mean_and_sd() -> None:
    belief = Beta(0.3, 0.1)
    u = (np.arange(20_000) + 0.5) / 20_000
    x = quantile(belief, u)
    assert x.mean() == pytest.approx(0.3, abs=1e-3)
    assert x.std() == pytest.approx(0.1, abs=1e-3)


def test_only_beliefs_on_ties_in_force_are_inputs() -> None:
    old = Tie(
        "p",
        "x",
        date(2024, 1, 1),
        intelligence=0.5,
        ranges=((Dimension.INTELLIGENCE, Uniform(0.2, 0.8)),),
    )
    new = Tie("p", "x", date(2025, 1, 1), intelligence=0.5)
    world = World.build(
        actors=[Actor("p", "p", ActorKind.PARTNER, 0.5), Actor("x", "x", ActorKind.ADVERSARY, 0.5)],
        ties=[old, new],
    )
    assert uncertain_inputs(world, date(2024, 6, 1))
    assert uncertain_inputs(world, DAY) == ()


def test_first_order_indices_find_the_input_that_matters() -> None:
    rng = np.random.default_rng(0)
    values = rng.random((2000, 3))
    output = 3.0 * values[:, 1] + 0.1 * values[:, 2]
    s = first_order(values, output)
    assert s[1] > 0.9
    assert s[0] < 0.02
    assert s[2] < 0.05
    assert np.all(first_order(values, np.ones(2000)) == 0.0)


def test_interval_percentiles_lie_between_the_members() -> None:
    i = interval([0.3, 0.1, 0.2, 0.4, 0.5])
    assert (i.low, i.median, i.high) == pytest.approx((0.12, 0.3, 0.48))
