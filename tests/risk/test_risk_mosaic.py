"""Mosaic risk, disclosures and the assessment services against brute force."""

from __future__ import annotations

import itertools
import math
import subprocess
import sys
from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tearline.domain import (
    Actor,
    ActorKind,
    Attribute,
    Generalization,
    Release,
    Report,
    Source,
    Tie,
    Version,
    World,
)
from tearline.risk import RiskOptions, anonymity, assess_release, disclosures, exposure
from tearline.risk.leak import LeakGraph

POST = Attribute(
    "post",
    "deputy head of the Karsk refinery",
    0.001,
    generalizations=(Generalization("Karsk refinery staff", 0.02), Generalization("Karsk", 0.2)),
    mentions=("the deputy at Karsk",),
)
TIMING = Attribute("timing", "14 March", 0.05)
SOURCE = Source("s1", "ORCHID", 2000, ("adv", "adv2"), (POST, TIMING))


def _world(releases: list[Release], intel: float = 0.5) -> World:
    actors = [
        Actor("us", "Us", ActorKind.ORIGINATOR, 1.0),
        Actor("p1", "P1", ActorKind.PARTNER, 0.3),
        Actor("p2", "P2", ActorKind.PARTNER, 0.5),
        Actor("mid", "Mid", ActorKind.THIRD_PARTY, 0.2),
        Actor("adv", "Adv", ActorKind.ADVERSARY, 0.0, capacity=10),
        Actor("adv2", "Adv2", ActorKind.ADVERSARY, 0.0, capacity=40),
    ]
    d = date(2024, 1, 1)
    ties = [
        Tie("p1", "mid", d, intelligence=intel),
        Tie("p2", "mid", d, military=0.6),
        Tie("mid", "adv", d, diplomatic=0.9, intelligence=0.4),
        Tie("p1", "adv2", d, trade=0.8),
        Tie("p2", "adv", d, intelligence=0.2),
        Tie("mid", "adv2", d, military=0.5),
    ]
    reports = [
        Report("r-full", "t", "c", "secret", "The Deputy  at KARSK said on 14 March ...", ("s1",)),
        Report("r-vague", "t", "c", "secret", "Someone among Karsk refinery staff ...", ("s1",)),
        Report("r-none", "t", "c", "secret", "Nothing identifying.", ("s1",)),
    ]
    return World.build(
        actors=actors, ties=ties, sources=[SOURCE], reports=reports, releases=releases
    )


def _release(report: str, partner: str, version: Version = Version.FULL, day: int = 1) -> Release:
    at = datetime(2024, 2, day, tzinfo=UTC)
    return Release(Release.default_id(report, partner, version, at), report, partner, version, at)


def _brute_risk(world: World, releases: list[Release]) -> float:
    """Enumerate every edge state; in each, apply the mosaic rule literally."""
    graph = LeakGraph.from_world(world)
    edges = [(*graph.edge_ids(e), float(graph.prob[e])) for e in range(graph.m)]
    risks = []
    for adversary in SOURCE.threatened_by:
        cap = world.adversary_capacity(world.actor(adversary))
        total = 0.0
        for state in itertools.product([False, True], repeat=len(edges)):
            weight = math.prod(
                p if on else 1 - p for (_, _, p), on in zip(edges, state, strict=False)
            )
            open_edges = [(u, v) for (u, v, _), on in zip(edges, state, strict=False) if on]
            known: dict[str, int] = {}
            for release in releases:
                if release.partner != adversary and not _reaches(
                    open_edges, release.partner, adversary
                ):
                    continue
                report = world.report(release.report)
                for (_, name), level in disclosures(report, [SOURCE], release.version).items():
                    known[name] = min(level, known.get(name, level))
            k = anonymity(
                SOURCE.population,
                [SOURCE.attribute(n).selectivity_at(lv) for n, lv in known.items()],
            )
            total += weight * min(1.0, cap / k)
        risks.append(total)
    return 1 - math.prod(1 - r for r in risks)


def _reaches(open_edges: list[tuple[str, str]], s: str, t: str) -> bool:
    seen, stack = {s}, [s]
    while stack:
        x = stack.pop()
        for u, v in open_edges:
            if u == x and v not in seen:
                seen.add(v)
                stack.append(v)
    return t in seen


def test_disclosures_find_the_most_specific_level():
    world = _world([])
    full = disclosures(world.report("r-full"), [SOURCE], Version.FULL)
    assert full == {("s1", "post"): 0, ("s1", "timing"): 0}  # a mention, case and spaces aside
    vague = disclosures(world.report("r-vague"), [SOURCE], Version.FULL)
    assert vague == {("s1", "post"): 1}
    assert disclosures(world.report("r-full"), [SOURCE], Version.TEARLINE) == {}


@pytest.mark.parametrize(
    "plan",
    [
        [("r-full", "p1")],
        [("r-vague", "p1"), ("r-full", "p2")],
        [("r-vague", "p2"), ("r-vague", "p1"), ("r-full", "adv")],
        [("r-none", "p1")],
    ],
)
def test_exposure_equals_brute_force_enumeration(plan):
    releases = [_release(r, p, day=i + 1) for i, (r, p) in enumerate(plan)]
    world = _world(releases)
    report = exposure(world)
    assert report.exact
    assert abs(report.sources[0].risk - _brute_risk(world, releases)) <= 1e-9
    sampled = exposure(world, options=RiskOptions(exact=False, samples=1 << 15))
    assert abs(sampled.sources[0].risk - report.sources[0].risk) <= 0.02


def test_assessment_marginal_is_after_minus_before():
    history = [_release("r-vague", "p2")]
    world = _world(history)
    result = assess_release(world, "r-full", "p1", Version.FULL)
    (source,) = result.sources
    assert source.before == pytest.approx(_brute_risk(world, history), abs=1e-9)
    assert source.after == pytest.approx(
        _brute_risk(world, [*history, _release("r-full", "p1", day=9)]), abs=1e-9
    )
    assert source.marginal == pytest.approx(source.after - source.before)
    assert source.marginal > 0
    assert {d.name for d in source.disclosed} == {"post", "timing"}
    by_adv = {a.adversary: a for a in source.adversaries}
    assert by_adv["adv2"].paths[0].actors == ("p1", "adv2")


def test_tearline_release_adds_nothing_and_handing_to_adversary_is_certain():
    world = _world([_release("r-vague", "p1")])
    assert assess_release(world, "r-full", "p1", Version.TEARLINE).marginal == 0.0
    direct = assess_release(world, "r-full", "adv", Version.FULL)
    by_adv = {a.adversary: a for a in direct.sources[0].adversaries}
    assert by_adv["adv"].reach == pytest.approx(1.0, abs=1e-12)
    assert by_adv["adv"].after == pytest.approx(1.0)  # 2000 · 0.001 · 0.05 < 1 → k = 1


def test_stronger_ties_never_lower_risk():
    releases = [_release("r-vague", "p1"), _release("r-full", "p2")]
    risks = [exposure(_world(releases, intel)).sources[0].risk for intel in (0.0, 0.3, 0.6, 1.0)]
    assert risks == sorted(risks)


def test_as_of_excludes_later_releases_and_ties():
    world = _world([_release("r-full", "p1", day=20)])
    early = exposure(world, options=RiskOptions(as_of=date(2024, 2, 10)))
    prior = 1 - (1 - 10 / 2000) * (1 - 40 / 2000)  # nothing disclosed: capacity / population
    assert early.sources[0].risk == pytest.approx(prior)
    assert exposure(world).sources[0].risk > prior


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 10**7),
    st.lists(st.floats(0.0, 1.0), max_size=6),
    st.floats(0.0, 1.0),
)
def test_disclosing_more_never_raises_k(population, selectivities, extra):
    assert anonymity(population, [*selectivities, extra]) <= anonymity(population, selectivities)
    assert anonymity(population, selectivities) >= 1.0


def test_core_imports_no_adapters():
    code = (
        "import sys, tearline.risk\n"
        "bad = {'sqlalchemy', 'typer', 'fastapi', 'networkx'} & {m.split('.')[0] for m in sys.modules}\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
