"""The tamper-evident ledger: leaves, perfect-subtree nodes, signed heads, writer lock.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

ID = sa.String(200)
# INTEGER on SQLite, so an integer primary key is the rowid itself.
INDEX64 = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    state = op.create_table(
        "ledger_state",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("size", INDEX64, nullable=False),
    )
    op.bulk_insert(state, [{"id": 1, "size": 0}])
    op.create_table(
        "ledger_leaves",
        sa.Column("leaf_index", INDEX64, primary_key=True, autoincrement=False),
        sa.Column("release_id", ID, nullable=False),
        sa.Column("leaf", sa.LargeBinary(), nullable=False),
        sa.UniqueConstraint("release_id", name="uq_ledger_leaves_release"),
    )
    op.create_table(
        "ledger_nodes",
        sa.Column("level", sa.SmallInteger(), primary_key=True, autoincrement=False),
        sa.Column("node_index", INDEX64, primary_key=True, autoincrement=False),
        sa.Column("digest", sa.LargeBinary(), nullable=False),
    )
    op.create_table(
        "ledger_heads",
        sa.Column("size", INDEX64, primary_key=True, autoincrement=False),
        sa.Column("root", sa.LargeBinary(), nullable=False),
        sa.Column("timestamp_ms", sa.BigInteger(), nullable=False),
        sa.Column("key_id", sa.LargeBinary(), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
    )


def downgrade() -> None:
    for table in ("ledger_heads", "ledger_nodes", "ledger_leaves", "ledger_state"):
        op.drop_table(table)
