"""Exact reach against a brute-force enumeration of all 2^m edge states."""

from __future__ import annotations

from hypothesis import given, settings

from tearline.risk.exact import exact_reach, relevant_edges
from tearline.risk.exact import reliability as factored
from tearline.risk.leak import LeakGraph
from tests.risk.risk_brute import reliability, small_graphs


@settings(max_examples=300, deadline=None)
@given(small_graphs(max_edges=14))
def test_exact_equals_brute_force(case):
    edges, s, t, nodes = case
    graph = LeakGraph.from_edges(edges, nodes)
    value = exact_reach(graph, graph.node(s), graph.node(t))
    assert value is not None
    assert abs(value - reliability(edges, s, t)) <= 1e-9


@settings(max_examples=100, deadline=None)
@given(small_graphs(max_edges=14))
def test_relevant_subgraph_keeps_the_answer(case):
    edges, s, t, nodes = case
    graph = LeakGraph.from_edges(edges, nodes)
    kept = relevant_edges(graph, graph.node(s), graph.node(t))
    sub = [(*graph.edge_ids(int(e)), float(graph.prob[e])) for e in kept]
    assert abs(reliability(sub, s, t) - reliability(edges, s, t)) <= 1e-9


def test_known_answer_bridge():
    # the Wheatstone bridge, directed both ways across the middle: 2p^2 + 2p^3 - 5p^4 + 2p^5
    # for the undirected bridge; with the middle edge one-way it is 2p^2 + p^3 - 3p^4 + p^5
    p = 0.5
    edges = [("s", "a", p), ("s", "b", p), ("a", "t", p), ("b", "t", p), ("a", "b", p)]
    graph = LeakGraph.from_edges(edges)
    expected = 2 * p**2 + p**3 - 3 * p**4 + p**5
    assert exact_reach(graph, graph.node("s"), graph.node("t")) == expected
    assert abs(reliability(edges, "s", "t") - expected) < 1e-12


def test_budget_exhaustion_returns_none():
    # a dense digraph factoring cannot finish in 5 steps
    nodes = [f"n{i}" for i in range(6)]
    edges = {(i, j): 0.3 for i in range(6) for j in range(6) if i != j}
    assert factored(edges, 0, 5, max_steps=5) is None
    graph = LeakGraph.from_edges([(nodes[i], nodes[j], p) for (i, j), p in edges.items()])
    assert exact_reach(graph, 0, 5, max_edges=10) is None  # 30 relevant edges > 10
    assert exact_reach(graph, 0, 5) is not None
