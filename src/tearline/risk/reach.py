"""The public entry point for reach: exact where tractable, Monte Carlo otherwise.

``compute_reach`` answers reach(P, A) for many pairs at once:

* ``method="auto"`` (default): exact factoring (``exact``) for each pair whose
  relevant subgraph is within the exact limits, one Monte Carlo pass for all
  the others;
* ``"exact"``: exact for all, or ``IntractableError``;
* ``"monte-carlo"``: sampled for all (pairs with no possible path are 0
  exactly in every method, and a partner that *is* the adversary has reach 1);
* ``"bound"``: screening only: ``reach`` is the best cheap upper bound and
  ``ci`` is (lower, upper) (``bounds``).

Every pair comes with its ``paths`` most probable leak paths as explanation.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import product
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from tearline.domain import ActorKind, World
from tearline.risk.bounds import reach_bounds
from tearline.risk.exact import (
    EXACT_MAX_EDGES,
    EXACT_MAX_STEPS,
    IntractableError,
    exact_reach,
    relevant_size,
)
from tearline.risk.leak import LeakGraph
from tearline.risk.montecarlo import MAX_WORLDS, monte_carlo
from tearline.risk.paths import LeakPath, top_paths
from tearline.risk.propagate import coreaching

Method = Literal["auto", "exact", "monte-carlo", "bound"]
DEFAULT_PATHS = 3


@dataclass(frozen=True, slots=True)
class PairReach:
    """reach(partner → adversary). ``ci`` is the 95 % interval of a Monte Carlo
    estimate, (lower, upper) for a bound, None when exact. ``method`` is
    "exact", "monte-carlo" or "bound"; ``controlled`` tells that the control
    variate was used."""

    partner: str
    adversary: str
    reach: float
    ci: tuple[float, float] | None
    method: str
    paths: tuple[LeakPath, ...] = ()
    controlled: bool = False


@dataclass(frozen=True, slots=True)
class ReachResult:
    """Reach for the pairs asked, in request order. ``worlds`` is the number of
    sampled worlds (0 when nothing was sampled); ``seed`` the seed used."""

    pairs: tuple[PairReach, ...]
    worlds: int
    seed: int
    as_of: date | None = None
    index: dict[tuple[str, str], int] = field(default_factory=dict, repr=False, compare=False)

    def get(self, partner: str, adversary: str) -> PairReach:
        return self.pairs[self.index[(partner, adversary)]]


def compute_reach(
    graph: LeakGraph,
    pairs: Iterable[tuple[str, str]] | None = None,
    *,
    partners: Sequence[str] | None = None,
    adversaries: Sequence[str] | None = None,
    method: Method = "auto",
    samples: int | None = None,
    precision: float | None = None,
    seed: int = 0,
    paths: int = DEFAULT_PATHS,
    max_worlds: int = MAX_WORLDS,
    variance_reduction: bool = True,
) -> ReachResult:
    """Reach for ``pairs`` (partner id, adversary id), or for every partner ×
    adversary when ``pairs`` is None (``partners``/``adversaries`` default to
    all actors). ``samples`` or ``precision`` size the Monte Carlo part."""
    if pairs is None:
        pairs = product(partners or graph.ids, adversaries or graph.ids)
    wanted = list(dict.fromkeys(pairs))
    index = [(graph.node(p), graph.node(a)) for p, a in wanted]
    explain = {pa: tuple(top_paths(graph, pa[0], pa[1], paths)) for pa in set(index)}
    results: dict[tuple[int, int], PairReach] = {}

    def done(pa: tuple[int, int], reach: float, ci: tuple[float, float] | None, how: str) -> None:
        p, a = pa
        results[pa] = PairReach(graph.ids[p], graph.ids[a], reach, ci, how, explain[pa])

    if method == "bound":
        bounds = reach_bounds(graph, sorted({p for p, _ in index}), sorted({a for _, a in index}))
        for pa in index:
            b = bounds[pa]
            done(pa, b.upper, (b.lower, b.upper), "exact" if b.lower == b.upper else "bound")
        return _result(wanted, index, results, 0, seed)

    sampled: list[tuple[int, int]] = []
    live = graph.prob > 0
    to_target: dict[int, NDArray[np.bool_]] = {}  # who has a path to a: one search per a

    def has_path(p: int, a: int) -> bool:
        if a not in to_target:
            to_target[a] = coreaching(graph.n, graph.src[live], graph.dst[live], a)
        return bool(to_target[a][p])

    for pa in dict.fromkeys(index):
        p, a = pa
        if p == a:
            done(pa, 1.0, None, "exact")  # handing it to the adversary: reach(A, A) = 1
        elif not has_path(p, a):
            done(pa, 0.0, None, "exact")
        elif method == "monte-carlo":
            sampled.append(pa)
        else:
            size = relevant_size(graph, p, a)
            limit = size if method == "exact" else EXACT_MAX_EDGES
            steps = 10 * EXACT_MAX_STEPS if method == "exact" else EXACT_MAX_STEPS
            value = exact_reach(graph, p, a, max_edges=limit, max_steps=steps)
            if value is not None:
                done(pa, value, None, "exact")
            elif method == "exact":
                raise IntractableError(graph.ids[p], graph.ids[a], size)
            else:
                sampled.append(pa)

    worlds = 0
    if sampled:
        part = sorted({p for p, _ in sampled})
        advs = sorted({a for _, a in sampled})
        row = {p: i for i, p in enumerate(part)}
        col = {a: j for j, a in enumerate(advs)}
        required = np.zeros((len(part), len(advs)), dtype=bool)
        for p, a in sampled:
            required[row[p], col[a]] = True
        controls = (
            {(row[p], col[a]): explain[(p, a)] for p, a in sampled if explain[(p, a)]}
            if variance_reduction
            else None
        )
        estimate = monte_carlo(
            graph,
            part,
            advs,
            worlds=samples,
            precision=precision,
            seed=seed,
            max_worlds=max_worlds,
            controls=controls,
            required=required,
        )
        worlds = estimate.worlds
        for p, a in sampled:
            i, j = row[p], col[a]
            ci = (float(estimate.lower[i, j]), float(estimate.upper[i, j]))
            results[(p, a)] = PairReach(
                graph.ids[p],
                graph.ids[a],
                float(estimate.reach[i, j]),
                ci,
                "monte-carlo",
                explain[(p, a)],
                bool(estimate.controlled[i, j]),
            )
    return _result(wanted, index, results, worlds, seed)


def _result(
    wanted: list[tuple[str, str]],
    index: list[tuple[int, int]],
    results: dict[tuple[int, int], PairReach],
    worlds: int,
    seed: int,
    as_of: date | None = None,
) -> ReachResult:
    return ReachResult(
        pairs=tuple(results[pa] for pa in index),
        worlds=worlds,
        seed=seed,
        as_of=as_of,
        index={pair: i for i, pair in enumerate(wanted)},
    )


def reach_in_world(
    world: World,
    *,
    partners: Sequence[str] | None = None,
    adversaries: Sequence[str] | None = None,
    as_of: date | None = None,
    method: Method = "auto",
    samples: int | None = None,
    precision: float | None = None,
    seed: int = 0,
    paths: int = DEFAULT_PATHS,
) -> ReachResult:
    """Service shape of ``compute_reach`` for ``tearline reach``: the leak graph of
    ``world`` on ``as_of``; partners and adversaries default to the actors of
    those kinds."""
    graph = LeakGraph.from_world(world, as_of)
    if partners is None:
        partners = [a.id for a in world.actors_of_kind(ActorKind.PARTNER)]
    if adversaries is None:
        adversaries = [a.id for a in world.actors_of_kind(ActorKind.ADVERSARY)]
    result = compute_reach(
        graph,
        partners=partners,
        adversaries=adversaries,
        method=method,
        samples=samples,
        precision=precision,
        seed=seed,
        paths=paths,
    )
    return ReachResult(result.pairs, result.worlds, result.seed, as_of, result.index)
