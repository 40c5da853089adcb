"""Release decisions: the risk figures of a candidate copy, then the one
decision function (``tearline.protocols.Decider``).

Every path by which material leaves tearline asks ``Decisions.decide``;
there is no second implementation of "may this go out".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from tearline.domain.actors import ActorKind
from tearline.domain.releases import Version
from tearline.domain.world import World
from tearline.protocols import Decider, Decision, Figures
from tearline.protocols.cedar import PolicySet
from tearline.risk import RiskOptions, assess_release, compute_reach
from tearline.risk.assess import ReleaseAssessment
from tearline.risk.disclosure import DisclosureModel, disclosures
from tearline.risk.leak import LeakGraph
from tearline.risk.mosaic import anonymity, attribute_selectivities


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
    disclosed = model(report, sources, version)
    ks = []
    for source in sources:
        levels = {name: lv for (sid, name), lv in disclosed.items() if sid == source.id}
        ks.append(anonymity(source.population, attribute_selectivities(source, levels)))
    return min(ks, default=float("inf"))


@dataclass
class Decisions:
    """Decides (report, partner) pairs in one world as of one day."""

    world: World
    today: date
    seed: int = 0
    disclosure: DisclosureModel = disclosures
    # Compiled protocols to reuse (they do not change when the history does).
    policies: PolicySet | None = None
    _decider: Decider | None = field(default=None, init=False, repr=False)
    _graph: LeakGraph | None = field(default=None, init=False, repr=False)

    @property
    def decider(self) -> Decider:
        if self._decider is None:
            self._decider = Decider(self.world, self.policies)
        return self._decider

    @property
    def options(self) -> RiskOptions:
        return RiskOptions(as_of=self.today, seed=self.seed, disclosure=self.disclosure)

    def figures(self, report_id: str, partner: str, version: Version) -> CandidateFigures:
        assessment = assess_release(self.world, report_id, partner, version, options=self.options)
        reaches = [a.reach for s in assessment.sources for a in s.adversaries]
        if not reaches:
            reaches = self._reach_to_all_adversaries(partner)
        figures = Figures(
            marginal_risk=max(0.0, assessment.marginal),
            cumulative_risk=assessment.cumulative,
            worst_k=copy_k(self.world, report_id, version, self.disclosure),
            reach=max(reaches, default=0.0),
        )
        return CandidateFigures(figures, assessment)

    def _reach_to_all_adversaries(self, partner: str) -> list[float]:
        # A report resting on no declared source: any adversary matters.
        adversaries = [a.id for a in self.world.actors_of_kind(ActorKind.ADVERSARY)]
        if not adversaries:
            return []
        if self._graph is None:
            self._graph = LeakGraph.from_world(self.world, self.today)
        result = compute_reach(
            self._graph, [(partner, a) for a in adversaries], seed=self.seed, paths=0
        )
        return [p.reach for p in result.pairs]

    def decide(self, report_id: str, partner: str) -> Decision:
        """The one decision function, with the figures computed here."""
        figures = {v: self.figures(report_id, partner, v).figures for v in Version}
        return self.decider.decide(report_id, partner, figures, today=self.today)


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
    for r in report_ids:
        world.report(r)
    for p in partner_ids:
        world.actor(p)
    explicit = bool(reports) or bool(partners)
    return [(r, p) for r in report_ids for p in partner_ids if explicit or (r, p) not in released]


def decide_all(decisions: Decisions, pairs: Iterable[tuple[str, str]]) -> list[Decision]:
    return [decisions.decide(r, p) for r, p in pairs]
