"""SQLAlchemy 2 table models. The schema itself is owned by the Alembic
migrations in ``migrations/versions``; a test checks the two agree."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

ID = String(200)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class MetaRow(Base):
    """Key/value settings of the world (the scenario's model parameters)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON)


class ActorRow(Base):
    __tablename__ = "actors"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))
    protection: Mapped[float] = mapped_column(Float)
    capacity: Mapped[int | None] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text, default="")
    # Uncertain protection, impulsiveness, cascade tolerance (store/behaviour.py).
    behaviour: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class GroupRow(Base):
    __tablename__ = "groups"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")


class GroupMemberRow(Base):
    """Members are actor or group ids (one namespace), so no foreign key."""

    __tablename__ = "group_members"
    group_id: Mapped[str] = mapped_column(ID, ForeignKey("groups.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[str] = mapped_column(ID)


class TieRow(Base):
    __tablename__ = "ties"
    __table_args__ = (UniqueConstraint("source_id", "target_id", "as_of", name="uq_tie_pair_date"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source_id: Mapped[str] = mapped_column(ID, ForeignKey("actors.id"))
    target_id: Mapped[str] = mapped_column(ID, ForeignKey("actors.id"))
    as_of: Mapped[dt.date] = mapped_column(Date)
    diplomatic: Mapped[float] = mapped_column(Float)
    trade: Mapped[float] = mapped_column(Float)
    military: Mapped[float] = mapped_column(Float)
    intelligence: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    beliefs: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # uncertain planes


class SourceRow(Base):
    """``identity_ciphertext`` is AES-GCM under the home's identity key; the
    plaintext identity is never stored."""

    __tablename__ = "sources"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    codename: Mapped[str] = mapped_column(Text)
    population: Mapped[int] = mapped_column(Integer)
    threatened_by: Mapped[list[Any]] = mapped_column(JSON)
    identity_nonce: Mapped[bytes | None] = mapped_column(LargeBinary)
    identity_ciphertext: Mapped[bytes | None] = mapped_column(LargeBinary)
    max_risk: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text, default="")


class AttributeRow(Base):
    __tablename__ = "attributes"
    source_id: Mapped[str] = mapped_column(ID, ForeignKey("sources.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(ID)
    kind: Mapped[str] = mapped_column(String(50))
    value: Mapped[str] = mapped_column(Text)
    selectivity: Mapped[float] = mapped_column(Float)
    generalizations: Mapped[list[Any]] = mapped_column(JSON)
    mentions: Mapped[list[Any]] = mapped_column(JSON)


class ReportRow(Base):
    __tablename__ = "reports"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(100))
    classification: Mapped[str] = mapped_column(String(100))
    controls: Mapped[list[Any]] = mapped_column(JSON)
    approved_for: Mapped[list[Any]] = mapped_column(JSON)
    originator_id: Mapped[str | None] = mapped_column(ID, ForeignKey("actors.id"))
    date: Mapped[dt.date | None] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    # Amending a report makes a new version; superseded ones are kept (audit_tables).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class ReportSourceRow(Base):
    __tablename__ = "report_sources"
    report_id: Mapped[str] = mapped_column(ID, ForeignKey("reports.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[str] = mapped_column(ID, ForeignKey("sources.id"))


class ProtocolRow(Base):
    """Every version of a protocol is kept; the highest is in force."""

    __tablename__ = "protocols"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    recorded_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str] = mapped_column(Text, default="")


class ReleaseRow(Base):
    __tablename__ = "releases"
    __table_args__ = (
        Index("ix_releases_report", "report_id"),
        Index("ix_releases_partner", "partner_id"),
        Index("ix_releases_fingerprint", "fingerprint_id"),
    )
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    report_id: Mapped[str] = mapped_column(ID, ForeignKey("reports.id"))
    partner_id: Mapped[str] = mapped_column(ID, ForeignKey("actors.id"))
    version: Mapped[str] = mapped_column(String(20))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    note: Mapped[str] = mapped_column(Text, default="")
    # The copy that left (None for releases loaded from a scenario's history).
    content: Mapped[str | None] = mapped_column(Text)
    content_sha256: Mapped[str | None] = mapped_column(String(64))
    decision_id: Mapped[int | None] = mapped_column(Integer)
    # The fingerprint embedded in the copy (fingerprint_recipients.fingerprint_id).
    fingerprint_id: Mapped[str | None] = mapped_column(String(64))
    # The report version the copy was made from (None: imported, made before versions).
    report_version: Mapped[int | None] = mapped_column(Integer)
    # "release" (decided), "override" (duty to warn, a named approver) or "imported".
    origin: Mapped[str] = mapped_column(String(20), default="release", server_default="release")


class DecisionRow(Base):
    """Every decision made, with the protocol versions and figures behind it."""

    __tablename__ = "decisions"
    __table_args__ = (Index("ix_decisions_pair", "report_id", "partner_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    report_id: Mapped[str] = mapped_column(ID, ForeignKey("reports.id"))
    partner_id: Mapped[str] = mapped_column(ID, ForeignKey("actors.id"))
    outcome: Mapped[str] = mapped_column(String(20))
    as_of: Mapped[dt.date] = mapped_column(Date)
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    purpose: Mapped[str] = mapped_column(String(20))
    protocols: Mapped[list[Any]] = mapped_column(JSON)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    reasons: Mapped[list[Any]] = mapped_column(JSON)


from tearline.store import approval_tables as _approval_tables  # noqa: E402, F401  (register the approval tables)
from tearline.store import audit_tables as _audit_tables  # noqa: E402, F401  (register the audit tables)
from tearline.store import fingerprint_tables as _fingerprint_tables  # noqa: E402, F401  (register the fingerprint tables)
from tearline.store import ledger_tables as _ledger_tables  # noqa: E402, F401  (register the ledger tables)
