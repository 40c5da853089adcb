"""The initial tearline schema: the world (actors to releases).

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.String(200)


def upgrade() -> None:
    op.create_table(
        "meta",
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("value", sa.JSON(), nullable=False),
    )
    op.create_table(
        "actors",
        sa.Column("id", ID, primary_key=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("protection", sa.Float(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
    )
    op.create_table(
        "groups",
        sa.Column("id", ID, primary_key=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
    )
    op.create_table(
        "group_members",
        sa.Column("group_id", ID, sa.ForeignKey("groups.id"), primary_key=True),
        sa.Column("position", sa.Integer(), primary_key=True),
        sa.Column("member_id", ID, nullable=False),
    )
    op.create_table(
        "ties",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("source_id", ID, sa.ForeignKey("actors.id"), nullable=False),
        sa.Column("target_id", ID, sa.ForeignKey("actors.id"), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("diplomatic", sa.Float(), nullable=False),
        sa.Column("trade", sa.Float(), nullable=False),
        sa.Column("military", sa.Float(), nullable=False),
        sa.Column("intelligence", sa.Float(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.UniqueConstraint("source_id", "target_id", "as_of", name="uq_tie_pair_date"),
    )
    op.create_table(
        "sources",
        sa.Column("id", ID, primary_key=True),
        sa.Column("codename", sa.Text(), nullable=False),
        sa.Column("population", sa.Integer(), nullable=False),
        sa.Column("threatened_by", sa.JSON(), nullable=False),
        sa.Column("identity_nonce", sa.LargeBinary(), nullable=True),
        sa.Column("identity_ciphertext", sa.LargeBinary(), nullable=True),
        sa.Column("max_risk", sa.Float(), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
    )
    op.create_table(
        "attributes",
        sa.Column("source_id", ID, sa.ForeignKey("sources.id"), primary_key=True),
        sa.Column("position", sa.Integer(), primary_key=True),
        sa.Column("name", ID, nullable=False),
        sa.Column("kind", sa.String(50), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("selectivity", sa.Float(), nullable=False),
        sa.Column("generalizations", sa.JSON(), nullable=False),
        sa.Column("mentions", sa.JSON(), nullable=False),
    )
    op.create_table(
        "reports",
        sa.Column("id", ID, primary_key=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("category", sa.String(100), nullable=False),
        sa.Column("classification", sa.String(100), nullable=False),
        sa.Column("controls", sa.JSON(), nullable=False),
        sa.Column("approved_for", sa.JSON(), nullable=False),
        sa.Column("originator_id", ID, sa.ForeignKey("actors.id"), nullable=True),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
    )
    op.create_table(
        "report_sources",
        sa.Column("report_id", ID, sa.ForeignKey("reports.id"), primary_key=True),
        sa.Column("position", sa.Integer(), primary_key=True),
        sa.Column("source_id", ID, sa.ForeignKey("sources.id"), nullable=False),
    )
    op.create_table(
        "protocols",
        sa.Column("id", ID, primary_key=True),
        sa.Column("version", sa.Integer(), primary_key=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
    )
    op.create_table(
        "releases",
        sa.Column("id", ID, primary_key=True),
        sa.Column("report_id", ID, sa.ForeignKey("reports.id"), nullable=False),
        sa.Column("partner_id", ID, sa.ForeignKey("actors.id"), nullable=False),
        sa.Column("version", sa.String(20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
    )
    op.create_index("ix_releases_report", "releases", ["report_id"])
    op.create_index("ix_releases_partner", "releases", ["partner_id"])


def downgrade() -> None:
    op.drop_index("ix_releases_partner", table_name="releases")
    op.drop_index("ix_releases_report", table_name="releases")
    for table in (
        "releases",
        "protocols",
        "report_sources",
        "reports",
        "attributes",
        "sources",
        "ties",
        "group_members",
        "groups",
        "actors",
        "meta",
    ):
        op.drop_table(table)
