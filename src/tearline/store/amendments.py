"""Changes to stored objects after the first load: protocol versions and retirement, source
fields, report versions. Never commits; each method returns what changed as
``{field: [before, after]}`` so the caller can show it and record it.

Refusals (unknown id, older version, nothing to change) raise before anything is written."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from tearline.domain.errors import ConflictError, NotFoundError
from tearline.domain.protocols import Protocol
from tearline.domain.reports import Report
from tearline.domain.sources import Attribute, Source
from tearline.scenario.convert import protocol_to_body
from tearline.store.audit_tables import ReportVersionRow
from tearline.store.identity import IdentityCipher
from tearline.store.repository import RETIRED
from tearline.store.tables import (
    AttributeRow,
    ProtocolRow,
    ReportRow,
    ReportSourceRow,
    SourceRow,
)

Changes = dict[str, list[Any]]


class Amender:
    def __init__(self, session: Session, cipher: IdentityCipher | None = None) -> None:
        self.session = session
        self.cipher = cipher

    # -- protocols ----------------------------------------------------------------------------

    def latest_protocol(self, ident: str) -> ProtocolRow:
        row = self.session.scalars(
            select(ProtocolRow).where(ProtocolRow.id == ident).order_by(ProtocolRow.version.desc())
        ).first()
        if row is None:
            raise NotFoundError("protocol", ident)
        return row

    def add_protocol_version(self, protocol: Protocol, *, at: dt.datetime, reason: str) -> Changes:
        latest = self.latest_protocol(protocol.id)
        if protocol.version <= latest.version:
            raise ConflictError(
                f"protocol {protocol.id!r} version {protocol.version} is not newer than the stored "
                f"version {latest.version}: an older version is refused (give version "
                f"{latest.version + 1})"
            )
        self._insert_protocol(
            protocol.id, protocol.version, protocol.name, protocol_to_body(protocol), at, reason
        )
        changes: Changes = {"version": [latest.version, protocol.version]}
        if latest.body.get(RETIRED):
            changes["retired"] = [True, False]
        return changes

    def retire_protocol(self, ident: str, *, at: dt.datetime, reason: str) -> Changes:
        latest = self.latest_protocol(ident)
        if latest.body.get(RETIRED):
            raise ConflictError(f"protocol {ident!r} is already retired (version {latest.version})")
        version = latest.version + 1
        body = {**latest.body, "version": version, RETIRED: True}
        self._insert_protocol(ident, version, latest.name, body, at, reason)
        return {"version": [latest.version, version], "retired": [False, True]}

    def _insert_protocol(
        self,
        ident: str,
        version: int,
        name: str,
        body: dict[str, Any],
        at: dt.datetime,
        reason: str,
    ) -> None:
        self.session.execute(
            insert(ProtocolRow),
            [
                {
                    "id": ident,
                    "version": version,
                    "name": name,
                    "body": body,
                    "recorded_at": at,
                    "reason": reason,
                }
            ],
        )

    # -- sources ------------------------------------------------------------------------------

    def source_row(self, ident: str) -> SourceRow:
        row = self.session.get(SourceRow, ident)
        if row is None:
            raise NotFoundError("source", ident)
        return row

    def set_source(
        self,
        ident: str,
        *,
        status: str | None = None,
        max_risk: float | None = None,
        population: int | None = None,
        selectivity: dict[str, float] | None = None,
    ) -> Changes:
        row = self.source_row(ident)
        changes: Changes = {}
        for name, value in (("status", status), ("max_risk", max_risk), ("population", population)):
            if value is not None and getattr(row, name) != value:
                changes[name] = [getattr(row, name), value]
                setattr(row, name, value)
        if selectivity:
            attributes = {
                a.name: a
                for a in self.session.scalars(
                    select(AttributeRow).where(AttributeRow.source_id == ident)
                )
            }
            for name, value in selectivity.items():
                attribute = attributes.get(name)
                if attribute is None:
                    raise NotFoundError(f"attribute of source {ident}", name)
                if attribute.selectivity != value:
                    changes[f"attributes.{name}.selectivity"] = [attribute.selectivity, value]
                    attribute.selectivity = value
        return changes

    def redefine_source(self, source: Source) -> Changes:
        """A stored source given again in full (from a scenario file): every field as given."""
        row = self.source_row(source.id)
        changes: Changes = {}
        fields: dict[str, Any] = {
            "codename": source.codename,
            "population": source.population,
            "threatened_by": list(source.threatened_by),
            "max_risk": source.max_risk,
            "status": source.status.value,
            "description": source.description,
        }
        for name, value in fields.items():
            if getattr(row, name) != value:
                changes[name] = [getattr(row, name), value]
                setattr(row, name, value)
        if source.identity is not None:
            if self.cipher is None:
                raise ConflictError("changing a source identity needs the home's identity key")
            row.identity_nonce, row.identity_ciphertext = self.cipher.encrypt(
                source.id, source.identity
            )
            changes["identity"] = ["(kept)", "(replaced, encrypted)"]
        before = [
            _attribute_view(a)
            for a in self.session.scalars(
                select(AttributeRow)
                .where(AttributeRow.source_id == source.id)
                .order_by(AttributeRow.position)
            )
        ]
        after = [_domain_attribute_view(a) for a in source.attributes]
        if before != after:
            changes["attributes"] = [[a["name"] for a in before], [a["name"] for a in after]]
            self.session.execute(delete(AttributeRow).where(AttributeRow.source_id == source.id))
            if after:
                self.session.execute(
                    insert(AttributeRow),
                    [{"source_id": source.id, "position": i, **a} for i, a in enumerate(after)],
                )
        return changes

    # -- reports ------------------------------------------------------------------------------

    def report_version(self, ident: str) -> int:
        row = self.session.get(ReportRow, ident)
        if row is None:
            raise NotFoundError("report", ident)
        return row.version

    def new_report_version(
        self, report: Report, *, version: int | None, at: dt.datetime
    ) -> Changes:
        """Keep the current version in ``report_versions`` and make ``report`` the next one
        (``version`` must then be higher than the stored one; None: the next number)."""
        row = self.session.get(ReportRow, report.id)
        if row is None:
            raise NotFoundError("report", report.id)
        new = row.version + 1 if version is None else version
        if new <= row.version:
            raise ConflictError(
                f"report {report.id!r} version {new} is not newer than the stored version "
                f"{row.version}: an older version is refused (give version {row.version + 1})"
            )
        old_sources = list(
            self.session.scalars(
                select(ReportSourceRow.source_id)
                .where(ReportSourceRow.report_id == report.id)
                .order_by(ReportSourceRow.position)
            )
        )
        self.session.execute(
            insert(ReportVersionRow),
            [
                {
                    "report_id": row.id,
                    "version": row.version,
                    "title": row.title,
                    "text": row.text,
                    "sources": old_sources,
                    "superseded_at": at,
                }
            ],
        )
        changes: Changes = {"version": [row.version, new]}
        fields: dict[str, Any] = {
            "title": report.title,
            "category": report.category,
            "classification": report.classification,
            "controls": list(report.controls),
            "approved_for": list(report.approved_for),
            "originator_id": report.originator,
            "date": report.date,
            "text": report.text,
        }
        for name, value in fields.items():
            if getattr(row, name) != value:
                old = getattr(row, name)
                shown = (
                    [f"{len(old)} chars", f"{len(value)} chars"] if name == "text" else [old, value]
                )
                changes[name] = [str(v) if isinstance(v, dt.date) else v for v in shown]
                setattr(row, name, value)
        row.version = new
        if old_sources != list(report.sources):
            changes["sources"] = [old_sources, list(report.sources)]
            self.session.execute(
                delete(ReportSourceRow).where(ReportSourceRow.report_id == report.id)
            )
            self.session.execute(
                insert(ReportSourceRow),
                [
                    {"report_id": report.id, "position": i, "source_id": s}
                    for i, s in enumerate(report.sources)
                ],
            )
        return changes

    def versions_kept(self, ident: str) -> int:
        return int(
            self.session.scalar(
                select(func.count())
                .select_from(ReportVersionRow)
                .where(ReportVersionRow.report_id == ident)
            )
            or 0
        )


def _attribute_view(a: AttributeRow) -> dict[str, Any]:
    return {
        "name": a.name,
        "kind": a.kind,
        "value": a.value,
        "selectivity": a.selectivity,
        "generalizations": [list(g) for g in a.generalizations],
        "mentions": list(a.mentions),
    }


def _domain_attribute_view(a: Attribute) -> dict[str, Any]:
    return {
        "name": a.name,
        "kind": a.kind,
        "value": a.value,
        "selectivity": a.selectivity,
        "generalizations": [[g.value, g.selectivity] for g in a.generalizations],
        "mentions": list(a.mentions),
    }
