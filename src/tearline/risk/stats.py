"""Confidence intervals and sample sizes for Monte Carlo proportions.

Wilson score interval (Wilson 1927; Brown, Cai & DasGupta 2001): for k
successes in n trials and z the normal quantile,

    centre = (p̂ + z²/2n) / (1 + z²/n)
    half   = z / (1 + z²/n) · sqrt(p̂(1 − p̂)/n + z²/4n²)

It keeps close to nominal coverage for small p̂ and never leaves [0, 1], which
the plain normal interval does not: leak probabilities are often small.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

Z95 = 1.959963984540054  # two-sided 95 % normal quantile


def wilson(
    successes: NDArray[np.float64] | float, n: int, z: float = Z95
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Wilson interval (lower, upper), elementwise over ``successes``."""
    k = np.asarray(successes, dtype=np.float64)
    if n <= 0:
        return np.zeros_like(k), np.ones_like(k)
    p = k / n
    z2 = z * z
    denom = 1.0 + z2 / n
    centre = (p + z2 / (2 * n)) / denom
    half = z / denom * np.sqrt(np.maximum(p * (1 - p) / n + z2 / (4 * n * n), 0.0))
    return np.clip(centre - half, 0.0, 1.0), np.clip(centre + half, 0.0, 1.0)


def clopper_pearson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The exact (Clopper–Pearson) binomial interval at the confidence of ``z``:
    coverage at least nominal at every n and p, and of positive width even at
    0 or n successes (where Wilson's coverage also holds, but is not
    guaranteed at every p)."""
    from scipy.stats import beta, norm  # local: scipy is heavy to import

    if n <= 0:
        return 0.0, 1.0
    alpha = 2.0 * float(norm.sf(z))
    lo = 0.0 if successes <= 0 else float(beta.ppf(alpha / 2, successes, n - successes + 1))
    hi = 1.0 if successes >= n else float(beta.ppf(1 - alpha / 2, successes + 1, n - successes))
    return lo, hi


def normal_interval(
    mean: NDArray[np.float64], variance: NDArray[np.float64], n: int, z: float = Z95
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """mean ± z·sqrt(variance/n), clipped to [0, 1] (control-variate estimates)."""
    half = z * np.sqrt(np.maximum(variance, 0.0) / max(n, 1))
    return np.clip(mean - half, 0.0, 1.0), np.clip(mean + half, 0.0, 1.0)


def relative_half_width(
    lower: NDArray[np.float64], upper: NDArray[np.float64], estimate: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Half-width over the estimate; infinite where the estimate is 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = (upper - lower) / 2.0 / estimate
    return np.where(estimate > 0, rel, np.inf)


def worlds_for_precision(p: float, precision: float, z: float = Z95) -> int:
    """Worlds needed for a relative half-width ``precision`` at probability ``p``:
    n ≈ z² (1 − p) / (p · precision²), from the normal approximation."""
    if p <= 0.0:
        return 0
    return math.ceil(z * z * (1.0 - p) / (p * precision * precision))
