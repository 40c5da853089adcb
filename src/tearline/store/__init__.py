"""Persistence: SQLAlchemy models, Alembic migrations, repositories, keys."""

from tearline.store.database import make_engine, migrate, normalise_url, unit_of_work
from tearline.store.identity import IdentityCipher
from tearline.store.repository import WorldRepository

__all__ = [
    "IdentityCipher",
    "WorldRepository",
    "make_engine",
    "migrate",
    "normalise_url",
    "unit_of_work",
]
