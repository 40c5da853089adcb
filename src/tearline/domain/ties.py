"""Directed, dated relationships between actors on four planes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from tearline.domain.uncertain import Distribution


class Dimension(StrEnum):
    DIPLOMATIC = "diplomatic"
    TRADE = "trade"
    MILITARY = "military"
    INTELLIGENCE = "intelligence"


DIMENSIONS: tuple[Dimension, ...] = tuple(Dimension)


@dataclass(frozen=True, slots=True)
class Tie:
    """How close ``source`` is to ``target`` on each plane (0..1), as of a date.

    A pair may have several ties with different ``as_of`` dates: that is the
    relationship's history. The tie in force on a day is the latest one dated on
    or before it.

    ``ranges`` holds the planes whose strength is uncertain, with the belief
    about each (docs/risk.md §8); the plane's number is then the belief's mean.
    """

    source: str
    target: str
    as_of: date
    diplomatic: float = 0.0
    trade: float = 0.0
    military: float = 0.0
    intelligence: float = 0.0
    note: str = ""
    ranges: tuple[tuple[Dimension, Distribution], ...] = ()

    def strength(self, dimension: Dimension) -> float:
        return float(getattr(self, dimension.value))

    def strengths(self) -> dict[Dimension, float]:
        return {d: self.strength(d) for d in DIMENSIONS}
