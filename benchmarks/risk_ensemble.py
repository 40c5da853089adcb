"""Ensembles of tie-worlds and cascade sweeps (part of ``benchmarks.risk``).

* An ensemble of 1,000 tie-worlds × Monte Carlo for all 50 × 5 pairs on the
  benchmark graph (200 actors, 1,000 ties) made uncertain: 100 ties carry a
  range on their plane (±50 % around the certain value) and 2 partners are
  impulsive. Time, and the interval widths (95th − 5th percentile) of the 250
  reaches.
* The same ensemble on a Dask ``LocalCluster`` of 2 worker processes against
  in-process, in this run (ratio), checking that the figures are identical.
* A cascade sweep on the demo world: the hub's cascade every 30 days of the
  drift × 3 reach tolerances, in-process.
"""

from __future__ import annotations

import statistics
import time
from datetime import date
from pathlib import Path
from typing import Any

from tearline.domain import Actor, ActorKind, Dimension, Tie, Uniform, World
from tearline.risk import LeakGraph
from tearline.risk.cascade import sweep_dates
from tearline.scenario.loader import read_scenario
from tearline.services.cascade import SweepPoint, sweep
from tearline.services.sweep import InProcess, local_cluster
from tearline.services.uncertainty import EnsembleSettings, ReachQuery, reach_spread

DEMO = Path(__file__).resolve().parents[1] / "examples" / "demo-world.yaml"
UNCERTAIN_TIES = 100
WORLDS_PER_MEMBER = 16_384  # enough edge-words for the compiled kernels
DAY = date(2026, 1, 1)


def uncertain_world(graph: LeakGraph, adversaries: list[int], partners: list[int]) -> World:
    """The benchmark graph as a World (intelligence plane only, protection 0)
    with ranges on every 10th tie and two impulsive partners."""
    kinds = dict.fromkeys(adversaries, ActorKind.ADVERSARY) | dict.fromkeys(
        partners, ActorKind.PARTNER
    )
    impulsive = {partners[0], partners[1]}
    actors = [
        Actor(
            ident,
            ident,
            kinds.get(i, ActorKind.THIRD_PARTY),
            0.0,
            impulsive=0.1 if i in impulsive else 0.0,
            impulsive_to=graph.ids[adversaries[0]] if i in impulsive else None,
        )
        for i, ident in enumerate(graph.ids)
    ]
    ties = []
    for e in range(graph.m):
        src, dst = graph.edge_ids(e)
        s = float(graph.prob[e]) / 0.8  # intelligence weight 0.8
        ranges: tuple[tuple[Dimension, Any], ...] = ()
        if e % (graph.m // UNCERTAIN_TIES) == 0:
            ranges = ((Dimension.INTELLIGENCE, Uniform(0.5 * s, min(1.0, 1.5 * s))),)
        ties.append(Tie(src, dst, date(2025, 1, 1), intelligence=s, ranges=ranges))
    return World.build(actors=actors, ties=ties)


def ensemble_figures(
    graph: LeakGraph, partners: list[int], adversaries: list[int], members: int
) -> dict[str, float]:
    world = uncertain_world(graph, adversaries, partners)
    query = ReachQuery(
        tuple(graph.ids[i] for i in partners),
        tuple(graph.ids[i] for i in adversaries),
        DAY,
        "monte-carlo",
        WORLDS_PER_MEMBER,
        None,
        0,
    )
    wanted = EnsembleSettings(members=members)
    results: dict[str, float] = {}
    start = time.perf_counter()
    info, local = reach_spread(world, query, wanted, InProcess())
    results["ensemble_s"] = time.perf_counter() - start
    results["ensemble_inputs"] = float(len(info.inputs))
    widths = [s.interval.high - s.interval.low for s in local]
    results["width_median"] = statistics.median(widths)
    results["width_max"] = max(widths)
    results["ensemble_worlds_per_s"] = members * WORLDS_PER_MEMBER / results["ensemble_s"]
    with local_cluster(workers=2) as dask:
        dask.client.run(lambda: None)  # workers up before the clock starts
        start = time.perf_counter()
        _, remote = reach_spread(world, query, wanted, dask)
        results["ensemble_dask_s"] = time.perf_counter() - start
    results["dask_identical"] = float(remote == local)
    results["dask_speedup"] = results["ensemble_s"] / results["ensemble_dask_s"]
    return results


def cascade_figures() -> dict[str, float]:
    world = read_scenario(DEMO).world
    days = sweep_dates(date(2024, 12, 1), date(2026, 11, 30), 30)
    points = [SweepPoint(d, t) for d in days for t in (0.1, 0.2, 0.3)]
    start = time.perf_counter()
    rows = sweep(world, "aldren", points, seed=0, runner=InProcess())
    elapsed = time.perf_counter() - start
    first = next((r["as_of"] for r in rows if r["reach_tolerance"] == 0.2 and r["restricted"]), "")
    return {
        "cascade_points": float(len(points)),
        "cascade_s": elapsed,
        "cascade_ms_per_point": 1000 * elapsed / len(points),
        "cascade_first_restriction": float(date.fromisoformat(first).toordinal()) if first else 0.0,
        "cascade_max_drop": max(r["largest_drop"] for r in rows),
    }


def print_figures(results: dict[str, float], members: int) -> None:
    print(f"\n### Uncertain inputs ({members:,} tie-worlds) and the cascade\n")
    print("| measure | value |")
    print("|---|---:|")
    rows = [
        (
            f"ensemble: {members:,} tie-worlds × {WORLDS_PER_MEMBER:,} worlds, 50×5 pairs (s)",
            "ensemble_s",
        ),
        ("  uncertain inputs (ranged ties + impulsive partners)", "ensemble_inputs"),
        ("  sampled worlds per second, whole ensemble", "ensemble_worlds_per_s"),
        ("  interval width 5–95 %, median over the 250 pairs", "width_median"),
        ("  interval width 5–95 %, widest pair", "width_max"),
        ("same ensemble on a Dask LocalCluster, 2 worker processes (s)", "ensemble_dask_s"),
        ("  in-process time / Dask time (same run)", "dask_speedup"),
        ("  Dask figures identical to in-process (1 = yes)", "dask_identical"),
        (
            "cascade sweep on the demo world: points (25 dates 30 days apart × 3 tolerances)",
            "cascade_points",
        ),
        ("  total (s)", "cascade_s"),
        ("  per point, cascade + exposure before/after (ms)", "cascade_ms_per_point"),
        ("  largest drop of any source's exposure", "cascade_max_drop"),
    ]
    for label, key in rows:
        print(f"| {label} | {results[key]:,.4g} |")
    if results.get("cascade_first_restriction"):
        first = date.fromordinal(int(results["cascade_first_restriction"]))
        print(f"\nWith every ally's reach tolerance at 0.2, the first ally follows on {first}.")


def main(
    graph: LeakGraph, partners: list[int], adversaries: list[int], members: int
) -> dict[str, float]:
    results = ensemble_figures(graph, partners, adversaries, members)
    results |= cascade_figures()
    print_figures(results, members)
    return results
