"""Trace capacity at release: the forecast for a whole exact leak agrees with what ``trace``
then does with that leak, and byte-identical copies are found."""

from __future__ import annotations

import random

import pytest

from tearline.fingerprint import Leak, Stream, fingerprint_text, stream_layout, trace
from tearline.fingerprint.capacity import copy_capacity
from tearline.fingerprint.code import biases, codeword, cutoff_for
from tests.fingerprint.helpers import demo_reports


@pytest.mark.parametrize("seed", range(12))
def test_the_forecast_is_what_trace_concludes_from_the_whole_exact_leak(seed: int) -> None:
    rng = random.Random(seed)
    text = demo_reports()[seed * 3 % len(demo_reports())]
    key = rng.randbytes(32)
    layout = stream_layout(text, key, "s")
    cutoff = cutoff_for(len(layout.slots))
    partners = [f"p{i}" for i in range(rng.randrange(2, 9))]
    secrets = {p: rng.randbytes(32) for p in partners}
    stream = Stream("s", "r", "full", layout, secrets, cutoff)
    epsilon = rng.choice([0.01, 0.05, 0.2])
    for partner in partners:
        forecast = copy_capacity(layout, key, "s", secrets, partner, epsilon=epsilon, cutoff=cutoff)
        copy = fingerprint_text(layout, key, "s", secrets[partner], cutoff)
        result = trace([Leak("leak", copy)], [stream], key, epsilon=epsilon)
        accused = {c.partner for c in result.accused}
        assert forecast.named == (partner in accused)
        assert set(forecast.also_named) == accused - {partner}
        assert forecast.traceable == (accused == {partner})
        assert forecast.slots == len(layout.slots)
        assert forecast.recipients == len(partners)


def test_identical_copies_are_found_and_are_never_traceable() -> None:
    key = bytes(32)
    layout = stream_layout("The cell has about 40 members.", key, "s")
    assert len(layout.slots) == 1
    bias = biases(key, "s", layout.alphabet, cutoff_for(1))
    secrets = {f"p{i}": bytes([i]) * 32 for i in range(6)}
    words = {p: codeword(key, "s", s, bias) for p, s in secrets.items()}
    for partner in secrets:
        got = copy_capacity(layout, key, "s", secrets, partner, epsilon=0.01, cutoff=cutoff_for(1))
        same = {p for p in secrets if p != partner and words[p] == words[partner]}
        assert set(got.identical_to) == same
        if same:
            assert not got.traceable
            assert "identical" in got.render()


def test_a_text_without_slots_names_nobody() -> None:
    layout = stream_layout("Nothing varies here.", bytes(32), "s")
    got = copy_capacity(layout, bytes(32), "s", {"a": b"1" * 32, "b": b"2" * 32}, "a", epsilon=0.01)
    assert (got.slots, got.named, got.traceable, got.identical_to) == (0, False, False, ("b",))


def test_a_larger_cutoff_for_short_texts() -> None:
    assert cutoff_for(12) > cutoff_for(80) > cutoff_for(200) > cutoff_for(1000)
    assert cutoff_for(1000) == 0.02
