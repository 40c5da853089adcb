"""The state behind the batched assessment (``batch``): per-source history
views, atoms of equal history state, world sets and their reach masks, and
the small numeric helpers they share. Private to ``batch`` and ``matrix``."""

from __future__ import annotations

import dataclasses
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from tearline.domain import Actor, NotFoundError, Source, Version, World
from tearline.risk.disclosure import Disclosed
from tearline.risk.leak import LeakGraph
from tearline.risk.propagate import coreaching
from tearline.risk.sampling import BLOCK_WORDS, EdgeStreams, quantize
from tearline.risk.worlds import WorldSet

Masks = NDArray[np.uint64]
FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
Pair = tuple[str, str]
Codes = tuple[int, ...]
Key = int | None
"""A world set: None for the shared sample, else the edges it enumerates (bits)."""

_TINY = 1e-300  # as in mosaic: selectivity 0 must not make log k = -inf
_JOINT_WORDS = 1 << 22  # atoms × actors × words per chunk when computing J (32 MB)


# -- state ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Copy:
    partner: str
    disclosed: Disclosed


@dataclass(frozen=True, eq=False)
class _SourceView:
    """A source as the mosaic sees it. Levels are integer codes, ``none`` (the
    largest) for undisclosed, so the most specific level is the ``min``;
    ``logsel[attribute, code]`` is its log selectivity (0 for ``none``).
    ``history`` holds the codes of each partner's past copies."""

    source: Source
    adversaries: tuple[str, ...]
    capacities: tuple[int, ...]
    max_risk: float
    history: tuple[tuple[str, Codes], ...]
    world_partners: frozenset[str]  # partners of past copies: they pick the world set
    names: Mapping[str, int]
    logsel: FloatArray
    none: int

    @classmethod
    def build(
        cls, world: World, actors: Mapping[str, Actor], source: Source, copies: Sequence[_Copy]
    ) -> _SourceView:
        none = max((len(a.generalizations) for a in source.attributes), default=0) + 1
        logsel = np.zeros((len(source.attributes), none + 1))
        for i, attribute in enumerate(source.attributes):
            for level in range(none):
                selectivity = attribute.selectivity_at(level)
                if selectivity < 1.0:
                    logsel[i, level] = math.log(max(selectivity, _TINY))
        adversaries = tuple(sorted(source.threatened_by))
        view = cls(
            source=source,
            adversaries=adversaries,
            capacities=tuple(world.adversary_capacity(_actor(actors, a)) for a in adversaries),
            max_risk=world.source_max_risk(source),
            history=(),
            world_partners=frozenset(c.partner for c in copies),
            names={a.name: i for i, a in enumerate(source.attributes)},
            logsel=logsel,
            none=none,
        )
        groups: dict[str, dict[str, int]] = defaultdict(dict)
        for copy in copies:  # one partner's copies reach in the same worlds
            best = groups[copy.partner]
            for (sid, name), level in copy.disclosed.items():
                if sid == source.id:
                    best[name] = min(level, best.get(name, level))
        coded = [(p, view.codes(groups[p])) for p in sorted(groups)]
        return dataclasses.replace(view, history=tuple((p, c) for p, c in coded if c is not None))

    @property
    def width(self) -> int:
        return len(self.source.attributes)

    def codes(self, levels: Mapping[str, int]) -> Codes | None:
        """Levels as codes; None when nothing identifying is disclosed. Unknown
        names and levels of selectivity 1 disclose nothing (as in mosaic)."""
        out = [self.none] * self.width
        found = False
        for name, level in levels.items():
            i = self.names.get(name)
            if i is not None and self.source.attributes[i].selectivity_at(level) < 1.0:
                out[i] = min(out[i], level)
                found = True
        return tuple(out) if found else None

    def identified(self, capacity: int, codes: NDArray[np.intp]) -> FloatArray:
        """f = min(1, capacity / max(1, population · Π selectivity)) over the last axis."""
        log_k = math.log(max(self.source.population, 1)) + self.logsel[
            np.arange(self.width), codes
        ].sum(axis=-1)
        out: FloatArray = np.minimum(1.0, capacity / np.maximum(1.0, np.exp(log_k)))
        return out

    def same(self, other: _SourceView) -> bool:
        """Equal inputs to the mosaic: a what-if may keep this source's state."""
        return (
            self.source == other.source
            and self.history == other.history
            and self.capacities == other.capacities
            and self.max_risk == other.max_risk
            and self.world_partners == other.world_partners
        )


@dataclass(eq=False)
class _Atoms:
    """The history state of (source, adversary) on one world set: atoms of
    equal state, P(identified) in each, the risk before and J."""

    masks: Masks  # (u, W)
    codes: NDArray[np.intp]  # (u, attributes)
    f: FloatArray  # (u,)
    before: float
    partners: frozenset[int]  # nodes of the history's partners
    joint: FloatArray  # (u, n): J[u, x] = P(atom u ∧ x reaches the adversary)
    deltas: dict[tuple[Codes, ...], FloatArray] = field(default_factory=dict)

    def delta(self, view: _SourceView, capacity: int, wanted: Sequence[Codes]) -> FloatArray:
        """(len(wanted), u): d per atom of candidates disclosing ``wanted``."""
        key = tuple(wanted)
        found = self.deltas.get(key)
        if found is None:
            levels = np.minimum(self.codes[None, :, :], np.array(wanted, dtype=np.intp)[:, None])
            found = self.deltas[key] = view.identified(capacity, levels) - self.f[None, :]
        return found


@dataclass(frozen=True, eq=False)
class _Block:
    """Rows computed together, each a (report, version) on one world set with
    every actor as the partner; one slot per (row, source)."""

    marginal: FloatArray  # (rows, n)
    cumulative: FloatArray  # (rows, n)
    reach: FloatArray  # (rows, n); NaN when no adversary threatens the report's sources
    before: FloatArray  # (slots,)
    after: FloatArray  # (slots, n)
    max_risk: FloatArray  # (slots,)
    bounds: IntArray  # the slots of row i are bounds[i]:bounds[i + 1]
    _over: dict[float, FloatArray] = field(default_factory=dict)

    def pushes_over(self, negligible: float) -> FloatArray:
        """(rows, n): 1 where the candidate adds more than ``negligible`` to a
        source whose risk after it is above the source's ``max_risk``, else 0."""
        found = self._over.get(negligible)
        if found is None:
            over = (self.after - self.before[:, None] > negligible) & (
                self.after > self.max_risk[:, None]
            )
            found = _row_max(over.astype(np.float64), self.bounds)
            self._over[negligible] = found
        return found


Row = tuple[_Block, int]


@dataclass(frozen=True, eq=False)
class _Layout:
    """How a list of rows breaks into slots and steps, one step per (source,
    adversary), in the order the products of ``combine`` need (by rank of the
    adversary among the source's). Built once per list of rows: a what-if
    recomputing the same rows reuses it."""

    slot_row: IntArray  # (slots,)
    max_risk: FloatArray  # (slots,) the slot's source's
    steps: list[tuple[int, str, int]]  # (rank, source, adversary node)
    slots: list[IntArray]  # per step, its slots
    codes: list[list[Codes]]  # per step, the distinct levels disclosed
    member: list[IntArray]  # per step and slot: index into codes, -1: discloses nothing


@dataclass(frozen=True, eq=False)
class _Indexed:
    """A list of pairs as ``assess`` indexes it (see ``BatchAssessor._index``)."""

    pairs: list[Pair]
    uncertain: int
    cols: IntArray
    report_index: IntArray  # into the keys of by_report
    by_report: dict[str, list[int]]
    placed: list[tuple[str, Key, IntArray]]


class _WorldState:
    """A world set with its reach masks, atoms and rows, filled lazily.
    After a what-if, ``previous`` is the state before and ``changed`` the
    actors whose reach to each adversary changed."""

    def __init__(self, worlds: WorldSet, previous: _WorldState | None = None) -> None:
        self.worlds = worlds
        self.reach: dict[int, Masks] = {}
        self.reach_prob: dict[int, FloatArray] = {}
        self.atoms: dict[tuple[str, int], _Atoms] = {}
        self.rows: dict[tuple[str, Version], Row] = {}
        self.previous = previous
        self.changed: dict[int, IntArray] = {}
        if previous is not None and previous.worlds is worlds:
            self.reach, self.reach_prob = dict(previous.reach), dict(previous.reach_prob)
            self.changed = {a: np.zeros(0, dtype=np.intp) for a in previous.reach}
        elif previous is not None:
            for a, old in previous.reach.items():
                self.changed[a] = np.flatnonzero((self.masks_to(a) != old).any(axis=1))

    def masks_to(self, adversary: int) -> Masks:
        """(n, W): worlds in which each actor reaches ``adversary``."""
        masks = self.reach.get(adversary)
        if masks is None:
            masks = self.worlds.reach([adversary])[0]
            self.reach[adversary] = masks
            self.reach_prob[adversary] = self.worlds.probability(masks)
        return masks

    def unchanged(self, adversary: int) -> bool:
        changed = self.changed.get(adversary)
        return changed is not None and len(changed) == 0


# -- helpers ------------------------------------------------------------------------


def _actor(actors: Mapping[str, Actor], ident: str) -> Actor:
    try:
        return actors[ident]
    except KeyError:
        raise NotFoundError("actor", ident) from None


def _pieces(
    groups: Sequence[tuple[Masks, Codes]], attribute: int, none: int, every: Masks
) -> list[tuple[Masks, int]]:
    """The worlds in which the history discloses ``attribute`` at each level
    (the most specific level that reaches wins) and, last, those where it does not."""
    by_level: dict[int, Masks] = {}
    for mask, codes in groups:
        level = codes[attribute]
        if level != none:
            by_level[level] = by_level[level] | mask if level in by_level else mask
    if not by_level:
        return [(every, none)]
    pieces: list[tuple[Masks, int]] = []
    seen = np.zeros_like(every)
    for level in sorted(by_level):
        union = seen | by_level[level]
        pieces.append((union & ~seen, level))
        seen = union
    pieces.append((every & ~seen, none))
    return [(m, level) for m, level in pieces if m.any()]


def _joint(state: _WorldState, atoms: Masks, adversary: int, cols: IntArray) -> FloatArray:
    """J[u, x] = P(atom u ∧ x reaches the adversary) for the actors ``cols``."""
    reach = state.masks_to(adversary)[cols]
    out = np.empty((len(atoms), len(cols)))
    step = max(1, _JOINT_WORDS // max(1, len(cols) * atoms.shape[1]))
    for lo in range(0, len(atoms), step):
        out[lo : lo + step] = state.worlds.probability(atoms[lo : lo + step, None, :] & reach[None])
    return out


def _row_max(values: FloatArray, bounds: IntArray) -> FloatArray:
    """Per row, the largest of its slots' ``values`` (slots grouped by row,
    row i's at bounds[i]:bounds[i + 1]); 0 for a row without slots."""
    counts = np.diff(bounds)
    out = np.zeros((len(counts), values.shape[1]))
    filled = counts > 0
    if filled.any():
        out[filled] = np.maximum.reduceat(values, bounds[:-1][filled], axis=0)
    return out


def _bits_of(edges: IntArray) -> int:
    return sum(1 << int(e) for e in edges)


def _relevant_bits(graph: LeakGraph, s: int, t: int) -> int:
    """``exact.relevant_edges(graph, s, t)`` as bits, on arrays: edges that can
    be open, neither re-enter s nor leave t, with a tail reachable from s and
    a head that reaches t."""
    src, dst = graph.src, graph.dst
    live = np.flatnonzero((graph.prob > 0.0) & (src != dst) & (dst != s) & (src != t))
    ahead = coreaching(graph.n, dst[live], src[live], s)  # reversed: reachable from s
    if not ahead[t]:
        return 0
    behind = coreaching(graph.n, src[live], dst[live], t)
    return _bits_of(live[ahead[src[live]] & behind[dst[live]]])


def _same_structure(a: LeakGraph, b: LeakGraph) -> bool:
    """The same edges can be open: relevant edge sets are the same."""
    return (
        np.array_equal(a.src, b.src)
        and np.array_equal(a.dst, b.dst)
        and np.array_equal(a.prob > 0, b.prob > 0)
    )


def _resample(old: WorldSet, graph: LeakGraph) -> WorldSet:
    """``sample_worlds`` of a changed graph, bit for bit, drawing only the edges
    whose sampled probability changed or that are new (every edge has its
    own random stream, keyed by its endpoints)."""
    assert old.seed is not None
    position = {int(k): e for e, k in enumerate(old.graph.keys)}
    q_old, q_new = quantize(old.graph.prob), quantize(graph.prob)
    masks = np.empty((graph.m, old.words), dtype=np.uint64)
    redraw = []
    for e, key in enumerate(graph.keys):
        was = position.get(int(key))
        if was is not None and q_old[was] == q_new[e]:
            masks[e] = old.masks[was]
        else:
            redraw.append(e)
    if redraw:
        chosen = np.array(redraw, dtype=np.intp)
        streams = EdgeStreams(graph.keys[chosen], graph.prob[chosen], old.seed)
        masks[chosen] = streams.draw(old.words // BLOCK_WORDS)
    return WorldSet(graph, masks, old.count, old.seed)
