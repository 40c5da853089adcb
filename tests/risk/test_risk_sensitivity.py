"""Sensitivity and what-ifs from cached worlds against re-simulation and exact answers."""

from __future__ import annotations

import math

import numpy as np

from tearline.risk.leak import LeakGraph
from tearline.risk.montecarlo import monte_carlo
from tearline.risk.sensitivity import birnbaum, cache_worlds, what_if
from tests.risk.risk_brute import reliability

EDGES = [
    ("P", "x", 0.25),
    ("x", "A", 0.5),
    ("P", "y", 0.375),
    ("y", "x", 0.5),
    ("y", "A", 0.125),
    ("x", "y", 0.25),
    ("Q", "y", 0.5),
    ("Q", "B", 0.25),
    ("x", "B", 0.125),
]
PARTNERS, ADVERSARIES = ["P", "Q"], ["A", "B"]


def _cache(graph: LeakGraph, worlds: int = 8192):
    return cache_worlds(
        graph,
        [graph.node(p) for p in PARTNERS],
        [graph.node(a) for a in ADVERSARIES],
        worlds=worlds,
        seed=5,
    )


def _resimulate(graph: LeakGraph, worlds: int) -> np.ndarray:
    est = monte_carlo(
        graph,
        [graph.node(p) for p in PARTNERS],
        [graph.node(a) for a in ADVERSARIES],
        worlds=worlds,
        seed=5,
    )
    return est.reach


def test_cached_reach_equals_a_fresh_run():
    graph = LeakGraph.from_edges(EDGES)
    assert np.array_equal(_cache(graph).reach(), _resimulate(graph, 8192))


def test_raising_a_tie_equals_resimulation_with_common_random_numbers():
    graph = LeakGraph.from_edges(EDGES)
    cache = _cache(graph)
    for src, dst, prob in [("y", "A", 0.75), ("x", "y", 0.5), ("Q", "x", 0.25)]:  # last is new
        result = what_if(cache, src, dst, prob)
        assert result.method == "common-random-numbers"
        changed = _resimulate(graph.with_edge_prob(src, dst, prob), 8192)
        assert np.array_equal(result.after, changed)


def test_lowering_a_tie_matches_resimulation_within_noise():
    graph = LeakGraph.from_edges(EDGES)
    cache = _cache(graph, worlds=32768)
    result = what_if(cache, "x", "A", 0.125)
    assert result.method == "affine"
    changed = graph.with_edge_prob("x", "A", 0.125)
    for i, p in enumerate(PARTNERS):
        for j, a in enumerate(ADVERSARIES):
            truth = reliability(list(_edges(changed)), p, a)
            sd = math.sqrt(max(truth * (1 - truth), 1e-4) / 32768)
            assert abs(result.after[i, j] - truth) <= 5 * sd


def test_noop_what_if_is_exactly_zero():
    cache = _cache(LeakGraph.from_edges(EDGES))
    result = what_if(cache, "x", "A", 0.5)
    assert np.array_equal(result.after, result.before)


def test_birnbaum_importance_matches_exact_derivative():
    graph = LeakGraph.from_edges(EDGES)
    cache = _cache(graph, worlds=32768)
    for e in range(graph.m):
        src, dst = graph.edge_ids(e)
        importance = birnbaum(cache, e)
        for i, p in enumerate(PARTNERS):
            for j, a in enumerate(ADVERSARIES):
                opened = reliability(list(_edges(graph.with_edge_prob(src, dst, 1.0))), p, a)
                closed = reliability(list(_edges(graph.with_edge_prob(src, dst, 0.0))), p, a)
                exact = opened - closed
                prob = float(graph.prob[e])
                sd = math.sqrt(max(exact, 1e-3) / 32768) / (1 - prob)
                assert abs(importance[i, j] - exact) <= 5 * sd + 1e-12


def test_birnbaum_for_a_certain_edge():
    graph = LeakGraph.from_edges([*EDGES[:-1], ("x", "B", 1.0)])
    cache = _cache(graph, worlds=16384)
    e = graph.edge("x", "B")
    assert e is not None
    importance = birnbaum(cache, e)
    exact = reliability(list(_edges(graph)), "P", "B") - reliability(
        list(_edges(graph.with_edge_prob("x", "B", 0.0))), "P", "B"
    )
    assert abs(importance[0, 1] - exact) < 0.03


def _edges(graph: LeakGraph):
    for e in range(graph.m):
        yield (*graph.edge_ids(e), float(graph.prob[e]))
