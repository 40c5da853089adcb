"""Decisions on uncertain inputs read the figures at a protective point of the
model's decision quantile: at least that percentile of the ensemble,
monotone in the beliefs, and exactly today's figures with certain inputs."""

from __future__ import annotations

from datetime import date

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tearline.domain import Version, World
from tearline.risk import RiskOptions, assess_release
from tearline.risk.ensemble import draw_ensemble, protective_world
from tearline.scenario import parse_scenario
from tearline.services.decisions import Decisions
from tests.samples import SMALL

DAY = date(2025, 6, 1)
HUB_TIE = "military: 0.3, intelligence: 0.2}"


def _world(intelligence: str, protection: str = "0.6", extra: str = "") -> World:
    text = SMALL.replace(HUB_TIE, f"military: 0.3, intelligence: {intelligence}}}").replace(
        "{id: hub, name: Hub State, kind: partner, protection: 0.6}",
        f"{{id: hub, name: Hub State, kind: partner, protection: {protection}{extra}}}",
    )
    return parse_scenario(text, "w.yaml").world


def _figures(world: World, quantile: float | None = None) -> tuple[float, float]:
    if quantile is not None:
        from dataclasses import replace

        world = replace(world, model=replace(world.model, decision_quantile=quantile))
    f = Decisions(world, DAY).figures("rep-1", "ally", Version.FULL).figures
    return f.reach, f.cumulative_risk


def test_certain_inputs_decide_on_the_world_itself() -> None:
    world = _world("0.2")
    assert protective_world(world, DAY, 0.95) is world
    assert Decisions(world, DAY).world is world


@settings(max_examples=15, deadline=None)
@given(
    low=st.floats(0.0, 0.5),
    width=st.floats(0.0, 0.5),
    p_low=st.floats(0.2, 0.6),
    p_width=st.floats(0.0, 0.3),
    impulsive=st.sampled_from([0.0, 0.01, 0.2]),
)
def test_protective_figures_are_at_least_the_ensemble_percentile(
    low: float, width: float, p_low: float, p_width: float, impulsive: float
) -> None:
    extra = f", impulsive: {impulsive}, impulsive_to: adv" if impulsive else ""
    world = _world(f"[{low}, {low + width}]", f"[{p_low}, {p_low + p_width}]", extra)
    reach, cumulative = _figures(world)
    ensemble = draw_ensemble(world, as_of=DAY, members=400, seed=5)
    options = RiskOptions(as_of=DAY)
    reaches, cumulatives = [], []
    for j in range(ensemble.size):
        a = assess_release(
            ensemble.member(world, j), "rep-1", "ally", Version.FULL, options=options
        )
        reaches.append(max(x.reach for s in a.sources for x in s.adversaries))
        cumulatives.append(a.cumulative)
    # The 95th percentile of 400 draws can exceed the true one by sampling
    # error only; the protective point bounds the true percentile.
    assert reach >= float(np.quantile(reaches, 0.93)) - 1e-12
    assert cumulative >= float(np.quantile(cumulatives, 0.93)) - 1e-12


def test_decisions_stay_monotone_in_beliefs_and_quantile() -> None:
    narrow = _figures(_world("[0.1, 0.3]"))
    wider_up = _figures(_world("[0.1, 0.6]"))
    assert wider_up[0] >= narrow[0]
    assert wider_up[1] >= narrow[1]
    median = _figures(_world("[0.1, 0.6]"), quantile=0.5)
    assert wider_up[0] >= median[0]
    # A protection known to be lower never loosens.
    assert _figures(_world("0.2", "[0.2, 0.4]"))[0] >= _figures(_world("0.2", "[0.3, 0.5]"))[0]
