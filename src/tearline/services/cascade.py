"""``tearline cascade``: the restriction cascade and what it does to our
sources' exposure (docs/risk.md §9). What-if style: nothing is written.

Exposure before and after is computed on the same worlds (common random
numbers; the after-world is evaluated exactly when the before-world was, and
on the same sample otherwise), and restricting only lowers ties, so no
source's exposure can rise — which the tests check.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Any

from tearline.domain import World
from tearline.risk import ExposureReport, RiskOptions, exposure
from tearline.risk.cascade import Cascade, cascade
from tearline.risk.cascade import sweep_dates as sweep_dates  # re-exported for the CLI
from tearline.services.disclosure import ProductDisclosure
from tearline.services.sweep import InProcess, Runner


@dataclass(frozen=True, slots=True)
class CascadeReport:
    cascade: Cascade
    exposure_before: ExposureReport
    exposure_after: ExposureReport
    seed: int


def _exposures(
    before: World, after: World, options: RiskOptions
) -> tuple[ExposureReport, ExposureReport]:
    first = exposure(before, options=options)
    # Same world set on both sides: enumerate again if we enumerated, else
    # sample the same common-random-number worlds (never switch method).
    second = exposure(after, options=dataclasses.replace(options, exact=first.exact))
    return first, second


def run_cascade(
    world: World,
    hub: str,
    on: date,
    *,
    seed: int = 0,
    reach_tolerance: float | None = None,
    disclosure: ProductDisclosure | None = None,
) -> CascadeReport:
    result = cascade(world, hub, on, seed=seed, reach_tolerance=reach_tolerance)
    options = RiskOptions(as_of=on, seed=seed, disclosure=disclosure or ProductDisclosure(world))
    before, after = _exposures(result.before, result.after, options)
    return CascadeReport(result, before, after, seed)


def cascade_view(report: CascadeReport) -> dict[str, Any]:
    c = report.cascade
    after = {s.source: s for s in report.exposure_after.sources}
    return {
        "hub": c.hub,
        "as_of": c.on.isoformat(),
        "seed": report.seed,
        "allies": list(c.allies),
        "rounds": [
            {
                "round": r.number,
                "restricting": [
                    {
                        "ally": x.ally,
                        "reason": x.reason,
                        "intelligence_before": x.intelligence_before,
                        "intelligence_after": x.intelligence_after,
                    }
                    for x in r.restrictions
                ],
            }
            for r in c.rounds
        ],
        "restricted": list(c.restricted),
        "reach": [
            {"adversary": a, "before": c.reach_before[a], "after": c.reach_after[a]}
            for a in sorted(c.reach_before)
        ],
        "exposure": [
            {
                "source": s.source,
                "before": s.risk,
                "after": after[s.source].risk,
                "max_risk": s.max_risk,
                "exceeds_before": s.exceeds,
                "exceeds_after": after[s.source].exceeds,
            }
            for s in report.exposure_before.sources
        ],
        "exact": report.exposure_before.exact,
        "worlds": report.exposure_before.worlds,
    }


# -- sweeps ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SweepPoint:
    on: date
    reach_tolerance: float | None


def _summary(point: SweepPoint, report: CascadeReport) -> dict[str, Any]:
    c = report.cascade
    before = report.exposure_before.sources
    after = report.exposure_after.sources
    return {
        "as_of": point.on.isoformat(),
        "reach_tolerance": point.reach_tolerance,
        "rounds": len(c.rounds),
        "restricted": list(c.restricted),
        "hub_reach_before": max(c.reach_before.values(), default=0.0),
        "hub_reach_after": max(c.reach_after.values(), default=0.0),
        "worst_exposure_before": max((s.risk for s in before), default=0.0),
        "worst_exposure_after": max((s.risk for s in after), default=0.0),
        "sources_over_before": sum(s.exceeds for s in before),
        "sources_over_after": sum(s.exceeds for s in after),
        "largest_drop": max(
            (b.risk - a.risk for b, a in zip(before, after, strict=True)), default=0.0
        ),
    }


def _sweep_job(
    points: list[SweepPoint], *, world: World, hub: str, seed: int
) -> list[dict[str, Any]]:
    disclosure = ProductDisclosure(world)
    return [
        _summary(
            p,
            run_cascade(
                world,
                hub,
                p.on,
                seed=seed,
                reach_tolerance=p.reach_tolerance,
                disclosure=disclosure,
            ),
        )
        for p in points
    ]


def sweep(
    world: World,
    hub: str,
    points: list[SweepPoint],
    *,
    seed: int = 0,
    runner: Runner | None = None,
) -> list[dict[str, Any]]:
    """The cascade at every point (date × reach tolerance), in order."""
    runner = runner or InProcess()
    pieces = max(1, runner.chunks(len(points)))
    jobs = [points[k::pieces] for k in range(pieces)]
    parts = runner.map(_sweep_job, [j for j in jobs if j], world=world, hub=hub, seed=seed)
    by_point: dict[tuple[str, float | None], dict[str, Any]] = {}
    for part in parts:
        for row in part:
            by_point[(row["as_of"], row["reach_tolerance"])] = row
    return [by_point[(p.on.isoformat(), p.reach_tolerance)] for p in points]
