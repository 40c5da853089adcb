"""Sensitivity of reach to each edge, and single-edge what-ifs, from cached worlds.

Reliability is affine in each edge probability: R = p_e·R(e open) + (1 − p_e)·R(e
closed), so ∂R/∂p_e = R(e open) − R(e closed), the Birnbaum importance I_e.

**Estimating I_e from the same worlds.** For a pair (P, A) and e = u→v let F =
"P reaches u", B = "v reaches A", C = "P reaches A". F and B never depend on
e's own state (a simple path to u does not leave u; one from v does not
re-enter v), and with e forced open the pair connects iff C without e, or F
and B. Hence the worlds in F ∩ B ∖ C are exactly those where e is closed and
opening it would connect the pair, and

    I_e = P(F ∩ B ∖ C) / (1 − p_e).

With the forward masks F (one pass per partner) and the backward masks B (one
per adversary) cached, I_e for every edge and pair is a popcount.

**What-ifs.** Changing p_e to p'_e:

* raising it (p' > p) is answered *exactly as a re-simulation with common random
  numbers would*: the worlds where e newly opens are those with p ≤ U_e < p'
  (its stream is regenerated, one edge only), and there C' = C ∪ (F ∩ B).
* lowering it uses R' = R + (p' − p)·Î_e: unbiased, but not bit-identical
  to a re-simulation, because the worlds where e closes would need C without
  e, which the cache does not hold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from tearline.risk.leak import LeakGraph, edge_key
from tearline.risk.propagate import reach_masks
from tearline.risk.sampling import BLOCK_WORDS, EdgeStreams, quantized
from tearline.risk.worlds import WorldSet, sample_worlds

DEFAULT_CACHE_WORLDS = 1 << 15
"""Worlds kept for what-ifs: 32,768 worlds × (partners + adversaries) × actors
bits — about 40 MB for 50 partners, 5 adversaries and 200 actors."""

Masks = NDArray[np.uint64]
FloatArray = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class WorldCache:
    """Sampled worlds with their forward (from partners) and backward (to
    adversaries) reach masks."""

    worlds: WorldSet
    partners: tuple[int, ...]
    adversaries: tuple[int, ...]
    fwd: Masks  # (P, n, W): worlds in which partner i reaches node x
    back: Masks  # (A, n, W): worlds in which node x reaches adversary j

    @property
    def graph(self) -> LeakGraph:
        return self.worlds.graph

    def connected(self) -> Masks:
        """(P, A, W): worlds in which partner i reaches adversary j."""
        return np.ascontiguousarray(self.back[:, list(self.partners)].transpose(1, 0, 2))

    def reach(self) -> FloatArray:
        return self.worlds.probability(self.connected())


@dataclass(frozen=True, slots=True)
class WhatIf:
    """Reach of every (partner, adversary) pair before and after one edge change."""

    edge: tuple[str, str]
    old_prob: float
    new_prob: float
    before: FloatArray
    after: FloatArray
    method: str  # "common-random-numbers" (exact re-simulation) | "affine" (Birnbaum)


def cache_worlds(
    graph: LeakGraph,
    partners: Sequence[int],
    adversaries: Sequence[int],
    *,
    worlds: int = DEFAULT_CACHE_WORLDS,
    seed: int = 0,
) -> WorldCache:
    """Sample worlds and keep every mask what-ifs and sensitivities need."""
    sample = sample_worlds(graph, worlds, seed)
    return WorldCache(
        worlds=sample,
        partners=tuple(int(p) for p in partners),
        adversaries=tuple(int(a) for a in adversaries),
        fwd=sample.forward(list(partners)),
        back=sample.reach(list(adversaries)),
    )


def _gain_masks(cache: WorldCache, u: int, v: int) -> Masks:
    """(P, A, W): worlds where opening u→v would connect the pair and it is not."""
    gain = cache.fwd[:, u][:, None, :] & cache.back[:, v][None, :, :]
    gain &= ~cache.connected()
    return gain


def birnbaum(cache: WorldCache, edge: int) -> FloatArray:
    """∂reach/∂p_e for every (partner, adversary) pair, shape (P, A)."""
    g = cache.graph
    u, v = int(g.src[edge]), int(g.dst[edge])
    p = float(quantized(g.prob[edge : edge + 1])[0])
    if p < 1.0:
        return cache.worlds.probability(_gain_masks(cache, u, v)) / (1.0 - p)
    # p = 1: the edge is open in every world, so R(e closed) needs a re-propagation
    closed = cache.worlds.masks.copy()
    closed[edge] = 0
    back = reach_masks(g.n, g.src, g.dst, closed, list(cache.adversaries))
    without = np.ascontiguousarray(back[:, list(cache.partners)].transpose(1, 0, 2))
    return cache.reach() - cache.worlds.probability(without)


def birnbaum_all(cache: WorldCache) -> FloatArray:
    """∂reach/∂p_e for every edge and pair, shape (m, P, A)."""
    return np.stack([birnbaum(cache, e) for e in range(cache.graph.m)])


def what_if(cache: WorldCache, src: str, dst: str, prob: float) -> WhatIf:
    """Reach of every pair if p(src→dst) were ``prob`` (the tie may be new)."""
    g = cache.graph
    u, v = g.node(src), g.node(dst)
    e = g.edge(src, dst)
    old = 0.0 if e is None else float(g.prob[e])
    p, q = (float(x) for x in quantized(np.array([old, prob])))
    before = cache.reach()
    if q == p:
        return WhatIf((src, dst), old, prob, before, before.copy(), "common-random-numbers")
    if q > p:
        sample = cache.worlds
        if sample.weights is not None or sample.seed is None:
            raise ValueError("exact what-ifs need sampled worlds")
        blocks = sample.words // BLOCK_WORDS
        key = np.array([edge_key(src, dst)], dtype=np.uint64)
        new_open = EdgeStreams(key, np.array([prob]), sample.seed, blocks=blocks).draw(blocks)[0]
        old_open = sample.masks[e] if e is not None else np.zeros_like(new_open)
        opened = new_open & ~old_open
        gain = _gain_masks(cache, u, v) & opened
        after = before + sample.probability(gain)
        return WhatIf((src, dst), old, prob, before, after, "common-random-numbers")
    assert e is not None  # q < p implies the edge exists
    after = before + (q - p) * birnbaum(cache, e)
    return WhatIf((src, dst), old, prob, before, np.clip(after, 0.0, 1.0), "affine")
