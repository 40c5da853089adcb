"""JSON views of risk results: the stable `--json` shapes of `reach`,
`assess` and `exposure` (documented in docs/cli.md)."""

from __future__ import annotations

from datetime import date
from typing import Any

from tearline.domain.releases import Version
from tearline.domain.world import World
from tearline.risk import (
    ExposureReport,
    LeakPath,
    PairReach,
    ReachResult,
    ReleaseAssessment,
    RiskOptions,
    assess_release,
    exposure,
    reach_in_world,
)
from tearline.services.disclosure import ProductDisclosure
from tearline.services.uncertainty import AssessmentSpread, EnsembleInfo, Spread


def path_view(path: LeakPath) -> dict[str, Any]:
    return {"actors": list(path.actors), "probability": path.probability}


def pair_view(pair: PairReach) -> dict[str, Any]:
    return {
        "from": pair.partner,
        "to": pair.adversary,
        "reach": pair.reach,
        "ci": list(pair.ci) if pair.ci is not None else None,
        "method": pair.method,
        "controlled": pair.controlled,
        "paths": [path_view(p) for p in pair.paths],
    }


def reach_view(result: ReachResult) -> dict[str, Any]:
    return {
        "as_of": result.as_of.isoformat() if result.as_of else None,
        "pairs": [pair_view(p) for p in result.pairs],
        "worlds": result.worlds,
        "seed": result.seed,
    }


def assessment_view(a: ReleaseAssessment) -> dict[str, Any]:
    return {
        "report": a.report,
        "partner": a.partner,
        "version": a.version.value,
        "as_of": a.as_of.isoformat() if a.as_of else None,
        "marginal": a.marginal,
        "cumulative": a.cumulative,
        "worlds": a.worlds,
        "exact": a.exact,
        "seed": a.seed,
        "sources": [
            {
                "source": s.source,
                "before": s.before,
                "after": s.after,
                "marginal": s.marginal,
                "max_risk": s.max_risk,
                "exceeds": s.exceeds,
                "disclosed": [
                    {"attribute": d.name, "level": d.level, "selectivity": d.selectivity}
                    for d in s.disclosed
                ],
                "adversaries": [
                    {
                        "adversary": r.adversary,
                        "before": r.before,
                        "after": r.after,
                        "reach": r.reach,
                        "paths": [path_view(p) for p in r.paths],
                    }
                    for r in s.adversaries
                ],
            }
            for s in a.sources
        ],
    }


def exposure_view(e: ExposureReport) -> dict[str, Any]:
    return {
        "as_of": e.as_of.isoformat() if e.as_of else None,
        "worlds": e.worlds,
        "exact": e.exact,
        "seed": e.seed,
        "sources": [
            {
                "source": s.source,
                "risk": s.risk,
                "max_risk": s.max_risk,
                "exceeds": s.exceeds,
                "adversaries": [{"adversary": a, "risk": r} for a, r in s.adversaries],
                "drivers": [
                    {
                        "partner": d.partner,
                        "adversary": d.adversary,
                        "releases": list(d.releases),
                        "reach": d.reach,
                        "disclosed": [
                            {"attribute": x.name, "level": x.level, "selectivity": x.selectivity}
                            for x in d.disclosed
                        ],
                    }
                    for d in s.drivers
                ],
            }
            for s in e.sources
        ],
    }


# -- uncertainty (present only when some input is uncertain) -----------------------


def spread_view(spread: Spread) -> dict[str, Any]:
    i = spread.interval
    return {
        "low": i.low,
        "median": i.median,
        "high": i.high,
        "quantiles": list(i.quantiles),
        "width_by_input": [{"input": name, "share": share} for name, share in spread.drivers],
    }


def ensemble_view(info: EnsembleInfo) -> dict[str, Any]:
    return {
        "members": info.members,
        "seed": info.seed,
        "inputs": list(info.inputs),
        "runner": info.runner,
    }


def with_reach_spread(
    view: dict[str, Any], info: EnsembleInfo, spreads: list[Spread]
) -> dict[str, Any]:
    for pair, spread in zip(view["pairs"], spreads, strict=True):
        pair["uncertainty"] = spread_view(spread)
    view["ensemble"] = ensemble_view(info)
    return view


def with_exposure_spread(
    view: dict[str, Any], info: EnsembleInfo, spreads: list[Spread]
) -> dict[str, Any]:
    for source, spread in zip(view["sources"], spreads, strict=True):
        source["uncertainty"] = spread_view(spread)
    view["ensemble"] = ensemble_view(info)
    return view


def with_assessment_spread(
    view: dict[str, Any], info: EnsembleInfo, spread: AssessmentSpread
) -> dict[str, Any]:
    view["uncertainty"] = {
        "marginal": spread_view(spread.marginal),
        "cumulative": spread_view(spread.cumulative),
    }
    for source, (marginal, after) in zip(view["sources"], spread.sources, strict=True):
        source["uncertainty"] = {"marginal": spread_view(marginal), "after": spread_view(after)}
    view["ensemble"] = ensemble_view(info)
    return view


# -- the risk use cases the CLI runs (it wires no core object itself) --------------

# Reach between partners and adversaries of a stored world, with leak paths.
reach = reach_in_world


def risk_options(world: World, *, as_of: date, seed: int) -> RiskOptions:
    """The options of an assessment that counts what copies really disclose."""
    return RiskOptions(as_of=as_of, seed=seed, disclosure=ProductDisclosure(world))


def assess(
    world: World, report: str, partner: str, version: Version, options: RiskOptions
) -> ReleaseAssessment:
    """One candidate's assessment."""
    return assess_release(world, report, partner, version, options=options)


def source_exposure(
    world: World, sources: list[str] | None, options: RiskOptions
) -> ExposureReport:
    """Every source's cumulative risk from what was already released."""
    return exposure(world, sources=sources, options=options)


def with_decision_spreads(
    doc: dict[str, Any],
    info: EnsembleInfo,
    spreads: dict[tuple[str, str, Version], dict[str, Spread]],
) -> dict[str, Any]:
    """Adds ``uncertainty`` to each decision's figures (per version) and the
    ensemble, in place."""
    for decision in doc["decisions"]:
        for version, figures in decision["figures"].items():
            found = spreads.get((decision["report"], decision["partner"], Version(version)))
            if found:
                figures["uncertainty"] = {k: spread_view(v) for k, v in found.items()}
    doc["ensemble"] = ensemble_view(info)
    return doc
