"""The results of a batched assessment (``batch``): one candidate's risk per
source, and the matrix of many candidates' figures."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from tearline.domain import Version
from tearline.risk.batch_state import (
    FloatArray,
    IntArray,
    Pair,
    _Block,
    _WorldState,
)

if TYPE_CHECKING:
    from tearline.risk.batch import BatchAssessor

# -- results ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SourceRisk:
    """One source under one candidate, as in ``SourceAssessment``."""

    source: str
    before: float
    after: float
    max_risk: float

    @property
    def marginal(self) -> float:
        return self.after - self.before

    @property
    def exceeds(self) -> bool:
        return self.after > self.max_risk


@dataclass(frozen=True, slots=True)
class CandidateRisk:
    """What ``assess_release`` says about one (report, partner, version).
    ``reach`` is the largest over the (source, threatening adversary) pairs,
    None when there are none."""

    report: str
    partner: str
    version: Version
    marginal: float
    cumulative: float
    reach: float | None
    sources: tuple[SourceRisk, ...]
    worlds: int
    exact: bool


class RiskMatrix:
    """The figures of many candidates. ``marginal``, ``cumulative`` and
    ``reach`` are (versions, pairs) arrays in the order of ``pairs`` (reach
    NaN: no adversary threatens the report's sources); ``matrix[report,
    partner, version]`` is one candidate with its sources."""

    def __init__(
        self, assessor: BatchAssessor, pairs: list[Pair], versions: tuple[Version, ...]
    ) -> None:
        self.pairs = pairs
        self.versions = versions
        shape = (len(versions), len(pairs))
        self.marginal, self.cumulative = np.zeros(shape), np.zeros(shape)
        self.reach = np.full(shape, np.nan)
        # Each pair's report (an index into ``reports``) and partner (actor node).
        self.reports: list[str] = []
        self.report_index = np.zeros(len(pairs), dtype=np.intp)
        self.partner_nodes = np.zeros(len(pairs), dtype=np.intp)
        self.actors = assessor.graph.ids
        self._assessor = assessor
        self._parts: list[tuple[_WorldState, Sequence[tuple[str, IntArray]], IntArray]] = []
        self._states: dict[str, list[tuple[IntArray, _WorldState]]] = defaultdict(list)
        self._index: dict[Pair, int] | None = None
        self._over: dict[float, NDArray[np.bool_]] = {}

    def _fill(
        self, state: _WorldState, members: Sequence[tuple[str, IntArray]], cols: IntArray
    ) -> None:
        """Take the figures of ``members`` (report, positions of its pairs)
        from ``state``'s rows."""
        self._parts.append((state, members, cols))
        for report, positions in members:
            self._states[report].append((positions, state))
        into = (self.marginal, self.cumulative, self.reach)
        self._gather(state, members, cols, lambda b: (b.marginal, b.cumulative, b.reach), into)

    def _gather(
        self,
        state: _WorldState,
        members: Sequence[tuple[str, IntArray]],
        cols: IntArray,
        read: Callable[[_Block], tuple[FloatArray, ...]],
        into: tuple[FloatArray, ...],
    ) -> None:
        """into[k][v, pair] = read(block)[k][row, partner], one gather per block."""
        positions = np.concatenate([p for _, p in members])
        lengths = [len(p) for _, p in members]
        for v, version in enumerate(self.versions):
            rows = [state.rows[(report, version)] for report, _ in members]
            blocks = list(dict.fromkeys(block for block, _ in rows))
            which = np.repeat([blocks.index(b) for b, _ in rows], lengths)
            index = np.repeat([j for _, j in rows], lengths)
            for b, block in enumerate(blocks):
                mine = which == b
                at, row, col = positions[mine], index[mine], cols[positions[mine]]
                for source, target in zip(read(block), into, strict=True):
                    target[v, at] = source[row, col]

    def pushes_over(self, negligible: float) -> NDArray[np.bool_]:
        """(versions, pairs): does the candidate add more than ``negligible`` to
        a source whose risk after it is above the source's ``max_risk``?"""
        found = self._over.get(negligible)
        if found is None:
            out = np.zeros(self.marginal.shape)
            for state, members, cols in self._parts:
                self._gather(state, members, cols, lambda b: (b.pushes_over(negligible),), (out,))
            found = self._over[negligible] = out > 0
        return found

    def per_source(
        self, test: Callable[[FloatArray, FloatArray, FloatArray], NDArray[np.bool_]]
    ) -> NDArray[np.bool_]:
        """(versions, pairs, K) booleans: ``test(after, before, max_risk)`` per
        source of each candidate's report, in the report's order (K: the most
        sources of any report; False where a report has fewer)."""
        width = max((len(self._assessor._report(r).sources) for r in self.reports), default=0)
        out = np.zeros((len(self.versions), len(self.pairs), width), dtype=np.bool_)
        for state, members, cols in self._parts:
            positions = np.concatenate([p for _, p in members])
            lengths = [len(p) for _, p in members]
            for v, version in enumerate(self.versions):
                rows = [state.rows[(report, version)] for report, _ in members]
                blocks = list(dict.fromkeys(block for block, _ in rows))
                which = np.repeat([blocks.index(b) for b, _ in rows], lengths)
                low = np.repeat([int(b.bounds[j]) for b, j in rows], lengths)
                count = np.repeat([int(b.bounds[j + 1] - b.bounds[j]) for b, j in rows], lengths)
                for b, block in enumerate(blocks):
                    mine = which == b
                    at, col = positions[mine], cols[positions[mine]]
                    lo, n = low[mine], count[mine]
                    for k in range(width):
                        ok = n > k
                        slot = lo[ok] + k
                        out[v, at[ok], k] = test(
                            block.after[slot, col[ok]], block.before[slot], block.max_risk[slot]
                        )
        return out

    def index(self, pair: Pair) -> int:
        if self._index is None:
            self._index = {p: i for i, p in enumerate(self.pairs)}
        return self._index[pair]

    def __contains__(self, pair: object) -> bool:
        if self._index is None:
            self._index = {p: i for i, p in enumerate(self.pairs)}
        return pair in self._index

    def figures(
        self, report: str, partner: str, version: Version
    ) -> tuple[float, float, float | None]:
        """(marginal, cumulative, reach) of one candidate."""
        i, v = self.index((report, partner)), self.versions.index(version)
        reach = float(self.reach[v, i])
        return (
            float(self.marginal[v, i]),
            float(self.cumulative[v, i]),
            None if math.isnan(reach) else reach,
        )

    def __getitem__(self, candidate: tuple[str, str, Version]) -> CandidateRisk:
        report, partner, version = candidate
        i = self.index((report, partner))
        state = next(s for positions, s in self._states[report] if i in positions)
        block, j = state.rows[(report, version)]
        x = self._assessor.graph.node(partner)
        lo = int(block.bounds[j])
        sources = tuple(
            SourceRisk(
                sid,
                float(block.before[lo + k]),
                float(block.after[lo + k, x]),
                self._assessor._view(sid).max_risk,
            )
            for k, sid in enumerate(self._assessor._report(report).sources)
        )
        marginal, cumulative, reach = self.figures(report, partner, version)
        worlds = state.worlds
        return CandidateRisk(
            report,
            partner,
            version,
            marginal,
            cumulative,
            reach,
            sources,
            worlds.count,
            worlds.exact,
        )

    def changed(self, before: RiskMatrix) -> NDArray[np.bool_]:
        """Per pair: do its figures (any version) differ from ``before``'s, or
        can they not be compared (absent before, or no reach: the caller's
        fallback)?"""
        if before.versions != self.versions:
            return np.ones(len(self.pairs), dtype=bool)
        if before.pairs == self.pairs:
            at = np.arange(len(self.pairs))
        else:
            at = np.array(
                [before.index(p) if p in before else -1 for p in self.pairs], dtype=np.intp
            )
        missing = at < 0
        at = np.where(missing, 0, at)
        differ = (
            (self.marginal != before.marginal[:, at])
            | (self.cumulative != before.cumulative[:, at])
            | ~(self.reach == before.reach[:, at])
        )
        out: NDArray[np.bool_] = differ.any(axis=0) | missing
        return out
