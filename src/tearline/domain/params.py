"""Model parameters a scenario may override (its ``model:`` section)."""

from __future__ import annotations

from dataclasses import dataclass, field

from tearline.domain.ties import Dimension

# Why these weights: intelligence liaison is the channel through which reporting
# itself moves, military cooperation shares assessments and targeting, diplomacy
# exchanges conclusions, trade carries little finished intelligence.
DEFAULT_DIMENSION_WEIGHTS: dict[Dimension, float] = {
    Dimension.DIPLOMATIC: 0.3,
    Dimension.TRADE: 0.1,
    Dimension.MILITARY: 0.5,
    Dimension.INTELLIGENCE: 0.8,
}
DEFAULT_CAPACITY = 50
DEFAULT_MAX_RISK = 0.05
# Decisions read uncertain inputs at (a protective bound of) this percentile of
# the ensemble: the 95th, so a release is judged as if things were worse than
# expected rather than as expected (docs/risk.md §8).
DEFAULT_DECISION_QUANTILE = 0.95


def _default_weights() -> dict[Dimension, float]:
    return dict(DEFAULT_DIMENSION_WEIGHTS)


@dataclass(frozen=True, slots=True)
class ModelParams:
    """``dimension_weights``: w_d in the noisy-OR edge model. ``default_capacity``:
    candidates an adversary can vet when it states none. ``default_max_risk``:
    the exposure above which a source handler must act, when a source states
    none. ``decision_quantile``: the percentile of uncertain inputs at which
    decisions read the figures (docs/risk.md §8)."""

    dimension_weights: dict[Dimension, float] = field(default_factory=_default_weights)
    default_capacity: int = DEFAULT_CAPACITY
    default_max_risk: float = DEFAULT_MAX_RISK
    decision_quantile: float = DEFAULT_DECISION_QUANTILE

    def weight(self, dimension: Dimension) -> float:
        return self.dimension_weights.get(dimension, 0.0)
