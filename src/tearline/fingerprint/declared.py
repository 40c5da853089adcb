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

from rapidfuzz.distance import Levenshtein

# The slot syntax and the plain text live in the domain (one text for every reader).
from tearline.domain.text import Declared, has_slots, parse_slots, plain_text


def strip_slots(text: str) -> str:
    """The text with every declared slot replaced by its first option
    (``tearline.domain.text.plain_text``)."""
    return plain_text(text)


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


__all__ = ["Declared", "carry_slots", "has_slots", "parse_slots", "strip_slots"]
