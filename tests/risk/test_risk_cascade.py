"""The restriction cascade: the threshold model's rounds, its fixed point,
determinism, and that restricting never raises a source's exposure."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tearline.domain import Actor, ActorKind, Tie, Tolerance, World
from tearline.domain.uncertain import DEFAULT_TOLERANCE
from tearline.risk.cascade import allies_of, cascade, hub_reach
from tearline.scenario.loader import read_scenario
from tearline.services.cascade import run_cascade

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo-world.yaml"
DAY = date(2026, 11, 28)
DEMO_WORLD = read_scenario(DEMO).world


def _chain_world(tolerances: dict[str, Tolerance]) -> World:
    actors = [
        Actor("hub", "hub", ActorKind.PARTNER, 0.2),
        Actor("x", "x", ActorKind.ADVERSARY, 0.2),
        *(
            Actor(a, a, ActorKind.PARTNER, 0.8, tolerance=tolerances.get(a))
            for a in ("a", "b", "c", "d")
        ),
    ]
    ties = [Tie("hub", "x", date(2025, 1, 1), intelligence=0.5)]
    ties += [Tie(a, "hub", date(2025, 1, 1), intelligence=0.9, trade=0.3) for a in "abc"]
    return World.build(actors=actors, ties=ties)


def test_rounds_follow_the_thresholds() -> None:
    world = _chain_world(
        {
            "a": Tolerance(reach=0.1, allies=9),  # the hub's reach alone moves it
            "b": Tolerance(reach=1.0, allies=2),  # us and a
            "c": Tolerance(reach=1.0, allies=3),  # us, a and b
        }
    )
    result = cascade(world, "hub", DAY)
    assert result.allies == ("a", "b", "c")  # d has no tie to the hub
    assert [[r.ally for r in rnd.restrictions] for rnd in result.rounds] == [["a"], ["b"], ["c"]]
    ties = {(t.source, t.target): t for t in result.after.ties_in_force(DAY)}
    assert all(ties[(a, "hub")].intelligence == 0.0 for a in "abc")
    assert all(ties[(a, "hub")].trade == 0.3 for a in "abc")  # only intelligence is cut
    assert result.before == world


def test_nobody_moves_when_no_tolerance_is_passed() -> None:
    world = _chain_world({a: Tolerance(reach=1.0, allies=5) for a in "abc"})
    result = cascade(world, "hub", DAY)
    assert result.rounds == ()
    assert result.after == world


@settings(max_examples=12, deadline=None)
@given(
    reach=st.lists(st.floats(0.0, 1.0), min_size=6, max_size=6),
    allies=st.lists(st.integers(0, 7), min_size=6, max_size=6),
    cap=st.floats(0.0, 0.5),
    seed=st.integers(0, 1000),
)
def test_demo_cascade_reaches_a_fixed_point_and_never_raises_exposure(
    reach: list[float], allies: list[int], cap: float, seed: int
) -> None:
    names = allies_of(DEMO_WORLD, "aldren", DAY)
    assert len(names) == 6
    tolerance = {n: Tolerance(r, k, cap) for n, r, k in zip(names, reach, allies, strict=True)}
    world = dataclasses.replace(
        DEMO_WORLD,
        actors=tuple(
            dataclasses.replace(a, tolerance=tolerance.get(a.id, a.tolerance))
            for a in DEMO_WORLD.actors
        ),
    )
    report = run_cascade(world, "aldren", DAY, seed=seed)
    result = report.cascade
    # Fixed point: no ally left out passes its tolerance in the final world.
    final = hub_reach(result.after, "aldren", DAY, seed)
    count = 1 + len(result.restricted)
    for ally in set(names) - set(result.restricted):
        tol = tolerance[ally]
        assert max(final.values()) < tol.reach
        assert count < tol.allies
    before = {s.source: s.risk for s in report.exposure_before.sources}
    after = {s.source: s.risk for s in report.exposure_after.sources}
    assert before.keys() == after.keys()
    for source, risk in after.items():
        assert risk <= before[source] + 1e-12, source
    # Deterministic for a seed.
    again = run_cascade(world, "aldren", DAY, seed=seed)
    assert again.cascade.rounds == result.rounds
    assert [s.risk for s in again.exposure_after.sources] == list(after.values())


def test_default_tolerance_is_documented_value() -> None:
    assert (DEFAULT_TOLERANCE.reach, DEFAULT_TOLERANCE.allies, DEFAULT_TOLERANCE.restrict_to) == (
        0.5,
        3,
        0.0,
    )
