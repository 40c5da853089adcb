"""The mosaic: what an adversary learns about a source from everything that reached it.

DESIGN.md, "Risk, in one page" §3-4. In a world ω the adversary A holds every
release whose partner reaches A in ω (a release handed to A itself always
does). For each attribute it knows the most specific level disclosed by any of
those releases, and the anonymity set is

    k(ω) = max(1, population · Π_a selectivity_a(level_a(ω)))

(an undisclosed attribute has selectivity 1). A counter-intelligence service
that can vet ``capacity`` candidates identifies the source with probability

    P(identified | k) = min(1, capacity / k),

and the risk from A is the expectation over worlds, r_A = E[P(identified | k(ω))].
Releases to one partner reach A in exactly the same worlds, and releases to
different partners are correlated through shared edges: both are captured
because the expectation is taken world by world over the same masks the reach
estimates use. Combined over the adversaries that threaten the source,
risk = 1 − Π_A (1 − r_A) (adversaries treated as acting independently).

**Evaluation.** For an attribute disclosed at levels ℓ₁ < … < ℓ_r by various
partners, the world's level is the least ℓ_i whose "some partner disclosing at
≤ ℓ_i reaches A" mask holds. log selectivity telescopes over those nested masks:

    log s(level(ω)) = Σ_i [ω ∈ M_≤ℓ_i] · (log s(ℓ_i) − log s(ℓ_{i+1})),  s(ℓ_{r+1}) = 1,

so log k(ω) is a sum of a few masked constants per attribute, vectorised over
all worlds.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from tearline.domain import Source
from tearline.domain.sources import anonymity as domain_anonymity
from tearline.risk.worlds import WorldSet

Masks = NDArray[np.uint64]
_TINY = 1e-300  # selectivity 0 would make log k = -inf; k is floored at 1 anyway


# k = max(1, population · Π selectivity): one definition, in the domain.
anonymity = domain_anonymity


def p_identified(k: float, capacity: int) -> float:
    """P(identified | k) = min(1, capacity / k)."""
    return min(1.0, capacity / k)


@dataclass(frozen=True, slots=True)
class Exposure:
    """Material that reaches the adversary in the worlds of ``mask`` and discloses
    each attribute in ``levels`` (attribute name → level)."""

    mask: Masks
    levels: Mapping[str, int]


def attribute_selectivities(source: Source, levels: Mapping[str, int]) -> list[float]:
    """Selectivity of each disclosed attribute at its level (unknown names: 1)."""
    return source.selectivities(levels)


def identification_probability(
    worlds: WorldSet, source: Source, capacity: int, exposures: Sequence[Exposure]
) -> float:
    """r_A = E over worlds of min(1, capacity / k(ω)) (module docstring)."""
    by_name = {a.name: a for a in source.attributes}
    log_k = np.full(worlds.count, math.log(max(source.population, 1)))
    per_attribute: dict[str, dict[int, Masks]] = {}
    for exposure in exposures:
        for name, level in exposure.levels.items():
            if name not in by_name or by_name[name].selectivity_at(level) >= 1.0:
                continue
            masks = per_attribute.setdefault(name, {})
            masks[level] = masks[level] | exposure.mask if level in masks else exposure.mask
    for name, masks in per_attribute.items():
        attribute = by_name[name]
        levels = sorted(masks)
        logs = [math.log(max(attribute.selectivity_at(lv), _TINY)) for lv in levels] + [0.0]
        union = np.zeros(worlds.words, dtype=np.uint64)
        for i, level in enumerate(levels):
            union = union | masks[level]  # some release at level ≤ this one reaches
            delta = logs[i] - logs[i + 1]
            if delta != 0.0:
                log_k += worlds.unpack(union) * delta
    k = np.maximum(1.0, np.exp(log_k))
    return float(worlds.mean(np.minimum(1.0, capacity / k)))


def combine(risks: Sequence[float]) -> float:
    """1 − Π (1 − r_A) over adversaries."""
    return 1.0 - math.prod(1.0 - r for r in risks)
