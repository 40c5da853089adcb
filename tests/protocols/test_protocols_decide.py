"""Each rule kind decides as documented; the decision fails closed."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tearline.domain import Version, World
from tearline.domain.errors import ScenarioError
from tearline.protocols import Decider, Figures, Outcome, decide
from tearline.protocols.cedar import literal
from tearline.scenario import parse_scenario

TODAY = date(2026, 11, 28)
SAFE = Figures(marginal_risk=1e-6, cumulative_risk=1e-3, worst_k=50_000, reach=0.01)

BASE = """\
tearline: 1
actors:
  - {id: home, kind: originator, protection: 0.95}
  - {id: hub, kind: partner, protection: 0.6}
  - {id: ally, kind: partner, protection: 0.8}
  - {id: loner, kind: partner, protection: 0.9}
  - {id: adv, kind: adversary, protection: 0.1}
groups:
  - {id: inner, members: [hub]}
  - {id: alliance, members: [inner, ally]}
reports:
  - {id: ct, title: T, category: counter-terrorism, classification: SECRET, text: x}
  - {id: mil, title: T, category: military, classification: TOP SECRET, text: x}
  - {id: orcon, title: T, category: military, classification: SECRET, controls: [ORCON], approved_for: [inner], text: x}
  - {id: nofo, title: T, category: counter-terrorism, classification: SECRET, controls: [NOFORN], text: x}
protocols:
"""


def world(protocols: str) -> World:
    return parse_scenario(BASE + protocols, "p.yaml").world


def outcome(
    w: World, report: str, partner: str, full: Figures = SAFE, tearline: Figures = SAFE
) -> Outcome:
    figures = {Version.FULL: full, Version.TEARLINE: tearline}
    return decide(w, report, partner, figures, today=TODAY).outcome


ALLIANCE = """\
  - id: alliance
    applies_to: [alliance]
    rules:
      - {id: ct-full, effect: permit, release: full, when: {category: [counter-terrorism], marginal_risk_below: 0.0001}}
      - {id: tl-k, effect: permit, release: tearline, when: {k_at_least: 1000}}
      - {id: noforn, effect: forbid, when: {controls: [NOFORN]}}
      - {id: orcon, effect: forbid, when: {controls: [ORCON], approved: false}}
      - {id: reach, effect: forbid, when: {reach_above: 0.3}}
"""


def test_full_when_marginal_risk_is_below_the_threshold() -> None:
    w = world(ALLIANCE)
    assert outcome(w, "ct", "ally") is Outcome.FULL
    risky = Figures(2e-4, 1e-3, 50_000, 0.01)
    assert outcome(w, "ct", "ally", full=risky) is Outcome.TEARLINE


def test_threshold_is_strict_and_exact_at_one_part_per_billion() -> None:
    w = world(ALLIANCE)
    at = Figures(1e-4, 1e-3, 50_000, 0.01)
    below = Figures(1e-4 - 1e-9, 1e-3, 50_000, 0.01)
    assert outcome(w, "ct", "ally", full=at) is Outcome.TEARLINE
    assert outcome(w, "ct", "ally", full=below) is Outcome.FULL


def test_category_limits_a_permit() -> None:
    w = world(ALLIANCE)
    assert outcome(w, "mil", "ally") is Outcome.TEARLINE


def test_tearline_needs_k() -> None:
    w = world(ALLIANCE)
    thin = Figures(1e-6, 1e-3, 999.9, 0.01)
    assert outcome(w, "mil", "ally", tearline=thin) is Outcome.WITHHOLD
    assert outcome(w, "mil", "ally", tearline=Figures(1e-6, 1e-3, 1000, 0.01)) is Outcome.TEARLINE


def test_noforn_never_leaves() -> None:
    w = world(ALLIANCE)
    decision = decide(w, "nofo", "ally", {Version.FULL: SAFE, Version.TEARLINE: SAFE}, today=TODAY)
    assert decision.outcome is Outcome.WITHHOLD
    assert any(r.rule == "alliance@v1/noforn" and r.effect == "forbid" for r in decision.reasons)


def test_orcon_needs_recorded_approval_through_nested_groups() -> None:
    w = world(ALLIANCE)
    assert outcome(w, "orcon", "hub") is Outcome.TEARLINE  # hub is in inner, approved
    assert outcome(w, "orcon", "ally") is Outcome.WITHHOLD


def test_reach_above_forbids_everything() -> None:
    w = world(ALLIANCE)
    far = Figures(1e-6, 1e-3, 50_000, 0.31)
    assert outcome(w, "ct", "ally", full=far, tearline=far) is Outcome.WITHHOLD


def test_no_protocol_no_release() -> None:
    w = world(ALLIANCE)
    decision = decide(w, "ct", "loner", {Version.FULL: SAFE, Version.TEARLINE: SAFE}, today=TODAY)
    assert decision.outcome is Outcome.WITHHOLD
    assert "no protocol applies to loner" in decision.reasons[0].render()


def test_empty_protocol_set_fails_closed() -> None:
    w = world("  []\n")
    assert outcome(w, "ct", "ally") is Outcome.WITHHOLD


def test_only_forbids_fail_closed() -> None:
    w = world(
        "  - {id: f, applies_to: [ally], rules: [{id: x, effect: forbid, when: {controls: [NOFORN]}}]}\n"
    )
    decision = decide(w, "ct", "ally", {Version.FULL: SAFE, Version.TEARLINE: SAFE}, today=TODAY)
    assert decision.outcome is Outcome.WITHHOLD
    assert [r.description for r in decision.reasons] == ["no rule permits it", "no rule permits it"]


def test_forbid_overrides_permit_across_protocols() -> None:
    w = world(
        ALLIANCE
        + "  - {id: hub-only, applies_to: [hub], rules: [{id: nofull, effect: forbid, release: full}]}\n"
    )
    assert outcome(w, "ct", "hub") is Outcome.TEARLINE
    assert outcome(w, "ct", "ally") is Outcome.FULL


def test_cumulative_and_k_below_and_classification() -> None:
    w = world(
        """\
  - id: p
    applies_to: [ally]
    rules:
      - {id: full, effect: permit, release: full, when: {cumulative_risk_below: 0.05, classification: [SECRET]}}
      - {id: tl, effect: permit, release: tearline}
      - {id: thin, effect: forbid, release: tearline, when: {k_below: 500}}
"""
    )
    assert outcome(w, "ct", "ally") is Outcome.FULL
    assert outcome(w, "mil", "ally") is Outcome.TEARLINE  # TOP SECRET
    assert outcome(w, "ct", "ally", full=Figures(0, 0.06, 1e6, 0)) is Outcome.TEARLINE
    assert (
        outcome(w, "ct", "ally", full=Figures(0, 0.06, 1e6, 0), tearline=Figures(0, 0, 499, 0))
        is Outcome.WITHHOLD
    )


def test_validity_dates_bound_the_protocol() -> None:
    w = world(
        "  - {id: p, applies_to: [ally], rules: [{id: all, effect: permit}], "
        "terms: {valid_from: 2026-01-01, valid_until: 2026-06-30}}\n"
    )
    figures = {Version.FULL: SAFE, Version.TEARLINE: SAFE}
    assert decide(w, "ct", "ally", figures, today=date(2026, 3, 1)).outcome is Outcome.FULL
    assert decide(w, "ct", "ally", figures, today=date(2026, 7, 1)).outcome is Outcome.WITHHOLD
    assert decide(w, "ct", "ally", figures, today=date(2025, 12, 31)).outcome is Outcome.WITHHOLD


def test_reasons_name_the_rules_by_position() -> None:
    w = world(ALLIANCE)
    decision = Decider(w).decide(
        "ct", "ally", {Version.FULL: SAFE, Version.TEARLINE: SAFE}, today=TODAY
    )
    assert [r.rule for r in decision.reasons] == ["alliance@v1/ct-full"]
    assert decision.protocols == ("alliance@v1",)


def test_ids_with_quotes_are_escaped() -> None:
    # Defence in depth: scenario ids can no longer hold quotes (issue 12: a path-, URL- and
    # terminal-safe set), but Cedar literals are still escaped.
    assert literal('a"b\\c\n') == '"a\\"b\\\\c\\u{a}"'
    text = BASE.replace("{id: ally, kind", '{id: "al\\"ly", kind').replace(
        "members: [inner, ally]", 'members: [inner, "al\\"ly"]'
    )
    with pytest.raises(ScenarioError, match="not a valid id"):
        parse_scenario(text + ALLIANCE)


figures_st = st.builds(
    Figures,
    marginal_risk=st.floats(0, 1),
    cumulative_risk=st.floats(0, 1),
    worst_k=st.floats(1, 1e7),
    reach=st.floats(0, 1),
)


@settings(deadline=None)  # Cedar calls; timings vary with the machine's load
@given(
    figures_st,
    figures_st,
    st.floats(0, 1),
    st.floats(0, 1),
    st.sampled_from(["ct", "mil", "orcon"]),
)
def test_more_risk_never_loosens_a_decision(
    full: Figures, tearline: Figures, extra_reach: float, extra_risk: float, report: str
) -> None:
    w = world(ALLIANCE)

    def worse(f: Figures) -> Figures:
        return Figures(
            min(1.0, f.marginal_risk + extra_risk),
            min(1.0, f.cumulative_risk + extra_risk),
            f.worst_k / (1 + extra_risk * 100),
            min(1.0, f.reach + extra_reach),
        )

    before = outcome(w, report, "ally", full, tearline)
    after = outcome(w, report, "ally", worse(full), worse(tearline))
    assert after.restrictiveness >= before.restrictiveness


@pytest.mark.parametrize("partner", ["hub", "ally"])
def test_demo_protocols_compile_and_decide(partner: str) -> None:
    from tearline.cli.demo import demo_text

    w = parse_scenario(demo_text()).world
    decider = Decider(w)
    for report in w.reports:
        decision = decider.decide(
            report.id, "aldren", {Version.FULL: SAFE, Version.TEARLINE: SAFE}, today=TODAY
        )
        assert decision.outcome in set(Outcome)
