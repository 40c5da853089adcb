"""Tables of the system of record: the audit trail, recalls and superseded report versions.

* ``audit_log``        one row per act: who, when, what, on what, why, with its details. Append
  only: migration 0007 installs triggers that refuse UPDATE and DELETE on both databases, and
  every row has a leaf in the ledger (``audit-<id>``), so a row removed behind the triggers'
  back is found by ``tearline ledger verify``.
* ``recalls``          a recall of a release, and the delivery that carried it to the partner.
* ``report_versions``  every superseded version of a report, as it was (the current version
  lives in ``reports``); copies name the version they were made from.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tearline.store.tables import ID, Base


class AuditRow(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    who: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(50))
    subject: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON)


class RecallRow(Base):
    __tablename__ = "recalls"
    release_id: Mapped[str] = mapped_column(ID, ForeignKey("releases.id"), primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    who: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    # The release whose copy carried the notice to the partner (None: not yet delivered).
    delivered_in: Mapped[str | None] = mapped_column(ID)


class ReportVersionRow(Base):
    __tablename__ = "report_versions"
    report_id: Mapped[str] = mapped_column(ID, ForeignKey("reports.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    sources: Mapped[list[Any]] = mapped_column(JSON)
    superseded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
