"""Risk figures over an ensemble of tie-worlds (docs/risk.md §8).

When the world has uncertain inputs on the date asked, ``reach``, ``assess``
and ``exposure`` keep their figure (computed on the inputs' means, impulsive
jumps folded in as probabilities: ``risk.leak``) and add its spread over an
ensemble of members drawn from the beliefs: percentiles, and the inputs that
contribute most to the spread (first-order Sobol indices). Members are
evaluated in chunks by a ``sweep.Runner`` — in-process or on Dask — with the
same results either way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import NDArray

from tearline.domain import Version, World
from tearline.risk import RiskOptions, assess_release, exposure, reach_in_world
from tearline.risk.batch import BatchAssessor
from tearline.risk.disclosure import DisclosureModel
from tearline.risk.ensemble import DEFAULT_MEMBERS as DEFAULT_MEMBERS  # for the CLI
from tearline.risk.ensemble import (
    DEFAULT_QUANTILES,
    Ensemble,
    attribution,
    draw_ensemble,
    interval,
)
from tearline.risk.ensemble import Interval as Interval  # for the CLI
from tearline.risk.reach import Method as Method  # re-exported for the CLI
from tearline.services.sweep import InProcess, Runner, split

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class EnsembleSettings:
    """How many members, and which percentiles are reported as low/median/high."""

    members: int = DEFAULT_MEMBERS
    quantiles: tuple[float, float, float] = DEFAULT_QUANTILES


@dataclass(frozen=True, slots=True)
class Spread:
    """A figure's interval over the ensemble and the inputs driving its width."""

    interval: Interval
    drivers: tuple[tuple[str, float], ...]


@dataclass(frozen=True, slots=True)
class EnsembleInfo:
    members: int
    seed: int
    inputs: tuple[str, ...]
    runner: str


def parse_quantiles(text: str) -> tuple[float, float, float]:
    """``"0.05,0.5,0.95"`` → the three percentiles (increasing, inside (0, 1))."""
    try:
        values = tuple(float(x) for x in text.split(","))
    except ValueError:
        raise ValueError(f"{text!r}: expected three numbers LOW,MEDIAN,HIGH") from None
    if len(values) != 3:
        raise ValueError(f"{text!r}: expected three numbers LOW,MEDIAN,HIGH")
    low, median, high = values
    if not 0.0 <= low <= median <= high <= 1.0:
        raise ValueError(f"{text!r}: need 0 ≤ low ≤ median ≤ high ≤ 1")
    return low, median, high


def _spreads(ensemble: Ensemble, samples: FloatArray, settings: EnsembleSettings) -> list[Spread]:
    return [
        Spread(
            interval(samples[:, k], settings.quantiles),
            tuple(attribution(ensemble.inputs, ensemble.values, samples[:, k])),
        )
        for k in range(samples.shape[1])
    ]


def _run(
    runner: Runner,
    fn: object,
    ensemble: Ensemble,
    world: World,
    **shared: object,
) -> FloatArray:
    jobs = split(ensemble.size, runner.chunks(ensemble.size))
    parts: list[FloatArray] = runner.map(
        fn,  # type: ignore[arg-type]
        jobs,
        world=world,
        ensemble=ensemble,
        **shared,
    )
    return np.vstack(parts)


# -- reach ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReachQuery:
    partners: tuple[str, ...] | None
    adversaries: tuple[str, ...] | None
    as_of: date | None
    method: Method
    samples: int | None
    precision: float | None
    seed: int


def _reach_chunk(rows: range, *, world: World, ensemble: Ensemble, query: ReachQuery) -> FloatArray:
    out = []
    for j in rows:
        result = reach_in_world(
            ensemble.member(world, j),
            partners=query.partners,
            adversaries=query.adversaries,
            as_of=query.as_of,
            method=query.method,
            samples=query.samples,
            precision=query.precision,
            seed=query.seed,
            paths=0,
        )
        out.append([p.reach for p in result.pairs])
    return np.asarray(out, dtype=np.float64).reshape(len(rows), -1)


def reach_spread(
    world: World,
    query: ReachQuery,
    settings: EnsembleSettings,
    runner: Runner | None = None,
) -> tuple[EnsembleInfo, list[Spread]]:
    """Each pair's spread, in the order ``reach_in_world`` lists the pairs."""
    runner = runner or InProcess()
    ensemble = draw_ensemble(world, as_of=query.as_of, members=settings.members, seed=query.seed)
    samples = _run(runner, _reach_chunk, ensemble, world, query=query)
    return _info(ensemble, runner), _spreads(ensemble, samples, settings)


def _info(ensemble: Ensemble, runner: Runner) -> EnsembleInfo:
    return EnsembleInfo(
        ensemble.size, ensemble.seed, tuple(x.name for x in ensemble.inputs), runner.name
    )


# -- exposure ---------------------------------------------------------------------


def _exposure_chunk(
    rows: range,
    *,
    world: World,
    ensemble: Ensemble,
    sources: Sequence[str] | None,
    options: RiskOptions,
) -> FloatArray:
    out = []
    for j in rows:
        report = exposure(ensemble.member(world, j), sources=sources, options=options)
        out.append([s.risk for s in report.sources])
    return np.asarray(out, dtype=np.float64).reshape(len(rows), -1)


def exposure_spread(
    world: World,
    sources: Sequence[str] | None,
    options: RiskOptions,
    settings: EnsembleSettings,
    runner: Runner | None = None,
) -> tuple[EnsembleInfo, list[Spread]]:
    """Each source's risk spread, in the order ``exposure`` lists the sources."""
    runner = runner or InProcess()
    ensemble = draw_ensemble(
        world, as_of=options.as_of, members=settings.members, seed=options.seed
    )
    samples = _run(runner, _exposure_chunk, ensemble, world, sources=sources, options=options)
    return _info(ensemble, runner), _spreads(ensemble, samples, settings)


# -- one release ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AssessmentSpread:
    """``marginal`` and ``cumulative`` of the release, then per source (in the
    order ``assess_release`` lists them) its marginal and its risk after."""

    marginal: Spread
    cumulative: Spread
    sources: tuple[tuple[Spread, Spread], ...]


def _assess_chunk(
    rows: range,
    *,
    world: World,
    ensemble: Ensemble,
    candidate: tuple[str, str, Version],
    options: RiskOptions,
) -> FloatArray:
    report, partner, version = candidate
    out = []
    for j in rows:
        a = assess_release(ensemble.member(world, j), report, partner, version, options=options)
        row = [a.marginal, a.cumulative]
        for s in a.sources:
            row += [s.marginal, s.after]
        out.append(row)
    return np.asarray(out, dtype=np.float64).reshape(len(rows), -1)


def assess_spread(
    world: World,
    candidate: tuple[str, str, Version],
    options: RiskOptions,
    settings: EnsembleSettings,
    runner: Runner | None = None,
) -> tuple[EnsembleInfo, AssessmentSpread]:
    runner = runner or InProcess()
    ensemble = draw_ensemble(
        world, as_of=options.as_of, members=settings.members, seed=options.seed
    )
    samples = _run(runner, _assess_chunk, ensemble, world, candidate=candidate, options=options)
    spreads = _spreads(ensemble, samples, settings)
    per_source = tuple((spreads[k], spreads[k + 1]) for k in range(2, len(spreads), 2))
    return _info(ensemble, runner), AssessmentSpread(spreads[0], spreads[1], per_source)


def whatif_spread(
    changed: World,
    *,
    as_of: date,
    seed: int,
    settings: EnsembleSettings,
    runner: Runner | None = None,
) -> tuple[EnsembleInfo, list[tuple[str, float, Spread]]] | None:
    """For ``whatif``: every source's exposure in the changed world with its
    spread and the inputs driving it, or None when no input is uncertain."""
    if not changed.uncertain(as_of):
        return None
    from tearline.services.disclosure import ProductDisclosure

    options = RiskOptions(as_of=as_of, seed=seed, disclosure=ProductDisclosure(changed))
    figures = exposure(changed, options=options)
    info, spreads = exposure_spread(changed, None, options, settings, runner)
    return info, [
        (s.source, s.risk, spread) for s, spread in zip(figures.sources, spreads, strict=True)
    ]


# -- decisions ------------------------------------------------------------------------

DECISION_FIGURES = ("marginal_risk", "cumulative_risk", "reach")


def _matrix_chunk(
    rows: range,
    *,
    world: World,
    ensemble: Ensemble,
    pairs: list[tuple[str, str]],
    options: RiskOptions,
) -> FloatArray:
    out = []
    assessor: BatchAssessor | None = None
    for j in rows:
        member = ensemble.member(world, j)
        # Members differ only in a few edges: each what-if reuses the last state.
        assessor = (
            BatchAssessor(member, options)
            if assessor is None
            else assessor.with_changed_world(member)
        )
        m = assessor.assess(pairs)
        out.append(
            np.concatenate(
                [np.maximum(m.marginal, 0.0).ravel(), m.cumulative.ravel(), m.reach.ravel()]
            )
        )
    return np.asarray(out, dtype=np.float64).reshape(len(rows), -1)


def decision_spreads(
    world: World,
    pairs: Sequence[tuple[str, str]],
    *,
    today: date,
    seed: int,
    settings: EnsembleSettings,
    runner: Runner | None = None,
    disclosure: DisclosureModel | None = None,
) -> tuple[EnsembleInfo, dict[tuple[str, str, Version], dict[str, Spread]]] | None:
    """The spread of each decision figure (marginal risk, cumulative risk,
    reach) of every (report, partner, version) over the ensemble, or None when
    no input is uncertain on ``today``. Decisions themselves read the
    protective point (``risk.ensemble.protective_world``)."""
    if not world.uncertain(today) or not pairs:
        return None
    from tearline.services.disclosure import ProductDisclosure

    options = RiskOptions(as_of=today, seed=seed, disclosure=disclosure or ProductDisclosure(world))
    runner = runner or InProcess()
    ensemble = draw_ensemble(
        world, as_of=options.as_of, members=settings.members, seed=options.seed
    )
    pairs = list(pairs)
    samples = _run(runner, _matrix_chunk, ensemble, world, pairs=pairs, options=options)
    versions = tuple(Version)
    per_figure = len(versions) * len(pairs)
    out: dict[tuple[str, str, Version], dict[str, Spread]] = {}
    for f, name in enumerate(DECISION_FIGURES):
        for v, version in enumerate(versions):
            for i, (report, partner) in enumerate(pairs):
                column = samples[:, f * per_figure + v * len(pairs) + i]
                if np.isnan(column).any():
                    continue  # no adversary threatens the report's sources
                out.setdefault((report, partner, version), {})[name] = Spread(
                    interval(column, settings.quantiles),
                    tuple(attribution(ensemble.inputs, ensemble.values, column)),
                )
    return _info(ensemble, runner), out
