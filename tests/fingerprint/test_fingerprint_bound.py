"""The per-leak bound on an innocent's score: against brute force, and empirically."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from tearline.fingerprint import Term, gaussian_threshold, innocent_bound
from tearline.fingerprint.bound import InnocentLaw, law_bound
from tearline.fingerprint.code import slot_values

EPSILON = 0.1


def _arcsine(rng: np.random.Generator, shape: tuple[int, ...], cutoff: float) -> np.ndarray:
    low = math.asin(math.sqrt(cutoff))
    return np.sin(low + rng.random(shape) * (math.pi / 2 - 2 * low)) ** 2


def _exact_tail(terms: list[Term], z: float) -> float:
    """P(S ≥ z) by enumerating every codeword (the brute-force reference)."""
    total = 0.0
    for choice in itertools.product(*(range(len(t.values)) for t in terms)):
        s = sum(t.values[x] for t, x in zip(terms, choice, strict=True))
        if s >= z - 1e-12:
            total += math.prod(t.probs[x] for t, x in zip(terms, choice, strict=True))
    return total


@pytest.mark.parametrize("seed", range(6))
def test_bounds_hold_against_brute_force(seed: int) -> None:
    rng = np.random.default_rng(seed)
    terms = []
    for q in rng.choice([2, 2, 3], size=11):
        p = rng.dirichlet([0.5] * q) * (1 - q * 0.01) + 0.01
        observed = {int(rng.integers(q))} if rng.random() < 0.8 else {0, 1}
        terms.append(Term(slot_values(tuple(p), observed), tuple(p)))
    for alpha in (0.2, 0.05, 0.01):
        bound = innocent_bound(terms, alpha)
        assert _exact_tail(terms, bound.threshold) <= alpha
        for z in (0.0, bound.threshold / 2, bound.threshold, bound.threshold * 1.5):
            assert _exact_tail(terms, z) <= bound.tail(z) + 1e-12
            assert bound.tail(z) <= bound.law.chernoff_tail(z) + 1e-12


def test_the_grid_bound_is_tighter_than_chernoff_and_than_the_gaussian_for_typical_leaks() -> None:
    rng = np.random.default_rng(1)
    p1 = _arcsine(rng, (200,), 0.01)
    y = rng.random(200) < p1  # a single leaker's symbols: mostly the likelier variant
    terms = [
        Term(slot_values((1 - a, a), {int(b)}), (1 - a, a)) for a, b in zip(p1, y, strict=True)
    ]
    bound = innocent_bound(terms, 0.01 / 50)
    assert bound.threshold < bound.law.chernoff_threshold(0.01 / 50)
    assert bound.threshold < gaussian_threshold(200, 0.01 / 50)


def _false_accusations(
    rng: np.random.Generator, *, n: int, size: int, trials: int, rare: bool, epsilon: float
) -> tuple[int, int]:
    """Trials in which an innocent passes (bound, Gaussian), all n users innocent."""
    p1 = _arcsine(rng, (trials, size), 0.01)
    # The leak holds the rarer variant everywhere, or an outsider's codeword (independent of
    # everyone scored).
    y = (p1 < 0.5) if rare else (rng.random((trials, size)) < p1)
    y = y.astype(int)
    q = np.where(y == 1, p1, 1 - p1)
    hit, miss = np.sqrt((1 - q) / q), -np.sqrt(q / (1 - q))
    words = rng.random((trials, n, size)) < p1[:, None, :]
    scores = np.where(words == y[:, None, :].astype(bool), hit[:, None, :], miss[:, None, :]).sum(2)
    alpha = epsilon / n
    bound = gaussian = 0
    for i in range(trials):
        law = InnocentLaw(np.stack([hit[i], miss[i]], 1), np.stack([q[i], 1 - q[i]], 1))
        bound += bool(scores[i].max() >= law_bound(law, alpha).threshold)
        gaussian += bool(scores[i].max() >= gaussian_threshold(size, alpha))
    return bound, gaussian


def test_empirical_false_accusations_stay_below_epsilon() -> None:
    trials = 1500
    bound, _ = _false_accusations(
        np.random.default_rng(7), n=20, size=30, trials=trials, rare=False, epsilon=EPSILON
    )
    # A rate at most ε, allowing three standard deviations of sampling noise.
    assert bound / trials <= EPSILON + 3 * math.sqrt(EPSILON * (1 - EPSILON) / trials)


def test_a_gaussian_threshold_frames_innocents_when_the_leak_favours_rare_variants() -> None:
    # Ten slots, every one read as its rarer variant: an innocent holding a few of them
    # scores √((1 − p)/p) each, far beyond what a normal tail allows. The Gaussian
    # threshold accuses an innocent in ~15 % of such leaks at ε = 10 %; the bound does not.
    trials = 2000
    bound, gaussian = _false_accusations(
        np.random.default_rng(11), n=50, size=10, trials=trials, rare=True, epsilon=EPSILON
    )
    noise = 3 * math.sqrt(EPSILON * (1 - EPSILON) / trials)
    assert gaussian / trials > EPSILON + noise
    assert bound / trials <= EPSILON + noise


def test_no_evidence_means_no_threshold() -> None:
    assert innocent_bound([], 0.01).threshold == math.inf
    assert innocent_bound([Term((0.0, 0.0), (0.5, 0.5))], 0.01).threshold == math.inf
    with pytest.raises(ValueError, match="alpha"):
        innocent_bound([Term((1.0, -1.0), (0.5, 0.5))], 1.5)
