"""Symbol-level simulation of the fingerprinting code, for ``benchmarks/tracing.py``.

Same laws as ``tearline.fingerprint.code`` (arcsine with cutoff for q = 2, Dirichlet(½) with
cutoff for q ≥ 3) drawn from NumPy instead of the keyed PRF — HMAC output is
indistinguishable from uniform, and NumPy is a thousand times faster — and the product's own
bound (``law_bound``) for every accusation. Colluders are the first ``c`` of ``n`` users.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from tearline.fingerprint import CUTOFF
from tearline.fingerprint.bound import InnocentLaw, gaussian_threshold, law_bound

STRATEGIES = ("interleave", "majority", "minority", "random", "all-one")
RARE = "rare"
"""Not a coalition: a leak holding the rarer variant of every slot, as someone who knew the
biases would write to frame innocents — the worst case for a Gaussian threshold."""


@dataclass(frozen=True)
class Outcome:
    trials: int
    detected: int  # trials where at least one colluder was accused
    framed: int  # trials where at least one innocent was accused
    framed_gaussian: int  # the same with the (invalid) Gaussian threshold
    read: float  # mean symbols read per trial


def biases(
    rng: np.random.Generator, trials: int, alphabet: NDArray[np.int64], cutoff: float = CUTOFF
) -> NDArray[np.float64]:
    """(trials, L, Q) bias vectors, padded with zeros beyond each slot's q."""
    size, width = len(alphabet), int(alphabet.max())
    p = np.zeros((trials, size, width))
    binary = alphabet == 2
    if binary.any():
        low = math.asin(math.sqrt(cutoff))
        r = low + rng.random((trials, int(binary.sum()))) * (math.pi / 2 - 2 * low)
        p1 = np.sin(r) ** 2
        p[:, binary, 0], p[:, binary, 1] = 1 - p1, p1
    for q in sorted(set(alphabet.tolist()) - {2}):
        cols = alphabet == q
        g = rng.gamma(0.5, size=(trials, int(cols.sum()), q))
        p[:, cols, :q] = cutoff + (1 - q * cutoff) * g / g.sum(axis=2, keepdims=True)
    return p


def leak(
    rng: np.random.Generator, colluders: NDArray[np.int64], q: NDArray[np.int64], strategy: str
) -> NDArray[np.int64]:
    """(trials, L) symbols the coalition outputs; ``colluders`` is (trials, c, L)."""
    trials, c, size = colluders.shape
    if strategy == "interleave":
        pick = rng.integers(0, c, size=(trials, 1, size))
        return np.take_along_axis(colluders, pick, axis=1)[:, 0, :]
    width = int(q.max())
    counts = np.stack([(colluders == k).sum(axis=1) for k in range(width)], axis=2)
    present = counts > 0
    jitter = rng.random(counts.shape)  # breaks ties at random
    if strategy == "majority":
        key = np.where(present, counts + jitter, -1.0)
    elif strategy == "minority":
        key = np.where(present, -counts + jitter, -np.inf)
    elif strategy == "random":
        key = np.where(present, jitter, -1.0)
    elif strategy == "all-one":
        key = np.where(present, np.arange(width)[None, None, :], -1.0)
    else:
        raise ValueError(strategy)
    return np.argmax(key, axis=2)


def run(
    rng: np.random.Generator,
    *,
    n: int,
    c: int,
    alphabet: NDArray[np.int64],
    strategy: str,
    trials: int,
    epsilon: float,
    fraction: float = 1.0,
    flip: float = 0.0,
    erase: float = 0.0,
    batch: int = 50,
    cutoff: float = CUTOFF,
) -> Outcome:
    detected = framed = framed_gaussian = 0
    read_total = 0
    alpha = epsilon / n
    size, width = len(alphabet), int(alphabet.max())
    for start in range(0, trials, batch):
        t = min(batch, trials - start)
        p = biases(rng, t, alphabet, cutoff)
        cdf = np.cumsum(p, axis=2)
        u = rng.random((t, n, size, 1))
        words = np.minimum((u >= cdf[:, None, :, :]).sum(axis=3), alphabet[None, None, :] - 1)
        if strategy == RARE:
            y = np.argmin(np.where(p > 0, p, np.inf), axis=2)
        else:
            y = leak(rng, words[:, :c, :], alphabet, strategy)
        keep = np.ones((t, size), dtype=bool)
        if fraction < 1:  # a contiguous part of the document
            span = max(1, round(fraction * size))
            first = rng.integers(0, size - span + 1, size=t)
            idx = np.arange(size)[None, :]
            keep = (idx >= first[:, None]) & (idx < first[:, None] + span)
        if flip:
            flipped = rng.random((t, size)) < flip
            other = (y + rng.integers(1, alphabet[None, :], size=(t, size))) % alphabet[None, :]
            y = np.where(flipped, other, y)
        if erase:
            keep &= rng.random((t, size)) >= erase
        py = np.take_along_axis(p, y[:, :, None], axis=2)[:, :, 0]
        hit, miss = np.sqrt((1 - py) / py), -np.sqrt(py / (1 - py))
        values = np.where(
            np.arange(width)[None, None, :] == y[:, :, None], hit[..., None], miss[..., None]
        )
        values = np.where(p > 0, values, 0.0)
        gained = np.take_along_axis(values[:, None, :, :], words[..., None], axis=3)[..., 0]
        scores = (gained * keep[:, None, :]).sum(axis=2)
        for i in range(t):
            rows = keep[i]
            read_total += int(rows.sum())
            law = InnocentLaw(values[i, rows], p[i, rows])
            threshold = law_bound(law, alpha).threshold
            detected += bool((scores[i, :c] >= threshold).any())
            framed += bool((scores[i, c:] >= threshold).any())
            gaussian = gaussian_threshold(int(rows.sum()), alpha) if rows.any() else math.inf
            framed_gaussian += bool((scores[i, c:] >= gaussian).any())
    return Outcome(trials, detected, framed, framed_gaussian, read_total / trials)


def design_length(c: int, n: int, epsilon: float) -> int:
    """(π²/2)·c²·ln(n/ε): the symmetric code's length for c colluders (Škorić et al.)."""
    return math.ceil(math.pi**2 / 2 * c * c * math.log(n / epsilon))
