"""Export then load into an empty database gives the same world (Hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from sqlalchemy import Engine

from tearline.domain import World
from tearline.scenario import dump_scenario, parse_scenario
from tearline.services.world import load_scenario
from tearline.store.database import unit_of_work
from tearline.store.identity import IdentityCipher
from tearline.store.repository import WorldRepository
from tests.strategies import worlds

CIPHER = IdentityCipher(bytes(range(32)))


@settings(max_examples=60, deadline=None)
@given(worlds(uncertain=True))
def test_scenario_text_round_trip(world: World) -> None:
    text = dump_scenario(world, include_identities=True)
    assert parse_scenario(text, "generated.yaml").world == world


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(world=worlds(uncertain=True))
def test_export_load_round_trip_through_the_database(engine: Engine, world: World) -> None:
    text = dump_scenario(world, include_identities=True)
    with unit_of_work(engine) as session:
        load_scenario(session, CIPHER, text=text, filename="generated.yaml", replace=True)
    with unit_of_work(engine) as session:
        stored = WorldRepository(session, CIPHER).world(reveal=True)
    assert stored == world
    # ...and exporting what was stored gives the same text again.
    assert dump_scenario(stored, include_identities=True) == text
