"""Ensembles and cascade sweeps on a Dask LocalCluster of worker processes
give exactly what they give in-process; the cluster is stopped afterwards."""

from __future__ import annotations

import dataclasses
import os
import socket
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import psutil
import pytest

from tearline.domain import Dimension, Uniform, World
from tearline.risk import RiskOptions
from tearline.scenario.loader import read_scenario
from tearline.services.cascade import SweepPoint, sweep
from tearline.services.disclosure import ProductDisclosure
from tearline.services.sweep import DaskRunner, InProcess, SweepError, local_cluster, runner
from tearline.services.uncertainty import (
    EnsembleSettings,
    ReachQuery,
    exposure_spread,
    reach_spread,
)

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo-world.yaml"
DAY = date(2026, 11, 28)


def _uncertain_demo() -> World:
    world = read_scenario(DEMO).world
    actors = tuple(
        dataclasses.replace(a, impulsive=0.1, impulsive_to="kharovia") if a.id == "aldren" else a
        for a in world.actors
    )
    ties = tuple(
        dataclasses.replace(t, ranges=((Dimension.INTELLIGENCE, Uniform(0.1, 0.6)),))
        if (t.source, t.target) == ("aldren", "kharovia")
        else t
        for t in world.ties
    )
    return dataclasses.replace(world, actors=actors, ties=ties)


def _hold_default_dashboard_port() -> socket.socket | None:
    """Take Dask's default HTTP port, as another cluster on the machine would."""
    held = socket.socket()
    try:
        held.bind(("127.0.0.1", 8787))
        held.listen()
    except OSError:  # already taken by someone else: the condition holds anyway
        held.close()
        return None
    return held


@pytest.fixture(scope="module")
def dask() -> Iterator[DaskRunner]:
    # Regression: with :8787 taken, the scheduler warned (an error under
    # pytest's filterwarnings) and the cluster failed to start.
    held = _hold_default_dashboard_port()
    try:
        with local_cluster(workers=2, timeout=180) as runner:
            scheduler = runner.client.scheduler_info()
            assert scheduler["address"].startswith("tcp://127.0.0.1:")
            pids = list(runner.client.run(os.getpid).values())
            assert len(pids) == 2
            assert all(p != os.getpid() for p in pids)  # worker processes, not threads
            assert runner.address.startswith("tcp://127.0.0.1:")
            yield runner
    finally:
        if held is not None:
            held.close()
    # Stopped: no worker process outlives the cluster (a nanny may take a few
    # seconds to reap a worker on a loaded machine; 60 s bounds the wait).
    alive = []
    for pid in pids:
        try:
            alive.append(psutil.Process(pid))
        except psutil.NoSuchProcess:
            continue
    _, still = psutil.wait_procs(alive, timeout=60)
    assert [p for p in still if p.status() != psutil.STATUS_ZOMBIE] == []


def test_reach_ensemble_on_dask_equals_in_process(dask: DaskRunner) -> None:
    world = _uncertain_demo()
    query = ReachQuery(None, None, DAY, "monte-carlo", 2048, None, 7)
    wanted = EnsembleSettings(members=24)
    local_info, local = reach_spread(world, query, wanted, InProcess())
    remote_info, remote = reach_spread(world, query, wanted, dask)
    assert remote == local
    assert local_info.inputs == remote_info.inputs
    assert remote_info.runner == "dask"
    assert any(s.interval.high > s.interval.low for s in local)


def test_exposure_ensemble_on_dask_equals_in_process(dask: DaskRunner) -> None:
    world = _uncertain_demo()
    options = RiskOptions(as_of=DAY, seed=3, disclosure=ProductDisclosure(world))
    wanted = EnsembleSettings(members=12)
    _, local = exposure_spread(world, None, options, wanted, InProcess())
    _, remote = exposure_spread(world, None, options, wanted, dask)
    assert remote == local


def test_cascade_sweep_on_dask_equals_in_process(dask: DaskRunner) -> None:
    world = read_scenario(DEMO).world
    points = [
        SweepPoint(d, t)
        for d in (date(2025, 6, 1), date(2026, 6, 1), DAY)
        for t in (0.1, 0.3, None)
    ]
    local = sweep(world, "aldren", points, seed=1, runner=InProcess())
    remote = sweep(world, "aldren", points, seed=1, runner=dask)
    assert remote == local
    assert [(r["as_of"], r["reach_tolerance"]) for r in remote] == [
        (p.on.isoformat(), p.reach_tolerance) for p in points
    ]


def test_an_unreachable_scheduler_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEARLINE_DASK", "tcp://127.0.0.1:9")
    with pytest.raises(SweepError, match=r"tcp://127\.0\.0\.1:9"), runner():
        pass


def test_without_dask_jobs_run_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TEARLINE_DASK", raising=False)
    with runner() as run:
        assert isinstance(run, InProcess)
        assert run.map(lambda job, k: job * k, [1, 2, 3], k=2) == [2, 4, 6]
