"""Shared fixtures: a throwaway home, and the store on SQLite and PostgreSQL.

PostgreSQL tests use ``TEARLINE_TEST_PG_URL`` (default: this machine's server
at postgresql://postgres@127.0.0.1:5432/test), each in a schema of its own
that is dropped afterwards; they skip, saying why, when no server answers.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from tearline.settings import Settings
from tearline.store.database import make_engine, migrate, sqlite_url

PG_URL = os.environ.get("TEARLINE_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _postgres_unavailable() -> str | None:
    try:
        import psycopg

        with psycopg.connect(PG_URL, connect_timeout=3) as connection:
            connection.execute("select 1")
    except Exception as exc:  # any failure means: skip, with the reason
        return f"PostgreSQL does not answer at {PG_URL}: {exc.__class__.__name__}: {exc}"
    return None


_PG_REASON = _postgres_unavailable()


@pytest.fixture(autouse=True, scope="session")
def _acting_person() -> Iterator[None]:
    """Commands that change the record need a named person (DESIGN.md "Who acts"); tests act
    as one (session-wide, so module fixtures that load worlds act as one too). Tests of the
    missing-name refusal delete it with monkeypatch."""
    before = os.environ.get("TEARLINE_USER")
    os.environ["TEARLINE_USER"] = "test-officer"
    yield
    if before is None:
        os.environ.pop("TEARLINE_USER", None)
    else:
        os.environ["TEARLINE_USER"] = before


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty TEARLINE_HOME; TEARLINE_DB_URL cleared so SQLite is used."""
    monkeypatch.setenv("TEARLINE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("TEARLINE_DB_URL", raising=False)
    return tmp_path / "home"


@pytest.fixture
def pg_schema_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards."""
    if _PG_REASON:
        pytest.skip(_PG_REASON)
    schema = f"tl_test_{uuid.uuid4().hex[:12]}"
    admin = make_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return sqlite_url(tmp_path / "store.db")
    return str(request.getfixturevalue("pg_schema_url"))


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def settings(home: Path) -> Settings:
    return Settings.resolve(home, environ={})
