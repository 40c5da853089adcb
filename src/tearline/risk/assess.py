"""Service-shaped risk entry points: a World, a date and options in, plain values out.

* ``assess_release``: the marginal risk a candidate release (report, partner,
  version) adds to each of the report's sources given the release history,
  the cumulative risk after it, and what drives it (reach and leak paths per
  adversary, attributes disclosed). DESIGN.md, "Risk, in one page" §4.
* ``exposure``: every source's current cumulative risk and the releases that
  drive it.

Both evaluate the mosaic (``mosaic``) on one world set: an exact enumeration
when the edges that matter are few (``worlds.ENUM_MAX_EDGES``), otherwise
a common-random-number sample, so "before" and "after" differ only by the
release being assessed. The history is ``world.releases`` dated on or before
``as_of`` (all when None). Pure: no I/O, no clock.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from numpy.typing import NDArray

from tearline.domain import Release, Report, Source, Version, World
from tearline.risk.disclosure import Disclosed, DisclosureModel, disclosures
from tearline.risk.exact import relevant_edges
from tearline.risk.leak import LeakGraph
from tearline.risk.mosaic import Exposure, attribute_selectivities, combine
from tearline.risk.mosaic import identification_probability as risk_from
from tearline.risk.paths import LeakPath, top_paths
from tearline.risk.worlds import ENUM_MAX_EDGES, WorldSet, enumerate_worlds, sample_worlds

DEFAULT_RISK_WORLDS = 1 << 14
"""Worlds sampled for mosaic risk when the graph is too large to enumerate:
16,384 worlds put a risk of 0.05 within about ±0.0035 (95 %), finer than any
threshold a handler sets, and keep a 500-source exposure well under 5 s."""

MAX_DRIVERS = 5


@dataclass(frozen=True, slots=True)
class RiskOptions:
    """``exact``: None = enumerate when small enough, True = must enumerate
    (ValueError if too large), False = always sample."""

    as_of: date | None = None
    samples: int = DEFAULT_RISK_WORLDS
    seed: int = 0
    exact: bool | None = None
    paths: int = 3
    disclosure: DisclosureModel = field(default=disclosures)


@dataclass(frozen=True, slots=True)
class DisclosedAttribute:
    name: str
    level: int
    selectivity: float


@dataclass(frozen=True, slots=True)
class AdversaryRisk:
    """Risk from one adversary before and after; ``reach`` and ``paths`` are for
    the candidate's partner to this adversary."""

    adversary: str
    before: float
    after: float
    reach: float
    paths: tuple[LeakPath, ...]


@dataclass(frozen=True, slots=True)
class SourceAssessment:
    source: str
    before: float
    after: float
    marginal: float
    max_risk: float
    exceeds: bool
    disclosed: tuple[DisclosedAttribute, ...]
    adversaries: tuple[AdversaryRisk, ...]


@dataclass(frozen=True, slots=True)
class ReleaseAssessment:
    """``marginal`` and ``cumulative`` are the largest over the report's sources."""

    report: str
    partner: str
    version: Version
    as_of: date | None
    marginal: float
    cumulative: float
    sources: tuple[SourceAssessment, ...]
    worlds: int
    exact: bool
    seed: int


@dataclass(frozen=True, slots=True)
class Driver:
    """Releases to one partner that reach one adversary, with what they disclose."""

    partner: str
    adversary: str
    releases: tuple[str, ...]
    reach: float
    disclosed: tuple[DisclosedAttribute, ...]


@dataclass(frozen=True, slots=True)
class SourceExposure:
    source: str
    risk: float
    max_risk: float
    exceeds: bool
    adversaries: tuple[tuple[str, float], ...]
    drivers: tuple[Driver, ...]


@dataclass(frozen=True, slots=True)
class ExposureReport:
    as_of: date | None
    sources: tuple[SourceExposure, ...]
    worlds: int
    exact: bool
    seed: int


# -- shared machinery ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Copy:
    """One release as the mosaic sees it."""

    release: str
    partner: str
    disclosed: Disclosed


class _Context:
    """Graph, worlds and reach masks shared by every source of one call."""

    def __init__(
        self, world: World, options: RiskOptions, partners: set[str], adversaries: set[str]
    ) -> None:
        self.world = world
        self.graph = LeakGraph.from_world(world, options.as_of)
        g = self.graph
        self.adversaries = sorted(adversaries)
        pairs = [(g.node(p), g.node(a)) for p in sorted(partners) for a in self.adversaries]
        self.worlds = self._worlds(options, pairs)
        masks = self.worlds.reach([g.node(a) for a in self.adversaries])
        self._masks = {a: masks[j] for j, a in enumerate(self.adversaries)}

    def _worlds(self, options: RiskOptions, pairs: list[tuple[int, int]]) -> WorldSet:
        g = self.graph
        if options.exact is not False:
            relevant: set[int] = set()
            for p, a in pairs:
                if p != a:
                    relevant.update(int(e) for e in relevant_edges(g, p, a))
                uncertain = [e for e in relevant if 0.0 < g.prob[e] < 1.0]
                if len(uncertain) > ENUM_MAX_EDGES:
                    break
            else:
                return enumerate_worlds(g, np.array(sorted(relevant), dtype=np.intp))
            if options.exact:
                raise ValueError(f"more than {ENUM_MAX_EDGES} uncertain edges: cannot enumerate")
        return sample_worlds(g, options.samples, options.seed)

    def mask(self, partner: str, adversary: str) -> NDArray[np.uint64]:
        """Worlds in which material given to ``partner`` reaches ``adversary``."""
        mask: NDArray[np.uint64] = self._masks[adversary][self.graph.node(partner)]
        return mask

    def risk(self, source: Source, adversary: str, copies: Sequence[_Copy]) -> float:
        capacity = self.world.adversary_capacity(self.world.actor(adversary))
        return risk_from(self.worlds, source, capacity, _exposures(self, source, adversary, copies))


def _exposures(
    context: _Context, source: Source, adversary: str, copies: Iterable[_Copy]
) -> list[Exposure]:
    """Releases grouped by partner: same partner, same worlds; keep the most
    specific level of each attribute."""
    levels: dict[str, dict[str, int]] = defaultdict(dict)
    for copy in copies:
        best = levels[copy.partner]
        for (sid, name), level in copy.disclosed.items():
            if sid == source.id:
                best[name] = min(level, best.get(name, level))
    return [
        Exposure(context.mask(partner, adversary), found)
        for partner, found in levels.items()
        if found
    ]


def _history(world: World, as_of: date | None) -> list[Release]:
    return [r for r in world.releases if as_of is None or r.at.date() <= as_of]


def _copies(
    world: World, releases: Iterable[Release], model: DisclosureModel
) -> dict[str, list[_Copy]]:
    """Releases per source id, each with what it discloses (computed once per
    report and version)."""
    cache: dict[tuple[str, Version], Disclosed] = {}
    out: dict[str, list[_Copy]] = defaultdict(list)
    for release in releases:
        report = world.report(release.report)
        key = (report.id, release.version)
        if key not in cache:
            cache[key] = model(report, _sources_of(world, report), release.version)
        copy = _Copy(release.id, release.partner, cache[key])
        for sid in {sid for sid, _ in cache[key]}:
            out[sid].append(copy)
    return out


def _sources_of(world: World, report: Report) -> list[Source]:
    return [world.source(sid) for sid in report.sources]


def _described(source: Source, levels: dict[str, int]) -> tuple[DisclosedAttribute, ...]:
    return tuple(
        DisclosedAttribute(name, level, attribute_selectivities(source, {name: level})[0])
        for name, level in sorted(levels.items())
        if name in {a.name for a in source.attributes}
    )


# -- entry points -------------------------------------------------------------------


def assess_release(
    world: World,
    report: str,
    partner: str,
    version: Version,
    *,
    options: RiskOptions | None = None,
) -> ReleaseAssessment:
    """Marginal and cumulative risk of releasing ``report`` to ``partner``."""
    options = options or RiskOptions()
    the_report = world.report(report)
    world.actor(partner)
    sources = _sources_of(world, the_report)
    history = _history(world, options.as_of)
    candidate = _Copy(
        "(candidate)",
        partner,
        options.disclosure(the_report, sources, version),
    )
    past = _copies(world, history, options.disclosure)
    adversaries = {a for s in sources for a in s.threatened_by}
    partners = {partner} | {c.partner for s in sources for c in past.get(s.id, [])}
    context = _Context(world, options, partners, adversaries)
    g = context.graph
    assessed: list[SourceAssessment] = []
    for source in sources:
        copies = past.get(source.id, [])
        per_adversary = []
        for adversary in sorted(source.threatened_by):
            before = context.risk(source, adversary, copies)
            after = context.risk(source, adversary, [*copies, candidate])
            reach = float(context.worlds.probability(context.mask(partner, adversary)))
            paths = tuple(top_paths(g, g.node(partner), g.node(adversary), options.paths))
            per_adversary.append(AdversaryRisk(adversary, before, after, reach, paths))
        before = combine([r.before for r in per_adversary])
        after = combine([r.after for r in per_adversary])
        mine = {n: lv for (sid, n), lv in candidate.disclosed.items() if sid == source.id}
        max_risk = world.source_max_risk(source)
        assessed.append(
            SourceAssessment(
                source=source.id,
                before=before,
                after=after,
                marginal=after - before,
                max_risk=max_risk,
                exceeds=after > max_risk,
                disclosed=_described(source, mine),
                adversaries=tuple(per_adversary),
            )
        )
    return ReleaseAssessment(
        report=report,
        partner=partner,
        version=version,
        as_of=options.as_of,
        marginal=max((s.marginal for s in assessed), default=0.0),
        cumulative=max((s.after for s in assessed), default=0.0),
        sources=tuple(assessed),
        worlds=context.worlds.count,
        exact=context.worlds.exact,
        seed=options.seed,
    )


def exposure(
    world: World, *, sources: Sequence[str] | None = None, options: RiskOptions | None = None
) -> ExposureReport:
    """Every source's (or the named sources') cumulative risk from the release
    history, per adversary, with the partner groups that drive it."""
    options = options or RiskOptions()
    chosen = [world.source(s) for s in sources] if sources is not None else list(world.sources)
    past = _copies(world, _history(world, options.as_of), options.disclosure)
    adversaries = {a for s in chosen for a in s.threatened_by}
    partners = {c.partner for s in chosen for c in past.get(s.id, [])}
    context = _Context(world, options, partners, adversaries)
    out: list[SourceExposure] = []
    for source in chosen:
        copies = past.get(source.id, [])
        risks = [(a, context.risk(source, a, copies)) for a in sorted(source.threatened_by)]
        total = combine([r for _, r in risks])
        max_risk = world.source_max_risk(source)
        out.append(
            SourceExposure(
                source=source.id,
                risk=total,
                max_risk=max_risk,
                exceeds=total > max_risk,
                adversaries=tuple(risks),
                drivers=_drivers(context, source, copies),
            )
        )
    return ExposureReport(
        options.as_of, tuple(out), context.worlds.count, context.worlds.exact, options.seed
    )


def _drivers(context: _Context, source: Source, copies: Sequence[_Copy]) -> tuple[Driver, ...]:
    """Partner groups ranked by reach × information disclosed (−log Π selectivity):
    the releases that move the risk most."""
    by_partner: dict[str, list[_Copy]] = defaultdict(list)
    for copy in copies:
        by_partner[copy.partner].append(copy)
    ranked: list[tuple[float, Driver]] = []
    for partner, group in by_partner.items():
        levels: dict[str, int] = {}
        for copy in group:
            for (sid, name), level in copy.disclosed.items():
                if sid == source.id:
                    levels[name] = min(level, levels.get(name, level))
        disclosed = _described(source, levels)
        information = -sum(math.log(max(d.selectivity, 1e-300)) for d in disclosed)
        for adversary in sorted(source.threatened_by):
            reach = float(context.worlds.probability(context.mask(partner, adversary)))
            driver = Driver(partner, adversary, tuple(c.release for c in group), reach, disclosed)
            ranked.append((reach * information, driver))
    ranked.sort(key=lambda item: (-item[0], item[1].partner, item[1].adversary))
    return tuple(driver for score, driver in ranked[:MAX_DRIVERS] if score > 0)
