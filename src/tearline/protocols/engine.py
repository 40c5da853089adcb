"""The decision engine for many pairs: full, tearline or withhold, decided by
``Decider`` (the one decision function) on figures given as arrays.

The figures come from elsewhere (``services.decisions`` computes them with the
risk engine and the sanitiser); this module only decides. Pure: no I/O.

**Shared answers.** Cedar sees a request through the partner (and its
groups), the report's entity (its attributes, never its id: the compiler
never names a report), ``approved``, ``today`` and the figures, which the
compiled protocols only compare with constants — the compiler hands those
comparisons over as data (``PolicySet.comparisons``). Pairs alike in all of
that, and in which versions can be made at all, get the same answer, so each
such class is decided once by ``Decider.decide`` and its members get that
decision with their own report id and figures. On a large matrix that turns
10⁵-10⁶ Cedar calls into a few thousand (cedarpy's batch call costs ~50 µs a
request, so deciding every pair even in one batch would take ~50 s for 10⁶
requests; see docs/protocols.md), and a what-if reuses the answers of the
world before it. A policy set not made by the compiler, or an answer that
carries an evaluation error, is decided pair by pair.
"""

from __future__ import annotations

import dataclasses
import json
import operator
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tearline.domain.releases import Version
from tearline.domain.reports import Report
from tearline.domain.world import World
from tearline.protocols.cedar import PolicySet, entities
from tearline.protocols.decide import Decider, Decision, Outcome, compromised_sources, is_approved
from tearline.protocols.figures import K_CAP, MILLI, PPB, Figures

Pair = tuple[str, str]
IntArray = NDArray[np.intp]
FloatArray = NDArray[np.float64]

NO_TEARLINE = "no tearline can meet the partner's anonymity target"

_OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
}


@dataclass(frozen=True, eq=False)
class FigureGrid:
    """The figures of many pairs: arrays indexed [version, pair].

    ``worst_k`` may be infinite (no source); ``available`` says whether that
    version of the copy can be made at all (a tearline that cannot reach the
    partner's anonymity target cannot: it is refused, not swapped later)."""

    pairs: list[Pair]
    versions: tuple[Version, ...]
    marginal: FloatArray
    cumulative: FloatArray
    reach: FloatArray
    worst_k: FloatArray
    available: NDArray[np.bool_]
    floor: NDArray[np.bool_] | None = None  # (versions, pairs): Figures.floor
    # Optional indexes (a risk matrix has them): the distinct reports and each
    # pair's position among them; the partners (any list holding them) likewise.
    reports: list[str] | None = None
    report_index: IntArray | None = None
    partners: Sequence[str] | None = None
    partner_index: IntArray | None = None

    def indexes(self) -> tuple[list[str], IntArray, Sequence[str], IntArray]:
        """(reports, each pair's report, partners, each pair's partner)."""
        reports, rows = self.reports, self.report_index
        if reports is None or rows is None:
            reports = list(dict.fromkeys(r for r, _ in self.pairs))
            at = {r: i for i, r in enumerate(reports)}
            rows = np.fromiter((at[r] for r, _ in self.pairs), np.intp, len(self.pairs))
        partners, cols = self.partners, self.partner_index
        if partners is None or cols is None:
            partners = list(dict.fromkeys(p for _, p in self.pairs))
            where = {p: i for i, p in enumerate(partners)}
            cols = np.fromiter((where[p] for _, p in self.pairs), np.intp, len(self.pairs))
        return reports, rows, partners, cols

    def figures(self, i: int) -> dict[Version, Figures]:
        return {
            version: Figures(
                marginal_risk=max(0.0, float(self.marginal[v, i])),
                cumulative_risk=float(self.cumulative[v, i]),
                worst_k=float(self.worst_k[v, i]),
                reach=float(self.reach[v, i]),
                floor=bool(self.floor[v, i]) if self.floor is not None else False,
            )
            for v, version in enumerate(self.versions)
        }

    def unavailable(self, i: int) -> dict[Version, str]:
        return {
            version: NO_TEARLINE
            for v, version in enumerate(self.versions)
            if not self.available[v, i]
        }


class DecisionTable(Mapping[Pair, Decision]):
    """Decisions of many pairs in the order of ``pairs``, ``outcomes`` alike.
    A pair that shares its class's answer gets its ``Decision`` built when it
    is read."""

    def __init__(
        self,
        grid: FigureGrid,
        made: dict[int, Decision],
        shared: Sequence[Decision | None],
        which: IntArray,
    ) -> None:
        self.pairs = grid.pairs
        self.grid = grid
        self._made = made
        self._shared = shared
        self._which = which
        self._index: dict[Pair, int] | None = None
        # A class without a shared answer (None) has every member in ``made``.
        answers = [d.outcome if d is not None else Outcome.WITHHOLD for d in shared]
        self.outcomes: list[Outcome] = (
            [answers[k] for k in which.tolist()] if answers else [Outcome.WITHHOLD] * len(which)
        )
        for i, decision in made.items():
            self.outcomes[i] = decision.outcome

    def at(self, i: int) -> Decision:
        decision = self._made.get(i)
        if decision is None:
            shared = self._shared[int(self._which[i])]
            assert shared is not None  # pairs without a shared answer are in ``made``
            report = self.pairs[i][0]
            decision = dataclasses.replace(shared, report=report, figures=self.grid.figures(i))
            self._made[i] = decision
        return decision

    def __getitem__(self, pair: Pair) -> Decision:
        if self._index is None:
            self._index = {p: i for i, p in enumerate(self.pairs)}
        return self.at(self._index[pair])

    def __iter__(self) -> Iterator[Pair]:
        return iter(self.pairs)

    def __len__(self) -> int:
        return len(self.pairs)


@dataclass
class DecisionEngine:
    """Decides many pairs of one world as of one day (module docstring)."""

    world: World
    today: date
    policies: PolicySet | None = None
    _decider: Decider | None = field(default=None, init=False, repr=False)
    _answers: dict[Hashable, Decision | None] = field(default_factory=dict, init=False, repr=False)
    _entities: dict[str, str] = field(default_factory=dict, init=False, repr=False)
    _reports: dict[str, Report] | None = field(default=None, init=False, repr=False)

    @property
    def decider(self) -> Decider:
        if self._decider is None:
            self._decider = Decider(self.world, self.policies)
            self.policies = self._decider.policies
        return self._decider

    def report(self, ident: str) -> Report:
        if self._reports is None:
            self._reports = {r.id: r for r in self.world.reports}
        found = self._reports.get(ident)
        return found if found is not None else self.world.report(ident)  # raises NotFound

    def decide_one(self, grid: FigureGrid, i: int) -> Decision:
        report, partner = grid.pairs[i]
        return self.decider.decide(
            report, partner, grid.figures(i), today=self.today, unavailable=grid.unavailable(i)
        )

    def decide(self, grid: FigureGrid) -> DecisionTable:
        """Decide every pair of ``grid``."""
        pairs = grid.pairs
        made: dict[int, Decision] = {}
        classes = self._classes(grid)
        if classes is None:
            alone = list(range(len(pairs)))
            shared: list[Decision | None] = []
            which = np.zeros(len(pairs), dtype=np.intp)
        else:
            keys, first, which = classes
            for k, key in enumerate(keys):
                if key not in self._answers:
                    i = int(first[k])
                    made[i] = self.decide_one(grid, i)
                    self._answers[key] = None if _has_errors(made[i]) else made[i]
            shared = [self._answers[key] for key in keys]
            unshared = [k for k, answer in enumerate(shared) if answer is None]
            alone = np.flatnonzero(np.isin(which, unshared)).tolist()
        for i in alone:
            if i not in made:
                made[i] = self.decide_one(grid, i)
        return DecisionTable(grid, made, shared, which)

    def with_world(self, changed: World) -> DecisionEngine:
        """The engine for ``changed``, reusing what reads only what did not change."""
        engine = DecisionEngine(changed, self.today)
        if changed.protocols == self.world.protocols and changed.groups == self.world.groups:
            engine.policies = self.decider.policies  # compiled from exactly these
        if changed.reports == self.world.reports:
            engine._reports = self._reports
            # Source statuses key the classes too (``_report_entity``).
            if changed.groups == self.world.groups and changed.sources == self.world.sources:
                engine._entities = self._entities
        if same_decision_inputs(self.world, changed):
            engine._answers = self._answers
        return engine

    # -- classes of pairs Cedar cannot tell apart ---------------------------------

    def _classes(self, grid: FigureGrid) -> tuple[list[Hashable], IntArray, IntArray] | None:
        """(class keys, first pair of each class, class of each pair), or None."""
        comparisons = self.decider.policies.comparisons
        if comparisons is None or not grid.pairs:
            return None
        reports, rows, partners, cols = grid.indexes()
        entity = [self._report_entity(r, grid.pairs[0][1]) for r in reports]
        entity_at = {e: i for i, e in enumerate(dict.fromkeys(entity))}
        context = {
            "marginal_risk_ppb": _ppb(np.maximum(grid.marginal, 0.0)),
            "cumulative_risk_ppb": _ppb(grid.cumulative),
            "reach_ppb": _ppb(grid.reach),
            "worst_k_milli": _milli(grid.worst_k),
        }
        columns = [
            (cols, len(partners)),
            (np.array([entity_at[e] for e in entity], dtype=np.intp)[rows], len(entity_at)),
            (self._approved(grid.pairs, reports, rows), 2),
        ]
        columns += [(grid.available[v], 2) for v in range(len(grid.versions))]
        if grid.floor is not None:
            columns += [(grid.floor[v], 2) for v in range(len(grid.versions))]
        columns += [
            (_OPERATORS[c.op](context[c.name][v], c.value), 2)
            for v in range(len(grid.versions))
            for c in comparisons
        ]
        first, which, unique = _classes(columns)
        names = list(entity_at)
        keys: list[Hashable] = [
            (partners[row[0]], names[row[1]], bool(row[2]), tuple(row[3:]))
            for row in unique.tolist()
        ]
        return keys, first, which

    def _report_entity(self, report: str, partner: str) -> str:
        """The report's Cedar entity without its id: what policies may read of
        it (``cedar.entities`` builds it from the report alone)."""
        known = self._entities.get(report)
        if known is None:
            found = [
                {**e, "uid": {**e["uid"], "id": None}}
                for e in entities(self.world, self.report(report), partner)
                if e["uid"]["type"] == "Report"
            ]
            # Cedar cannot see a compromised source, but ``Decider.decide`` withholds before
            # asking it: such reports must never share a class with the others.
            burned = compromised_sources(self.world, report)
            known = self._entities[report] = json.dumps([found, list(burned)], sort_keys=True)
        return known

    def _approved(self, pairs: list[Pair], reports: list[str], rows: IntArray) -> IntArray:
        """``is_approved`` per pair, asked once per (approval list, partner)."""
        out = np.zeros(len(pairs), dtype=np.intp)
        lists = [self.report(r).approved_for for r in reports]
        if not any(lists):
            return out
        seen: dict[tuple[tuple[str, ...], str], bool] = {}
        for i, (report, partner) in enumerate(pairs):
            approved_for = lists[int(rows[i])]
            if approved_for:
                key = (approved_for, partner)
                if key not in seen:
                    alone = World(groups=self.world.groups, reports=(self.report(report),))
                    seen[key] = is_approved(alone, report, partner)
                out[i] = seen[key]
        return out


def _classes(
    columns: Sequence[tuple[NDArray[Any], int]],
) -> tuple[IntArray, IntArray, NDArray[np.int64]]:
    """Rows that agree in every column (values below the size given): the first
    row of each class, each row's class, and the classes' values. One integer
    per row when the columns fit in 63 bits."""
    bits = [max(1, (size - 1).bit_length()) for _, size in columns]
    if sum(bits) <= 63:
        packed = np.zeros(len(columns[0][0]), dtype=np.int64)
        shift = 0
        for (values, _), width in zip(columns, bits, strict=True):
            packed |= np.asarray(values, dtype=np.int64) << shift
            shift += width
        _, first, which = np.unique(packed, return_index=True, return_inverse=True)
    else:
        table = np.stack([np.asarray(v, dtype=np.int64) for v, _ in columns], axis=1)
        _, first, which = np.unique(table, axis=0, return_index=True, return_inverse=True)
    unique = np.stack([np.asarray(v, dtype=np.int64)[first] for v, _ in columns], axis=1)
    return first.astype(np.intp), which.reshape(-1).astype(np.intp), unique


def _ppb(values: FloatArray) -> NDArray[np.int64]:
    """``figures.to_ppb`` on arrays."""
    return np.rint(np.clip(values, 0.0, 1.0) * PPB).astype(np.int64)


def _milli(values: FloatArray) -> NDArray[np.int64]:
    """``figures.to_milli`` on arrays (inf -> the cap, nan -> 0: fail safe)."""
    out = np.zeros(values.shape, dtype=np.int64)
    finite = values < K_CAP / MILLI
    out[finite] = np.minimum((values[finite] * MILLI).astype(np.int64), K_CAP)
    out[~finite & ~np.isnan(values)] = K_CAP
    return out


def _has_errors(decision: Decision) -> bool:
    # An evaluation error's message may name the report: never share it.
    return any(
        r.rule is None and r.description.startswith("evaluation error") for r in decision.reasons
    )


def same_decision_inputs(a: World, b: World) -> bool:
    """Everything ``Decider.decide`` reads besides the figures: protocols,
    groups, reports, sources and actor kinds."""
    return (
        a.protocols == b.protocols
        and a.groups == b.groups
        and a.reports == b.reports
        and a.sources == b.sources
        and [(x.id, x.kind) for x in a.actors] == [(x.id, x.kind) for x in b.actors]
    )


__all__ = ["NO_TEARLINE", "DecisionEngine", "DecisionTable", "FigureGrid", "same_decision_inputs"]
