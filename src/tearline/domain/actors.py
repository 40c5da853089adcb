"""Actors and groups: who holds material and who wants it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tearline.domain.uncertain import Distribution, Tolerance


class ActorKind(StrEnum):
    ORIGINATOR = "originator"
    PARTNER = "partner"
    ADVERSARY = "adversary"
    THIRD_PARTY = "third-party"


@dataclass(frozen=True, slots=True)
class Actor:
    """A state, service or organisation in the relationship web.

    ``protection`` is how reliably the actor keeps shared material from flowing
    onward (1 = never leaks). ``capacity`` is, for adversaries, how many
    candidates their counter-intelligence can vet; ``None`` means the model's
    default applies.

    Uncertain behaviour (docs/risk.md §8): ``protection_range`` is the belief
    about ``protection`` when it is not known exactly (``protection`` then
    holds its mean); ``impulsive`` is the probability, per assessment period,
    that the actor passes everything it holds straight to ``impulsive_to``
    regardless of ties and protection (a jump). ``tolerance`` is when it
    restricts sharing with a hub in the cascade (None: the documented default).
    """

    id: str
    name: str
    kind: ActorKind
    protection: float
    capacity: int | None = None
    description: str = ""
    protection_range: Distribution | None = None
    impulsive: float = 0.0
    impulsive_to: str | None = None
    tolerance: Tolerance | None = None

    @property
    def uncertain(self) -> bool:
        return self.protection_range is not None or self.impulsive > 0.0


@dataclass(frozen=True, slots=True)
class Group:
    """A named set of actors (an alliance, a sharing community). Members may be
    actor ids or other group ids; membership is acyclic."""

    id: str
    name: str
    members: tuple[str, ...]
    description: str = ""
