"""Scenario specs (validated) to domain values, and back for export."""

from __future__ import annotations

from datetime import date
from typing import Any

from tearline.domain.actors import Actor, ActorKind, Group
from tearline.domain.params import DEFAULT_DECISION_QUANTILE, ModelParams
from tearline.domain.protocols import (
    Attribution,
    Conditions,
    Effect,
    EncryptInTransit,
    HandlingTerms,
    OnwardSharing,
    Protocol,
    ReleaseScope,
    Rule,
)
from tearline.domain.releases import Release, Version, to_utc
from tearline.domain.reports import Report
from tearline.domain.sources import Attribute, Generalization, Source, SourceStatus
from tearline.domain.ties import DIMENSIONS, Dimension, Tie
from tearline.domain.uncertain import Beta, Distribution, Tolerance, Uniform
from tearline.domain.world import World
from tearline.scenario import schema as s


def model_from_spec(spec: s.ModelSpec | None, base: ModelParams | None = None) -> ModelParams:
    base = base or ModelParams()
    if spec is None:
        return base
    weights = dict(base.dimension_weights)
    if spec.dimension_weights is not None:
        weights.update({Dimension(k): v for k, v in spec.dimension_weights.items()})
    return ModelParams(
        dimension_weights=weights,
        default_capacity=spec.default_capacity or base.default_capacity,
        default_max_risk=(
            spec.default_max_risk if spec.default_max_risk is not None else base.default_max_risk
        ),
        decision_quantile=(
            spec.decision_quantile if spec.decision_quantile is not None else base.decision_quantile
        ),
    )


def world_from_spec(spec: s.ScenarioSpec, base_model: ModelParams | None = None) -> World:
    return World.build(
        model=model_from_spec(spec.model, base_model),
        actors=[_actor(a) for a in spec.actors],
        groups=[Group(g.id, g.name or g.id, tuple(g.members), g.description) for g in spec.groups],
        ties=[_tie(t) for t in spec.ties],
        sources=[_source(x) for x in spec.sources],
        reports=[
            Report(
                id=r.id,
                title=r.title,
                category=r.category,
                classification=r.classification,
                text=r.text,
                sources=tuple(r.sources),
                controls=tuple(r.controls),
                approved_for=tuple(r.approved_for),
                originator=r.originator,
                date=r.date,
            )
            for r in spec.reports
        ],
        protocols=[_protocol(p) for p in spec.protocols],
        releases=[_release(r) for r in spec.releases],
    )


def _point(value: float | Distribution) -> tuple[float, Distribution | None]:
    """An uncertain value as (the number the rest of the model reads, the belief)."""
    if isinstance(value, Uniform | Beta):
        return value.mean, value
    return float(value), None


def _actor(a: s.ActorSpec) -> Actor:
    protection, belief = _point(a.protection)
    tolerance = None
    if a.tolerance is not None:
        t = a.tolerance
        tolerance = Tolerance(t.reach, t.allies, t.restrict_to, tuple(t.adversaries))
    return Actor(
        a.id,
        a.name or a.id,
        ActorKind(a.kind),
        protection,
        a.capacity,
        a.description,
        protection_range=belief,
        impulsive=a.impulsive or 0.0,
        impulsive_to=a.impulsive_to,
        tolerance=tolerance,
    )


def _tie(t: s.TieSpec) -> Tie:
    points: dict[Dimension, float] = {}
    ranges: list[tuple[Dimension, Distribution]] = []
    for dimension in DIMENSIONS:
        points[dimension], belief = _point(getattr(t, dimension.value))
        if belief is not None:
            ranges.append((dimension, belief))
    return Tie(
        t.source,
        t.target,
        t.as_of,
        points[Dimension.DIPLOMATIC],
        points[Dimension.TRADE],
        points[Dimension.MILITARY],
        points[Dimension.INTELLIGENCE],
        t.note,
        ranges=tuple(ranges),
    )


def belief_doc(belief: Distribution) -> list[float] | dict[str, float]:
    """A belief in the file format: ``[low, high]`` or ``{mean, sd}``."""
    if isinstance(belief, Uniform):
        return [belief.low, belief.high]
    return {"mean": belief.mean, "sd": belief.sd}


def belief_from_doc(value: Any) -> Distribution:
    if isinstance(value, list):
        return Uniform(float(value[0]), float(value[1]))
    return Beta(float(value["mean"]), float(value["sd"]))


def tolerance_doc(t: Tolerance | None) -> dict[str, Any] | None:
    if t is None:
        return None
    return {
        "reach": t.reach,
        "allies": t.allies,
        "restrict_to": t.restrict_to,
        **({"adversaries": list(t.adversaries)} if t.adversaries else {}),
    }


def _source(x: s.SourceSpec) -> Source:
    return Source(
        id=x.id,
        codename=x.codename or x.id,
        population=x.population,
        threatened_by=tuple(x.threatened_by),
        attributes=tuple(
            Attribute(
                name=a.name,
                value=a.value,
                selectivity=a.selectivity,
                kind=a.kind,
                generalizations=tuple(
                    Generalization(g.value, g.selectivity) for g in a.generalizations
                ),
                mentions=tuple(a.mentions),
            )
            for a in x.attributes
        ),
        identity=x.identity,
        max_risk=x.max_risk,
        status=SourceStatus(x.status),
        description=x.description,
    )


def _protocol(p: s.ProtocolSpec) -> Protocol:
    return Protocol(
        id=p.id,
        name=p.name or p.id,
        applies_to=tuple(p.applies_to),
        rules=tuple(
            Rule(
                id=r.id,
                effect=Effect(r.effect),
                release=ReleaseScope(r.release),
                when=Conditions(
                    categories=tuple(r.when.category),
                    classifications=tuple(r.when.classification),
                    controls=tuple(r.when.controls),
                    marginal_risk_below=r.when.marginal_risk_below,
                    marginal_risk_above=r.when.marginal_risk_above,
                    cumulative_risk_below=r.when.cumulative_risk_below,
                    cumulative_risk_above=r.when.cumulative_risk_above,
                    k_at_least=r.when.k_at_least,
                    k_below=r.when.k_below,
                    reach_below=r.when.reach_below,
                    reach_above=r.when.reach_above,
                    approved=r.when.approved,
                ),
                description=r.description,
            )
            for r in p.rules
        ),
        version=p.version,
        terms=HandlingTerms(
            attribution=Attribution(p.terms.attribution),
            permitted_actions=p.terms.permitted_actions,
            onward_sharing=OnwardSharing(p.terms.onward_sharing),
            encrypt_in_transit=EncryptInTransit(p.terms.encrypt_in_transit),
            tlp=p.terms.tlp,
            valid_from=p.terms.valid_from,
            valid_until=p.terms.valid_until,
        ),
        description=p.description,
    )


def _release(r: s.ReleaseSpec) -> Release:
    at = to_utc(r.at)
    version = Version(r.version)
    ident = r.id or Release.default_id(r.report, r.partner, version, at)
    return Release(ident, r.report, r.partner, version, at, r.note)


# -- back to the file format -------------------------------------------------------


def world_to_document(world: World, *, include_identities: bool) -> dict[str, Any]:
    """The scenario document for a world; loading it into an empty database
    gives the same world (identities only when asked: they are secret)."""
    doc: dict[str, Any] = {"tearline": s.FORMAT_VERSION}
    doc["model"] = {
        "dimension_weights": {d.value: w for d, w in world.model.dimension_weights.items()},
        "default_capacity": world.model.default_capacity,
        "default_max_risk": world.model.default_max_risk,
    }
    if world.model.decision_quantile != DEFAULT_DECISION_QUANTILE:
        doc["model"]["decision_quantile"] = world.model.decision_quantile
    doc["actors"] = [
        _compact(
            {
                "id": a.id,
                "name": a.name,
                "kind": a.kind.value,
                "protection": (
                    belief_doc(a.protection_range) if a.protection_range else a.protection
                ),
                "capacity": a.capacity,
                "description": a.description,
                "impulsive": a.impulsive or None,
                "impulsive_to": a.impulsive_to,
                "tolerance": tolerance_doc(a.tolerance),
            }
        )
        for a in world.actors
    ]
    doc["groups"] = [
        _compact(
            {"id": g.id, "name": g.name, "members": list(g.members), "description": g.description}
        )
        for g in world.groups
    ]
    doc["ties"] = [_tie_doc(t) for t in world.ties]
    doc["sources"] = [_source_doc(x, include_identities) for x in world.sources]
    doc["reports"] = [
        _compact(
            {
                "id": r.id,
                "title": r.title,
                "category": r.category,
                "classification": r.classification,
                "controls": list(r.controls),
                "approved_for": list(r.approved_for),
                "originator": r.originator,
                "date": r.date,
                "sources": list(r.sources),
                "text": r.text,
            }
        )
        for r in world.reports
    ]
    doc["protocols"] = [_protocol_doc(p) for p in world.protocols]
    doc["releases"] = [
        _compact(
            {
                "id": r.id,
                "report": r.report,
                "partner": r.partner,
                "version": r.version.value,
                "at": r.at.isoformat().replace("+00:00", "Z"),
                "note": r.note,
            }
        )
        for r in world.releases
    ]
    return doc


def _tie_doc(t: Tie) -> dict[str, Any]:
    beliefs = dict(t.ranges)
    planes: dict[str, Any] = {
        d.value: belief_doc(beliefs[d]) if d in beliefs else t.strength(d) for d in DIMENSIONS
    }
    return _compact({"from": t.source, "to": t.target, "as_of": t.as_of, **planes, "note": t.note})


def _source_doc(x: Source, include_identity: bool) -> dict[str, Any]:
    return _compact(
        {
            "id": x.id,
            "codename": x.codename,
            "population": x.population,
            "threatened_by": list(x.threatened_by),
            "identity": x.identity if include_identity else None,
            "max_risk": x.max_risk,
            "status": x.status.value,
            "description": x.description,
            "attributes": [
                _compact(
                    {
                        "name": a.name,
                        "kind": a.kind,
                        "value": a.value,
                        "selectivity": a.selectivity,
                        "generalizations": [
                            {"value": g.value, "selectivity": g.selectivity}
                            for g in a.generalizations
                        ],
                        "mentions": list(a.mentions),
                    }
                )
                for a in x.attributes
            ],
        }
    )


def _protocol_doc(p: Protocol) -> dict[str, Any]:
    terms = p.terms
    return _compact(
        {
            "id": p.id,
            "name": p.name,
            "applies_to": list(p.applies_to),
            "version": p.version,
            "description": p.description,
            "rules": [
                _compact(
                    {
                        "id": r.id,
                        "effect": r.effect.value,
                        "release": r.release.value,
                        "description": r.description,
                        "when": _compact(
                            {
                                "category": list(r.when.categories),
                                "classification": list(r.when.classifications),
                                "controls": list(r.when.controls),
                                "marginal_risk_below": r.when.marginal_risk_below,
                                "marginal_risk_above": r.when.marginal_risk_above,
                                "cumulative_risk_below": r.when.cumulative_risk_below,
                                "cumulative_risk_above": r.when.cumulative_risk_above,
                                "k_at_least": r.when.k_at_least,
                                "k_below": r.when.k_below,
                                "reach_below": r.when.reach_below,
                                "reach_above": r.when.reach_above,
                                "approved": r.when.approved,
                            }
                        ),
                    }
                )
                for r in p.rules
            ],
            "terms": _compact(
                {
                    "attribution": terms.attribution.value,
                    "permitted_actions": terms.permitted_actions,
                    "onward_sharing": terms.onward_sharing.value,
                    "encrypt_in_transit": terms.encrypt_in_transit.value,
                    "tlp": terms.tlp,
                    "valid_from": terms.valid_from,
                    "valid_until": terms.valid_until,
                }
            ),
        }
    )


def _compact(mapping: dict[str, Any]) -> dict[str, Any]:
    """Drop unset fields (None, empty text, empty lists) so exports stay readable."""
    return {k: v for k, v in mapping.items() if v is not None and v != "" and v != [] and v != {}}


def protocol_to_body(protocol: Protocol) -> dict[str, Any]:
    """A protocol as JSON-safe data (the scenario format, dates as ISO text)."""
    body = _protocol_doc(protocol)
    terms = body.get("terms", {})
    for key in ("valid_from", "valid_until"):
        if isinstance(terms.get(key), date):
            terms[key] = terms[key].isoformat()
    return body


def protocol_from_body(body: dict[str, Any]) -> Protocol:
    return _protocol(s.ProtocolSpec.model_validate(body))
