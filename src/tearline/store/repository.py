"""Read and write the world through a session. Never commits: the caller's
unit of work does."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from tearline.domain.actors import Group
from tearline.domain.errors import StoreError
from tearline.domain.params import ModelParams
from tearline.domain.protocols import Protocol
from tearline.domain.releases import Release, Version, to_utc
from tearline.domain.reports import Report
from tearline.domain.sources import Attribute, Generalization, Source, SourceStatus
from tearline.domain.ties import Tie
from tearline.domain.uncertain import Distribution
from tearline.domain.world import World
from tearline.scenario.convert import (
    belief_doc,
    model_from_spec,
    protocol_from_body,
    protocol_to_body,
)
from tearline.scenario.crosscheck import KnownIds
from tearline.scenario.schema import ModelSpec
from tearline.store.audit_tables import RecallRow, ReportVersionRow
from tearline.store.behaviour import actor_behaviour, actor_from_row, tie_beliefs, tie_from_row
from tearline.store.identity import IdentityCipher
from tearline.store.tables import (
    ActorRow,
    AttributeRow,
    DecisionRow,
    GroupMemberRow,
    GroupRow,
    MetaRow,
    ProtocolRow,
    ReleaseRow,
    ReportRow,
    ReportSourceRow,
    SourceRow,
    TieRow,
)

MODEL_KEY = "model"
RETIRED = "retired"
"""Key of a protocol version's body that marks the protocol retired (see services.amend)."""


class WorldRepository:
    """The stored world. ``cipher`` is needed to store identities or reveal them."""

    def __init__(self, session: Session, cipher: IdentityCipher | None = None) -> None:
        self.session = session
        self.cipher = cipher

    # -- writing ------------------------------------------------------------------

    def set_model(self, model: ModelParams) -> None:
        value = {
            "dimension_weights": {d.value: w for d, w in model.dimension_weights.items()},
            "default_capacity": model.default_capacity,
            "default_max_risk": model.default_max_risk,
            "decision_quantile": model.decision_quantile,
        }
        row = self.session.get(MetaRow, MODEL_KEY)
        if row is None:
            self.session.add(MetaRow(key=MODEL_KEY, value=value))
        else:
            row.value = value

    def add(self, world: World) -> None:
        """Insert everything in ``world`` (already validated against the store).

        Core bulk inserts, parents before children: PostgreSQL and SQLite both
        check foreign keys per statement, and one executemany per table keeps
        a large world's load fast."""
        rows: list[tuple[type[Any], list[dict[str, Any]]]] = [
            (
                ActorRow,
                [
                    {
                        "id": a.id,
                        "name": a.name,
                        "kind": a.kind.value,
                        "protection": a.protection,
                        "capacity": a.capacity,
                        "description": a.description,
                        "behaviour": actor_behaviour(a),
                    }
                    for a in world.actors
                ],
            ),
            (
                GroupRow,
                [{"id": g.id, "name": g.name, "description": g.description} for g in world.groups],
            ),
            (
                GroupMemberRow,
                [
                    {"group_id": g.id, "position": i, "member_id": m}
                    for g in world.groups
                    for i, m in enumerate(g.members)
                ],
            ),
            (
                TieRow,
                [
                    {
                        "source_id": t.source,
                        "target_id": t.target,
                        "as_of": t.as_of,
                        "diplomatic": t.diplomatic,
                        "trade": t.trade,
                        "military": t.military,
                        "intelligence": t.intelligence,
                        "note": t.note,
                        "beliefs": tie_beliefs(t),
                    }
                    for t in world.ties
                ],
            ),
            (SourceRow, [self._source_row(x) for x in world.sources]),
            (
                AttributeRow,
                [
                    {
                        "source_id": x.id,
                        "position": i,
                        "name": a.name,
                        "kind": a.kind,
                        "value": a.value,
                        "selectivity": a.selectivity,
                        "generalizations": [[g.value, g.selectivity] for g in a.generalizations],
                        "mentions": list(a.mentions),
                    }
                    for x in world.sources
                    for i, a in enumerate(x.attributes)
                ],
            ),
            (
                ReportRow,
                [
                    {
                        "id": r.id,
                        "title": r.title,
                        "category": r.category,
                        "classification": r.classification,
                        "controls": list(r.controls),
                        "approved_for": list(r.approved_for),
                        "originator_id": r.originator,
                        "date": r.date,
                        "text": r.text,
                    }
                    for r in world.reports
                ],
            ),
            (
                ReportSourceRow,
                [
                    {"report_id": r.id, "position": i, "source_id": src}
                    for r in world.reports
                    for i, src in enumerate(r.sources)
                ],
            ),
            (ProtocolRow, [self._protocol_row(p, None, "") for p in world.protocols]),
            (
                ReleaseRow,
                [
                    {
                        "id": r.id,
                        "report_id": r.report,
                        "partner_id": r.partner,
                        "version": r.version.value,
                        "at": r.at,
                        "note": r.note,
                        # Made before tearline kept the record: no copy, imported leaf.
                        "origin": "imported",
                    }
                    for r in world.releases
                ],
            ),
        ]
        for table, values in rows:
            if values:
                self.session.execute(insert(table), values)

    def add_protocol(
        self, protocol: Protocol, *, recorded_at: dt.datetime | None = None, reason: str = ""
    ) -> None:
        self.session.execute(
            insert(ProtocolRow), [self._protocol_row(protocol, recorded_at, reason)]
        )

    @staticmethod
    def _protocol_row(
        protocol: Protocol, recorded_at: dt.datetime | None, reason: str
    ) -> dict[str, Any]:
        return {
            "id": protocol.id,
            "version": protocol.version,
            "name": protocol.name,
            "body": protocol_to_body(protocol),
            "recorded_at": recorded_at,
            "reason": reason,
        }

    def record_tie(self, tie: Tie) -> None:
        """Add a dated reading of a relationship (replacing one of the same day)."""
        self.session.execute(
            delete(TieRow).where(
                (TieRow.source_id == tie.source)
                & (TieRow.target_id == tie.target)
                & (TieRow.as_of == tie.as_of)
            )
        )
        self.session.execute(
            insert(TieRow),
            {
                "source_id": tie.source,
                "target_id": tie.target,
                "as_of": tie.as_of,
                "diplomatic": tie.diplomatic,
                "trade": tie.trade,
                "military": tie.military,
                "intelligence": tie.intelligence,
                "note": tie.note,
                "beliefs": tie_beliefs(tie),
            },
        )

    def set_protection(
        self, actor_id: str, protection: float, belief: Distribution | None = None
    ) -> None:
        """Set an actor's protection: a number (known) or the mean of ``belief``."""
        row = self.session.get(ActorRow, actor_id)
        if row is None:
            raise StoreError(f"no actor {actor_id!r}")
        row.protection = protection
        behaviour = {k: v for k, v in (row.behaviour or {}).items() if k != "protection"}
        if belief is not None:
            behaviour["protection"] = belief_doc(belief)
        row.behaviour = behaviour or None

    def protocol_versions(self) -> list[ProtocolRow]:
        return list(
            self.session.scalars(select(ProtocolRow).order_by(ProtocolRow.id, ProtocolRow.version))
        )

    def _source_row(self, x: Source) -> dict[str, Any]:
        nonce = ciphertext = None
        if x.identity is not None:
            if self.cipher is None:
                raise StoreError("storing a source identity needs the home's identity key")
            nonce, ciphertext = self.cipher.encrypt(x.id, x.identity)
        return {
            "id": x.id,
            "codename": x.codename,
            "population": x.population,
            "threatened_by": list(x.threatened_by),
            "identity_nonce": nonce,
            "identity_ciphertext": ciphertext,
            "max_risk": x.max_risk,
            "status": x.status.value,
            "description": x.description,
        }

    def clear(self) -> None:
        """Delete the whole world (children before parents)."""
        for table in (
            RecallRow,
            ReportVersionRow,
            DecisionRow,
            ReleaseRow,
            ProtocolRow,
            ReportSourceRow,
            ReportRow,
            AttributeRow,
            SourceRow,
            TieRow,
            GroupMemberRow,
            GroupRow,
            ActorRow,
            MetaRow,
        ):
            self.session.execute(delete(table))

    # -- reading ------------------------------------------------------------------

    def model(self) -> ModelParams:
        row = self.session.get(MetaRow, MODEL_KEY)
        if row is None:
            return ModelParams()
        return model_from_spec(ModelSpec.model_validate(row.value))

    def is_empty(self) -> bool:
        return self.session.scalar(select(func.count()).select_from(ActorRow)) == 0

    def known_ids(self) -> KnownIds:
        s = self.session
        members: dict[str, list[str]] = defaultdict(list)
        for m in s.scalars(select(GroupMemberRow).order_by(GroupMemberRow.position)):
            members[m.group_id].append(m.member_id)
        return KnownIds(
            actors={a.id: a.kind for a in s.scalars(select(ActorRow))},
            groups={g: tuple(members.get(g, ())) for g in s.scalars(select(GroupRow.id))},
            sources=frozenset(s.scalars(select(SourceRow.id))),
            reports=frozenset(s.scalars(select(ReportRow.id))),
            protocols=frozenset(s.scalars(select(ProtocolRow.id))),
            protocol_versions={
                ident: int(version)
                for ident, version in s.execute(
                    select(ProtocolRow.id, func.max(ProtocolRow.version)).group_by(ProtocolRow.id)
                )
            },
            report_versions={
                ident: int(version)
                for ident, version in s.execute(select(ReportRow.id, ReportRow.version))
            },
            releases=frozenset(s.scalars(select(ReleaseRow.id))),
            ties=frozenset(
                (t.source_id, t.target_id, t.as_of.isoformat()) for t in s.scalars(select(TieRow))
            ),
        )

    def world(self, *, reveal: bool = False) -> World:
        """The stored world; identities are decrypted only when ``reveal``."""
        s = self.session
        members: dict[str, list[str]] = defaultdict(list)
        for m in s.scalars(select(GroupMemberRow).order_by(GroupMemberRow.position)):
            members[m.group_id].append(m.member_id)
        attributes: dict[str, list[Attribute]] = defaultdict(list)
        for a in s.scalars(select(AttributeRow).order_by(AttributeRow.position)):
            attributes[a.source_id].append(
                Attribute(
                    name=a.name,
                    value=a.value,
                    selectivity=a.selectivity,
                    kind=a.kind,
                    generalizations=tuple(Generalization(v, sel) for v, sel in a.generalizations),
                    mentions=tuple(a.mentions),
                )
            )
        report_sources: dict[str, list[str]] = defaultdict(list)
        for rs in s.scalars(select(ReportSourceRow).order_by(ReportSourceRow.position)):
            report_sources[rs.report_id].append(rs.source_id)
        return World.build(
            model=self.model(),
            actors=[actor_from_row(a) for a in s.scalars(select(ActorRow))],
            groups=[
                Group(g.id, g.name, tuple(members.get(g.id, ())), g.description)
                for g in s.scalars(select(GroupRow))
            ],
            ties=[tie_from_row(t) for t in s.scalars(select(TieRow))],
            sources=[
                self._source(x, tuple(attributes.get(x.id, ())), reveal)
                for x in s.scalars(select(SourceRow))
            ],
            reports=[
                Report(
                    id=r.id,
                    title=r.title,
                    category=r.category,
                    classification=r.classification,
                    text=r.text,
                    sources=tuple(report_sources.get(r.id, ())),
                    controls=tuple(r.controls),
                    approved_for=tuple(r.approved_for),
                    originator=r.originator_id,
                    date=r.date,
                )
                for r in s.scalars(select(ReportRow))
            ],
            protocols=self.protocols(),
            releases=[
                Release(r.id, r.report_id, r.partner_id, Version(r.version), to_utc(r.at), r.note)
                for r in s.scalars(select(ReleaseRow))
            ],
        )

    def protocols(self) -> list[Protocol]:
        """The protocols in force: the highest version of each."""
        latest = (
            select(ProtocolRow.id, func.max(ProtocolRow.version).label("version"))
            .group_by(ProtocolRow.id)
            .subquery()
        )
        rows = self.session.scalars(
            select(ProtocolRow).join(
                latest, (ProtocolRow.id == latest.c.id) & (ProtocolRow.version == latest.c.version)
            )
        )
        # A retired protocol's last version only marks it retired: it is no longer in force.
        return [protocol_from_body(row.body) for row in rows if not row.body.get(RETIRED)]

    def has_identity(self, source_id: str) -> bool:
        row = self.session.get(SourceRow, source_id)
        return row is not None and row.identity_ciphertext is not None

    def _source(self, x: SourceRow, attributes: tuple[Attribute, ...], reveal: bool) -> Source:
        identity = None
        if reveal and x.identity_ciphertext is not None and x.identity_nonce is not None:
            if self.cipher is None:
                raise StoreError("revealing identities needs the home's identity key")
            identity = self.cipher.decrypt(x.id, x.identity_nonce, x.identity_ciphertext)
        return Source(
            id=x.id,
            codename=x.codename,
            population=x.population,
            threatened_by=tuple(x.threatened_by),
            attributes=attributes,
            identity=identity,
            max_risk=x.max_risk,
            status=SourceStatus(x.status),
            description=x.description,
        )
