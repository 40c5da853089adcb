"""Alembic environment: tearline always passes its own connection in."""

from __future__ import annotations

from alembic import context

from tearline.store.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only when run by hand without tearline
    raise RuntimeError("run migrations through tearline (tearline init), not the alembic CLI")

context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
