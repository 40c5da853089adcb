"""The joint choice of levels: exact (against brute force), and honest about k."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from tearline.domain import Attribute, Generalization, Source
from tearline.sanitize.generalize import (
    UTILITY,
    brute_force,
    choose_levels,
    k_of,
    value,
)

KINDS = ["employer", "post", "place", "access", "timing", "relation", "skill", "other"]


@st.composite
def attributes(draw: st.DrawFn, name: str) -> Attribute:
    first = draw(st.floats(min_value=1e-4, max_value=0.5))
    steps = draw(st.lists(st.floats(min_value=1.2, max_value=20.0), max_size=3))
    gens: list[Generalization] = []
    sel = first
    for factor in steps:
        sel = min(1.0, sel * factor)
        if gens and sel <= gens[-1].selectivity:
            break
        gens.append(Generalization(f"{name} level {len(gens) + 1}", sel))
        if sel >= 1.0:
            break
    return Attribute(name, f"{name} value", first, draw(st.sampled_from(KINDS)), tuple(gens))


@st.composite
def cases(draw: st.DrawFn) -> tuple[Source, dict[str, int], float]:
    n = draw(st.integers(min_value=1, max_value=5))
    attrs = tuple(draw(attributes(f"a{i}")) for i in range(n))
    source = Source("s", "S", draw(st.integers(min_value=10, max_value=200_000)), ("adv",), attrs)
    disclosed = {
        a.name: draw(st.integers(min_value=0, max_value=len(a.generalizations)))
        for a in attrs
        if draw(st.booleans()) or a is attrs[0]
    }
    target = draw(st.sampled_from([1.0, 10.0, 100.0, 1000.0, 5000.0, 10_000.0]))
    return source, disclosed, target


def total(source: Source, levels: dict[str, int]) -> float:
    return sum(value(source, n, lv, UTILITY) for n, lv in levels.items())


@settings(max_examples=300, deadline=None)
@given(cases())
def test_branch_and_bound_finds_the_brute_force_optimum(
    case: tuple[Source, dict[str, int], float],
) -> None:
    source, disclosed, target = case
    fast = choose_levels(source, disclosed, target)
    slow = brute_force(source, disclosed, target)
    assert math.isclose(total(source, fast.levels), total(source, slow.levels), abs_tol=1e-6)
    assert len(fast.deleted) == len(slow.deleted)


@settings(max_examples=300, deadline=None)
@given(cases())
def test_the_choice_meets_the_target_whenever_it_can(
    case: tuple[Source, dict[str, int], float],
) -> None:
    source, disclosed, target = case
    choice = choose_levels(source, disclosed, target)
    if source.population >= target:
        assert choice.meets_target
        assert choice.k >= target * (1 - 1e-9)
    else:
        assert choice.levels == {}  # nothing can help: everything goes
    # Never more specific than the original, never an attribute it did not disclose.
    for name, level in choice.levels.items():
        assert name in disclosed
        assert level >= disclosed[name]
    assert math.isclose(choice.k, k_of(source, choice.levels))


def test_generalise_before_deleting() -> None:
    source = Source(
        "s",
        "S",
        10_000,
        ("adv",),
        (
            Attribute(
                "unit",
                "Contracts Section",
                0.002,
                "employer",
                (Generalization("the directorate", 0.03), Generalization("the ministry", 0.35)),
            ),
        ),
    )
    assert choose_levels(source, {"unit": 0}, 100).levels == {"unit": 1}
    assert choose_levels(source, {"unit": 0}, 1000).levels == {"unit": 2}
    assert choose_levels(source, {"unit": 0}, 5000).levels == {}


def test_a_risk_hook_can_ask_for_more() -> None:
    source = Source(
        "s",
        "S",
        10_000,
        ("adv",),
        (
            Attribute("a", "A", 0.01, "access", (Generalization("a1", 0.1),)),
            Attribute("b", "B", 0.05, "place", (Generalization("b1", 0.5),)),
        ),
    )
    plain = choose_levels(source, {"a": 0, "b": 0}, 100)
    calls: list[dict[str, int]] = []

    def acceptable(levels: object) -> bool:
        calls.append(dict(levels))  # type: ignore[call-overload]
        return k_of(source, dict(levels)) >= 1000  # type: ignore[call-overload]

    hooked = choose_levels(source, {"a": 0, "b": 0}, 100, acceptable=acceptable)
    assert plain.k < 1000 <= hooked.k
    assert calls  # the hook was consulted, best candidates first
