"""Monte Carlo: interval coverage, common random numbers, monotonicity, precision."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings

from tearline.risk.leak import LeakGraph
from tearline.risk.montecarlo import monte_carlo
from tearline.risk.reach import compute_reach
from tearline.risk.worlds import enumerate_worlds
from tests.risk.risk_brute import grid_prob, reliability, small_graphs

# a small graph with a mid-range reach, probabilities on the sampler's 2^-16 grid
EDGES = [
    ("P", "x", 0.25),
    ("x", "A", 0.5),
    ("P", "y", 0.375),
    ("y", "x", 0.5),
    ("y", "A", 0.125),
    ("x", "y", 0.25),
    ("P", "A", 0.0625),
]


def test_wilson_intervals_cover_at_their_confidence():
    graph = LeakGraph.from_edges(EDGES)
    truth = reliability(EDGES, "P", "A")
    covered = 0
    for seed in range(200):
        est = monte_carlo(graph, [graph.node("P")], [graph.node("A")], worlds=1024, seed=seed)
        covered += bool(est.lower[0, 0] <= truth <= est.upper[0, 0])
    # 95 % nominal; over 200 seeds the standard error is 1.5 points
    assert 0.90 <= covered / 200 <= 0.99


def test_control_variate_intervals_cover_too():
    graph = LeakGraph.from_edges(EDGES)
    truth = reliability(EDGES, "P", "A")
    covered = controlled = 0
    for seed in range(200):
        result = compute_reach(graph, [("P", "A")], method="monte-carlo", samples=1024, seed=seed)
        pair = result.pairs[0]
        assert pair.ci is not None
        controlled += pair.controlled
        covered += bool(pair.ci[0] <= truth <= pair.ci[1])
    assert controlled > 150
    assert 0.90 <= covered / 200 <= 0.99


def test_noop_what_if_is_exactly_zero():
    graph = LeakGraph.from_edges(EDGES)
    same = graph.with_edge_prob("x", "A", 0.5)
    added = graph.with_edge_prob("A", "y", 0.9)  # a new tie out of A cannot matter
    runs = [
        compute_reach(g, [("P", "A"), ("y", "A")], method="monte-carlo", samples=4096, seed=7)
        for g in (graph, same, added)
    ]
    for other in runs[1:]:
        assert [p.reach for p in other.pairs] == [p.reach for p in runs[0].pairs]


@settings(max_examples=40, deadline=None)
@given(small_graphs(max_edges=10, prob=grid_prob), grid_prob)
def test_stronger_tie_never_lowers_the_estimate(case, raise_by):
    edges, s, t, nodes = case
    if not edges:
        return
    u, v, p = edges[0]
    graph = LeakGraph.from_edges(edges, nodes)
    stronger = graph.with_edge_prob(u, v, min(1.0, p + raise_by))
    a = monte_carlo(graph, [graph.node(s)], [graph.node(t)], worlds=2048, seed=3)
    b = monte_carlo(stronger, [stronger.node(s)], [stronger.node(t)], worlds=2048, seed=3)
    assert b.reach[0, 0] >= a.reach[0, 0]


def test_weaker_protection_never_lowers_the_estimate():
    graph = LeakGraph.build(
        ["A", "P", "x", "y"],
        [(u, v, p) for u, v, p in EDGES if u in "Pxy" and v in "Axy"],
        {"x": 0.5, "y": 0.2},
    )
    weaker = graph.with_protection("x", 0.1)
    pairs = [(graph.node("P"), graph.node("A"))]
    a = monte_carlo(graph, [pairs[0][0]], [pairs[0][1]], worlds=8192, seed=11)
    b = monte_carlo(weaker, [pairs[0][0]], [pairs[0][1]], worlds=8192, seed=11)
    assert b.reach[0, 0] > a.reach[0, 0]


@settings(max_examples=60, deadline=None)
@given(small_graphs(max_edges=12))
def test_enumerated_worlds_are_exact(case):
    edges, s, t, nodes = case
    graph = LeakGraph.from_edges(edges, nodes)
    worlds = enumerate_worlds(graph)
    masks = worlds.reach([graph.node(t)])[0][graph.node(s)]
    assert abs(float(worlds.probability(masks)) - reliability(edges, s, t)) <= 1e-9


def test_precision_drives_the_sample_size():
    graph = LeakGraph.from_edges(EDGES)

    def run(precision: float):
        return compute_reach(
            graph,
            [("P", "A")],
            method="monte-carlo",
            precision=precision,
            seed=1,
            variance_reduction=False,
        )

    loose, tight = run(0.2), run(0.02)
    assert loose.worlds < tight.worlds
    for result, precision in ((loose, 0.2), (tight, 0.02)):
        pair = result.pairs[0]
        assert pair.ci is not None
        assert (pair.ci[1] - pair.ci[0]) / 2 <= precision * pair.reach


def test_auto_is_exact_on_small_graphs_and_samples_large_ones():
    graph = LeakGraph.from_edges(EDGES)
    small = compute_reach(graph, [("P", "A"), ("A", "A"), ("A", "P")])
    assert [p.method for p in small.pairs] == ["exact"] * 3
    assert small.pairs[0].reach == np.float64(reliability(EDGES, "P", "A"))
    assert small.get("A", "A").reach == 1.0
    assert small.get("A", "P").reach == 0.0
    rng = np.random.default_rng(0)
    big = [
        (f"n{i}", f"n{j}", float(rng.uniform(0.01, 0.5)))
        for i in range(30)
        for j in range(30)
        if i != j and rng.uniform() < 0.3
    ]
    large = compute_reach(LeakGraph.from_edges(big), [("n0", "n1")], samples=2048)
    assert large.pairs[0].method == "monte-carlo"
    assert large.worlds == 2048
