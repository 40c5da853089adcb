"""Actors and groups: who holds material and who wants it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


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
    """

    id: str
    name: str
    kind: ActorKind
    protection: float
    capacity: int | None = None
    description: str = ""


@dataclass(frozen=True, slots=True)
class Group:
    """A named set of actors (an alliance, a sharing community). Members may be
    actor ids or other group ids; membership is acyclic."""

    id: str
    name: str
    members: tuple[str, ...]
    description: str = ""
