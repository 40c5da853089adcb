"""Brute-force references for the risk tests: enumerate every edge state.

Deliberately naive and independent of the code under test (no bit masks, no
factoring): a boolean state matrix, a product of probabilities, and
reachability by repeated relaxation.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
from hypothesis import strategies as st

Edge = tuple[str, str, float]


def states(edges: Sequence[Edge]) -> tuple[np.ndarray, np.ndarray]:
    """(2^m, m) open states and their probabilities."""
    m = len(edges)
    grid = np.array(list(itertools.product([False, True], repeat=m)), dtype=bool).reshape(2**m, m)
    prob = np.array([p for _, _, p in edges])
    weight = np.prod(np.where(grid, prob, 1.0 - prob), axis=1) if m else np.ones(1)
    return grid, weight


def connected(edges: Sequence[Edge], grid: np.ndarray, s: str, t: str) -> np.ndarray:
    """Per state: is t reachable from s over open edges?"""
    nodes = sorted({s, t, *(u for u, _, _ in edges), *(v for _, v, _ in edges)})
    at = {x: i for i, x in enumerate(nodes)}
    reach = np.zeros((grid.shape[0], len(nodes)), dtype=bool)
    reach[:, at[s]] = True
    for _ in range(len(nodes)):
        for e, (u, v, _) in enumerate(edges):
            reach[:, at[v]] |= reach[:, at[u]] & grid[:, e]
    return reach[:, at[t]]


def reliability(edges: Sequence[Edge], s: str, t: str) -> float:
    if s == t:
        return 1.0
    grid, weight = states(edges)
    return float(weight[connected(edges, grid, s, t)].sum())


def simple_paths(edges: Sequence[Edge], s: str, t: str) -> list[tuple[tuple[str, ...], float]]:
    out: list[tuple[tuple[str, ...], float]] = []

    def walk(path: list[str], prob: float) -> None:
        x = path[-1]
        if x == t:
            out.append((tuple(path), prob))
            return
        for u, v, p in edges:
            if u == x and v not in path and p > 0:
                walk([*path, v], prob * p)

    walk([s], 1.0)
    return out


# Probabilities on the sampler's 2^-16 grid, so Monte Carlo and exact answers
# describe the same model; 0 and 1 are included on purpose.
grid_prob = st.integers(0, 1 << 16).map(lambda k: k / (1 << 16))
any_prob = st.one_of(st.sampled_from([0.0, 1.0]), st.floats(0.0, 1.0), grid_prob)


@st.composite
def small_graphs(draw: st.DrawFn, max_edges: int = 14, prob: st.SearchStrategy[float] = any_prob):
    """(edges, s, t) on up to 7 nodes named n0..n6, at most ``max_edges`` edges."""
    n = draw(st.integers(2, 7))
    nodes = [f"n{i}" for i in range(n)]
    pairs = [(u, v) for u in nodes for v in nodes if u != v]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=max_edges))
    edges = [(u, v, draw(prob)) for u, v in chosen]
    s = draw(st.sampled_from(nodes))
    t = draw(st.sampled_from(nodes))
    return edges, s, t, nodes
