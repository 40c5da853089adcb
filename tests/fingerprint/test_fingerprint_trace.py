"""Tracing: leaked texts in, accusations out, with ε kept."""

from __future__ import annotations

import random

import pytest

from tearline.fingerprint import Leak, Stream, trace
from tearline.fingerprint.noise import blend, retype
from tests.fingerprint.helpers import KEY, demo_reports, make_stream

PARTNERS = [f"p{i}" for i in range(8)]


def _streams(rng: random.Random, count: int) -> tuple[list[Stream], list[dict[str, str]]]:
    made = [
        make_stream(text, PARTNERS, rng, f"s{i}") for i, text in enumerate(demo_reports()[:count])
    ]
    return [s for s, _ in made], [c for _, c in made]


def test_a_retyped_leak_of_several_reports_names_the_leaker_and_no_one_else() -> None:
    rng = random.Random(1)
    streams, copies = _streams(rng, 8)
    leaks = [Leak(f"leak-{i}", retype(c["p3"], rng, upper=True)) for i, c in enumerate(copies)]
    result = trace(leaks, streams, KEY)
    assert [c.partner for c in result.accused] == ["p3"]
    assert result.verdict == "the leak derives from the copy released to p3"
    assert [d.report for d in result.documents] == ["rpt"] * 8
    accused = result.accused[0]
    assert accused.score >= accused.threshold
    assert accused.tail <= 0.01 / len(PARTNERS)
    assert set(accused.streams) == {s.id for s in streams}


def test_a_blend_of_two_copies_names_colluders_only() -> None:
    rng = random.Random(4)
    streams, copies = _streams(rng, 16)
    leaks = [Leak(f"b{i}", blend([c["p1"], c["p6"]], rng)) for i, c in enumerate(copies)]
    result = trace(leaks, streams, KEY)
    accused = {c.partner for c in result.accused}
    assert accused
    assert accused <= {"p1", "p6"}
    if len(accused) == 2:
        assert "copies released to p1 and p6" in result.verdict


def test_innocents_are_not_accused_over_many_traces() -> None:
    # Leaks from an outsider's copy (someone who is not a recipient): everyone scored is
    # innocent, so at ε = 0.2 at most about a fifth of traces may accuse anyone.
    framed = 0
    runs = 60
    for seed in range(runs):
        rng = random.Random(seed)
        text = demo_reports()[seed % len(demo_reports())]
        stream, copies = make_stream(text, [*PARTNERS, "outsider"], rng)
        inner = Stream(
            stream.id,
            stream.report,
            stream.version,
            stream.layout,
            {p: stream.recipients[p] for p in PARTNERS},
        )
        result = trace([Leak("x", copies["outsider"])], [inner], KEY, epsilon=0.2)
        framed += bool(result.accused)
    assert framed <= 0.2 * runs + 3 * (0.2 * 0.8 * runs) ** 0.5


def test_the_same_leak_twice_adds_no_evidence() -> None:
    rng = random.Random(2)
    streams, copies = _streams(rng, 2)
    once = trace([Leak("a", copies[0]["p2"])], streams, KEY)
    twice = trace([Leak("a", copies[0]["p2"]), Leak("b", copies[0]["p2"])], streams, KEY)
    assert [(c.partner, c.score) for c in once.candidates] == [
        (c.partner, c.score) for c in twice.candidates
    ]


def test_text_that_matches_nothing() -> None:
    rng = random.Random(3)
    streams, _ = _streams(rng, 2)
    result = trace([Leak("poem", "Shall I compare thee to a summer's day? " * 5)], streams, KEY)
    assert result.documents[0].report is None
    assert result.candidates == ()
    assert result.verdict == "no leaked text matches a fingerprinted release: nobody can be named"


def test_weak_evidence_names_nobody_and_says_why() -> None:
    rng = random.Random(8)
    text = (
        "The cell has about 40 members in Lisk and more in Drevna. It meets in a flat on the quay."
    )
    stream, copies = make_stream(text, PARTNERS, rng)
    result = trace([Leak("x", copies["p0"])], [stream], KEY)
    assert result.accused == ()
    assert result.verdict.startswith("no recipient can be named at ε = 0.01")


def test_epsilon_must_be_a_probability() -> None:
    with pytest.raises(ValueError, match="epsilon"):
        trace([], [], KEY, epsilon=0.0)
