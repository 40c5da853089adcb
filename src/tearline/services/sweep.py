"""Where ensembles and sweeps run: in this process, or on a Dask cluster.

Every sweep is a list of independent, deterministic jobs (an ensemble's
members in chunks, a cascade per tolerance or date). ``Runner.map`` runs a
top-level function over them with some shared, read-only arguments and
returns the results in job order, so a sweep gives the same numbers wherever
it runs (each job carries its own seeds; nothing depends on which worker or
in what order).

* ``InProcess`` (the default) runs them one after the other.
* ``DaskRunner`` hands them to ``dask.distributed``: the scheduler at
  ``TEARLINE_DASK=tcp://host:port`` (a real cluster, see docs/risk.md §10), or
  a ``LocalCluster`` of worker processes on 127.0.0.1 started for one command
  (``--dask``) and stopped after it. Shared arguments are scattered once to
  every worker. Dask is imported only here and only when used.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar

from tearline.domain.errors import TearlineError

T = TypeVar("T")
R = TypeVar("R")

DASK_ENV = "TEARLINE_DASK"


class SweepError(TearlineError):
    """The cluster could not be reached or a job failed there."""


class Runner(Protocol):
    name: str

    def map(self, fn: Callable[..., R], jobs: Sequence[Any], **shared: Any) -> list[R]:
        """``[fn(job, **shared) for job in jobs]``, in job order."""
        ...

    def chunks(self, count: int) -> int:
        """How many pieces to split ``count`` items into."""
        ...


class InProcess:
    name = "in-process"

    def map(self, fn: Callable[..., R], jobs: Sequence[Any], **shared: Any) -> list[R]:
        return [fn(job, **shared) for job in jobs]

    def chunks(self, count: int) -> int:
        return 1 if count else 0


class DaskRunner:
    """Jobs on a ``distributed.Client``. ``workers`` is the cluster's worker count."""

    name = "dask"

    def __init__(self, client: Any, timeout: float | None = None) -> None:
        self.client = client
        self.address = str(client.scheduler.address)
        self.timeout = timeout

    @property
    def workers(self) -> int:
        return max(1, len(self.client.scheduler_info().get("workers", {})))

    def chunks(self, count: int) -> int:
        # A few pieces per worker balance the load without drowning the
        # scheduler in tiny tasks.
        return min(count, 4 * self.workers)

    def map(self, fn: Callable[..., R], jobs: Sequence[Any], **shared: Any) -> list[R]:
        if not jobs:
            return []
        from dask.distributed import wait

        try:
            scattered = {k: self.client.scatter(v, broadcast=True) for k, v in shared.items()}
            futures = self.client.map(fn, list(jobs), pure=False, **scattered)
            wait(futures, timeout=self.timeout)  # type: ignore[no-untyped-call]
            return list(self.client.gather(futures))
        except (OSError, TimeoutError) as exc:
            raise SweepError(f"Dask cluster at {self.address}: {exc}") from exc


def split(count: int, pieces: int) -> list[range]:
    """``range(count)`` in ``pieces`` contiguous, nearly equal parts (none empty)."""
    pieces = max(1, min(pieces, count))
    bounds = [count * k // pieces for k in range(pieces + 1)]
    return [range(bounds[k], bounds[k + 1]) for k in range(pieces) if bounds[k] < bounds[k + 1]]


@contextmanager
def local_cluster(
    workers: int = 2, threads: int = 1, timeout: float | None = None
) -> Iterator[DaskRunner]:
    """A ``LocalCluster`` of worker processes on 127.0.0.1, stopped on exit."""
    from dask.distributed import Client, LocalCluster

    cluster = LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=workers,
        threads_per_worker=threads,
        processes=True,
        host="127.0.0.1",
        # Loopback, any free port: the scheduler always serves HTTP (health,
        # metrics) and its default :8787 may be taken by another cluster.
        dashboard_address="127.0.0.1:0",
    )
    try:
        with Client(cluster) as client:  # type: ignore[no-untyped-call]
            yield DaskRunner(client, timeout)
    finally:
        cluster.close()


@contextmanager
def remote(address: str) -> Iterator[DaskRunner]:
    """A client of the Dask scheduler at ``address`` (``tcp://host:port``)."""
    from dask.distributed import Client

    try:
        client = Client(address, timeout="10s")  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as exc:
        raise SweepError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
    try:
        yield DaskRunner(client)
    finally:
        client.close()  # type: ignore[no-untyped-call]


@contextmanager
def runner(use_dask: bool = False, workers: int = 2) -> Iterator[Runner]:
    """The runner a command asked for: ``TEARLINE_DASK`` if set, else a
    ``LocalCluster`` when ``use_dask``, else in-process."""
    address = os.environ.get(DASK_ENV, "").strip()
    if address:
        with remote(address) as dask:
            yield dask
    elif use_dask:
        with local_cluster(workers) as dask:
            yield dask
    else:
        yield InProcess()
