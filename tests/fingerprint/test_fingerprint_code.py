"""The code: biases, keyed codewords, the symmetric score."""

from __future__ import annotations

import math
import statistics

import pytest

from tearline.fingerprint import CUTOFF, biases, codeword, fingerprint_id, score
from tearline.fingerprint.code import bias_from_uniforms, key_check, slot_values
from tests.fingerprint.helpers import KEY


def test_biases_follow_the_cutoff_and_sum_to_one() -> None:
    alphabet = [2, 3, 4, 6] * 50
    for p in biases(KEY, "stream", alphabet):
        assert math.isclose(sum(p), 1.0)
        assert min(p) >= CUTOFF - 1e-12


def test_binary_biases_follow_the_arcsine_law() -> None:
    # Tardos's density ∝ 1/√(p(1−p)) on [t, 1−t]: P(p1 ≤ x) = (r(x) − r(t))/(π/2 − 2 r(t))
    # with r(x) = asin √x. Compare a few quantiles of 4,000 keyed draws.
    draws = sorted(p[1] for p in biases(KEY, "law", [2] * 4000))
    low = math.asin(math.sqrt(CUTOFF))
    for x in (0.05, 0.2, 0.5, 0.8, 0.95):
        expected = (math.asin(math.sqrt(x)) - low) / (math.pi / 2 - 2 * low)
        observed = sum(d <= x for d in draws) / len(draws)
        assert abs(observed - expected) < 0.03, x


def test_codewords_come_from_key_stream_and_secret_never_the_recipient_id() -> None:
    bias = biases(KEY, "s", [2, 3] * 40)
    word = codeword(KEY, "s", b"secret-a", bias)
    assert word == codeword(KEY, "s", b"secret-a", bias)  # deterministic
    assert word != codeword(KEY, "s", b"secret-b", bias)
    assert word != codeword(bytes(32), "s", b"secret-a", bias)
    assert word != codeword(KEY, "t", b"secret-a", biases(KEY, "t", [2, 3] * 40))
    # The symbols follow the biases: a slot with p = (0.99, 0.01) is almost always 0.
    rare = bias_from_uniforms([1e-9], 2)
    assert rare[1] == pytest.approx(CUTOFF)
    ones = sum(codeword(KEY, "s", bytes([i]), [rare])[0] for i in range(200))
    assert ones <= 10


def test_fingerprint_ids_and_key_checks_reveal_no_secret() -> None:
    fid = fingerprint_id(KEY, "s", b"x" * 32)
    assert fid.startswith("fp-")
    assert len(fid) == 23
    assert fid != fingerprint_id(KEY, "s", b"y" * 32)
    assert key_check(KEY) != key_check(bytes(32))


@pytest.mark.parametrize("q", [2, 3, 4, 6])
def test_an_innocents_term_has_mean_zero_and_variance_one(q: int) -> None:
    for p in biases(KEY, f"q{q}", [q] * 20):
        for y in range(q):
            values = slot_values(p, {y})
            mean = sum(pk * v for pk, v in zip(p, values, strict=True))
            second = sum(pk * v * v for pk, v in zip(p, values, strict=True))
            assert mean == pytest.approx(0.0, abs=1e-12)
            assert second == pytest.approx(1.0)


def test_erasures_add_nothing_and_a_blend_of_both_binary_variants_is_no_evidence() -> None:
    p = (0.3, 0.7)
    assert slot_values(p, set()) == (0.0, 0.0)
    assert slot_values(p, {0, 1}) == pytest.approx((0.0, 0.0))


def test_score_rewards_the_leakers_symbols() -> None:
    alphabet = [2] * 60 + [3] * 20
    bias = biases(KEY, "s", alphabet)
    leaker = codeword(KEY, "s", b"leaker", bias)
    readings = [{x} for x in leaker]
    others = [score(codeword(KEY, "s", bytes([i]) * 8, bias), bias, readings) for i in range(60)]
    assert score(leaker, bias, readings) > max(others)
    assert abs(statistics.mean(others)) < 3 * math.sqrt(len(alphabet) / len(others)) + 2
