"""Protected sources and the attributes that could identify them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

Disclosed = Mapping[tuple[str, str], int]
"""What a copy discloses: ``{(source id, attribute name): level}`` (level 0 the
value itself, i the i-th generalization; an attribute not disclosed is absent)."""


def anonymity(population: int, selectivities: Iterable[float]) -> float:
    """The anonymity set k = max(1, population · Π selectivity): how many people
    could still be the source. The one definition; everything else calls it."""
    k = float(population)
    for selectivity in selectivities:
        k *= selectivity
    return max(1.0, k)


class SourceStatus(StrEnum):
    ACTIVE = "active"
    EXTRACTED = "extracted"
    RETIRED = "retired"
    COMPROMISED = "compromised"


@dataclass(frozen=True, slots=True)
class Generalization:
    """A coarser statement of an attribute; ``selectivity`` is the fraction of
    the source's population that shares it (larger = less identifying)."""

    value: str
    selectivity: float


@dataclass(frozen=True, slots=True)
class Attribute:
    """A fact that narrows the population that could be the source.

    ``generalizations`` run from the most specific to the coarsest; each is
    strictly less selective than the one before. ``mentions`` are phrases that
    reveal the attribute at its most specific level.
    """

    name: str
    value: str
    selectivity: float
    kind: str = "other"
    generalizations: tuple[Generalization, ...] = ()
    mentions: tuple[str, ...] = ()

    def selectivity_at(self, level: int) -> float:
        """Selectivity when disclosed at ``level`` (0 = the value itself,
        1.. = the generalizations in order). Disclosing nothing is 1.0."""
        if level == 0:
            return self.selectivity
        if 1 <= level <= len(self.generalizations):
            return self.generalizations[level - 1].selectivity
        return 1.0


@dataclass(frozen=True, slots=True)
class Source:
    """A protected person or asset. ``identity`` is the true name, known only
    to handlers and never needed by the engine; the store encrypts it."""

    id: str
    codename: str
    population: int
    threatened_by: tuple[str, ...]
    attributes: tuple[Attribute, ...] = ()
    identity: str | None = None
    max_risk: float | None = None
    status: SourceStatus = SourceStatus.ACTIVE
    description: str = ""

    def attribute(self, name: str) -> Attribute:
        for attribute in self.attributes:
            if attribute.name == name:
                return attribute
        raise KeyError(name)

    def selectivities(self, levels: Mapping[str, int]) -> list[float]:
        """Selectivity of each disclosed attribute at its level (unknown names
        are ignored: they narrow nothing)."""
        by_name = {a.name: a for a in self.attributes}
        return [by_name[n].selectivity_at(lv) for n, lv in levels.items() if n in by_name]

    def anonymity(self, levels: Mapping[str, int]) -> float:
        """k after disclosing each attribute in ``levels`` (name → level)."""
        return anonymity(self.population, self.selectivities(levels))

    def without_identity(self) -> Source:
        return Source(
            id=self.id,
            codename=self.codename,
            population=self.population,
            threatened_by=self.threatened_by,
            attributes=self.attributes,
            identity=None,
            max_risk=self.max_risk,
            status=self.status,
            description=self.description,
        )


def smallest_k(sources: Iterable[Source], disclosed: Disclosed) -> float:
    """The smallest anonymity set ``disclosed`` leaves any of ``sources``
    (infinite when there is no source: nothing can be narrowed)."""
    levels: dict[str, dict[str, int]] = {}
    for (sid, name), level in disclosed.items():
        levels.setdefault(sid, {})[name] = level
    return min((s.anonymity(levels.get(s.id, {})) for s in sources), default=float("inf"))
