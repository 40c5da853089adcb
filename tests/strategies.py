"""Hypothesis strategies for valid worlds (every constraint of the scenario format)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

from hypothesis import strategies as st

from tearline.domain import (
    Actor,
    ActorKind,
    Attribute,
    Attribution,
    Conditions,
    Effect,
    Generalization,
    Group,
    HandlingTerms,
    ModelParams,
    OnwardSharing,
    Protocol,
    Release,
    ReleaseScope,
    Report,
    Rule,
    Source,
    SourceStatus,
    Tie,
    Version,
    World,
)
from tearline.domain.ties import DIMENSIONS
from tearline.domain.uncertain import Beta, Distribution, Tolerance, Uniform

unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
selectivity = st.floats(min_value=1e-6, max_value=1.0, allow_nan=False, exclude_min=False)
# Printable text, newlines allowed: what authors write. (Control characters are
# not representable in YAML files.)
prose = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp"))
    | st.just("\n"),
    min_size=1,
    max_size=60,
).filter(lambda s: s.strip() != "")
label = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp", "Zs")),
    min_size=1,
    max_size=12,
)
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
moments = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
)


def _ids(prefix: str, n: int) -> list[str]:
    return [f"{prefix}-{i}" for i in range(n)]


@st.composite
def attributes(draw: st.DrawFn, name: str) -> Attribute:
    base = draw(st.floats(min_value=1e-6, max_value=0.5))
    levels: list[Generalization] = []
    current = base
    for _ in range(draw(st.integers(0, 3))):
        if current >= 1.0:
            break
        nxt = draw(st.floats(min_value=current, max_value=1.0, exclude_min=True))
        levels.append(Generalization(draw(label), nxt))
        current = nxt
    return Attribute(
        name=name,
        value=draw(label),
        selectivity=base,
        kind=draw(st.sampled_from(["employer", "post", "place", "access", "timing", "other"])),
        generalizations=tuple(levels),
        mentions=tuple(draw(st.lists(label, max_size=2))),
    )


def _rule(draw: st.DrawFn, rid: str) -> Rule:
    effect = draw(st.sampled_from(list(Effect)))
    # Permits may only require safe figures, forbids only fire on dangerous ones.
    safe = effect is Effect.PERMIT
    return Rule(
        id=rid,
        effect=effect,
        release=draw(st.sampled_from(list(ReleaseScope))),
        when=Conditions(
            categories=tuple(draw(st.lists(label, max_size=2))),
            controls=tuple(draw(st.lists(st.sampled_from(["ORCON", "NOFORN"]), max_size=1))),
            marginal_risk_below=draw(st.none() | unit) if safe else None,
            k_at_least=draw(st.none() | st.floats(1.0, 1e6)) if safe else None,
            reach_above=None if safe else draw(st.none() | unit),
            k_below=None if safe else draw(st.none() | st.floats(1.0, 1e6)),
            approved=draw(st.none() | st.booleans()),
        ),
        description=draw(st.just("") | label),
    )


@st.composite
def beliefs(draw: st.DrawFn) -> Distribution:
    """A feasible belief about a 0..1 value: a range or a beta."""
    if draw(st.booleans()):
        low, high = sorted((draw(unit), draw(unit)))
        return Uniform(low, high)
    mean = draw(st.floats(0.01, 0.99))
    sd = draw(st.floats(0.001, 0.999)) * (mean * (1 - mean)) ** 0.5
    return Beta(mean, sd)


def _uncertain_actor(draw: st.DrawFn, actor: Actor, adversaries: list[str]) -> Actor:
    belief = draw(st.none() | beliefs())
    impulsive = draw(st.sampled_from([0.0, 0.0, 0.05, 0.3]))
    target = [a for a in adversaries if a != actor.id]
    if not target:
        impulsive = 0.0
    tolerance = draw(
        st.none()
        | st.builds(
            Tolerance,
            unit,
            st.integers(0, 5),
            unit,
            st.lists(st.sampled_from(adversaries), max_size=2, unique=True).map(tuple),
        )
    )
    return dataclasses.replace(
        actor,
        protection=belief.mean if belief else actor.protection,
        protection_range=belief,
        impulsive=impulsive,
        impulsive_to=draw(st.sampled_from(target)) if impulsive else None,
        tolerance=tolerance,
    )


def _uncertain_tie(draw: st.DrawFn, tie: Tie) -> Tie:
    ranges = []
    values = {}
    for d in DIMENSIONS:
        belief = draw(st.none() | st.none() | beliefs())
        if belief is not None:
            ranges.append((d, belief))
            values[d.value] = belief.mean
    return dataclasses.replace(tie, **values, ranges=tuple(ranges))


@st.composite
def worlds(draw: st.DrawFn, *, uncertain: bool = False) -> World:
    n_partners = draw(st.integers(1, 4))
    n_adversaries = draw(st.integers(1, 2))
    originators = _ids("org", 1)
    partners = _ids("par", n_partners)
    adversaries = _ids("adv", n_adversaries)
    thirds = _ids("thd", draw(st.integers(0, 1)))
    kinds = (
        [(i, ActorKind.ORIGINATOR) for i in originators]
        + [(i, ActorKind.PARTNER) for i in partners]
        + [(i, ActorKind.ADVERSARY) for i in adversaries]
        + [(i, ActorKind.THIRD_PARTY) for i in thirds]
    )
    actors = [
        Actor(
            ident,
            draw(label),
            kind,
            draw(unit),
            draw(st.none() | st.integers(1, 10_000)) if kind is ActorKind.ADVERSARY else None,
            draw(st.just("") | prose),
        )
        for ident, kind in kinds
    ]
    if uncertain:
        actors = [_uncertain_actor(draw, a, adversaries) for a in actors]
    actor_ids = [a.id for a in actors]
    groups: list[Group] = []
    for ident in _ids("grp", draw(st.integers(0, 3))):
        pool = actor_ids + [g.id for g in groups]  # only earlier groups: no cycles
        members = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=4, unique=True))
        groups.append(Group(ident, draw(label), tuple(members)))
    pairs = [(a, b) for a in actor_ids for b in actor_ids if a != b]
    tie_keys = draw(st.lists(st.tuples(st.sampled_from(pairs), days), max_size=8, unique=True))
    ties = [
        Tie(a, b, d, *(draw(unit) for _ in DIMENSIONS), note=draw(st.just("") | label))
        for (a, b), d in tie_keys
    ]
    if uncertain:
        ties = [_uncertain_tie(draw, t) for t in ties]
    sources = []
    for ident in _ids("src", draw(st.integers(0, 3))):
        names = draw(st.lists(label, max_size=4, unique=True))
        sources.append(
            Source(
                id=ident,
                codename=draw(label),
                population=draw(st.integers(1, 10**7)),
                threatened_by=tuple(
                    draw(st.lists(st.sampled_from(adversaries), min_size=1, unique=True))
                ),
                attributes=tuple(draw(attributes(n)) for n in names),
                identity=draw(st.none() | label),
                max_risk=draw(st.none() | unit),
                status=draw(st.sampled_from(list(SourceStatus))),
                description=draw(st.just("") | prose),
            )
        )
    holders = actor_ids + [g.id for g in groups]
    reports = [
        Report(
            id=ident,
            title=draw(label),
            category=draw(st.sampled_from(["counter-terrorism", "military", "cyber"])),
            classification=draw(st.sampled_from(["SECRET", "TOP SECRET"])),
            text=draw(prose),
            sources=tuple(
                draw(st.lists(st.sampled_from([s.id for s in sources]), unique=True))
                if sources
                else ()
            ),
            controls=tuple(draw(st.lists(st.sampled_from(["ORCON", "NOFORN"]), unique=True))),
            approved_for=tuple(draw(st.lists(st.sampled_from(holders), max_size=2, unique=True))),
            originator=draw(st.none() | st.just(originators[0])),
            date=draw(st.none() | days),
        )
        for ident in _ids("rep", draw(st.integers(0, 3)))
    ]
    protocols = []
    for ident in _ids("pro", draw(st.integers(0, 2))):
        rules = tuple(_rule(draw, rid) for rid in _ids("rule", draw(st.integers(1, 3))))
        protocols.append(
            Protocol(
                id=ident,
                name=draw(label),
                applies_to=tuple(draw(st.lists(st.sampled_from(holders), min_size=1, unique=True))),
                rules=rules,
                version=draw(st.integers(1, 5)),
                terms=HandlingTerms(
                    attribution=draw(st.sampled_from(list(Attribution))),
                    onward_sharing=draw(st.sampled_from(list(OnwardSharing))),
                    valid_from=draw(st.none() | days),
                ),
            )
        )
    releases = []
    recipients = [a.id for a in actors if a.kind is not ActorKind.ORIGINATOR]
    if reports:
        for ident in _ids("rel", draw(st.integers(0, 4))):
            releases.append(
                Release(
                    ident,
                    draw(st.sampled_from([r.id for r in reports])),
                    draw(st.sampled_from(recipients)),
                    draw(st.sampled_from(list(Version))),
                    draw(moments),
                    draw(st.just("") | label),
                )
            )
    weights = {d: draw(unit) for d in DIMENSIONS}
    model = ModelParams(
        dimension_weights=weights,
        default_capacity=draw(st.integers(1, 1000)),
        default_max_risk=draw(unit),
    )
    return World.build(
        model=model,
        actors=actors,
        groups=groups,
        ties=ties,
        sources=sources,
        reports=reports,
        protocols=protocols,
        releases=releases,
    )
