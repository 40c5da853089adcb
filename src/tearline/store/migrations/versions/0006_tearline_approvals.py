"""Approvals of unverified tearlines, and the approval each released copy used.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

ID = sa.String(200)


def upgrade() -> None:
    op.create_table(
        "tearline_approvals",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("report_id", ID, sa.ForeignKey("reports.id"), nullable=False),
        sa.Column("partner_id", ID, sa.ForeignKey("actors.id"), nullable=False),
        sa.Column("target_k", sa.Float(), nullable=False),
        sa.Column("text_sha256", sa.String(64), nullable=False),
        sa.Column("reviewer", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("review", sa.JSON(), nullable=False),
    )
    op.create_index(
        "ix_tearline_approvals_text",
        "tearline_approvals",
        ["report_id", "partner_id", "text_sha256"],
    )
    op.create_table(
        "release_approvals",
        sa.Column("release_id", ID, sa.ForeignKey("releases.id"), primary_key=True),
        sa.Column(
            "approval_id", sa.Integer(), sa.ForeignKey("tearline_approvals.id"), nullable=False
        ),
    )


def downgrade() -> None:
    op.drop_table("release_approvals")
    op.drop_index("ix_tearline_approvals_text", table_name="tearline_approvals")
    op.drop_table("tearline_approvals")
