"""The control variate beats plain Monte Carlo on a small-probability pair."""

from __future__ import annotations

import numpy as np

from tearline.risk.leak import LeakGraph
from tearline.risk.montecarlo import monte_carlo
from tearline.risk.paths import top_paths
from tests.risk.risk_brute import reliability

# reach ≈ 3·10⁻³, dominated by two short routes plus a long tail of detours
EDGES = [
    ("P", "x", 0.0625),
    ("x", "A", 0.0625),
    ("P", "y", 0.03125),
    ("y", "A", 0.0625),
    ("x", "y", 0.125),
    ("y", "z", 0.25),
    ("z", "x", 0.25),
    ("z", "A", 0.015625),
    ("P", "z", 0.03125),
]


def test_control_variate_has_lower_variance_than_plain_monte_carlo():
    graph = LeakGraph.from_edges(EDGES)
    p, a = graph.node("P"), graph.node("A")
    truth = reliability(EDGES, "P", "A")
    assert 1e-3 < truth < 1e-2
    controls = {(0, 0): top_paths(graph, p, a, 3)}
    plain, controlled = [], []
    for seed in range(60):
        plain.append(monte_carlo(graph, [p], [a], worlds=16384, seed=seed).reach[0, 0])
        cv = monte_carlo(graph, [p], [a], worlds=16384, seed=seed, controls=controls)
        assert cv.controlled[0, 0]
        controlled.append(cv.reach[0, 0])
    # both unbiased (within 4 standard errors of the mean over seeds) ...
    for values in (plain, controlled):
        assert abs(np.mean(values) - truth) <= 4 * np.std(values) / np.sqrt(len(values))
    # ... and the control variate at least halves the variance
    assert np.var(controlled) < 0.5 * np.var(plain)
