"""What a release discloses about its sources, as attribute levels.

A release discloses attribute ``a`` of source ``s`` at level ℓ (0 = the value
itself, ℓ ≥ 1 = the ℓ-th generalization, ``Attribute.selectivity_at``). The
mosaic model only needs these levels, so how they are found is pluggable: a
``DisclosureModel`` is any function ``(report, sources, version) -> {(source
id, attribute name): level}``. The sanitiser will supply one that says what
its tearline text still discloses.

Until then, ``disclosures`` is the default: the full version discloses each
attribute whose value, a mention, or a generalization appears in the report
text (case-insensitive, whitespace-normalised substring), at the most specific
level that appears; the tearline version discloses nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from tearline.domain import Report, Source, Version

Disclosed = Mapping[tuple[str, str], int]


class DisclosureModel(Protocol):
    """Says which attributes of which sources a version of a report discloses."""

    def __call__(
        self, report: Report, sources: Sequence[Source], version: Version
    ) -> Disclosed: ...


def normalise(text: str) -> str:
    """Casefolded, with every run of whitespace as one space."""
    return " ".join(text.casefold().split())


def disclosures(report: Report, sources: Sequence[Source], version: Version) -> Disclosed:
    """The default model (see the module docstring): the plain text (declared
    slots resolved, ``Report.plain_text``), as everywhere."""
    if version is Version.TEARLINE:
        return {}
    # Declared fingerprint slots ({a|b|c}) count as their first option, as everywhere.
    text = normalise(report.plain_text)
    found: dict[tuple[str, str], int] = {}
    for source in sources:
        for attribute in source.attributes:
            phrases = [(0, attribute.value), *((0, mention) for mention in attribute.mentions)]
            phrases += [(i + 1, g.value) for i, g in enumerate(attribute.generalizations)]
            levels = [level for level, phrase in phrases if _appears(phrase, text)]
            if levels:
                found[(source.id, attribute.name)] = min(levels)
    return found


def _appears(phrase: str, text: str) -> bool:
    needle = normalise(phrase)
    return bool(needle) and needle in text
