"""Cedar's decisions equal a plain-Python reading of the documented semantics,
over generated worlds, protocols and figures."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from tearline.domain import ActorKind, Version, World
from tearline.protocols import Decider, Figures
from tests.protocols.reference import reference_outcome
from tests.strategies import worlds

figures_st = st.builds(
    Figures,
    marginal_risk=st.floats(0, 1),
    cumulative_risk=st.floats(0, 1),
    worst_k=st.floats(1, 1e7),
    reach=st.floats(0, 1),
)


@settings(max_examples=150, deadline=None)
@given(worlds(), st.data())
def test_cedar_agrees_with_the_reference(world: World, data: st.DataObject) -> None:
    recipients = [a.id for a in world.actors if a.kind is not ActorKind.ORIGINATOR]
    if not world.reports or not recipients:
        return
    decider = Decider(world)
    for _ in range(4):
        report = data.draw(st.sampled_from([r.id for r in world.reports]))
        partner = data.draw(st.sampled_from(recipients))
        figures = {Version.FULL: data.draw(figures_st), Version.TEARLINE: data.draw(figures_st)}
        today = data.draw(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)))
        got = decider.decide(report, partner, figures, today=today).outcome
        assert got == reference_outcome(world, report, partner, figures, today)
