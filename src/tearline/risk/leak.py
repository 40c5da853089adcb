"""The leak model: edge leak probabilities and the indexed graph the risk core runs on.

DESIGN.md, "Risk, in one page" §1: material held by actor ``i`` flows onward to
``j`` with probability

    p(i→j) = (1 − protection_i) · (1 − Π_d (1 − w_d · s_d(i→j)))

a noisy-OR over the four dimensions d (diplomatic, trade, military,
intelligence): each plane is an independent channel that carries the material
with probability ``w_d · s_d``, and the holder's protection is a gate in front of
all of them. The tie used for a pair is the one in force on the date asked
(``World.ties_in_force``).

``LeakGraph`` is that graph as arrays, indexed once, so every algorithm below
works on integers. It is an immutable value: the ``with_*`` methods return a new
graph (O(m)) for what-ifs, and each edge keeps a stable 64-bit key derived from
its endpoint ids so random streams (common random numbers) follow the edge, not
its position in the arrays.

An *impulsive* actor (``Actor.impulsive = P``, docs/risk.md §8) passes what it
holds straight to one adversary with probability P per period, whatever its
ties and protection: the edge to that adversary is open when the tie carries
the material or the actor jumps, ``p = 1 − (1 − p_tie)(1 − P)``, the jump
independent of everything else. Over the jump this is exactly the expected
figure; ensembles (``risk.ensemble``) draw the jump itself.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

from tearline.domain import DIMENSIONS, Dimension, NotFoundError, Tie, World

IntArray = NDArray[np.intp]
FloatArray = NDArray[np.float64]
KeyArray = NDArray[np.uint64]


def channel_probability(tie: Tie, weights: Mapping[Dimension, float]) -> float:
    """1 − Π_d (1 − w_d · s_d): the chance that at least one plane carries the material."""
    closed = 1.0
    for dimension in DIMENSIONS:
        term = weights.get(dimension, 0.0) * tie.strength(dimension)
        closed *= 1.0 - min(1.0, max(0.0, term))
    return 1.0 - closed


def edge_probability(tie: Tie, protection: float, weights: Mapping[Dimension, float]) -> float:
    """p(i→j) for a tie from a holder with ``protection`` (DESIGN.md, Risk §1)."""
    gate = 1.0 - min(1.0, max(0.0, protection))
    return gate * channel_probability(tie, weights)


def edge_key(src: str, dst: str) -> int:
    """A stable 64-bit identity for the directed pair, independent of indexing and
    of Python's per-process hash seed (BLAKE2b of the two ids)."""
    digest = hashlib.blake2b(f"{src}\x00{dst}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little")


A = TypeVar("A", bound=np.ndarray[Any, Any])


def _frozen(array: A) -> A:
    array.setflags(write=False)
    return array


@dataclass(frozen=True, eq=False)
class LeakGraph:
    """Actors as nodes ``0..n-1`` and one edge per directed pair, sorted by (src, dst).

    ``channel`` is the noisy-OR term of each edge and ``protection`` the gate of
    each node, so ``prob = (1 − protection[src]) · channel``; keeping both lets a
    protection what-if recompute only the affected edges. Graphs built with
    ``from_edges`` have protection 0 and ``channel = prob``. ``jump`` is the
    impulsive probability on an edge (zeros without one), folded into ``prob``.
    """

    ids: tuple[str, ...]
    index: Mapping[str, int]
    src: IntArray
    dst: IntArray
    prob: FloatArray
    channel: FloatArray
    protection: FloatArray
    keys: KeyArray
    out_ptr: IntArray  # edges out of node i are out_ptr[i]:out_ptr[i+1] (sorted by src)
    jump: FloatArray | None = None  # None: no impulsive edge

    # -- construction -----------------------------------------------------------

    @classmethod
    def build(
        cls,
        ids: Sequence[str],
        edges: Iterable[tuple[str, str, float]],
        protection: Mapping[str, float] | None = None,
        jumps: Mapping[tuple[str, str], float] | None = None,
    ) -> LeakGraph:
        """``edges`` as (src id, dst id, channel probability); ``prob`` is derived.
        ``jumps``: impulsive probability per (src, dst), adding the edge if absent."""
        ids = tuple(ids)
        index = {ident: i for i, ident in enumerate(ids)}
        if len(index) != len(ids):
            raise ValueError("duplicate actor id")
        rows: dict[tuple[int, int], float] = {}
        for s, d, p in edges:
            if s not in index:
                raise NotFoundError("actor", s)
            if d not in index:
                raise NotFoundError("actor", d)
            if s == d:
                continue  # a self-tie moves nothing onward
            if not 0.0 <= p <= 1.0:
                raise ValueError(f"edge {s}->{d}: probability {p} outside 0..1")
            if (index[s], index[d]) in rows:
                raise ValueError(f"duplicate edge {s}->{d}")
            rows[(index[s], index[d])] = float(p)
        prot = np.zeros(len(ids), dtype=np.float64)
        for ident, value in (protection or {}).items():
            if ident not in index:
                raise NotFoundError("actor", ident)
            prot[index[ident]] = min(1.0, max(0.0, value))
        jump_rows: dict[tuple[int, int], float] = {}
        for (s, d), value in (jumps or {}).items():
            if value <= 0.0 or s == d:
                continue
            pair = (index[s], index[d])
            rows.setdefault(pair, 0.0)
            jump_rows[pair] = min(1.0, float(value))
        return cls._assemble(ids, index, rows, prot, jump_rows)

    @classmethod
    def _assemble(
        cls,
        ids: tuple[str, ...],
        index: Mapping[str, int],
        rows: Mapping[tuple[int, int], float],
        protection: FloatArray,
        jumps: Mapping[tuple[int, int], float] | None = None,
    ) -> LeakGraph:
        pairs = sorted(rows)
        src = np.array([s for s, _ in pairs], dtype=np.intp)
        dst = np.array([d for _, d in pairs], dtype=np.intp)
        channel = np.array([rows[pair] for pair in pairs], dtype=np.float64)
        prob = (1.0 - protection[src]) * channel if pairs else np.zeros(0)
        jump = None
        if jumps:
            jump = np.array([jumps.get(pair, 0.0) for pair in pairs], dtype=np.float64)
            # Only impulsive edges change, so every other edge keeps its exact bits.
            prob = np.where(jump > 0.0, 1.0 - (1.0 - prob) * (1.0 - jump), prob)
        keys = np.array([edge_key(ids[s], ids[d]) for s, d in pairs], dtype=np.uint64)
        out_ptr = np.searchsorted(src, np.arange(len(ids) + 1)).astype(np.intp)
        return cls(
            ids=ids,
            index=dict(index),
            src=_frozen(src),
            dst=_frozen(dst),
            prob=_frozen(np.asarray(prob, dtype=np.float64)),
            channel=_frozen(channel),
            protection=_frozen(protection.copy()),
            keys=_frozen(keys),
            out_ptr=_frozen(out_ptr),
            jump=_frozen(jump) if jump is not None else None,
        )

    @classmethod
    def from_edges(
        cls, edges: Iterable[tuple[str, str, float]], nodes: Iterable[str] = ()
    ) -> LeakGraph:
        """A graph from plain (src, dst, p) triples, for tests and benchmarks.
        Nodes are ``nodes`` plus every endpoint, in sorted order."""
        edges = list(edges)
        ids = sorted({*nodes, *(s for s, _, _ in edges), *(d for _, d, _ in edges)})
        return cls.build(ids, edges)

    @classmethod
    def from_world(cls, world: World, as_of: date | None = None) -> LeakGraph:
        """The leak graph of ``world`` with the ties in force on ``as_of``
        (None = the latest tie of every pair)."""
        ids = tuple(actor.id for actor in world.actors)
        weights = world.model.dimension_weights
        edges = [
            (tie.source, tie.target, channel_probability(tie, weights))
            for tie in world.ties_in_force(as_of)
        ]
        protection = {actor.id: actor.protection for actor in world.actors}
        jumps = {
            (actor.id, actor.impulsive_to): actor.impulsive
            for actor in world.actors
            if actor.impulsive > 0.0 and actor.impulsive_to is not None
        }
        return cls.build(ids, edges, protection, jumps)

    # -- queries ----------------------------------------------------------------

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def m(self) -> int:
        return len(self.src)

    def node(self, ident: str) -> int:
        try:
            return self.index[ident]
        except KeyError:
            raise NotFoundError("actor", ident) from None

    def edge(self, src: str, dst: str) -> int | None:
        """Index of the edge src→dst, or None when the pair has no tie."""
        s, d = self.node(src), self.node(dst)
        lo, hi = int(self.out_ptr[s]), int(self.out_ptr[s + 1])
        pos = lo + int(np.searchsorted(self.dst[lo:hi], d))
        return pos if pos < hi and int(self.dst[pos]) == d else None

    def edge_ids(self, e: int) -> tuple[str, str]:
        return self.ids[int(self.src[e])], self.ids[int(self.dst[e])]

    # -- what-ifs (each returns a new graph) -----------------------------------

    def _rows(self) -> dict[tuple[int, int], float]:
        return {
            (int(s), int(d)): float(c)
            for s, d, c in zip(self.src, self.dst, self.channel, strict=True)
        }

    def _jumps(self) -> dict[tuple[int, int], float]:
        if self.jump is None:
            return {}
        return {
            (int(s), int(d)): float(j)
            for s, d, j in zip(self.src, self.dst, self.jump, strict=True)
            if j > 0.0
        }

    def with_channel(self, src: str, dst: str, channel: float) -> LeakGraph:
        """The graph with the tie src→dst carrying ``channel`` (added if absent)."""
        if not 0.0 <= channel <= 1.0:
            raise ValueError(f"probability {channel} outside 0..1")
        rows = self._rows()
        rows[(self.node(src), self.node(dst))] = float(channel)
        return self._assemble(self.ids, self.index, rows, np.array(self.protection), self._jumps())

    def with_edge_prob(self, src: str, dst: str, prob: float) -> LeakGraph:
        """The graph with p(src→dst) = ``prob`` (the channel is solved for it, so
        the holder's protection is unchanged)."""
        gate = 1.0 - float(self.protection[self.node(src)])
        if prob > gate + 1e-12:
            raise ValueError(f"p({src}->{dst}) = {prob} exceeds 1 - protection = {gate}")
        return self.with_channel(src, dst, 0.0 if gate == 0.0 else min(1.0, prob / gate))

    def with_tie(self, tie: Tie, weights: Mapping[Dimension, float]) -> LeakGraph:
        """The graph with ``tie`` in force for its pair."""
        return self.with_channel(tie.source, tie.target, channel_probability(tie, weights))

    def with_protection(self, actor: str, protection: float) -> LeakGraph:
        """The graph with ``actor``'s protection changed: only its out-edges move."""
        prot = np.array(self.protection)
        prot[self.node(actor)] = min(1.0, max(0.0, protection))
        return self._assemble(self.ids, self.index, self._rows(), prot, self._jumps())
