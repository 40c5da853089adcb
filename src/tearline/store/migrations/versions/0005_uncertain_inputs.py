"""Uncertain inputs: beliefs about tie planes and protection, impulsiveness and
cascade tolerances (issue 19).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("actors") as batch:
        batch.add_column(sa.Column("behaviour", sa.JSON(), nullable=True))
    with op.batch_alter_table("ties") as batch:
        batch.add_column(sa.Column("beliefs", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ties") as batch:
        batch.drop_column("beliefs")
    with op.batch_alter_table("actors") as batch:
        batch.drop_column("behaviour")
