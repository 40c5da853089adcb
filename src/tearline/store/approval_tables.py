"""Approvals of unverified tearlines (``docs/sanitize.md``, "Unverified k").

* ``tearline_approvals``  a named reviewer's approval of one exact tearline text
  (its SHA-256) of one report for one partner, with the reason and the spans
  the sanitiser left for review. Rows are never updated: a new text needs a
  new approval.
* ``release_approvals``   which approval a released tearline copy used.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tearline.store.tables import ID, Base


class TearlineApprovalRow(Base):
    __tablename__ = "tearline_approvals"
    __table_args__ = (
        Index("ix_tearline_approvals_text", "report_id", "partner_id", "text_sha256"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    report_id: Mapped[str] = mapped_column(ID, ForeignKey("reports.id"))
    partner_id: Mapped[str] = mapped_column(ID, ForeignKey("actors.id"))
    target_k: Mapped[float] = mapped_column(Float)
    # SHA-256 of the tearline as it leaves: header fields and body (Sanitized.released).
    text_sha256: Mapped[str] = mapped_column(String(64))
    reviewer: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    review: Mapped[list[Any]] = mapped_column(JSON)


class ReleaseApprovalRow(Base):
    __tablename__ = "release_approvals"
    release_id: Mapped[str] = mapped_column(ID, ForeignKey("releases.id"), primary_key=True)
    approval_id: Mapped[int] = mapped_column(Integer, ForeignKey("tearline_approvals.id"))
