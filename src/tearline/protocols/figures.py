"""The figures a protocol decides on, for one candidate release (one version)."""

from __future__ import annotations

import math
from dataclasses import dataclass

# Cedar has no floats and its decimals keep four places, so probabilities go in
# as integers in parts per billion and anonymity sets in thousandths. At one
# part per billion a risk threshold of 1e-4 is represented exactly.
PPB = 1_000_000_000
MILLI = 1_000


def to_ppb(probability: float) -> int:
    return round(min(1.0, max(0.0, probability)) * PPB)


K_CAP = 2**62
"""Cedar's Long is 64-bit: anonymity sets are capped far above any threshold
(k is unbounded when a copy rests on no source at all)."""


def to_milli(k: float) -> int:
    if not k < K_CAP / MILLI:  # also catches inf and nan, failing safe as "huge"
        return K_CAP if k == k else 0
    return min(int(k * MILLI), K_CAP)


@dataclass(frozen=True, slots=True)
class Figures:
    """What the risk engine says about releasing one version of a report to
    one partner, given everything already released.

    ``marginal_risk`` is the risk the copy causes *on its own* (its sources'
    P(identified) with this copy alone minus without it, ignoring the history)
    and ``cumulative_risk`` the risk after it given everything already
    released, both the worst over the report's sources; ``worst_k`` is the
    smallest anonymity set the copy alone leaves; ``reach`` is the partner's
    highest reach to an adversary threatening the report's sources (to any
    adversary when the report names no source). ``floor``: the copy would add
    to the exposure of a source that is above its ``max_risk`` after it — the
    source-protection floor refuses such a copy whatever the protocols say.
    Each figure can only grow when ties strengthen, protections fall or
    releases are added (docs/protocols.md, "Monotone protection")."""

    marginal_risk: float
    cumulative_risk: float
    worst_k: float
    reach: float
    floor: bool = False

    def as_context(self) -> dict[str, int]:
        return {
            "marginal_risk_ppb": to_ppb(self.marginal_risk),
            "cumulative_risk_ppb": to_ppb(self.cumulative_risk),
            "worst_k_milli": to_milli(self.worst_k),
            "reach_ppb": to_ppb(self.reach),
        }

    def as_dict(self) -> dict[str, float | bool | None]:
        """JSON-safe: ``worst_k`` is null when no source can be narrowed
        (a report resting on no declared source)."""
        return {
            "marginal_risk": self.marginal_risk,
            "cumulative_risk": self.cumulative_risk,
            "worst_k": self.worst_k if math.isfinite(self.worst_k) else None,
            "reach": self.reach,
            "floor": self.floor,
        }
