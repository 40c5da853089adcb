"""JSON views of domain values: the stable shapes of `--json` output
(documented in docs/cli.md). Identities appear only when revealed."""

from __future__ import annotations

from typing import Any

from tearline.domain.actors import Actor, Group
from tearline.domain.protocols import Protocol
from tearline.domain.releases import Release
from tearline.domain.reports import Report
from tearline.domain.sources import Source
from tearline.domain.ties import Tie
from tearline.scenario.convert import protocol_to_body


def actor_view(actor: Actor) -> dict[str, Any]:
    return {
        "id": actor.id,
        "name": actor.name,
        "kind": actor.kind.value,
        "protection": actor.protection,
        "capacity": actor.capacity,
        "description": actor.description,
    }


def group_view(group: Group, members: frozenset[str] | None = None) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": group.id,
        "name": group.name,
        "members": list(group.members),
        "description": group.description,
    }
    if members is not None:
        view["actors"] = sorted(members)
    return view


def tie_view(tie: Tie) -> dict[str, Any]:
    return {
        "from": tie.source,
        "to": tie.target,
        "as_of": tie.as_of.isoformat(),
        "diplomatic": tie.diplomatic,
        "trade": tie.trade,
        "military": tie.military,
        "intelligence": tie.intelligence,
        "note": tie.note,
    }


def source_view(source: Source, *, has_identity: bool, detail: bool = False) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": source.id,
        "codename": source.codename,
        "population": source.population,
        "threatened_by": list(source.threatened_by),
        "status": source.status.value,
        "max_risk": source.max_risk,
        "attributes": len(source.attributes),
        "has_identity": has_identity,
    }
    if source.identity is not None:
        view["identity"] = source.identity
    if detail:
        view["description"] = source.description
        view["attributes"] = [
            {
                "name": a.name,
                "kind": a.kind,
                "value": a.value,
                "selectivity": a.selectivity,
                "generalizations": [
                    {"value": g.value, "selectivity": g.selectivity} for g in a.generalizations
                ],
                "mentions": list(a.mentions),
            }
            for a in source.attributes
        ]
    return view


def report_view(report: Report, *, detail: bool = False) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": report.id,
        "title": report.title,
        "category": report.category,
        "classification": report.classification,
        "controls": list(report.controls),
        "sources": list(report.sources),
        "date": report.date.isoformat() if report.date else None,
        "originator": report.originator,
    }
    if detail:
        view["approved_for"] = list(report.approved_for)
        view["text"] = report.text
    return view


def protocol_view(protocol: Protocol) -> dict[str, Any]:
    return protocol_to_body(protocol)


def release_view(release: Release) -> dict[str, Any]:
    return {
        "id": release.id,
        "report": release.report,
        "partner": release.partner,
        "version": release.version.value,
        "at": release.at.isoformat().replace("+00:00", "Z"),
        "note": release.note,
    }
