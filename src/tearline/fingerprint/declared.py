"""Variant slots an author declares in a report: ``{about|approximately|roughly}``.

The author vouches that every option means the same here. Everything except fingerprinting
sees the *plain* text, where each slot holds its first option (``strip_slots``): the
sanitiser, risk detection, display. A tearline is made from the plain text; ``carry_slots``
then puts back every declared slot whose text the sanitiser left untouched, so the tearline
copy is fingerprinted there too.

Syntax: braces holding at least one ``|``; options may be empty (``{|very }``) but not
contain braces, bars or line breaks. Braces without a bar are ordinary text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

_SLOT = re.compile(r"\{([^{}|\n]*(?:\|[^{}|\n]*)+)\}")


@dataclass(frozen=True, slots=True)
class Declared:
    """A declared slot in plain-text offsets: ``plain[start:end] == options[0]``."""

    start: int
    end: int
    options: tuple[str, ...]


def parse_slots(text: str) -> tuple[str, tuple[Declared, ...]]:
    """The plain text and the declared slots in it. A slot whose options repeat one another
    keeps its distinct options (a slot with only one is plain text)."""
    pieces: list[str] = []
    found: list[Declared] = []
    at = 0
    size = 0
    for match in _SLOT.finditer(text):
        before = text[at : match.start()]
        pieces.append(before)
        size += len(before)
        options = tuple(dict.fromkeys(match.group(1).split("|")))
        pieces.append(options[0])
        if len(options) >= 2:
            found.append(Declared(size, size + len(options[0]), options))
        size += len(options[0])
        at = match.end()
    pieces.append(text[at:])
    return "".join(pieces), tuple(found)


def strip_slots(text: str) -> str:
    """The text with every declared slot replaced by its first option (for display, the
    sanitiser and risk detection)."""
    return parse_slots(text)[0]


def has_slots(text: str) -> bool:
    return _SLOT.search(text) is not None


def carry_slots(original: str, derived: str) -> str:
    """``derived`` (made from ``strip_slots(original)``, e.g. by the sanitiser) with the
    declared slots of ``original`` put back wherever their text was left unchanged.

    A slot comes back only when its whole first option sits inside a stretch the edit
    script keeps as is (and, for an empty option, strictly inside one), so a slot is
    never carried into a rewritten phrase.
    """
    plain, slots = parse_slots(original)
    if not slots:
        return derived
    kept: list[tuple[int, int, int]] = []  # (plain start, plain end, derived start)
    for op in Levenshtein.opcodes(plain, derived):
        if op.tag == "equal":
            kept.append((op.src_start, op.src_end, op.dest_start))
    inserts: list[tuple[int, int, Declared]] = []
    for slot in slots:
        for start, end, dest in kept:
            inside = start <= slot.start and slot.end <= end
            if inside and (slot.start < slot.end or start < slot.start < end):
                offset = dest + slot.start - start
                inserts.append((offset, offset + slot.end - slot.start, slot))
                break
    pieces: list[str] = []
    at = 0
    for start, end, slot in sorted(inserts, key=lambda x: x[0]):
        pieces += [derived[at:start], "{" + "|".join(slot.options) + "}"]
        at = end
    pieces.append(derived[at:])
    return "".join(pieces)
