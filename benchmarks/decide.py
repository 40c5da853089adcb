"""Decision-matrix benchmark (issue 4 part 6): the full matrix and a one-tie what-if.

    .venv/bin/python -m benchmarks decide        # ~30 s; part of `make bench`

The world is generated with a fixed seed: 10,000 reports, 500 sources, 50
partners in two groups with their own protocols, 20 third parties, 5
adversaries, 374 ties, and 1,000 past releases so that sources have a
history. Every report rests on 1-3 sources and discloses a random mix of
their attributes at varied levels.

Measured in one run: the figures of every pending (report, partner) pair in
both versions (``BatchAssessor.assess``, cold), the full decision matrix
(``Decisions.decide_table``: figures plus the decision function), and a warm
what-if (``reassess.what_if``: the engine has decided the matrix and answered a
first what-if on another tie) that strengthens one existing partner -> third
party tie and decides all pairs again. The baseline is the per-pair path
(``assess_release`` per candidate, then the decision function) on a sample of
pairs, extrapolated.
"""

from __future__ import annotations

import statistics
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar
from unittest.mock import patch

import numpy as np

from tearline.domain import (
    Actor,
    ActorKind,
    Attribute,
    Conditions,
    Effect,
    Generalization,
    Group,
    Protocol,
    Release,
    ReleaseScope,
    Report,
    Rule,
    Source,
    Tie,
    Version,
    World,
)
from tearline.protocols import Decider, Figures
from tearline.risk import RiskOptions, assess_release, disclosures
from tearline.risk.batch import BatchAssessor
from tearline.services.changes import apply_changes, parse_tie
from tearline.services.decisions import Decisions, copy_k, pending_pairs
from tearline.services.reassess import what_if

REPORTS, SOURCES, PARTNERS, THIRD, ADVERSARIES, HISTORY = 10_000, 500, 50, 20, 5, 1_000
TODAY = date(2026, 1, 15)
CATEGORIES = ("counter-terrorism", "military", "cyber", "political", "counter-proliferation")
GOAL_WHAT_IF_S = 2.0
T = TypeVar("T")


def _protocols() -> list[Protocol]:
    alliance = Protocol(
        "alliance",
        "Alliance sharing",
        ("alliance",),
        (
            Rule("reach-ceiling", Effect.FORBID, when=Conditions(reach_above=0.5)),
            Rule(
                "full-safe",
                Effect.PERMIT,
                ReleaseScope.FULL,
                Conditions(marginal_risk_below=0.001, cumulative_risk_below=0.05),
            ),
            Rule(
                "tearline",
                Effect.PERMIT,
                ReleaseScope.TEARLINE,
                Conditions(cumulative_risk_below=0.05, k_at_least=100),
            ),
        ),
    )
    community = Protocol(
        "community",
        "Sharing community",
        ("community",),
        (
            Rule("noforn", Effect.FORBID, when=Conditions(controls=("NOFORN",))),
            Rule(
                "ct-full",
                Effect.PERMIT,
                ReleaseScope.FULL,
                Conditions(categories=("counter-terrorism",), marginal_risk_below=0.0005),
            ),
            Rule(
                "tearline",
                Effect.PERMIT,
                ReleaseScope.TEARLINE,
                Conditions(cumulative_risk_below=0.08, reach_below=0.4),
            ),
        ),
    )
    return [alliance, community]


def bench_world(seed: int = 4) -> World:
    """The benchmark world (deterministic for a seed)."""
    rng = np.random.default_rng(seed)
    partners = [f"p{i:02d}" for i in range(PARTNERS)]
    third = [f"t{i:02d}" for i in range(THIRD)]
    adversaries = [f"adv{i}" for i in range(ADVERSARIES)]
    actors = [Actor("us", "Us", ActorKind.ORIGINATOR, 0.95)]
    actors += [Actor(p, p, ActorKind.PARTNER, float(rng.uniform(0.3, 0.85))) for p in partners]
    actors += [Actor(t, t, ActorKind.THIRD_PARTY, float(rng.uniform(0.1, 0.5))) for t in third]
    actors += [
        Actor(a, a, ActorKind.ADVERSARY, 0.2, capacity=int(rng.integers(10, 100)))
        for a in adversaries
    ]
    day = date(2025, 1, 1)
    pairs: dict[tuple[str, str], Tie] = {}

    def tie(src: str, dst: str, **strengths: float) -> None:
        if src != dst:
            pairs[(src, dst)] = Tie(src, dst, day, **strengths)

    def strength(lo: float, hi: float) -> float:
        return round(float(rng.uniform(lo, hi)), 3)

    for p in partners:
        tie("us", p, intelligence=strength(0.5, 0.9))
        for q in rng.choice(partners, 3, replace=False):
            tie(p, str(q), intelligence=strength(0.1, 0.6), military=strength(0.0, 0.5))
        for t in rng.choice(third, 2, replace=False):
            tie(p, str(t), diplomatic=strength(0.2, 0.8), intelligence=strength(0.0, 0.4))
    for t in third:
        for u in rng.choice(third, 2, replace=False):
            tie(t, str(u), diplomatic=strength(0.1, 0.5))
        for a in rng.choice(adversaries, int(rng.integers(1, 3)), replace=False):
            tie(t, str(a), intelligence=strength(0.1, 0.6), military=strength(0.0, 0.5))
    for p in rng.choice(partners, 5, replace=False):
        tie(str(p), str(rng.choice(adversaries)), trade=strength(0.1, 0.5))
    groups = [
        Group("alliance", "Alliance", tuple(partners[:20])),
        Group("community", "Community", tuple(partners[20:])),
    ]
    sources = [_source(rng, i, adversaries) for i in range(SOURCES)]
    reports = [_report(rng, i, sources) for i in range(REPORTS)]
    start = datetime(2025, 2, 1, tzinfo=UTC)
    releases = []
    for i in range(HISTORY):
        report = reports[int(rng.integers(0, REPORTS))].id
        partner = partners[int(rng.integers(0, PARTNERS))]
        version = Version.FULL if rng.uniform() < 0.6 else Version.TEARLINE
        at = start + timedelta(hours=6 * i)
        releases.append(
            Release(Release.default_id(report, partner, version, at), report, partner, version, at)
        )
    return World.build(
        actors=actors,
        groups=groups,
        ties=pairs.values(),
        sources=sources,
        reports=reports,
        protocols=_protocols(),
        releases=releases,
    )


def _source(rng: np.random.Generator, i: int, adversaries: list[str]) -> Source:
    attributes = []
    for a in range(int(rng.integers(3, 6))):
        base = float(rng.uniform(0.0005, 0.05))
        current = base
        generalizations = []
        for g in range(int(rng.integers(0, 3))):
            current *= float(rng.uniform(3, 20))
            if current >= 1.0:
                break
            generalizations.append(Generalization(f"area {i}-{a}-{g}", current))
        attributes.append(
            Attribute(f"attr{a}", f"detail {i}-{a}", base, generalizations=tuple(generalizations))
        )
    threatened = tuple(str(a) for a in rng.choice(adversaries, int(rng.integers(1, 3)), False))
    return Source(
        f"s{i:03d}",
        f"S{i}",
        int(rng.integers(2_000, 200_000)),
        tuple(sorted(threatened)),
        tuple(attributes),
    )


def _report(rng: np.random.Generator, i: int, sources: list[Source]) -> Report:
    resting = [sources[int(s)] for s in rng.choice(len(sources), int(rng.integers(1, 4)), False)]
    phrases = []
    for source in resting:
        for attribute in source.attributes:
            if rng.uniform() < 0.4:
                level = int(rng.integers(0, len(attribute.generalizations) + 1))
                phrases.append(
                    attribute.value if level == 0 else attribute.generalizations[level - 1].value
                )
    controls = ("NOFORN",) if rng.uniform() < 0.05 else ()
    return Report(
        f"r{i:05d}",
        f"Report {i}",
        CATEGORIES[int(rng.integers(0, len(CATEGORIES)))],
        "SECRET",
        "Reporting: " + "; ".join(phrases) + ".",
        tuple(s.id for s in resting),
        controls,
    )


# -- measurements ---------------------------------------------------------------------

TIE = "p07->t02:intelligence=+0.3"  # an existing partner -> third-party tie, strengthened
WARM_UP_TIE = "p10->t05:diplomatic=+0.2"
BASELINE_PAIRS = 12  # per-pair path: ~1 s a pair, so a sample, extrapolated


def _timed(fn: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def per_pair_seconds(world: World, pairs: list[tuple[str, str]]) -> float:
    """The path before the batch: ``assess_release`` per candidate (both
    versions), then the decision function, per pair."""
    decider = Decider(world)
    options = RiskOptions(as_of=TODAY)
    start = time.perf_counter()
    for report, partner in pairs:
        figures = {}
        for version in Version:
            one = assess_release(world, report, partner, version, options=options)
            reaches = [a.reach for s in one.sources for a in s.adversaries]
            worst_k = copy_k(world, report, version, disclosures)
            figures[version] = Figures(
                max(0.0, one.marginal), one.cumulative, worst_k, max(reaches, default=0.0)
            )
        decider.decide(report, partner, figures, today=TODAY)
    return (time.perf_counter() - start) / len(pairs)


def main() -> None:
    print("Command: `.venv/bin/python -m benchmarks decide` (part of `make bench`).\n")
    built, world = _timed(bench_world)
    pairs = pending_pairs(world)
    counts = world.counts()
    print(
        f"World (seeded, built in {built:.1f} s): {counts['reports']:,} reports, "
        f"{counts['sources']} sources, {PARTNERS} partners, {THIRD} third parties, "
        f"{ADVERSARIES} adversaries, {counts['ties']} ties, {counts['releases']:,} past "
        f"releases; {len(pairs):,} pending (report, partner) pairs, both versions each.\n"
    )
    # The full decision matrix, cold: graph, worlds, every figure, every decision.
    # The synthetic reports disclose by declared phrases: the table-driven model.
    engine = Decisions(world, TODAY, disclosure=disclosures)
    with patch.object(Decider, "decide", autospec=True, side_effect=Decider.decide) as cedar:
        figures_s, _ = _timed(lambda: BatchAssessor(world, engine.options).assess(pairs))
        matrix_s, table = _timed(lambda: engine.decide_table(pairs))
        matrix_calls = cedar.call_count
        outcomes = Counter(o.value for o in table.outcomes)
        # Warm what-ifs: the engine has decided the matrix and answered a first what-if.
        warm_up = apply_changes(world, [parse_tie(WARM_UP_TIE)], [], on=TODAY)[0]
        what_if(engine, warm_up, pairs)
        changed = apply_changes(world, [parse_tie(TIE)], [], on=TODAY)[0]
        cedar.reset_mock()
        first_s, (_, _, changes) = _timed(lambda: what_if(engine, changed, pairs))
        what_if_calls = cedar.call_count
    repeats = [_timed(lambda: what_if(engine, changed, pairs))[0] for _ in range(2)]
    assessor = engine.assessor
    risk = [_timed(lambda: assessor.with_changed_world(changed).assess(pairs)) for _ in range(3)]
    risk_s, after_matrix = statistics.median(t for t, _ in risk), risk[-1][1]
    assert engine.matrix is not None
    moved = int(after_matrix.changed(engine.matrix).sum())

    baseline_pair_s = per_pair_seconds(
        world, pairs[:: len(pairs) // BASELINE_PAIRS][:BASELINE_PAIRS]
    )
    baseline_matrix_s = baseline_pair_s * len(pairs)

    print("| measurement | time | notes |")
    print("|---|---:|---|")
    rows = [
        (
            "figures of the full matrix (`BatchAssessor.assess`, cold)",
            _s(figures_s),
            f"{2 * len(pairs):,} candidates",
        ),
        (
            "full decision matrix (`Decisions.decide_table`, cold)",
            _s(matrix_s),
            f"figures + {matrix_calls:,} calls of the decision function (Cedar) for "
            f"{len(pairs):,} pairs; {_outcomes(outcomes)}",
        ),
        (
            "per-pair path, extrapolated (baseline)",
            _s(baseline_matrix_s),
            f"{baseline_pair_s:.2f} s/pair measured on {BASELINE_PAIRS} pairs "
            "(`assess_release` per candidate + decision)",
        ),
        ("speed-up, full matrix", f"{baseline_matrix_s / matrix_s:,.0f}x", ""),
        (
            f"what-if `{TIE}`, warm (`reassess.what_if`)",
            _s(first_s),
            f"decisions for all {len(pairs):,} pairs: {len(changes):,} change; "
            f"{moved:,} pairs' figures moved; {what_if_calls:,} decision-function calls",
        ),
        (
            "same what-if again",
            " / ".join(_s(r) for r in repeats),
            "its Cedar answers are now known",
        ),
        (
            "the what-if's figures alone (`with_changed_world` + `assess`)",
            _s(risk_s),
            "median of 3",
        ),
        (
            "per-pair what-if, extrapolated (baseline)",
            _s(2 * baseline_matrix_s),
            "before and after, every pair",
        ),
    ]
    for label, value, note in rows:
        print(f"| {label} | {value} | {note} |")
    met = first_s < GOAL_WHAT_IF_S
    print(
        f"\nGoal: what-if < {GOAL_WHAT_IF_S:.0f} s on this machine: "
        f"**{'met' if met else 'not met'}** ({first_s:.2f} s, warm, first run of this tie)."
    )


def _s(seconds: float) -> str:
    if seconds >= 86_400:
        return f"{seconds / 86_400:,.1f} days"
    if seconds >= 3_600:
        return f"{seconds / 3_600:,.1f} h"
    return f"{seconds:,.2f} s"


def _outcomes(outcomes: Counter[str]) -> str:
    return ", ".join(f"{n:,} {name}" for name, n in sorted(outcomes.items()))


if __name__ == "__main__":
    main()
