"""Simulated leaks: what happens to a copy between our partner and the open internet.

Used by the demo, the tests and the benchmarks — never by the tracer. Randomness comes from
the ``random.Random`` passed in, so every simulated leak is reproducible.
"""

from __future__ import annotations

import random
import re
import textwrap
from collections.abc import Sequence

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_PARAGRAPHS = re.compile(r"\n\s*\n")


def body_of(copy: str) -> str:
    """The body of a released copy (between its two 72-dash rules), or the text itself."""
    parts = copy.split("-" * 72)
    return parts[1].strip() if len(parts) >= 3 else copy


def retype(
    text: str,
    rng: random.Random,
    *,
    typos: float = 0.02,
    upper: bool = False,
    width: int | None = 64,
) -> str:
    """Retyped by hand: a share ``typos`` of letters mistyped (replaced, dropped, doubled or
    swapped with the next), optionally in capitals, re-flowed to ``width`` columns."""
    chars = list(text)
    out: list[str] = []
    i = 0
    while i < len(chars):
        ch = chars[i]
        if ch.isalpha() and rng.random() < typos:
            kind = rng.randrange(4)
            if kind == 0:
                out.append(rng.choice(_LETTERS))
            elif kind == 2:
                out += [ch, ch]
            elif kind == 3 and i + 1 < len(chars):
                out += [chars[i + 1], ch]
                i += 1
            # kind 1: the letter is dropped
        else:
            out.append(ch)
        i += 1
    result = "".join(out)
    if upper:
        result = result.upper()
    if width:
        result = "\n\n".join(
            textwrap.fill(" ".join(p.split()), width) for p in _PARAGRAPHS.split(result)
        )
    return result


def excerpt(text: str, fraction: float, rng: random.Random) -> str:
    """A contiguous run of whole sentences holding about ``fraction`` of the words."""
    sentences = re.split(r"(?<=[.!?])\s+", text.strip())
    sizes = [len(s.split()) for s in sentences]
    want = max(1, round(fraction * sum(sizes)))
    # Starts from which enough words remain before the end (the first one always qualifies).
    starts = [i for i in range(len(sentences)) if sum(sizes[i:]) >= want] or [0]
    start = rng.choice(starts)
    end = start
    while end < len(sentences) and sum(sizes[start:end]) < want:
        end += 1
    return " ".join(sentences[start:end])


def blend(copies: Sequence[str], rng: random.Random) -> str:
    """Paragraph by paragraph, each taken from one of ``copies`` at random (colluders
    pooling their copies). The copies must have the same paragraphs."""
    split = [_PARAGRAPHS.split(c.strip()) for c in copies]
    return "\n\n".join(rng.choice(split)[i] for i in range(min(len(s) for s in split)))
