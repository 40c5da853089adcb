"""The plain text of a report: its declared variant slots resolved, in one place.

An author may declare variant slots, ``{about|approximately|roughly}``, that
the fingerprinting code uses to mark each recipient's copy. The author vouches
that every option means the same there. Everything that *reads* a report —
the risk engine's disclosure detection, the sanitiser, the decision, the
display — reads its **plain text**, where each slot holds its first option;
only fingerprinting (``tearline.fingerprint``) sees the markup, and a copy is
made from the plain text (a tearline) or from the text whose slots the
fingerprint resolves. So the text that is assessed is the text released.

Syntax: braces holding at least one ``|``; options may be empty (``{|very }``)
but not contain braces, bars or line breaks. Braces without a bar are
ordinary text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SLOT = re.compile(r"\{([^{}|\n]*(?:\|[^{}|\n]*)+)\}")


@dataclass(frozen=True, slots=True)
class Declared:
    """A declared slot in plain-text offsets: ``plain[start:end] == options[0]``."""

    start: int
    end: int
    options: tuple[str, ...]


def parse_slots(text: str) -> tuple[str, tuple[Declared, ...]]:
    """The plain text and the declared slots in it. A slot whose options repeat
    one another keeps its distinct options (a slot with only one is plain text)."""
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


def plain_text(text: str) -> str:
    """``text`` with every declared slot replaced by its first option."""
    if "{" not in text:  # the common case: nothing to resolve
        return text
    return parse_slots(text)[0]


def has_slots(text: str) -> bool:
    return _SLOT.search(text) is not None


__all__ = ["Declared", "has_slots", "parse_slots", "plain_text"]
