"""Uncertain inputs: a tie strength or a protection known only as a range or a
belief, and the restriction tolerance of an ally (docs/risk.md §8–9).

``Uniform(low, high)`` is a range; ``Beta(mean, sd)`` a beta distribution given
by its mean and standard deviation (feasible when ``sd² < mean·(1 − mean)``).
The value an uncertain field holds in ``Tie``/``Actor`` is the distribution's
mean, so everything that reads one number keeps working; the risk core's
ensembles (``risk.ensemble``) draw from the distribution itself.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Uniform:
    """Every value in [low, high] equally likely."""

    low: float
    high: float

    @property
    def mean(self) -> float:
        return (self.low + self.high) / 2.0

    def problem(self) -> str | None:
        """Why this range is invalid, or None."""
        if not (0.0 <= self.low <= 1.0 and 0.0 <= self.high <= 1.0):
            return f"range [{self.low}, {self.high}] is not inside 0..1"
        if self.low > self.high:
            return f"range [{self.low}, {self.high}]: low is above high"
        return None


@dataclass(frozen=True, slots=True)
class Beta:
    """A beta distribution with this mean and standard deviation."""

    mean: float
    sd: float

    def shape(self) -> tuple[float, float]:
        """(α, β) from the mean and variance: ν = m(1 − m)/sd² − 1, α = mν, β = (1 − m)ν."""
        nu = self.mean * (1.0 - self.mean) / (self.sd * self.sd) - 1.0
        return self.mean * nu, (1.0 - self.mean) * nu

    def problem(self) -> str | None:
        if not 0.0 < self.mean < 1.0:
            return f"beta mean {self.mean} must lie strictly between 0 and 1"
        if not self.sd > 0.0:
            return f"beta sd {self.sd} must be positive"
        limit = (self.mean * (1.0 - self.mean)) ** 0.5
        if self.sd >= limit:
            return (
                f"no beta distribution has mean {self.mean} and sd {self.sd} "
                f"(the sd must be below √(mean·(1 − mean)) = {limit:.4g})"
            )
        return None


Distribution = Uniform | Beta


@dataclass(frozen=True, slots=True)
class Tolerance:
    """When an ally restricts what it shares with a hub (the cascade, docs/risk.md §9).

    It restricts once the hub's reach to one of ``adversaries`` (all adversaries
    when empty) is at least ``reach``, or once at least ``allies`` other allies
    already restrict. Restricting caps its intelligence tie to the hub at
    ``restrict_to``.
    """

    reach: float = 0.5
    allies: int = 3
    restrict_to: float = 0.0
    adversaries: tuple[str, ...] = ()


DEFAULT_TOLERANCE = Tolerance()
