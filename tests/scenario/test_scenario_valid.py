from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tearline.domain import ActorKind, Dimension, Uniform, Version
from tearline.domain.errors import ScenarioError
from tearline.scenario import dump_scenario, parse_scenario
from tests.samples import SMALL


def test_small_scenario_builds_the_world() -> None:
    scenario = parse_scenario(SMALL, "small.yaml")
    world = scenario.world
    assert scenario.sets_model
    assert world.counts() == {
        "actors": 4,
        "groups": 2,
        "ties": 3,
        "sources": 1,
        "reports": 1,
        "protocols": 1,
        "releases": 2,
    }
    assert world.actor("adv").kind is ActorKind.ADVERSARY
    assert world.actor("adv").capacity == 30
    assert world.group_members("everyone") == {"hub", "ally", "home"}
    kestrel = world.source("src-kestrel")
    assert kestrel.identity == "Colonel Ilya Varnov"
    employer = kestrel.attribute("employer")
    assert [g.selectivity for g in employer.generalizations] == [0.3, 0.8]
    assert employer.selectivity_at(0) == 0.02
    assert employer.selectivity_at(2) == 0.8
    assert employer.selectivity_at(3) == 1.0
    release = world.release("rel-two")
    assert release.version is Version.TEARLINE
    assert release.at == datetime(2025, 3, 22, tzinfo=UTC)
    assert world.protocol("alliance-standard").terms.valid_from == date(2025, 1, 1)
    assert world.report("rep-1").approved_for == ("alliance",)


def test_ties_in_force_take_the_latest_on_or_before_the_day() -> None:
    world = parse_scenario(SMALL).world
    hub_adv = {(t.source, t.target): t for t in world.ties_in_force(date(2024, 6, 1))}
    assert hub_adv[("hub", "adv")].diplomatic == 0.2
    hub_adv = {(t.source, t.target): t for t in world.ties_in_force(date(2025, 1, 1))}
    assert hub_adv[("hub", "adv")].diplomatic == 0.5
    assert world.ties_in_force(date(2023, 12, 31)) == ()
    assert len(world.tie_history("hub", "adv")) == 2


def test_unnamed_releases_get_stable_ids() -> None:
    first = parse_scenario(SMALL).world
    second = parse_scenario(SMALL).world
    ids = [r.id for r in first.releases]
    assert ids == [r.id for r in second.releases]
    assert ids[0].startswith("rel-")
    assert ids[1] == "rel-two"


def test_export_then_parse_is_identity() -> None:
    world = parse_scenario(SMALL).world
    again = parse_scenario(dump_scenario(world, include_identities=True)).world
    assert again == world


def test_export_without_identities_drops_them() -> None:
    world = parse_scenario(SMALL).world
    text = dump_scenario(world, include_identities=False)
    assert "Varnov" not in text
    assert parse_scenario(text).world == world.without_identities()


def test_numbers_in_exponent_form_are_numbers_as_in_yaml_1_2() -> None:
    # Regression: PyYAML (YAML 1.1) reads 1e-05 as text, so Python's own repr of a small
    # float was refused as "not a number" (and a range [1e-05, 0.5] as "a list").
    text = SMALL.replace(
        "{id: hub, name: Hub State, kind: partner, protection: 0.6}",
        "{id: hub, name: Hub State, kind: partner, protection: 6E-1}",
    ).replace("military: 0.3, intelligence: 0.2}", "military: 3e-1, intelligence: [1e-05, .5]}")
    assert text != SMALL
    world = parse_scenario(text).world
    assert world.actor("hub").protection == 0.6
    tie = next(t for t in world.ties if t.military == 0.3)
    assert tie.ranges == ((Dimension.INTELLIGENCE, Uniform(1e-05, 0.5)),)


def test_a_quoted_exponent_stays_text_and_is_not_a_number() -> None:
    text = SMALL.replace("protection: 0.6}", "protection: '6e-1'}", 1)
    assert text != SMALL
    with pytest.raises(ScenarioError, match="protection"):
        parse_scenario(text)
