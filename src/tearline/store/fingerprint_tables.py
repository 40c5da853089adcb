"""Tables of fingerprinted releases: what tracing a leak needs (``docs/fingerprinting.md``).

* ``fingerprint_streams``     one row per base text released: the report and version it is
  a copy of, the plain base text, its slot layout (JSON) and the code parameters. Every
  copy of the same base text belongs to the same stream, so evidence about its recipients
  accumulates across leaks.
* ``fingerprint_recipients``  one row per (stream, partner): the partner's random secret in
  that stream (its codeword needs this *and* the key file), and the public fingerprint id
  that the release rows and ledger leaves carry.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import DateTime, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tearline.store.tables import ID, Base


class FingerprintStreamRow(Base):
    __tablename__ = "fingerprint_streams"
    __table_args__ = (
        UniqueConstraint("report_id", "version", "text_sha256", name="uq_fingerprint_streams_text"),
    )
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    report_id: Mapped[str] = mapped_column(ID, ForeignKey("reports.id"))
    version: Mapped[str] = mapped_column(String(20))
    # SHA-256 of the text the stream was made from (declared slots included).
    text_sha256: Mapped[str] = mapped_column(String(64))
    base_text: Mapped[str] = mapped_column(Text)
    layout: Mapped[dict[str, Any]] = mapped_column()
    code: Mapped[dict[str, Any]] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class FingerprintRecipientRow(Base):
    __tablename__ = "fingerprint_recipients"
    __table_args__ = (UniqueConstraint("fingerprint_id", name="uq_fingerprint_recipients_id"),)
    stream_id: Mapped[str] = mapped_column(
        ID, ForeignKey("fingerprint_streams.id"), primary_key=True
    )
    partner_id: Mapped[str] = mapped_column(ID, ForeignKey("actors.id"), primary_key=True)
    secret: Mapped[bytes] = mapped_column(LargeBinary)
    fingerprint_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
