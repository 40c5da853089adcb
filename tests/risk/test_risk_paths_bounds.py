"""Leak paths against brute-force path enumeration; bounds around exact reach."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings

from tearline.risk.bounds import cut_bound, reach_bounds, walk_sum_bounds
from tearline.risk.leak import LeakGraph
from tearline.risk.paths import top_paths
from tests.risk.risk_brute import reliability, simple_paths, small_graphs


@settings(max_examples=200, deadline=None)
@given(small_graphs(max_edges=14))
def test_top_paths_are_the_most_probable_simple_paths(case):
    edges, s, t, nodes = case
    graph = LeakGraph.from_edges(edges, nodes)
    found = top_paths(graph, graph.node(s), graph.node(t), 4)
    expected = [] if s == t else sorted((p for _, p in simple_paths(edges, s, t)), reverse=True)
    assert len(found) == min(4, len(expected))
    for path, prob in zip(found, expected, strict=False):
        assert math.isclose(path.probability, prob, rel_tol=1e-9, abs_tol=1e-300)
        assert path.actors[0] == s
        assert path.actors[-1] == t
        assert len(set(path.actors)) == len(path.actors)  # simple
        for e, (u, v) in zip(
            path.edges, zip(path.actors, path.actors[1:], strict=False), strict=True
        ):
            assert graph.edge_ids(e) == (u, v)
    assert len({p.actors for p in found}) == len(found)  # distinct


@settings(max_examples=200, deadline=None)
@given(small_graphs(max_edges=12))
def test_bounds_bracket_the_exact_reach(case):
    edges, s, t, nodes = case
    graph = LeakGraph.from_edges(edges, nodes)
    exact = reliability(edges, s, t)
    b = reach_bounds(graph, [graph.node(s)], [graph.node(t)])[(graph.node(s), graph.node(t))]
    assert b.lower <= exact + 1e-9
    assert exact <= b.upper + 1e-9
    assert exact <= b.walk_sum + 1e-9
    assert exact <= cut_bound(graph, graph.node(s), graph.node(t)) + 1e-9


def test_walk_sum_is_the_series_on_a_chain():
    graph = LeakGraph.from_edges([("P", "x", 0.5), ("x", "A", 0.5), ("P", "A", 0.1)])
    bound = walk_sum_bounds(graph, [graph.node("P")], [graph.node("A")])
    assert np.isclose(bound[0, 0], 0.1 + 0.25)


def test_walk_sum_is_trivial_past_spectral_radius_one():
    dense = LeakGraph.from_edges(
        [(u, v, 0.9) for u in "Pxyz" for v in "Pxyz" if u != v] + [("z", "A", 0.1)]
    )
    assert walk_sum_bounds(dense, [dense.node("P")], [dense.node("A")])[0, 0] == 1.0
