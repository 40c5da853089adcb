"""Fingerprint streams and recipients' secrets in the database. Never commits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tearline.store.fingerprint_tables import FingerprintRecipientRow, FingerprintStreamRow
from tearline.store.tables import ReleaseRow


@dataclass(frozen=True, slots=True)
class StoredStream:
    id: str
    report: str
    version: str
    base_text: str
    layout: dict[str, Any]
    code: dict[str, Any]
    recipients: dict[str, bytes]  # partner → secret


class FingerprintStore:
    def __init__(self, session: Session) -> None:
        self.session = session

    def stream_id(self, report: str, version: str, text_sha256: str) -> str | None:
        return self.session.scalar(
            select(FingerprintStreamRow.id).where(
                FingerprintStreamRow.report_id == report,
                FingerprintStreamRow.version == version,
                FingerprintStreamRow.text_sha256 == text_sha256,
            )
        )

    def layout(self, stream_id: str) -> tuple[str, dict[str, Any], dict[str, Any]]:
        row = self.session.get_one(FingerprintStreamRow, stream_id)
        return row.base_text, dict(row.layout), dict(row.code)

    def add_stream(
        self,
        *,
        stream_id: str,
        report: str,
        version: str,
        text_sha256: str,
        base_text: str,
        layout: dict[str, Any],
        code: dict[str, Any],
        at: dt.datetime,
    ) -> None:
        self.session.add(
            FingerprintStreamRow(
                id=stream_id,
                report_id=report,
                version=version,
                text_sha256=text_sha256,
                base_text=base_text,
                layout=layout,
                code=code,
                created_at=at,
            )
        )
        self.session.flush()

    def recipient(self, stream_id: str, partner: str) -> tuple[bytes, str] | None:
        row = self.session.get(FingerprintRecipientRow, (stream_id, partner))
        return None if row is None else (row.secret, row.fingerprint_id)

    def recipients(self, stream_id: str) -> dict[str, bytes]:
        """Every recipient of a stream with its secret."""
        rows = self.session.scalars(
            select(FingerprintRecipientRow).where(FingerprintRecipientRow.stream_id == stream_id)
        )
        return {r.partner_id: r.secret for r in rows}

    def add_recipient(
        self, *, stream_id: str, partner: str, secret: bytes, fingerprint_id: str, at: dt.datetime
    ) -> None:
        self.session.add(
            FingerprintRecipientRow(
                stream_id=stream_id,
                partner_id=partner,
                secret=secret,
                fingerprint_id=fingerprint_id,
                created_at=at,
            )
        )
        self.session.flush()

    def streams(self) -> list[StoredStream]:
        """Every stream with its recipients, for tracing."""
        secrets: dict[str, dict[str, bytes]] = {}
        for r in self.session.scalars(select(FingerprintRecipientRow)):
            secrets.setdefault(r.stream_id, {})[r.partner_id] = r.secret
        return [
            StoredStream(
                s.id,
                s.report_id,
                s.version,
                s.base_text,
                dict(s.layout),
                dict(s.code),
                secrets.get(s.id, {}),
            )
            for s in self.session.scalars(
                select(FingerprintStreamRow).order_by(FingerprintStreamRow.id)
            )
        ]

    def releases(self, stream_ids: Iterable[str], partner: str) -> list[str]:
        """The releases that carried ``partner``'s fingerprint in these streams, by time."""
        ids = select(FingerprintRecipientRow.fingerprint_id).where(
            FingerprintRecipientRow.partner_id == partner,
            FingerprintRecipientRow.stream_id.in_(list(stream_ids)),
        )
        return list(
            self.session.scalars(
                select(ReleaseRow.id)
                .where(ReleaseRow.fingerprint_id.in_(ids), ReleaseRow.partner_id == partner)
                .order_by(ReleaseRow.at, ReleaseRow.id)
            )
        )

    def has_streams(self) -> bool:
        return self.session.scalar(select(FingerprintStreamRow.id).limit(1)) is not None
