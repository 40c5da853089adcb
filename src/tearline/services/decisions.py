"""Release decisions as a service: the figures of candidate copies (risk
engine + sanitiser), handed to the decision engine (``tearline.protocols``).

The decision itself — full, tearline or withhold, and the grouping of pairs
Cedar cannot tell apart — lives in ``tearline.protocols.engine``; this module
computes the figures it decides on (``risk.batch`` for many candidates at
once, the sanitiser's model for what a copy discloses and whether a tearline
can be made at all) and lists the pending pairs. ``figures`` still gives one
candidate's full assessment, for explanations.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np
from numpy.typing import NDArray
from sqlalchemy.orm import Session

from tearline.domain.actors import ActorKind
from tearline.domain.releases import Version
from tearline.domain.sources import smallest_k
from tearline.domain.world import World
from tearline.protocols import Decider, Decision, Figures
from tearline.protocols import Outcome as Outcome
from tearline.protocols.cedar import PolicySet
from tearline.protocols.engine import DecisionEngine, DecisionTable, FigureGrid
from tearline.risk import RiskOptions, assess_release, compute_reach
from tearline.risk.assess import ReleaseAssessment
from tearline.risk.batch import BatchAssessor, CandidateRisk, RiskMatrix
from tearline.risk.disclosure import DisclosureModel
from tearline.risk.ensemble import protective_world
from tearline.risk.leak import LeakGraph
from tearline.services.approvals import Approvals
from tearline.services.disclosure import ProductDisclosure
from tearline.services.world import current_world
from tearline.store.decisions import DecisionLog

Pair = tuple[str, str]

# A copy "adds" to a source's exposure when its own risk is above this.
NEGLIGIBLE = 1e-9


def without_history(world: World) -> World:
    """The world with no release: where a copy's own risk is measured."""
    return dataclasses.replace(world, releases=())


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
    return smallest_k(sources, model(report, sources, version))


@dataclass(frozen=True, eq=False)
class RiskGrid(FigureGrid):
    """A ``FigureGrid`` with the risk matrix it was made from (for what-ifs)."""

    matrix: RiskMatrix | None = None


def risk_matrix(table: DecisionTable) -> RiskMatrix:
    """The risk figures behind a table that ``Decisions`` decided."""
    grid = table.grid
    assert isinstance(grid, RiskGrid)
    assert grid.matrix is not None
    return grid.matrix


@dataclass
class Decisions:
    """Decides (report, partner) pairs in one world as of one day: figures
    here, decisions by ``tearline.protocols.DecisionEngine``.

    ``with_world`` gives the engine for a changed world (a what-if) that
    reuses this one's risk state and, when the protocols, reports and actors
    are the same, its answers."""

    world: World
    today: date
    seed: int = 0
    # None: the sanitiser's model (``services.disclosure``), partner-aware for
    # the anonymity set of tearlines and whether one can be made.
    disclosure: DisclosureModel | None = None
    # Compiled protocols to reuse (they do not change when the history does).
    policies: PolicySet | None = None
    _engine: DecisionEngine | None = field(default=None, init=False, repr=False)
    _graph: LeakGraph | None = field(default=None, init=False, repr=False)
    _assessor: BatchAssessor | None = field(default=None, init=False, repr=False)
    _alone: BatchAssessor | None = field(default=None, init=False, repr=False)
    _matrix: RiskMatrix | None = field(default=None, init=False, repr=False)
    _table: DecisionTable | None = field(default=None, init=False, repr=False)
    _fallback: dict[str, float] = field(default_factory=dict, init=False, repr=False)
    _worst_k: dict[tuple[str, Version], float] = field(default_factory=dict, init=False, repr=False)
    _tearline: dict[tuple[str, str], tuple[float, bool]] = field(
        default_factory=dict, init=False, repr=False
    )

    def __post_init__(self) -> None:
        # Uncertain inputs: decide at the protective point of the model's
        # decision quantile (docs/risk.md §8); a certain world is unchanged.
        self.world = protective_world(self.world, self.today, self.world.model.decision_quantile)
        if self.disclosure is None:
            self.disclosure = ProductDisclosure(self.world)

    @property
    def model(self) -> DisclosureModel:
        assert self.disclosure is not None  # set in __post_init__
        return self.disclosure

    @property
    def engine(self) -> DecisionEngine:
        """The decision engine (``tearline.protocols``) for this world and day."""
        if self._engine is None:
            self._engine = DecisionEngine(self.world, self.today, self.policies)
        return self._engine

    @property
    def decider(self) -> Decider:
        return self.engine.decider

    @property
    def options(self) -> RiskOptions:
        return RiskOptions(as_of=self.today, seed=self.seed, disclosure=self.model)

    @property
    def assessor(self) -> BatchAssessor:
        if self._assessor is None:
            self._assessor = BatchAssessor(self.world, self.options)
        return self._assessor

    @property
    def alone(self) -> BatchAssessor:
        """The assessor of copies on their own (the world without history)."""
        if self._alone is None:
            self._alone = BatchAssessor(without_history(self.world), self.options)
        return self._alone

    @property
    def matrix(self) -> RiskMatrix | None:
        """The risk figures of the last kept ``decide_table``."""
        return self._matrix

    def figures(self, report_id: str, partner: str, version: Version) -> CandidateFigures:
        """One candidate's figures with its full assessment (paths, drivers)."""
        options = self.options
        assessment = assess_release(self.world, report_id, partner, version, options=options)
        alone = assess_release(
            without_history(self.world), report_id, partner, version, options=options
        )
        reaches = [a.reach for s in assessment.sources for a in s.adversaries]
        if not reaches:
            reaches = self._reach_to_all_adversaries(partner)
        adds = {s.source: s.marginal > NEGLIGIBLE for s in alone.sources}
        figures = Figures(
            marginal_risk=max(0.0, alone.marginal),
            cumulative_risk=assessment.cumulative,
            worst_k=self._copy_k(report_id, version, partner),
            reach=max(reaches, default=0.0),
            floor=any(s.exceeds and adds.get(s.source, False) for s in assessment.sources),
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
        table = self.engine.decide(self.grid(matrix, self.alone.assess(pairs)))
        if keep:
            self._matrix, self._table = matrix, table
        return table

    def grid(self, matrix: RiskMatrix, alone: RiskMatrix) -> RiskGrid:
        """The figures the decision reads, for every pair of ``matrix`` (given
        the history) and ``alone`` (the same pairs, each copy on its own)."""
        pairs = matrix.pairs
        # The floor: a source above its max_risk after the copy (given the
        # history), to which the copy on its own adds.
        over = matrix.per_source(lambda after, _, limit: after > limit)
        adds = alone.per_source(lambda after, before, _: after - before > NEGLIGIBLE)
        floor: NDArray[np.bool_] = np.asarray((over & adds).any(axis=2), dtype=np.bool_)
        reach = matrix.reach.copy()
        for v, i in zip(*np.nonzero(np.isnan(reach)), strict=True):
            # No source, or none threatened: any adversary matters.
            reach[v, i] = max(self._reach_to_all_adversaries(pairs[int(i)][1]), default=0.0)
        shape = (len(matrix.versions), len(pairs))
        worst_k = np.empty(shape)
        available = np.ones(shape, dtype=np.bool_)
        rows = matrix.report_index
        for v, version in enumerate(matrix.versions):
            if version is Version.TEARLINE and self.partner_aware:
                # A tearline depends on its recipient's target: per pair.
                for i, (report, partner) in enumerate(pairs):
                    worst_k[v, i], available[v, i] = self._tearline_of(report, partner)
            else:
                per_report = np.array([self._copy_k(r, version, "") for r in matrix.reports])
                worst_k[v] = per_report[rows] if len(pairs) else per_report[:0]
        return RiskGrid(
            pairs,
            matrix.versions,
            alone.marginal,  # the copy's own risk (monotone: docs/protocols.md)
            matrix.cumulative,
            reach,
            worst_k,
            available,
            floor,
            reports=matrix.reports,
            report_index=matrix.report_index,
            partners=matrix.actors,
            partner_index=matrix.partner_nodes,
            matrix=matrix,
        )

    def with_world(self, changed: World) -> Decisions:
        """The engine for ``changed`` (this world after a what-if), reusing
        this one's risk state and, when everything but the risk figures that
        a decision reads is the same, its answers."""
        same_text = changed.reports == self.world.reports and changed.sources == self.world.sources
        keep_model = same_text and changed.protocols == self.world.protocols
        engine = Decisions(changed, self.today, self.seed, self.disclosure if keep_model else None)
        engine._assessor = self.assessor.with_changed_world(engine.world)
        if without_history(engine.world) == without_history(self.world):
            engine._alone = self.alone
        else:
            engine._alone = self.alone.with_changed_world(without_history(engine.world))
        engine._engine = self.engine.with_world(engine.world)
        # Share what reads only what did not change.
        if same_text:
            engine._worst_k = self._worst_k
            if keep_model and changed.groups == self.world.groups:
                engine._tearline = self._tearline
        return engine

    @property
    def partner_aware(self) -> bool:
        """Whether a tearline's anonymity set depends on its recipient."""
        return isinstance(self.disclosure, ProductDisclosure)

    def _tearline_of(self, report_id: str, partner: str) -> tuple[float, bool]:
        """The partner's tearline: its smallest k, and whether it meets the target."""
        key = (report_id, partner)
        found = self._tearline.get(key)
        if found is None:
            model = self.disclosure
            assert isinstance(model, ProductDisclosure)
            report = self.assessor.report(report_id)
            found = self._tearline[key] = model.tearline_fit(report, partner)
        return found

    def _copy_k(self, report_id: str, version: Version, partner: str) -> float:
        if version is Version.TEARLINE and self.partner_aware and partner:
            return self._tearline_of(report_id, partner)[0]
        k = self._worst_k.get((report_id, version))
        if k is None:
            disclosed = self.assessor.disclosed(report_id, version)
            sources = self.assessor.sources_of(report_id)
            k = self._worst_k[(report_id, version)] = smallest_k(sources, disclosed)
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


def decide_pending(
    session: Session,
    *,
    today: date,
    at: datetime,
    seed: int = 0,
    reports: Sequence[str] | None = None,
    partners: Sequence[str] | None = None,
    progress: Callable[[list[Pair]], Iterable[Pair]] = lambda pairs: pairs,
) -> list[Decision]:
    """``tearline decide``: decide every pending pair of the stored world and
    record each decision with its protocol versions and figures (in the
    caller's unit of work). ``progress`` wraps the pairs (a progress bar)."""
    world = current_world(session)
    pairs = pending_pairs(world, reports=reports, partners=partners)
    # An unverified tearline counts as approved only with its stored approval.
    disclosure = ProductDisclosure(world, Approvals.load(session))
    engine = Decisions(world, today, seed=seed, disclosure=disclosure)
    decisions = engine.decide_all(progress(pairs))
    log = DecisionLog(session)
    for decision in decisions:
        log.record(decision, as_of=today, at=at, purpose="decide")
    return decisions


def decide_all(decisions: Decisions, pairs: Iterable[tuple[str, str]]) -> list[Decision]:
    """Decide every pair, the risk figures computed in one batch."""
    return decisions.decide_all(pairs)


__all__ = [
    "CandidateFigures",
    "Decision",
    "DecisionTable",
    "Decisions",
    "Outcome",
    "RiskGrid",
    "copy_k",
    "decide_all",
    "decide_pending",
    "pending_pairs",
    "recipients",
    "risk_matrix",
]
