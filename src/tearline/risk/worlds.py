"""Sets of worlds: sampled (equally likely) or enumerated (weighted, exact).

A world fixes every edge open or closed. ``WorldSet`` holds the open masks of
all edges over its worlds, 64 worlds per uint64 word (bit w % 64 of word
w // 64 is world w), and, for an enumeration, each world's probability. Every
expectation the risk core takes (reach, mosaic risk, sensitivity) is a
weighted count over these masks, so the same code is exact on an enumeration
and a Monte Carlo estimate on a sample.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from tearline.risk.kernels import Backend
from tearline.risk.leak import LeakGraph
from tearline.risk.propagate import forward_masks, reach_masks
from tearline.risk.sampling import BLOCK_WORLDS, EdgeStreams, blocks_for, popcount

ENUM_MAX_EDGES = 16
"""Enumerate all 2^k edge states only up to k = 16 uncertain edges (65,536
worlds, the size of a default sample): past that a sample is as good and
cheaper."""

Masks = NDArray[np.uint64]
FloatArray = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class WorldSet:
    """Worlds of one graph. ``weights`` is None for a sample (each world 1/count)."""

    graph: LeakGraph
    masks: Masks  # (m, W)
    count: int
    seed: int | None
    weights: FloatArray | None = None

    @property
    def words(self) -> int:
        return int(self.masks.shape[1])

    @property
    def exact(self) -> bool:
        return self.weights is not None

    def unpack(self, masks: Masks) -> NDArray[np.bool_]:
        """Bits of (..., W) masks as (..., count) booleans, world order."""
        bits = np.unpackbits(np.ascontiguousarray(masks).view(np.uint8), axis=-1, bitorder="little")
        return bits[..., : self.count].astype(bool)

    def probability(self, masks: Masks) -> FloatArray:
        """P(world in mask) for (..., W) masks: a fraction or a weighted sum."""
        if self.weights is None:
            return popcount(masks).astype(np.float64) / self.count
        return np.asarray(self.unpack(masks) @ self.weights, dtype=np.float64)

    def mean(self, values: FloatArray) -> FloatArray:
        """E[value] for per-world values of shape (..., count)."""
        if self.weights is None:
            return np.asarray(values.mean(axis=-1), dtype=np.float64)
        return np.asarray(values @ self.weights, dtype=np.float64)

    def reach(self, targets: list[int], backend: Backend = "auto") -> Masks:
        """(len(targets), n, W): worlds in which each node reaches each target."""
        g = self.graph
        return reach_masks(g.n, g.src, g.dst, self.masks, targets, backend)

    def forward(self, sources: list[int], backend: Backend = "auto") -> Masks:
        """(len(sources), n, W): worlds in which each source reaches each node."""
        g = self.graph
        return forward_masks(g.n, g.src, g.dst, self.masks, sources, backend)


def sample_worlds(graph: LeakGraph, worlds: int, seed: int, backend: Backend = "auto") -> WorldSet:
    """``worlds`` sampled worlds (rounded up to whole blocks of 1,024), with the
    common-random-number streams of ``sampling``: world w of edge e depends
    only on (seed, e's endpoints, w)."""
    blocks = blocks_for(worlds)
    masks = EdgeStreams(graph.keys, graph.prob, seed, backend, blocks).draw(blocks)
    return WorldSet(graph, masks, blocks * BLOCK_WORLDS, seed)


def enumerate_worlds(graph: LeakGraph, edges: NDArray[np.intp] | None = None) -> WorldSet:
    """Every state of the uncertain edges among ``edges`` (all edges when None),
    weighted by its probability. Other edges are closed, except p = 1 edges,
    which are open: pass every edge that matters."""
    chosen = np.arange(graph.m) if edges is None else np.asarray(edges, dtype=np.intp)
    prob = graph.prob
    uncertain = chosen[(prob[chosen] > 0) & (prob[chosen] < 1)]
    k = len(uncertain)
    if k > ENUM_MAX_EDGES:
        raise ValueError(f"{k} uncertain edges: enumeration is limited to {ENUM_MAX_EDGES}")
    count = 1 << k
    words = -(-count // 64)
    index = np.arange(words * 64, dtype=np.uint64)
    masks = np.zeros((graph.m, words), dtype=np.uint64)
    certain = chosen[prob[chosen] >= 1]
    masks[certain] = np.uint64(0xFFFFFFFFFFFFFFFF)
    weights = np.ones(count)
    states = index[:count]
    for j, e in enumerate(uncertain):
        bits = (index >> np.uint64(j)) & np.uint64(1)
        masks[e] = np.packbits(bits.astype(np.uint8), bitorder="little").view(np.uint64)
        on = ((states >> np.uint64(j)) & np.uint64(1)).astype(bool)
        weights *= np.where(on, prob[e], 1.0 - prob[e])
    return WorldSet(graph, masks, count, None, weights)
