"""Monte Carlo intervals cover the exact reach at their stated confidence.

For each world below, 300 seeds per sample size: the share of 95 % intervals
that contain the exact reach (brute force over every edge state) must not be
significantly below 95 % (one-sided binomial test at 1 %). The worlds use
probabilities off the sampler's 2⁻¹⁶ grid, so the quantisation the sampler
makes is part of what is tested, and include one where a single path carries
all the reach (the control variate then captures everything: the case whose
interval used to have zero width and exclude the exact value).

The 1,024-world runs are the bounded version in the normal suite; the
65,536-world runs are marked ``slow``.
"""

from __future__ import annotations

import pytest
from scipy.stats import binomtest

from tearline.risk.leak import LeakGraph
from tearline.risk.reach import compute_reach
from tests.risk.risk_brute import Edge, reliability

SEEDS = 300
WORLDS: dict[str, list[Edge]] = {
    # one path carries all the reach: the control variate is the reach itself
    "single path": [("P", "x", 0.123457), ("x", "A", 0.654321)],
    # one small edge: reach of the order of 10⁻³
    "one rare edge": [("P", "A", 0.001234)],
    # several paths: the top path carries part of the reach
    "mesh": [
        ("P", "x", 0.251),
        ("x", "A", 0.4987),
        ("P", "y", 0.3751),
        ("y", "x", 0.5003),
        ("y", "A", 0.1249),
        ("x", "y", 0.2502),
        ("P", "A", 0.0627),
    ],
    # small reach over two routes that share a cross edge
    "diamond": [
        ("P", "a", 0.031),
        ("a", "A", 0.047),
        ("P", "b", 0.029),
        ("b", "A", 0.052),
        ("a", "b", 0.2),
    ],
}


def _coverage(edges: list[Edge], worlds: int, paths: int) -> tuple[int, list[float]]:
    graph = LeakGraph.from_edges(edges)
    truth = reliability(edges, "P", "A")
    covered, widths = 0, []
    for seed in range(SEEDS):
        result = compute_reach(
            graph, [("P", "A")], method="monte-carlo", samples=worlds, seed=seed, paths=paths
        )
        (pair,) = result.pairs
        assert pair.ci is not None
        lo, hi = pair.ci
        covered += lo <= truth <= hi
        widths.append(hi - lo)
    return covered, widths


def _check(name: str, worlds: int, paths: int) -> None:
    covered, widths = _coverage(WORLDS[name], worlds, paths)
    test = binomtest(covered, SEEDS, 0.95, alternative="less")
    assert test.pvalue > 0.01, f"{name}, {worlds} worlds: {covered}/{SEEDS} intervals cover"
    assert min(widths) > 0.0  # an interval of zero width claims a certainty it does not have


@pytest.mark.parametrize("paths", [0, 3])
@pytest.mark.parametrize("name", sorted(WORLDS))
def test_intervals_cover_at_1024_worlds(name: str, paths: int) -> None:
    _check(name, 1024, paths)


@pytest.mark.slow
@pytest.mark.parametrize("paths", [0, 3])
@pytest.mark.parametrize("name", sorted(WORLDS))
def test_intervals_cover_at_65536_worlds(name: str, paths: int) -> None:
    _check(name, 65_536, paths)


def test_the_control_variate_interval_of_a_single_path_contains_the_exact_reach() -> None:
    """The regression: with the top path carrying all the reach, 200,000 worlds
    gave an interval of zero width at the quantised μ, excluding the exact value."""
    edges = WORLDS["single path"]
    graph = LeakGraph.from_edges(edges)
    (pair,) = compute_reach(graph, [("P", "A")], method="monte-carlo", samples=200_000).pairs
    assert pair.controlled
    assert pair.ci is not None
    lo, hi = pair.ci
    assert lo < hi
    assert lo <= reliability(edges, "P", "A") <= hi
