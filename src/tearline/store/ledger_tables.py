"""Tables of the tamper-evident ledger (RFC 9162 §2.1 Merkle tree, signed tree heads).

* ``ledger_leaves``  one row per entry: its index, the release it records, the raw leaf bytes.
* ``ledger_nodes``   the hash of every *perfect* subtree ``(level, node_index)``, i.e. of the
  ``2**level`` leaves from ``node_index * 2**level``; level 0 holds the leaf hashes. A perfect
  subtree never changes once complete, so each row is written once, by the append that
  completes it, and any root or proof needs O(log n) of them (see ``ledger.compact``).
* ``ledger_heads``   every signed tree head, by size.
* ``ledger_state``   one row (id 1): the number of leaves. Writers lock it first, so appends
  are serialised on both databases.

Indices are BIGINT (INTEGER on SQLite, where an INTEGER primary key is the rowid itself).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer, LargeBinary, SmallInteger, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tearline.store.tables import ID, Base

LEDGER_STATE_ID = 1
"""The id of the single ``ledger_state`` row (inserted by migration 0002)."""

Index64 = BigInteger().with_variant(Integer(), "sqlite")


class LedgerStateRow(Base):
    __tablename__ = "ledger_state"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    size: Mapped[int] = mapped_column(Index64)


class LedgerLeafRow(Base):
    __tablename__ = "ledger_leaves"
    __table_args__ = (UniqueConstraint("release_id", name="uq_ledger_leaves_release"),)
    leaf_index: Mapped[int] = mapped_column(Index64, primary_key=True, autoincrement=False)
    release_id: Mapped[str] = mapped_column(ID)
    leaf: Mapped[bytes] = mapped_column(LargeBinary)


class LedgerNodeRow(Base):
    __tablename__ = "ledger_nodes"
    level: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    node_index: Mapped[int] = mapped_column(Index64, primary_key=True, autoincrement=False)
    digest: Mapped[bytes] = mapped_column(LargeBinary)


class LedgerHeadRow(Base):
    __tablename__ = "ledger_heads"
    size: Mapped[int] = mapped_column(Index64, primary_key=True, autoincrement=False)
    root: Mapped[bytes] = mapped_column(LargeBinary)
    timestamp_ms: Mapped[int] = mapped_column(BigInteger)
    key_id: Mapped[bytes] = mapped_column(LargeBinary)
    signature: Mapped[bytes] = mapped_column(LargeBinary)
