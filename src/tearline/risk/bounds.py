"""Cheap bounds on reach, for screening many pairs before estimating any.

* **Walk sum (upper).** reach(P, A) ≤ Σ over walks P→A of Π p_e (union bound
  over paths; every path is a walk) = Σ_k (Pᵏ)[P, A] = [(I − P)⁻¹]_{PA}, valid
  when the spectral radius ρ(P) < 1 so the series converges. Edges out of A
  are removed first (a path ends at its first arrival). When ρ ≥ 1 the bound
  is the trivial 1.
* **Cut (upper).** Every P→A path crosses any edge cut C separating P from A,
  so reach ≤ P(some edge of C open) = 1 − Π_{e∈C} (1 − p_e). The best such cut
  is a minimum cut under capacities −log(1 − p_e) (scipy max-flow on scaled
  integer capacities; the bound is evaluated on the real p_e, so rounding
  only costs tightness, never validity).
* **Top paths (lower).** reach ≥ P(at least one of the k most probable paths is
  open), computed exactly by inclusion–exclusion over the k paths.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_flow

from tearline.risk.leak import LeakGraph
from tearline.risk.paths import LeakPath, top_paths

_CUT_SCALE = 1_000_000  # integer capacity units per unit of −log(1 − p)
_CUT_INFINITE = 2**30  # stands for p = 1: such an edge never belongs to a useful cut


@dataclass(frozen=True, slots=True)
class ReachBounds:
    """lower ≤ reach ≤ upper for one pair, and what each came from."""

    lower: float
    upper: float
    walk_sum: float
    cut: float


def walk_sum_bounds(
    graph: LeakGraph, partners: Sequence[int], adversaries: Sequence[int]
) -> np.ndarray:
    """Upper bounds, shape (len(partners), len(adversaries)); 1 where ρ ≥ 1."""
    out = np.ones((len(partners), len(adversaries)))
    for j, a in enumerate(adversaries):
        matrix = np.zeros((graph.n, graph.n))
        keep = graph.src != a
        matrix[graph.src[keep], graph.dst[keep]] = graph.prob[keep]
        # ρ within rounding of 1 means the series barely (or does not) converge
        if graph.n and max(abs(np.linalg.eigvals(matrix))) >= 1.0 - 1e-9:
            continue
        unit = np.zeros(graph.n)
        unit[a] = 1.0
        try:
            column = np.linalg.solve(np.eye(graph.n) - matrix, unit)  # Σ_k Pᵏ e_A
        except np.linalg.LinAlgError:
            continue
        for i, p in enumerate(partners):
            out[i, j] = 1.0 if p == a else min(1.0, max(0.0, float(column[p])))
    return out


def cut_bound(graph: LeakGraph, s: int, t: int) -> float:
    """1 − Π (1 − p_e) over a minimum −log(1 − p) cut between s and t."""
    if s == t:
        return 1.0
    live = (graph.prob > 0) & (graph.src != t) & (graph.dst != s)
    src, dst, prob = graph.src[live], graph.dst[live], graph.prob[live]
    if len(src) == 0:
        return 0.0
    with np.errstate(divide="ignore"):
        weight = -np.log1p(-prob)
    cap = np.where(np.isfinite(weight), np.ceil(weight * _CUT_SCALE), _CUT_INFINITE).astype(
        np.int32
    )
    cap = np.maximum(cap, 1)
    matrix = csr_matrix((cap, (src, dst)), shape=(graph.n, graph.n), dtype=np.int32)
    flow = maximum_flow(matrix, s, t).flow
    # scipy's flow is antisymmetric (flow[j, i] = -flow[i, j]), so cap - flow holds
    # the reverse residual capacities too; what s still reaches is a min-cut side
    residual = (matrix - flow).tocsr()
    residual.eliminate_zeros()
    side = {s}
    stack = [s]
    while stack:
        x = stack.pop()
        lo, hi = residual.indptr[x], residual.indptr[x + 1]
        for y, r in zip(residual.indices[lo:hi], residual.data[lo:hi], strict=True):
            if r > 0 and int(y) not in side:
                side.add(int(y))
                stack.append(int(y))
    crossing = [p for u, v, p in zip(src, dst, prob, strict=True) if u in side and v not in side]
    return 1.0 - math.prod(1.0 - float(p) for p in crossing)


def union_probability(paths: Sequence[LeakPath], prob: np.ndarray) -> float:
    """P(at least one path open), exactly, by inclusion–exclusion (2^k terms)."""
    total = 0.0
    for size in range(1, len(paths) + 1):
        sign = 1.0 if size % 2 else -1.0
        for group in itertools.combinations(paths, size):
            edges = set().union(*(path.edges for path in group))
            total += sign * math.prod(float(prob[e]) for e in edges)
    return min(1.0, max(0.0, total))


def reach_bounds(
    graph: LeakGraph, partners: Sequence[int], adversaries: Sequence[int], paths: int = 3
) -> dict[tuple[int, int], ReachBounds]:
    """Lower and upper bounds for every partner × adversary pair."""
    walk = walk_sum_bounds(graph, partners, adversaries)
    out: dict[tuple[int, int], ReachBounds] = {}
    for i, p in enumerate(partners):
        for j, a in enumerate(adversaries):
            if p == a:
                out[(p, a)] = ReachBounds(1.0, 1.0, 1.0, 1.0)
                continue
            cut = cut_bound(graph, p, a)
            lower = union_probability(top_paths(graph, p, a, max(1, paths)), graph.prob)
            upper = min(float(walk[i, j]), cut)
            out[(p, a)] = ReachBounds(min(lower, upper), upper, float(walk[i, j]), cut)
    return out
