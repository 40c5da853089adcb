"""The store on both databases: write, read back, all-or-nothing, migrations."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, func, select

from tearline.domain import ScenarioError
from tearline.scenario import parse_scenario
from tearline.services.world import load_scenario
from tearline.store.database import head_revision, migrate, schema_revision, unit_of_work
from tearline.store.identity import IdentityCipher
from tearline.store.repository import WorldRepository
from tearline.store.tables import ActorRow, Base, SourceRow
from tests.samples import IDENTITY, SMALL

CIPHER = IdentityCipher(b"k" * 32)


def test_schema_from_migrations_matches_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []
    assert schema_revision(engine) == head_revision()


def test_migrate_is_idempotent(engine: Engine) -> None:
    migrate(engine)
    assert schema_revision(engine) == head_revision()


def test_world_round_trips_through_the_store(engine: Engine) -> None:
    world = parse_scenario(SMALL).world
    with unit_of_work(engine) as session:
        load_scenario(session, CIPHER, text=SMALL)
    with unit_of_work(engine) as session:
        repo = WorldRepository(session, CIPHER)
        assert repo.world(reveal=True) == world
        assert repo.world() == world.without_identities()


def test_identity_is_stored_encrypted(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        load_scenario(session, CIPHER, text=SMALL)
    with unit_of_work(engine) as session:
        row = session.get(SourceRow, "src-kestrel")
        assert row is not None
        assert row.identity_ciphertext is not None
        assert IDENTITY.encode() not in row.identity_ciphertext
    with unit_of_work(engine) as session:
        other = WorldRepository(session, IdentityCipher(b"x" * 32))
        with pytest.raises(Exception, match="cannot be decrypted"):
            other.world(reveal=True)


def test_a_bad_file_leaves_the_database_unchanged(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        load_scenario(session, CIPHER, text=SMALL)
    extra = SMALL.replace("id: home", "id: home2").replace("id: hub,", "id: hub2,")
    with pytest.raises(ScenarioError), unit_of_work(engine) as session:
        load_scenario(session, CIPHER, text=extra)
    with unit_of_work(engine) as session:
        assert session.scalar(select(func.count()).select_from(ActorRow)) == 4


def test_a_failure_after_writing_rolls_everything_back(engine: Engine) -> None:
    class BoomError(Exception):
        pass

    with pytest.raises(BoomError), unit_of_work(engine) as session:  # noqa: PT012
        load_scenario(session, CIPHER, text=SMALL)
        assert session.scalar(select(func.count()).select_from(ActorRow)) == 4
        raise BoomError
    with unit_of_work(engine) as session:
        assert session.scalar(select(func.count()).select_from(ActorRow)) == 0


def test_merge_may_refer_to_stored_ids(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        load_scenario(session, CIPHER, text=SMALL)
    more = """\
tearline: 1
ties:
  - {from: hub, to: adv, as_of: 2026-01-01, diplomatic: 0.7, intelligence: 0.4}
releases:
  - {report: rep-1, partner: ally, version: full, at: 2026-02-01T00:00:00Z}
"""
    with unit_of_work(engine) as session:
        load_scenario(session, CIPHER, text=more)
    with unit_of_work(engine) as session:
        world = WorldRepository(session).world()
    assert len(world.tie_history("hub", "adv")) == 3
    assert len(world.releases) == 3
    assert world.model.default_capacity == 40  # a file without model: keeps the stored one


def test_loading_the_same_file_twice_is_refused(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        load_scenario(session, CIPHER, text=SMALL)
    with pytest.raises(ScenarioError) as caught, unit_of_work(engine) as session:
        load_scenario(session, CIPHER, text=SMALL)
    assert any("already in the database" in issue.message for issue in caught.value.issues)


def test_replace_drops_the_old_world(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        load_scenario(session, CIPHER, text=SMALL)
    with unit_of_work(engine) as session:
        load_scenario(session, CIPHER, text=SMALL, replace=True)
    with unit_of_work(engine) as session:
        assert WorldRepository(session, CIPHER).world(reveal=True) == parse_scenario(SMALL).world
