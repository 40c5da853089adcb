"""Risk core benchmark: Monte Carlo throughput against networkx, what-ifs,
exact factoring and a full exposure run.

    .venv/bin/python -m benchmarks.risk [--baseline-worlds N] [--ensemble-members M]

The graph is random and directed: 200 actors, 1,000 ties, edge probabilities
~U[0.01, 0.5], 50 partners and 5 adversaries (fixed seed, so runs compare).

Monte Carlo throughput is the median of 5 runs of 65,536 worlds after the
compiled kernels are warmed up; the JIT cost is reported on its own: numba's
compile with an empty cache (in a fresh process) and this process's first
call (numba import and, normally, a load from the on-disk cache). The networkx
baseline's cost per world is constant, so its rate is measured on
``--baseline-worlds`` worlds (default 1,024; 65,536 for the literal same
count, about a minute) and the speed-up is the ratio of the two rates, both
measured in this run.

Then ``risk_ensemble``: an ensemble of tie-worlds on the same graph,
in-process and on a Dask LocalCluster of 2 workers, and a cascade sweep.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import networkx as nx
import numpy as np

from benchmarks import risk_ensemble
from tearline.domain import (
    Actor,
    ActorKind,
    Attribute,
    Generalization,
    Release,
    Report,
    Source,
    Tie,
    Version,
    World,
)
from tearline.risk import LeakGraph, cache_worlds, exposure, kernels, what_if
from tearline.risk.exact import exact_reach, relevant_size
from tearline.risk.montecarlo import monte_carlo

ACTORS, TIES, PARTNERS, ADVERSARIES = 200, 1000, 50, 5
GOALS = {
    "mc_worlds_per_s": 5e5,
    "mc_vs_networkx": 500.0,
    "what_if_ms": 10.0,
    "exact_max_s": 1.0,
    "exposure_s": 5.0,
}


def bench_graph(seed: int = 1) -> LeakGraph:
    rng = np.random.default_rng(seed)
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < TIES:
        a, b = (int(x) for x in rng.integers(0, ACTORS, 2))
        if a != b:
            pairs.add((a, b))
    edges = [(f"a{a:03d}", f"a{b:03d}", float(rng.uniform(0.01, 0.5))) for a, b in sorted(pairs)]
    return LeakGraph.from_edges(edges, [f"a{i:03d}" for i in range(ACTORS)])


def roles(graph: LeakGraph) -> tuple[list[int], list[int]]:
    adversaries = list(range(ADVERSARIES))
    partners = list(range(ADVERSARIES, ADVERSARIES + PARTNERS))
    return partners, adversaries


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def networkx_rate(graph: LeakGraph, partners: list[int], adversaries: list[int], n: int) -> float:
    """Worlds per second of the straightforward approach: sample every edge,
    build the open graph, BFS from each partner."""
    rng = np.random.default_rng(0)
    edges = list(zip(graph.src.tolist(), graph.dst.tolist(), strict=True))
    targets = set(adversaries)
    hits = np.zeros((len(partners), len(adversaries)))
    start = time.perf_counter()
    for _ in range(n):
        open_ = rng.random(graph.m) < graph.prob
        world = nx.DiGraph()
        world.add_nodes_from(range(graph.n))
        world.add_edges_from(e for e, o in zip(edges, open_, strict=True) if o)
        for i, p in enumerate(partners):
            seen = nx.descendants(world, p) & targets
            for j, a in enumerate(adversaries):
                hits[i, j] += a in seen
    return n / (time.perf_counter() - start)


def cold_compile_s() -> float:
    """Seconds a fresh process takes, from ``import numba`` on, to compile every
    kernel with an empty numba cache (0 without numba)."""
    code = (
        "import time\n"
        "from tearline.risk import kernels\n"
        "start = time.perf_counter()\n"
        "kernels.warm_up()\n"
        "print(time.perf_counter() - start)\n"
    )
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        run = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
    return float(run.stdout)


def mc_rate(graph: LeakGraph, partners: list[int], adversaries: list[int], **kw: Any) -> float:
    """Worlds per second of ``monte_carlo`` for all pairs: median of 5 runs."""
    worlds = 1 << 16
    times = [
        _timed(lambda: monte_carlo(graph, partners, adversaries, worlds=worlds, **kw))[0]
        for _ in range(5)
    ]
    return worlds / statistics.median(times)


def exact_times(samples: int = 12, edges: int = 60, seed: int = 3) -> list[float]:
    """Exact reach on random digraphs whose relevant subgraph has ≤ ``edges`` edges."""
    rng = np.random.default_rng(seed)
    times: list[float] = []
    while len(times) < samples:
        n = int(rng.integers(18, 30))
        pairs: set[tuple[int, int]] = set()
        while len(pairs) < edges:
            a, b = (int(x) for x in rng.integers(0, n, 2))
            if a != b:
                pairs.add((a, b))
        graph = LeakGraph.from_edges(
            [(f"n{a:02d}", f"n{b:02d}", float(rng.uniform(0.01, 0.5))) for a, b in pairs]
        )
        s, t = graph.node("n00"), graph.ids.index(max(graph.ids))
        size = relevant_size(graph, s, t)
        if not 30 <= size <= edges:
            continue
        elapsed, value = _timed(lambda g=graph, s=s, t=t: exact_reach(g, s, t))
        times.append(elapsed if value is not None else float("inf"))
    return times


def exposure_world(graph: LeakGraph, sources: int = 500, releases: int = 10_000) -> World:
    """The benchmark graph as a World (intelligence ties, protection 0) with
    ``sources`` sources, 2,000 reports and ``releases`` past releases."""
    rng = np.random.default_rng(7)
    partners, adversaries = roles(graph)
    kinds = dict.fromkeys(range(graph.n), ActorKind.THIRD_PARTY)
    kinds.update(dict.fromkeys(partners, ActorKind.PARTNER))
    kinds.update(dict.fromkeys(adversaries, ActorKind.ADVERSARY))
    actors = [Actor(ident, ident, kinds[i], 0.0) for i, ident in enumerate(graph.ids)]
    day = date(2024, 1, 1)
    ties = [
        Tie(*graph.edge_ids(e), day, intelligence=float(graph.prob[e]) / 0.8)
        for e in range(graph.m)
    ]
    srcs = []
    for s in range(sources):
        attributes = tuple(
            Attribute(
                f"attr{a}",
                f"value {s} {a}",
                float(rng.uniform(0.001, 0.05)),
                generalizations=(Generalization(f"region {s} {a}", float(rng.uniform(0.1, 0.5))),),
            )
            for a in range(int(rng.integers(3, 6)))
        )
        threatened = tuple(graph.ids[int(a)] for a in rng.choice(adversaries, 2, replace=False))
        srcs.append(
            Source(f"s{s:03d}", f"S{s}", int(rng.integers(1000, 100_000)), threatened, attributes)
        )
    reports = []
    for r in range(2000):
        resting = [
            srcs[int(i)] for i in rng.choice(sources, int(rng.integers(1, 4)), replace=False)
        ]
        phrases = [
            (attr.value if rng.uniform() < 0.3 else attr.generalizations[0].value)
            for src in resting
            for attr in src.attributes
            if rng.uniform() < 0.5
        ]
        text = "Reporting: " + "; ".join(phrases)
        reports.append(Report(f"r{r:04d}", "t", "c", "secret", text, tuple(x.id for x in resting)))
    start = datetime(2023, 1, 1, tzinfo=UTC)
    history = []
    for i in range(releases):
        report = reports[int(rng.integers(0, len(reports)))].id
        partner = graph.ids[int(rng.choice(partners))]
        version = Version.FULL if rng.uniform() < 0.7 else Version.TEARLINE
        history.append(Release(f"rel{i:05d}", report, partner, version, start + timedelta(hours=i)))
    return World.build(actors=actors, ties=ties, sources=srcs, reports=reports, releases=history)


def main(baseline_worlds: int = 1024, ensemble_members: int = 1000) -> dict[str, float]:
    graph = bench_graph()
    partners, adversaries = roles(graph)
    results: dict[str, float] = {}

    numba = kernels.numba_module()
    results["jit_compile_s"] = cold_compile_s() if numba is not None else 0.0
    results["jit_first_call_s"], warmed = _timed(kernels.warm_up)
    monte_carlo(graph, partners, adversaries, worlds=2048)  # plans, allocator: first-call costs
    results["mc_worlds_per_s"] = mc_rate(graph, partners, adversaries)
    baseline = networkx_rate(graph, partners, adversaries, baseline_worlds)
    results["networkx_worlds_per_s"] = baseline
    results["mc_vs_networkx"] = results["mc_worlds_per_s"] / baseline
    results["mc_numpy_worlds_per_s"] = mc_rate(graph, partners, adversaries, backend="numpy")

    build, cache = _timed(lambda: cache_worlds(graph, partners, adversaries, worlds=1 << 15))
    results["cache_build_s"] = build
    raise_e = int(np.argmax(graph.prob < 0.2))
    lower_e = int(np.argmax(graph.prob > 0.3))
    timings = []
    for e, factor in [(raise_e, 2.0), (lower_e, 0.5)] * 5:
        src, dst = graph.edge_ids(e)
        timings.append(
            _timed(
                lambda s=src, d=dst, e=e, f=factor: what_if(cache, s, d, float(graph.prob[e]) * f)
            )[0]
        )
    results["what_if_ms"] = 1000 * statistics.median(timings)
    results["what_if_max_ms"] = 1000 * max(timings)

    times = exact_times()
    results["exact_mean_s"] = statistics.mean(times)
    results["exact_max_s"] = max(times)

    world = exposure_world(graph)
    results["exposure_s"], report = _timed(lambda: exposure(world))
    results["exposure_worlds"] = float(report.worlds)

    if numba is None:
        print("kernels: NumPy (numba is not installed)\n")
    else:
        how = "loaded from numba's cache" if kernels.cache_hits() else "compiled"
        print(f"kernels: numba {numba.__version__}, {warmed} kernels {how} in this run\n")
    _print(results)
    results |= risk_ensemble.main(graph, partners, adversaries, ensemble_members)
    return results


def _print(results: dict[str, float]) -> None:
    rows = [
        ("JIT compile, empty cache, fresh process (s)", "jit_compile_s", ""),
        ("JIT first call in this run (s)", "jit_first_call_s", ""),
        ("Monte Carlo, all 50×5 pairs (worlds/s)", "mc_worlds_per_s", "≥ 500,000"),
        ("networkx baseline (worlds/s)", "networkx_worlds_per_s", ""),
        ("speed-up vs networkx", "mc_vs_networkx", "≥ 500×"),
        ("Monte Carlo, NumPy fallback (worlds/s)", "mc_numpy_worlds_per_s", ""),
        ("world cache for what-ifs, 32,768 worlds (s)", "cache_build_s", ""),
        ("single-edge what-if, all pairs (median ms)", "what_if_ms", "≤ 10 ms"),
        ("single-edge what-if (max ms)", "what_if_max_ms", ""),
        ("exact, relevant subgraphs 30-60 edges (mean s)", "exact_mean_s", ""),
        ("exact, relevant subgraphs 30-60 edges (max s)", "exact_max_s", "< 1 s"),
        ("exposure, 500 sources, 10,000 releases (s)", "exposure_s", "< 5 s"),
    ]
    print("| measure | value | goal | met |")
    print("|---|---:|---|---|")
    for label, key, goal in rows:
        value = results[key]
        met = ""
        if key in GOALS:
            smaller = key.endswith(("_ms", "_s")) and not key.endswith("per_s")
            met = "yes" if (value <= GOALS[key] if smaller else value >= GOALS[key]) else "no"
        print(f"| {label} | {value:,.3g} | {goal} | {met} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="risk core benchmark")
    parser.add_argument(
        "--baseline-worlds",
        type=int,
        default=1024,
        help="worlds for the networkx baseline (65536: the same count as Monte Carlo)",
    )
    parser.add_argument(
        "--ensemble-members",
        type=int,
        default=1000,
        help="tie-worlds in the ensemble benchmark (1,000 in make bench)",
    )
    args = parser.parse_args()
    main(args.baseline_worlds, args.ensemble_members)
