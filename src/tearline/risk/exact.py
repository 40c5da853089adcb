"""Exact two-terminal reliability by factoring, for small relevant subgraphs.

reach(s, t) is the probability that t is reachable from s when each edge is open
independently: directed s-t reliability, #P-hard in general (Valiant 1979;
Provan & Ball 1983), tractable for the small subgraphs that usually matter:

1. **Relevant subgraph.** Only edges on some s→t walk can matter: drop edges
   into s and out of t (a path never returns to s or leaves t), then keep
   edges whose tail is reachable from s and whose head reaches t.
2. **Reductions** that keep the reliability: parallel edges merge,
   1 − (1 − a)(1 − b); a node other than s, t with one edge in and one out is
   bypassed (series, a · b; dropped if it only loops back); a source with one
   out-edge (or a target with one in-edge) moves along it, multiplying by its
   probability.
3. **Factoring** (Moskowitz 1958; Page & Perry 1988) on an edge e = s→v leaving the
   source: R = p_e · R(v merged into s) + (1 − p_e) · R(e deleted). Merging is
   sound only for edges out of the source: once s reaches v, v's out-edges
   are as good as s's. Sub-results are memoised on the reduced edge set.

The work grows exponentially with the subgraph, so there are two limits:
``EXACT_MAX_EDGES`` (do not start above it) and ``EXACT_MAX_STEPS`` (give up
mid-way). Past either, ``exact_reach`` returns None and the caller estimates by
Monte Carlo instead.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

from tearline.domain import TearlineError
from tearline.risk.leak import LeakGraph
from tearline.risk.propagate import coreaching

EXACT_MAX_EDGES = 60
"""Largest relevant subgraph the exact method starts on. Measured on random
sparse digraphs (benchmarks/risk.py): ≤ 60 edges finish well under 1 s, while
dense relevant subgraphs beyond that blow up exponentially."""

EXACT_MAX_STEPS = 20_000
"""Factoring calls (after memoisation) before giving up: about 1 s of work, so a
pathological subgraph falls back to Monte Carlo rather than hang. Random
60-edge digraphs need 300-5,000 steps; a few dense ones need more."""

Edges = dict[tuple[int, int], float]


class IntractableError(TearlineError):
    """An exact answer was demanded (``method="exact"``) for a pair whose relevant
    subgraph is past the exact limits. Bad input for the CLI (exit 2)."""

    def __init__(self, partner: str, adversary: str, edges: int) -> None:
        self.partner = partner
        self.adversary = adversary
        self.edges = edges
        super().__init__(
            f"reach {partner} -> {adversary}: relevant subgraph of {edges} edges is too large "
            f"for an exact answer (limit {EXACT_MAX_EDGES} edges, {EXACT_MAX_STEPS} steps); "
            "use Monte Carlo"
        )


class _BudgetExceededError(Exception):
    """Raised inside the recursion when ``max_steps`` is used up."""


def relevant_edges(graph: LeakGraph, s: int, t: int) -> NDArray[np.intp]:
    """Indices of the edges of ``graph`` on some s→t walk that neither re-enters s
    nor leaves t (step 1 above)."""
    edges = {
        (int(u), int(v)): float(p) for u, v, p in zip(graph.src, graph.dst, graph.prob, strict=True)
    }
    kept = _prune(edges, s, t)
    index = [graph.edge(graph.ids[u], graph.ids[v]) for u, v in kept]
    return np.array(sorted(e for e in index if e is not None), dtype=np.intp)


def _combine(edges: Edges, key: tuple[int, int], p: float) -> None:
    """Add an edge, merging with a parallel one: 1 − (1 − a)(1 − b)."""
    old = edges.get(key)
    edges[key] = p if old is None else 1.0 - (1.0 - old) * (1.0 - p)


def _prune(edges: Mapping[tuple[int, int], float], s: int, t: int) -> Edges:
    live = {(u, v): p for (u, v), p in edges.items() if p > 0.0 and u != v and v != s and u != t}
    out: dict[int, list[int]] = defaultdict(list)
    inn: dict[int, list[int]] = defaultdict(list)
    for u, v in live:
        out[u].append(v)
        inn[v].append(u)
    fwd = _closure(s, out)
    if t not in fwd:
        return {}
    bwd = _closure(t, inn)
    return {(u, v): p for (u, v), p in live.items() if u in fwd and v in bwd}


def _closure(start: int, adjacency: Mapping[int, list[int]]) -> set[int]:
    seen = {start}
    stack = [start]
    while stack:
        for y in adjacency.get(stack.pop(), ()):
            if y not in seen:
                seen.add(y)
                stack.append(y)
    return seen


def _series(edges: Edges, s: int, t: int) -> bool:
    """Bypass one node with a single in- and out-edge; True if one was found."""
    ins: dict[int, list[tuple[int, int]]] = defaultdict(list)
    outs: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for u, v in edges:
        outs[u].append((u, v))
        ins[v].append((u, v))
    for x in list(ins):
        if x in (s, t) or len(ins[x]) != 1 or len(outs[x]) != 1:
            continue
        first, second = ins[x][0], outs[x][0]
        p = edges.pop(first) * edges.pop(second)
        if first[0] != second[1]:
            _combine(edges, (first[0], second[1]), p)
        return True
    return False


class _Solver:
    def __init__(self, max_steps: int) -> None:
        self.max_steps = max_steps
        self.steps = 0
        self.memo: dict[tuple[int, int, tuple[tuple[tuple[int, int], float], ...]], float] = {}

    def solve(self, edges: Edges, s: int, t: int) -> float:
        self.steps += 1
        if self.steps > self.max_steps:
            raise _BudgetExceededError
        factor = 1.0
        while True:
            if s == t:
                return factor
            edges = _prune(edges, s, t)
            if not edges:
                return 0.0
            if _series(edges, s, t):
                continue
            out_s = [key for key in edges if key[0] == s]
            in_t = [key for key in edges if key[1] == t]
            if len(out_s) == 1:  # the source must take its only edge
                factor *= edges.pop(out_s[0])
                s = out_s[0][1]
                continue
            if len(in_t) == 1:  # the target can only be entered one way
                factor *= edges.pop(in_t[0])
                t = in_t[0][0]
                continue
            break
        key = (s, t, tuple(sorted(edges.items())))
        cached = self.memo.get(key)
        if cached is None:
            cached = self._factor(edges, s, t, out_s)
            self.memo[key] = cached
        return factor * cached

    def _factor(self, edges: Edges, s: int, t: int, out_s: list[tuple[int, int]]) -> float:
        if (s, t) in edges:  # a direct edge: open → done, closed → the rest
            p = edges[(s, t)]
            rest = dict(edges)
            del rest[(s, t)]
            return p + (1.0 - p) * self.solve(rest, s, t)
        out_degree: dict[int, int] = defaultdict(int)
        in_degree: dict[int, int] = defaultdict(int)
        for u, v in edges:
            out_degree[u] += 1
            in_degree[v] += 1
        # pivot towards the head with most out-edges: merging it into the source
        # absorbs the most structure (measured best of five rules on random
        # 60-edge digraphs; fewest in-edges breaks ties, as deleting then strands it)
        pivot = min(out_s, key=lambda e: (-out_degree[e[1]], in_degree[e[1]], e))
        p = edges[pivot]
        v = pivot[1]
        merged: Edges = {}
        for (a, b), q in edges.items():
            if b == v:
                continue  # into the merged source: useless
            _combine(merged, (s if a == v else a, b), q)
        deleted = dict(edges)
        del deleted[pivot]
        return p * self.solve(merged, s, t) + (1.0 - p) * self.solve(deleted, s, t)


def reliability(
    edges: Mapping[tuple[int, int], float], s: int, t: int, max_steps: int = EXACT_MAX_STEPS
) -> float | None:
    """Exact s→t reliability of a small edge set, or None past ``max_steps``."""
    if s == t:
        return 1.0
    solver = _Solver(max_steps)
    try:
        return min(1.0, max(0.0, solver.solve(dict(edges), s, t)))
    except _BudgetExceededError:
        return None


def exact_reach(
    graph: LeakGraph,
    s: int,
    t: int,
    *,
    max_edges: int = EXACT_MAX_EDGES,
    max_steps: int = EXACT_MAX_STEPS,
) -> float | None:
    """reach(s, t) exactly, or None when the relevant subgraph has more than
    ``max_edges`` edges or factoring needs more than ``max_steps`` steps."""
    if s == t:
        return 1.0
    relevant = relevant_edges(graph, s, t)
    if len(relevant) > max_edges:
        return None
    edges = {(int(graph.src[e]), int(graph.dst[e])): float(graph.prob[e]) for e in relevant}
    return reliability(edges, s, t, max_steps)


def has_path(graph: LeakGraph, s: int, t: int) -> bool:
    """Whether any path of possible (p > 0) edges leads from s to t."""
    if s == t:
        return True
    live = graph.prob > 0
    return bool(coreaching(graph.n, graph.src[live], graph.dst[live], t)[s])


def relevant_size(graph: LeakGraph, s: int, t: int) -> int:
    """Number of edges in the relevant subgraph of (s, t) (step 1 above)."""
    live = (graph.prob > 0) & (graph.src != t) & (graph.dst != s)
    src, dst = graph.src[live], graph.dst[live]
    from_s = coreaching(graph.n, dst, src, s)  # reachable from s = co-reaching on reversed edges
    to_t = coreaching(graph.n, src, dst, t)
    if not from_s[t]:
        return 0
    return int(np.count_nonzero(from_s[src] & to_t[dst]))
