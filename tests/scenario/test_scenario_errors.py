"""Every kind of validation error names the file, the line and the field."""

from __future__ import annotations

import pytest

from tearline.domain import ScenarioError
from tearline.scenario import KnownIds, parse_scenario
from tests.samples import SMALL


def _errors(text: str, known: KnownIds | None = None) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "world.yaml", known=known)
    return [issue.render() for issue in caught.value.issues]


def _line_of(text: str, fragment: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if fragment in line:
            return number
    raise AssertionError(fragment)


def test_value_above_range_names_file_line_and_field() -> None:
    bad = SMALL.replace("military: 0.3, intelligence: 0.2}", "military: 1.4, intelligence: 0.2}")
    line = _line_of(bad, "military: 1.4")
    assert _errors(bad) == [f"world.yaml:{line}: ties[1].military: 1.4 is above 1.0"]


def test_value_below_range() -> None:
    bad = SMALL.replace("protection: 0.8}", "protection: -0.1}")
    line = _line_of(bad, "protection: -0.1")
    assert _errors(bad) == [f"world.yaml:{line}: actors[2].protection: -0.1 is below 0.0"]


def test_wrong_type() -> None:
    bad = SMALL.replace("population: 12000", "population: many")
    line = _line_of(bad, "population: many")
    assert _errors(bad) == [
        f"world.yaml:{line}: sources[0].population: 'many' is not a whole number"
    ]


def test_missing_field_points_at_the_item() -> None:
    bad = SMALL.replace(
        "  - {id: ally, name: Ally State, kind: partner, protection: 0.8}\n",
        "  - {id: ally, kind: partner}\n",
    )
    line = _line_of(bad, "id: ally, kind: partner")
    assert _errors(bad) == [f"world.yaml:{line}: actors[2].protection: required field is missing"]


def test_unknown_field() -> None:
    bad = SMALL.replace("    codename: KESTREL\n", "    codename: KESTREL\n    colour: red\n")
    line = _line_of(bad, "colour: red")
    assert _errors(bad) == [f"world.yaml:{line}: sources[0].colour: unknown field"]


def test_bad_enum_value() -> None:
    bad = SMALL.replace("kind: adversary", "kind: enemy")
    line = _line_of(bad, "kind: enemy")
    (message,) = _errors(bad)
    assert message.startswith(f"world.yaml:{line}: actors[3].kind: 'enemy' is not one of")


def test_bad_date() -> None:
    bad = SMALL.replace("as_of: 2024-01-01, diplomatic: 0.2", "as_of: yesterday, diplomatic: 0.2")
    line = _line_of(bad, "as_of: yesterday")
    assert _errors(bad) == [
        f"world.yaml:{line}: ties[0].as_of: 'yesterday' is not a date (write YYYY-MM-DD)"
    ]


def test_unknown_reference_in_every_section() -> None:
    bad = (
        SMALL.replace("members: [hub, ally]", "members: [hub, atlantis]")
        .replace("{from: ally, to: hub", "{from: ally, to: nowhere")
        .replace("threatened_by: [adv]", "threatened_by: [ghost]")
        .replace("sources: [src-kestrel]", "sources: [src-nobody]")
        .replace("applies_to: [alliance]", "applies_to: [club]")
        .replace("{report: rep-1, partner: hub", "{report: rep-9, partner: hub")
    )
    assert _errors(bad) == [
        f"world.yaml:{_line_of(bad, 'atlantis')}: groups[0].members[1]: unknown actor or group 'atlantis'",
        f"world.yaml:{_line_of(bad, 'nowhere')}: ties[2].to: unknown actor 'nowhere'",
        f"world.yaml:{_line_of(bad, 'ghost')}: sources[0].threatened_by[0]: unknown actor 'ghost'",
        f"world.yaml:{_line_of(bad, 'src-nobody')}: reports[0].sources[0]: unknown source 'src-nobody'",
        f"world.yaml:{_line_of(bad, '[club]')}: protocols[0].applies_to[0]: unknown actor or group 'club'",
        f"world.yaml:{_line_of(bad, 'rep-9')}: releases[0].report: release of unknown report 'rep-9'",
    ]


def test_threat_must_be_an_adversary() -> None:
    bad = SMALL.replace("threatened_by: [adv]", "threatened_by: [hub]")
    assert _errors(bad) == [
        f"world.yaml:{_line_of(bad, '[hub]')}: sources[0].threatened_by[0]: 'hub' is a partner, not an adversary"
    ]


def test_duplicate_ids() -> None:
    bad = (
        SMALL.replace("{id: ally, name: Ally State", "{id: hub, name: Ally State")
        .replace("members: [hub, ally]", "members: [hub]")
        .replace("{from: ally, to: hub", "{from: hub, to: home")
        .replace("partner: ally", "partner: hub")
    )
    line = _line_of(bad, "name: Ally State")
    first = _line_of(bad, "name: Hub State")
    assert first < line
    assert _errors(bad) == [
        f"world.yaml:{line}: actors[2].id: duplicate id 'hub' (already used in actors[1])"
    ]


def test_actor_and_group_share_a_namespace() -> None:
    bad = SMALL.replace("{id: everyone,", "{id: hub,")
    line = _line_of(bad, "{id: hub, members")
    assert (
        f"world.yaml:{line}: groups[1].id: duplicate id 'hub' (already used in actors[1])"
        in _errors(bad)
    )


def test_duplicate_against_the_database() -> None:
    known = KnownIds(actors={"home": "originator"})
    (message,) = _errors(SMALL, known)
    assert message == (
        f"world.yaml:{_line_of(SMALL, 'id: home')}: actors[0].id: duplicate id 'home' (already in the database)"
    )


def test_duplicate_release() -> None:
    bad = SMALL.replace(
        "  - {id: rel-two,",
        "  - {report: rep-1, partner: hub, version: full, at: 2025-03-21T09:30:00Z}\n  - {id: rel-two,",
    )
    (message,) = _errors(bad)
    assert "releases[1].at: duplicate release (same report, partner, version and time)" in message


def test_duplicate_yaml_key() -> None:
    bad = SMALL.replace("    codename: KESTREL\n", "    codename: KESTREL\n    codename: HAWK\n")
    line = _line_of(bad, "codename: HAWK")
    assert _errors(bad) == [f"world.yaml:{line}: sources[0].codename: duplicate key"]


def test_group_cycle() -> None:
    bad = SMALL.replace("members: [hub, ally]", "members: [hub, ally, everyone]")
    assert _errors(bad) == [
        f"world.yaml:{_line_of(bad, 'id: alliance')}: groups[0].members: group 'alliance' contains itself (a membership cycle)",
        f"world.yaml:{_line_of(bad, 'id: everyone')}: groups[1].members: group 'everyone' contains itself (a membership cycle)",
    ]


def test_generalization_must_be_coarser() -> None:
    bad = SMALL.replace(
        "{value: the defence sector, selectivity: 0.8}",
        "{value: the defence sector, selectivity: 0.25}",
    )
    line = _line_of(bad, "selectivity: 0.25")
    assert _errors(bad) == [
        f"world.yaml:{line}: sources[0].attributes[0].generalizations[1].selectivity: 0.25 is not "
        "coarser than 0.3: a generalization's selectivity must be larger than what it generalises"
    ]


def test_generalization_equal_selectivity_is_not_coarser() -> None:
    bad = SMALL.replace(
        "{value: the defence ministry, selectivity: 0.3}",
        "{value: the defence ministry, selectivity: 0.02}",
    )
    (message,) = _errors(bad)
    assert "generalizations[0].selectivity: 0.02 is not coarser than 0.02" in message


def test_capacity_only_for_adversaries() -> None:
    bad = SMALL.replace(
        "kind: partner, protection: 0.8}", "kind: partner, protection: 0.8, capacity: 3}"
    )
    (message,) = _errors(bad)
    assert message.endswith("actors[2].capacity: only adversaries have a capacity")


def test_self_tie() -> None:
    bad = SMALL.replace("{from: ally, to: hub", "{from: ally, to: ally")
    (message,) = _errors(bad)
    assert message.endswith("ties[2].to: a tie cannot join an actor to itself")


def test_release_to_the_originator() -> None:
    bad = SMALL.replace("partner: ally, version: tearline", "partner: home, version: tearline")
    (message,) = _errors(bad)
    assert message.endswith("releases[1].partner: 'home' is the originator")


def test_all_problems_are_reported_together_in_file_order() -> None:
    bad = SMALL.replace("threatened_by: [adv]", "threatened_by: [ghost]").replace(
        "{from: ally, to: hub", "{from: ally, to: nowhere"
    )
    messages = _errors(bad)
    assert len(messages) == 2
    assert "ties[2].to" in messages[0]
    assert "threatened_by" in messages[1]


def test_invalid_yaml_names_the_line() -> None:
    bad = SMALL.replace("    codename: KESTREL\n", "    codename: [KESTREL\n")
    (message,) = _errors(bad)
    assert message.startswith("world.yaml:")
    assert "invalid YAML" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "a scenario must be a mapping"),
        ("- a\n- b\n", "a scenario must be a mapping"),
        ("actors: []\n", "missing format version"),
        ("tearline: 2\n", "unsupported format version 2"),
    ],
)
def test_top_level_shape(text: str, expected: str) -> None:
    (message,) = _errors(text)
    assert expected in message


def test_permit_rules_may_not_loosen_with_risk() -> None:
    bad = SMALL.replace(
        "{id: full-low-risk, effect: permit, release: full, when: {marginal_risk_below: 0.0001}}",
        "{id: full-low-risk, effect: permit, release: full, when: {reach_above: 0.5}}",
    )
    (message,) = _errors(bad)
    assert "protocols[0].rules[1].when.reach_above: a permit rule cannot use reach_above" in message


def test_forbid_rules_may_not_fire_on_safety() -> None:
    bad = SMALL.replace(
        "{id: no-noforn, effect: forbid, when: {controls: [NOFORN]}}",
        "{id: no-noforn, effect: forbid, when: {k_at_least: 10}}",
    )
    (message,) = _errors(bad)
    assert "protocols[0].rules[0].when.k_at_least: a forbid rule cannot use k_at_least" in message
