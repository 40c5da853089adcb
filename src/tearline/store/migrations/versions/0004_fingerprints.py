"""Fingerprinted copies: streams, recipients' secrets, and the fingerprint of each release.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

ID = sa.String(200)


def upgrade() -> None:
    op.create_table(
        "fingerprint_streams",
        sa.Column("id", ID, primary_key=True),
        sa.Column("report_id", ID, sa.ForeignKey("reports.id"), nullable=False),
        sa.Column("version", sa.String(20), nullable=False),
        sa.Column("text_sha256", sa.String(64), nullable=False),
        sa.Column("base_text", sa.Text(), nullable=False),
        sa.Column("layout", sa.JSON(), nullable=False),
        sa.Column("code", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint(
            "report_id", "version", "text_sha256", name="uq_fingerprint_streams_text"
        ),
    )
    op.create_table(
        "fingerprint_recipients",
        sa.Column("stream_id", ID, sa.ForeignKey("fingerprint_streams.id"), primary_key=True),
        sa.Column("partner_id", ID, sa.ForeignKey("actors.id"), primary_key=True),
        sa.Column("secret", sa.LargeBinary(), nullable=False),
        sa.Column("fingerprint_id", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("fingerprint_id", name="uq_fingerprint_recipients_id"),
    )
    with op.batch_alter_table("releases") as batch:
        batch.add_column(sa.Column("fingerprint_id", sa.String(64), nullable=True))
        batch.create_index("ix_releases_fingerprint", ["fingerprint_id"])


def downgrade() -> None:
    with op.batch_alter_table("releases") as batch:
        batch.drop_index("ix_releases_fingerprint")
        batch.drop_column("fingerprint_id")
    op.drop_table("fingerprint_recipients")
    op.drop_table("fingerprint_streams")
