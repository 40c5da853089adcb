"""How high an innocent recipient's score can go, for the leak actually observed.

Why a per-leak bound holds. Fix the biases ``p`` and what was read from the leak. Whoever
made the leak (colluders, noise, a retyping clerk) used only their own copies, and an
innocent's variants were drawn independently of theirs: given ``p`` and the readings, an
innocent's variant in slot ``i`` is still ``X_i ~ p_i``, independently per slot. So the
innocent's score is ``S = Σ h_i(X_i)`` with known, independent, finite-valued terms (the
``Term`` values and probabilities), whatever the colluders did. Any upper bound on
``P(S ≥ z)`` for that law holds conditionally on the leak, hence also unconditionally; with
the level ``ε/n`` and a union bound over the ``n`` recipients scored, the chance that *any*
innocent is accused is at most ``ε``.

Two bounds, both rigorous; accusation uses the smaller (the minimum of two upper bounds is
one):

* **Chernoff**: ``P(S ≥ z) ≤ inf_λ>0 exp(K(λ) − λz)``, ``K`` the cumulant generating
  function, exact for this law (Markov's inequality on ``e^{λS}``).
* **Exact on a grid**: every value is rounded *up* to a multiple of δ, so the rounded sum
  dominates ``S``; its law is computed exactly by convolution. Mass below −8σ is moved up to
  −8σ and mass that climbs past the top of the grid stays there — both only enlarge the
  upper tail, so the result is still an upper bound. About 10 % lower thresholds than
  Chernoff at the lengths that matter.

A Gaussian threshold ``√(2 L ln(n/ε))`` is *not* a bound: when the leak favours rare
variants, an innocent who happens to hold a few of them gains ``√((1 − p)/p)`` each, and
the right tail is far heavier than a normal one (``tests/fingerprint`` shows it failing).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

_LOW_SIGMAS = 8.0
_MAX_GRID = 400_000
_SAFETY = 1e-12  # floating-point slack on tail sums of order 1


@dataclass(frozen=True, slots=True)
class Term:
    """One slot's contribution to an innocent's score: ``values[x]`` with probability
    ``probs[x]``."""

    values: tuple[float, ...]
    probs: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class InnocentLaw:
    """The law of an innocent's score over a set of terms, with both bounds prepared."""

    values: NDArray[np.float64]  # (L, q), padded with probability 0
    probs: NDArray[np.float64]

    @classmethod
    def of(cls, terms: Sequence[Term]) -> InnocentLaw:
        width = max((len(t.values) for t in terms), default=1)
        values = np.zeros((len(terms), width))
        probs = np.zeros((len(terms), width))
        for i, term in enumerate(terms):
            values[i, : len(term.values)] = term.values
            probs[i, : len(term.probs)] = term.probs
        return cls(values, probs)

    @property
    def size(self) -> int:
        return int(self.values.shape[0])

    @property
    def sigma(self) -> float:
        mean = (self.values * self.probs).sum(axis=1)
        second = (self.values**2 * self.probs).sum(axis=1)
        return float(math.sqrt(max(float((second - mean**2).sum()), 0.0)))

    def _cgf(self, lambdas: NDArray[np.float64]) -> NDArray[np.float64]:
        """``K(λ)`` for each λ (log-sum-exp per term, so large λ·v never overflows)."""
        scaled = lambdas[:, None, None] * self.values[None, :, :]
        top = np.where(self.probs[None] > 0, scaled, -np.inf).max(axis=2, keepdims=True)
        inner = (self.probs[None] * np.exp(np.minimum(scaled - top, 0.0))).sum(axis=2)
        result: NDArray[np.float64] = (np.log(inner) + top[..., 0]).sum(axis=1)
        return result

    def _minimise(self, objective: Callable[[float], float]) -> float:
        """The minimum over λ > 0 of an objective that is unimodal in log λ (both Chernoff
        objectives are): a coarse scan, then golden-section search in the best bracket."""
        scale = max(float(np.abs(self.values).max(initial=0.0)), 1e-9)
        logs = np.linspace(math.log(1e-4), math.log(40.0 / scale), 25)
        values = [objective(math.exp(x)) for x in logs]
        best = int(np.argmin(values))
        a, b = logs[max(best - 1, 0)], logs[min(best + 1, len(logs) - 1)]
        ratio = (math.sqrt(5) - 1) / 2
        c, d = b - ratio * (b - a), a + ratio * (b - a)
        fc, fd = objective(math.exp(c)), objective(math.exp(d))
        for _ in range(40):
            if fc <= fd:
                b, d, fd = d, c, fc
                c = b - ratio * (b - a)
                fc = objective(math.exp(c))
            else:
                a, c, fc = c, d, fd
                d = a + ratio * (b - a)
                fd = objective(math.exp(d))
        return min(values[best], fc, fd)

    def _cgf_at(self, lam: float) -> float:
        return float(self._cgf(np.array([lam]))[0])

    def chernoff_tail(self, z: float) -> float:
        if self.size == 0:
            return 1.0 if z <= 0 else 0.0
        exponent = self._minimise(lambda lam: self._cgf_at(lam) - lam * z)
        return float(min(1.0, math.exp(min(exponent, 0.0))))

    def chernoff_threshold(self, alpha: float) -> float:
        """The smallest ``z`` the Chernoff bound certifies: ``inf_λ (K(λ) + ln 1/α)/λ``."""
        if self.size == 0:
            return math.inf
        c = math.log(1 / alpha)
        return self._minimise(lambda lam: (self._cgf_at(lam) + c) / lam)

    def grid(self, alpha: float, top_z: float | None = None) -> GridLaw:
        """The exact law of the rounded-up score, on a grid that holds the α-threshold
        (``top_z``: the Chernoff threshold at α, when already known)."""
        size, sigma = self.size, max(self.sigma, 1e-9)
        top_z = self.chernoff_threshold(alpha) if top_z is None else top_z
        step = max(0.4 * sigma / max(size, 1), 1e-4)
        top_value = float(np.abs(self.values).max(initial=0.0))
        span = top_z + _LOW_SIGMAS * sigma + size * step + top_value
        step = max(step, span / _MAX_GRID)
        offsets = np.ceil(self.values / step).astype(np.int64)
        # Each term's rounding adds at least the smallest excess among its values, so the
        # rounded sum exceeds S by at least `excess` everywhere: S ≥ z ⟹ rounded ≥ z + excess.
        gaps = np.where(self.probs > 0, offsets * step - self.values, np.inf)
        excess = float(np.maximum(gaps.min(axis=1), 0.0).sum())
        # Rounding adds at most `step` per term, so the α-threshold of the rounded sum is at
        # most top_z + size·step (Chernoff bounds the unrounded one at top_z).
        hi = math.ceil(top_z / step) + size + int(offsets.max(initial=0)) + 1
        lo = math.floor(-_LOW_SIGMAS * sigma / step)
        return GridLaw.convolve(offsets, self.probs, lo, hi, step, excess)


@dataclass(frozen=True, slots=True)
class GridLaw:
    """Law of the rounded-up score on ``lo..hi`` (in steps), with an absorbing top cell."""

    tail: NDArray[np.float64]  # tail[k] = P(rounded S ≥ (lo + k)·step), with overflow
    lo: int
    step: float
    excess: float  # the rounded sum exceeds S by at least this much, always

    @classmethod
    def convolve(
        cls,
        offsets: NDArray[np.int64],
        probs: NDArray[np.float64],
        lo: int,
        hi: int,
        step: float,
        excess: float = 0.0,
    ) -> GridLaw:
        cells = hi - lo + 1
        mass = np.zeros(cells)
        mass[-lo] = 1.0
        first = last = -lo  # the occupied cells: only they need work
        overflow = 0.0
        new = np.zeros(cells)
        for row_offsets, row_probs in zip(offsets, probs, strict=True):
            new[first : last + 1] = 0.0
            low, high = cells - 1, 0
            for shift, p in zip(row_offsets.tolist(), row_probs.tolist(), strict=True):
                if p <= 0:
                    continue
                src = mass[first : last + 1]
                a, b = first + shift, last + shift  # where the occupied cells land
                if b < 0:  # below the floor: moved up to it (only enlarges the upper tail)
                    new[0] += p * float(src.sum())
                    low = 0
                    continue
                if a > cells - 1:  # off the top: absorbed, counted above every threshold
                    overflow += p * float(src.sum())
                    continue
                lo_cut, hi_cut = max(0, -a), max(0, b - (cells - 1))
                if lo_cut:
                    new[0] += p * float(src[:lo_cut].sum())
                if hi_cut:
                    overflow += p * float(src[len(src) - hi_cut :].sum())
                view = new[a + lo_cut : b - hi_cut + 1]
                view += p * src[lo_cut : len(src) - hi_cut]
                low, high = min(low, max(a, 0)), max(high, min(b, cells - 1))
            mass, new = new, mass
            new[first : last + 1] = 0.0
            first, last = low, max(high, low)
        tail = np.cumsum(mass[::-1])[::-1] + overflow
        return cls(tail, lo, step, excess)

    def tail_at(self, z: float) -> float:
        """An upper bound on ``P(S ≥ z)``."""
        k = math.ceil((z + self.excess) / self.step - 1e-9) - self.lo
        if k <= 0:
            return 1.0
        k = min(k, len(self.tail) - 1)
        return float(min(1.0, self.tail[k] + _SAFETY))

    def threshold(self, alpha: float) -> float:
        ok = np.nonzero(self.tail + _SAFETY <= alpha)[0]
        if len(ok) == 0:
            return math.inf
        return float((int(ok[0]) + self.lo) * self.step - self.excess)


@dataclass(frozen=True, slots=True)
class Bound:
    """What the tracer reports for one set of terms at level ``alpha`` (= ε/n)."""

    threshold: float
    law: InnocentLaw
    grid: GridLaw | None

    def tail(self, z: float) -> float:
        """An upper bound on the probability that an innocent scores ``z`` or more."""
        bound = self.law.chernoff_tail(z)
        if self.grid is not None:
            bound = min(bound, self.grid.tail_at(z))
        return bound


def innocent_bound(terms: Sequence[Term], alpha: float) -> Bound:
    """The score above which an innocent lands with probability at most ``alpha``."""
    return law_bound(InnocentLaw.of(terms), alpha)


def law_bound(law: InnocentLaw, alpha: float) -> Bound:
    """``innocent_bound`` for a law built directly from arrays (simulations use this)."""
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be in (0, 1), got {alpha}")
    if law.size == 0 or not np.any(law.values):
        return Bound(math.inf, law, None)
    chernoff = law.chernoff_threshold(alpha)
    grid = law.grid(alpha, chernoff)
    return Bound(min(chernoff, grid.threshold(alpha)), law, grid)


def gaussian_threshold(size: int, alpha: float) -> float:
    """The usual normal-approximation threshold ``√(2 L ln(1/α))`` — for comparison only:
    it is not a bound (see the module docstring)."""
    return math.sqrt(2 * size * math.log(1 / alpha))
