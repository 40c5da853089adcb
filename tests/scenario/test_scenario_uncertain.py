"""Uncertain values in scenario files: ranges, beta beliefs, impulsive actors
and tolerances — accepted, and refused with file:line: field: message."""

from __future__ import annotations

import pytest

from tearline.domain import Beta, Dimension, ScenarioError, Tolerance, Uniform
from tearline.scenario import parse_scenario
from tests.samples import SMALL

TIE = "military: 0.3, intelligence: 0.2}"
ALLY = "  - {id: ally, name: Ally State, kind: partner, protection: 0.8}\n"


def _errors(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "world.yaml")
    return [issue.render() for issue in caught.value.issues]


def _line_of(text: str, fragment: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if fragment in line:
            return number
    raise AssertionError(fragment)


def test_ranges_and_beliefs_are_read_with_their_means() -> None:
    text = SMALL.replace(TIE, "military: 0.3, intelligence: [0.1, 0.5]}").replace(
        ALLY,
        "  - {id: ally, name: Ally State, kind: partner, protection: {mean: 0.7, sd: 0.1},"
        " impulsive: 0.05, impulsive_to: adv, tolerance: {reach: 0.3, allies: 1}}\n",
    )
    assert ALLY in SMALL
    world = parse_scenario(text, "world.yaml").world
    tie = next(t for t in world.ties if t.ranges)
    assert tie.intelligence == pytest.approx(0.3)
    assert tie.ranges == ((Dimension.INTELLIGENCE, Uniform(0.1, 0.5)),)
    ally = world.actor("ally")
    assert ally.protection == 0.7
    assert ally.protection_range == Beta(0.7, 0.1)
    assert (ally.impulsive, ally.impulsive_to) == (0.05, "adv")
    assert ally.tolerance == Tolerance(0.3, 1, 0.0, ())
    assert world.uncertain()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("[0.6, 0.2]", "range [0.6, 0.2]: low is above high"),
        ("[0.2, 1.3]", "range [0.2, 1.3] is not inside 0..1"),
        ("[0.2]", "a range is [low, high]: two numbers"),
        (
            "{mean: 0.5, sd: 0.6}",
            "no beta distribution has mean 0.5 and sd 0.6 (the sd must be below √(mean·(1 − mean)) = 0.5)",
        ),
        ("{mean: 0.0, sd: 0.1}", "beta mean 0.0 must lie strictly between 0 and 1"),
        ("{mean: 0.5}", "a beta belief is {mean: M, sd: S} and nothing else"),
        ("1.4", "1.4 is above 1.0"),
    ],
)
def test_bad_beliefs_name_file_line_and_field(value: str, message: str) -> None:
    bad = SMALL.replace(TIE, f"military: 0.3, intelligence: {value}}}")
    line = _line_of(bad, f"intelligence: {value}")
    assert _errors(bad) == [f"world.yaml:{line}: ties[1].intelligence: {message}"]


def test_impulsive_needs_a_known_adversary() -> None:
    bad = SMALL.replace(
        ALLY, "  - {id: ally, name: Ally State, kind: partner, protection: 0.8, impulsive: 0.1}\n"
    )
    line = _line_of(bad, "impulsive: 0.1")
    assert _errors(bad) == [
        f"world.yaml:{line}: actors[2].impulsive: an impulsive actor needs impulsive_to: "
        "the adversary it would pass material to"
    ]
    bad = SMALL.replace(
        ALLY,
        "  - {id: ally, name: Ally State, kind: partner, protection: 0.8, impulsive: 0.1,"
        " impulsive_to: hub}\n",
    )
    line = _line_of(bad, "impulsive_to: hub")
    assert _errors(bad) == [
        f"world.yaml:{line}: actors[2].impulsive_to: 'hub' is not a known adversary"
    ]


def test_impulsive_probability_and_tolerance_ranges() -> None:
    bad = SMALL.replace(
        ALLY,
        "  - {id: ally, name: Ally State, kind: partner, protection: 0.8, impulsive: 1.5,"
        " impulsive_to: adv, tolerance: {allies: -1, adversaries: [hub]}}\n",
    )
    line = _line_of(bad, "impulsive: 1.5")
    assert sorted(_errors(bad)) == sorted(
        [
            f"world.yaml:{line}: actors[2].impulsive: 1.5 is above 1.0",
            f"world.yaml:{line}: actors[2].tolerance.allies: -1 is below 0",
        ]
    )


def test_decision_quantile_in_the_model() -> None:
    text = SMALL.replace(
        "  default_max_risk: 0.05\n", "  default_max_risk: 0.05\n  decision_quantile: 0.5\n"
    )
    assert parse_scenario(text, "world.yaml").world.model.decision_quantile == 0.5
    assert parse_scenario(SMALL, "world.yaml").world.model.decision_quantile == 0.95
    bad = SMALL.replace(
        "  default_max_risk: 0.05\n", "  default_max_risk: 0.05\n  decision_quantile: 1.0\n"
    )
    line = _line_of(bad, "decision_quantile")
    assert _errors(bad) == [f"world.yaml:{line}: model.decision_quantile: 1.0 must be below 1.0"]
