"""Release decisions: the risk figures of a candidate copy, then the one
decision function (``tearline.protocols.Decider``).

Every path by which material leaves tearline asks ``Decisions.decide`` (or
``decide_all`` for many pairs); there is no second implementation of "may
this go out". The figures come from the batched evaluator (``risk.batch``),
``assess_release``'s numbers for many candidates at once; ``figures`` still
gives one candidate's full assessment, for explanations.

**Shared answers.** Cedar sees a request through the partner (and its
groups), the report's entity (its attributes, not its id), ``approved``,
``today`` and the figures, which the compiled protocols only compare with
constants. Pairs alike in all of that get the same answer, so each such
class is decided once by ``Decider.decide`` and its members get that
decision with their own report id and figures (``_Observed``). On a large
matrix that turns 10⁵-10⁶ Cedar calls into a few thousand, and a what-if
reuses the answers of the world before it. When the policy text uses the
request in any other way, or an answer carries an evaluation error, every
pair is decided on its own.
"""

from __future__ import annotations

import dataclasses
import json
import math
import operator
import re
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tearline.domain.actors import ActorKind
from tearline.domain.releases import Version
from tearline.domain.sources import Source
from tearline.domain.world import World
from tearline.protocols import Decider, Decision, Figures, Outcome
from tearline.protocols.cedar import PolicySet, entities
from tearline.protocols.decide import is_approved
from tearline.protocols.figures import PPB, to_milli
from tearline.risk import RiskOptions, assess_release, compute_reach
from tearline.risk.assess import ReleaseAssessment
from tearline.risk.batch import BatchAssessor, CandidateRisk, RiskMatrix
from tearline.risk.disclosure import Disclosed, DisclosureModel
from tearline.risk.leak import LeakGraph
from tearline.risk.mosaic import anonymity, attribute_selectivities
from tearline.services.disclosure import ProductDisclosure

Pair = tuple[str, str]
IntArray = NDArray[np.intp]


@dataclass(frozen=True, slots=True)
class CandidateFigures:
    """The figures of one (report, partner, version), with the assessment
    behind them (for explanations)."""

    figures: Figures
    assessment: ReleaseAssessment


def copy_k(world: World, report_id: str, version: Version, model: DisclosureModel) -> float:
    """The smallest anonymity set this copy alone leaves any of the report's
    sources: what a reader of this one copy can narrow the source down to.
    The mosaic of everything released is in the risk figures instead."""
    report = world.report(report_id)
    sources = [world.source(s) for s in report.sources]
    return _smallest_k(sources, model(report, sources, version))


def _smallest_k(sources: Sequence[Source], disclosed: Disclosed) -> float:
    ks = []
    for source in sources:
        levels = {name: lv for (sid, name), lv in disclosed.items() if sid == source.id}
        ks.append(anonymity(source.population, attribute_selectivities(source, levels)))
    return min(ks, default=float("inf"))


class DecisionTable(Mapping[Pair, Decision]):
    """Decisions of many pairs in the order of ``pairs``, ``outcomes`` alike.
    A pair that shares its class's answer (module docstring) gets its
    ``Decision`` built when it is read."""

    def __init__(
        self,
        pairs: list[Pair],
        made: dict[int, Decision],
        shared: Sequence[Decision | None],
        which: IntArray,
        figures: _FigureLists,
    ) -> None:
        self.pairs = pairs
        self.matrix = figures.matrix  # the risk figures behind the decisions
        self._made = made
        self._shared = shared
        self._which = which
        self._figures = figures
        self._index: dict[Pair, int] | None = None
        # A class without a shared answer (None) has every member in ``made``.
        answers = [d.outcome if d is not None else Outcome.WITHHOLD for d in shared]
        self.outcomes: list[Outcome] = [answers[k] for k in which.tolist()]
        for i, decision in made.items():
            self.outcomes[i] = decision.outcome

    def at(self, i: int) -> Decision:
        decision = self._made.get(i)
        if decision is None:
            shared = self._shared[int(self._which[i])]
            assert shared is not None  # pairs without a shared answer are in ``made``
            report = self.pairs[i][0]
            decision = dataclasses.replace(shared, report=report, figures=self._figures(i))
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
class Decisions:
    """Decides (report, partner) pairs in one world as of one day.

    ``with_world`` gives the engine for a changed world (a what-if) that
    reuses this one's risk state and, when the protocols, reports and actors
    are the same, its answers."""

    world: World
    today: date
    seed: int = 0
    # None: the sanitiser's model (``services.disclosure``), partner-aware for
    # the anonymity set of tearlines.
    disclosure: DisclosureModel | None = None
    # Compiled protocols to reuse (they do not change when the history does).
    policies: PolicySet | None = None
    _decider: Decider | None = field(default=None, init=False, repr=False)
    _graph: LeakGraph | None = field(default=None, init=False, repr=False)
    _assessor: BatchAssessor | None = field(default=None, init=False, repr=False)
    _matrix: RiskMatrix | None = field(default=None, init=False, repr=False)
    _table: DecisionTable | None = field(default=None, init=False, repr=False)
    _answers: dict[Hashable, Decision | None] = field(default_factory=dict, init=False, repr=False)
    _entities: dict[str, str] = field(default_factory=dict, init=False, repr=False)
    _fallback: dict[str, float] = field(default_factory=dict, init=False, repr=False)
    _worst_k: dict[tuple[str, Version], float] = field(default_factory=dict, init=False, repr=False)
    _tearline_k: dict[tuple[str, str], float] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.disclosure is None:
            self.disclosure = ProductDisclosure(self.world)

    @property
    def model(self) -> DisclosureModel:
        assert self.disclosure is not None  # set in __post_init__
        return self.disclosure

    @property
    def decider(self) -> Decider:
        if self._decider is None:
            self._decider = Decider(self.world, self.policies)
        return self._decider

    @property
    def options(self) -> RiskOptions:
        return RiskOptions(as_of=self.today, seed=self.seed, disclosure=self.model)

    @property
    def assessor(self) -> BatchAssessor:
        if self._assessor is None:
            self._assessor = BatchAssessor(self.world, self.options)
        return self._assessor

    @property
    def matrix(self) -> RiskMatrix | None:
        """The risk figures of the last kept ``decide_table``."""
        return self._matrix

    def figures(self, report_id: str, partner: str, version: Version) -> CandidateFigures:
        """One candidate's figures with its full assessment (paths, drivers)."""
        assessment = assess_release(self.world, report_id, partner, version, options=self.options)
        reaches = [a.reach for s in assessment.sources for a in s.adversaries]
        if not reaches:
            reaches = self._reach_to_all_adversaries(partner)
        figures = Figures(
            marginal_risk=max(0.0, assessment.marginal),
            cumulative_risk=assessment.cumulative,
            worst_k=self._copy_k(report_id, version, partner),
            reach=max(reaches, default=0.0),
        )
        return CandidateFigures(figures, assessment)

    def risk(self, report_id: str, partner: str, version: Version) -> CandidateRisk:
        """Per-source risk of one candidate (from the last batch when it holds it)."""
        matrix = self._matrix
        if matrix is None or (report_id, partner) not in matrix:
            matrix = self.assessor.assess([(report_id, partner)])
        return matrix[report_id, partner, version]

    def decide(self, report_id: str, partner: str) -> Decision:
        """The one decision function, with the figures computed here."""
        return self.decide_table([(report_id, partner)], keep=False).at(0)

    def decide_all(self, pairs: Iterable[Pair]) -> list[Decision]:
        """Decide many pairs, their risk figures computed in one batch."""
        table = self.decide_table(pairs)
        return [table.at(i) for i in range(len(table))]

    def decide_table(self, pairs: Iterable[Pair], *, keep: bool = True) -> DecisionTable:
        """Decide many pairs. With ``keep`` the table is kept: asking again for
        the same pairs returns it, and ``risk`` reads its figures."""
        pairs = list(pairs)
        if self._table is not None and self._table.pairs == pairs:
            return self._table
        matrix = self.assessor.assess(pairs)
        figures = _FigureLists(self, matrix)
        made: dict[int, Decision] = {}
        classes = _Observed(self).classes(matrix, figures)
        if classes is None:
            alone = list(range(len(pairs)))
            shared: list[Decision | None] = []
            which = np.zeros(len(pairs), dtype=np.intp)
        else:
            keys, first, which = classes
            for k, key in enumerate(keys):
                if key not in self._answers:
                    i = int(first[k])
                    made[i] = self.decider.decide(*pairs[i], figures(i), today=self.today)
                    self._answers[key] = None if _has_errors(made[i]) else made[i]
            shared = [self._answers[key] for key in keys]
            unshared = [k for k, answer in enumerate(shared) if answer is None]
            alone = np.flatnonzero(np.isin(which, unshared)).tolist()
        for i in alone:
            if i not in made:
                made[i] = self.decider.decide(*pairs[i], figures(i), today=self.today)
        table = DecisionTable(pairs, made, shared, which, figures)
        if keep:
            self._matrix, self._table = matrix, table
        return table

    def with_world(self, changed: World) -> Decisions:
        """The engine for ``changed`` (this world after a what-if), reusing
        this one's risk state and, when everything but the risk figures that
        a decision reads is the same, its answers."""
        same_text = changed.reports == self.world.reports and changed.sources == self.world.sources
        keep_model = same_text and changed.protocols == self.world.protocols
        engine = Decisions(changed, self.today, self.seed, self.disclosure if keep_model else None)
        engine._assessor = self.assessor.with_changed_world(changed)
        if changed.protocols == self.world.protocols and changed.groups == self.world.groups:
            engine.policies = self.decider.policies  # compiled from exactly these
        # Share what reads only what did not change.
        same_reports = changed.reports == self.world.reports
        if same_reports and changed.sources == self.world.sources:
            engine._worst_k = self._worst_k
            if keep_model:
                engine._tearline_k = self._tearline_k
        if same_reports and changed.groups == self.world.groups:
            engine._entities = self._entities
        if _same_decision_inputs(self.world, changed):
            engine._answers = self._answers
        return engine

    @property
    def partner_aware(self) -> bool:
        """Whether a tearline's anonymity set depends on its recipient."""
        return isinstance(self.disclosure, ProductDisclosure)

    def _copy_k(self, report_id: str, version: Version, partner: str) -> float:
        model = self.disclosure
        if version is Version.TEARLINE and isinstance(model, ProductDisclosure):
            key = (report_id, partner)
            if key not in self._tearline_k:
                report = self.assessor.report(report_id)
                self._tearline_k[key] = model.tearline_k(report, partner)
            return self._tearline_k[key]
        k = self._worst_k.get((report_id, version))
        if k is None:
            disclosed = self.assessor.disclosed(report_id, version)
            sources = self.assessor.sources_of(report_id)
            k = self._worst_k[(report_id, version)] = _smallest_k(sources, disclosed)
        return k

    def _reach_to_all_adversaries(self, partner: str) -> list[float]:
        # A report resting on no declared source: any adversary matters.
        adversaries = [a.id for a in self.world.actors_of_kind(ActorKind.ADVERSARY)]
        if not adversaries:
            return []
        if partner not in self._fallback:
            if self._graph is None:
                self._graph = LeakGraph.from_world(self.world, self.today)
            result = compute_reach(
                self._graph, [(partner, a) for a in adversaries], seed=self.seed, paths=0
            )
            self._fallback[partner] = max(p.reach for p in result.pairs)
        return [self._fallback[partner]]


class _FigureLists:
    """A matrix's figures as ``Figures`` per pair."""

    def __init__(self, engine: Decisions, matrix: RiskMatrix) -> None:
        self._engine = engine
        self.pairs = matrix.pairs
        self.versions = matrix.versions
        self.matrix = matrix

    def reach(self, v: int, i: int) -> float:
        reach = float(self.matrix.reach[v, i])
        if math.isnan(reach):  # no source, or none threatened: any adversary matters
            partner = self.pairs[i][1]
            reach = max(self._engine._reach_to_all_adversaries(partner), default=0.0)
        return reach

    def __call__(self, i: int) -> dict[Version, Figures]:
        report, matrix = self.pairs[i][0], self.matrix
        return {
            version: Figures(
                marginal_risk=max(0.0, float(matrix.marginal[v, i])),
                cumulative_risk=float(matrix.cumulative[v, i]),
                worst_k=self._engine._copy_k(report, version, self.pairs[i][1]),
                reach=self.reach(v, i),
            )
            for v, version in enumerate(self.versions)
        }


_FIGURES = frozenset(Figures(0.0, 0.0, 0.0, 0.0).as_context())
# ``context.<name> <op> <literal>`` standing alone between && / || / brackets:
# the comparison's truth is all a policy can learn of that figure.
_COMPARISON = re.compile(
    r"(?:^|[({]|&&|\|\|)\s*context\.(\w+)\s*(<=|>=|<|>|==)\s*(-?\d+|true|false)"
    r"(?=\s*(?:&&|\|\||[)}]|$))",
    re.MULTILINE,
)
_CONTEXT = re.compile(r"\bcontext\b")
_OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
}


class _Observed:
    """Classes of pairs Cedar cannot tell apart (module docstring)."""

    def __init__(self, engine: Decisions) -> None:
        self._engine = engine
        text = engine.decider.policies.text
        # The report's id must not be observable, nor the context used except
        # in comparisons with constants; else there are no classes.
        self.thresholds = None if "Report::" in text else _thresholds(text)

    def classes(
        self, matrix: RiskMatrix, figures: _FigureLists
    ) -> tuple[list[Hashable], IntArray, IntArray] | None:
        """(class keys, first pair of each class, class of each pair), or None."""
        thresholds = self.thresholds
        if thresholds is None or not matrix.pairs:
            return None
        engine, rows, cols = self._engine, matrix.report_index, matrix.partner_nodes
        entity = [self._report_entity(r, matrix.pairs[0][1]) for r in matrix.reports]
        entity_at = {e: i for i, e in enumerate(dict.fromkeys(entity))}
        reach = matrix.reach.copy()
        for v, i in zip(*np.nonzero(np.isnan(reach)), strict=True):
            reach[v, i] = figures.reach(int(v), int(i))
        if engine.partner_aware:
            # A tearline's k depends on its recipient's target: per pair.
            worst_k = np.array(
                [
                    [to_milli(engine._copy_k(r, v, p)) for r, p in matrix.pairs]
                    for v in matrix.versions
                ],
                dtype=np.int64,
            )
        else:
            worst_k = np.array(
                [
                    [to_milli(engine._copy_k(r, v, "")) for r in matrix.reports]
                    for v in matrix.versions
                ],
                dtype=np.int64,
            )[:, rows]
        context = {
            "marginal_risk_ppb": _ppb(matrix.marginal),
            "cumulative_risk_ppb": _ppb(matrix.cumulative),
            "reach_ppb": _ppb(reach),
            "worst_k_milli": worst_k,
        }
        columns = [
            (cols, len(matrix.actors)),
            (np.array([entity_at[e] for e in entity], dtype=np.intp)[rows], len(entity_at)),
            (self._approved(matrix), 2),
        ]
        columns += [
            (_OPERATORS[op](context[name][v], value), 2)
            for v in range(len(matrix.versions))
            for name, op, value in thresholds
        ]
        first, which, unique = _classes(columns)
        names = list(entity_at)
        keys: list[Hashable] = [
            (matrix.actors[row[0]], names[row[1]], bool(row[2]), tuple(row[3:]))
            for row in unique.tolist()
        ]
        return keys, first, which

    def _report_entity(self, report: str, partner: str) -> str:
        """The report's Cedar entity without its id: what policies may read of
        it (``cedar.entities`` builds it from the report alone)."""
        known = self._engine._entities.get(report)
        if known is None:
            the_report = self._engine.assessor.report(report)
            found = [
                {**e, "uid": {**e["uid"], "id": None}}
                for e in entities(self._engine.world, the_report, partner)
                if e["uid"]["type"] == "Report"
            ]
            known = self._engine._entities[report] = json.dumps(found, sort_keys=True)
        return known

    def _approved(self, matrix: RiskMatrix) -> IntArray:
        """``is_approved`` per pair, asked once per (approval list, partner)."""
        engine = self._engine
        out = np.zeros(len(matrix.pairs), dtype=np.intp)
        lists = [engine.assessor.report(r).approved_for for r in matrix.reports]
        if not any(lists):
            return out
        seen: dict[tuple[tuple[str, ...], str], bool] = {}
        for i, (report, partner) in enumerate(matrix.pairs):
            approved_for = lists[int(matrix.report_index[i])]
            if approved_for:
                key = (approved_for, partner)
                if key not in seen:
                    alone = World(
                        groups=engine.world.groups, reports=(engine.assessor.report(report),)
                    )
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


def _thresholds(text: str) -> list[tuple[str, str, int]] | None:
    """The comparisons the policy text makes on the figures; None if it
    mentions the request context in any other way (``context["x"]``, ``has``,
    a literal that happens to say "context": all fail closed)."""
    found = _COMPARISON.findall(text)
    if len(found) != len(_CONTEXT.findall(text)):
        return None
    if any(name not in _FIGURES | {"approved", "today"} for name, _, _ in found):
        return None
    return [(name, op, int(value)) for name, op, value in found if name in _FIGURES]


def _ppb(values: NDArray[np.float64]) -> NDArray[np.int64]:
    """``figures.to_ppb`` on arrays."""
    return np.rint(np.clip(values, 0.0, 1.0) * PPB).astype(np.int64)


def _has_errors(decision: Decision) -> bool:
    # An evaluation error's message may name the report: never share it.
    return any(
        r.rule is None and r.description.startswith("evaluation error") for r in decision.reasons
    )


def _same_decision_inputs(a: World, b: World) -> bool:
    """Everything ``Decider.decide`` and ``copy_k`` read besides the risk
    figures: protocols, groups, reports, sources and actor kinds."""
    return (
        a.protocols == b.protocols
        and a.groups == b.groups
        and a.reports == b.reports
        and a.sources == b.sources
        and [(x.id, x.kind) for x in a.actors] == [(x.id, x.kind) for x in b.actors]
    )


def recipients(world: World) -> list[str]:
    """Who decisions are made for by default: every partner."""
    return [a.id for a in world.actors_of_kind(ActorKind.PARTNER)]


def pending_pairs(
    world: World,
    *,
    reports: Sequence[str] | None = None,
    partners: Sequence[str] | None = None,
) -> list[tuple[str, str]]:
    """(report, partner) pairs not yet released, in a stable order. Naming a
    report or partner explicitly includes its pairs even if released."""
    released = {(r.report, r.partner) for r in world.releases}
    report_ids = list(reports) if reports else [r.id for r in world.reports]
    partner_ids = list(partners) if partners else recipients(world)
    known_reports, known_actors = {r.id for r in world.reports}, {a.id for a in world.actors}
    for r in report_ids:
        if r not in known_reports:
            world.report(r)  # raises NotFoundError
    for p in partner_ids:
        if p not in known_actors:
            world.actor(p)
    explicit = bool(reports) or bool(partners)
    return [(r, p) for r in report_ids for p in partner_ids if explicit or (r, p) not in released]


def decide_all(decisions: Decisions, pairs: Iterable[tuple[str, str]]) -> list[Decision]:
    """Decide every pair, the risk figures computed in one batch."""
    return decisions.decide_all(pairs)
