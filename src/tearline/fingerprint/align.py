"""Aligning a leaked text to a base text, whatever happened to it on the way.

Both texts become token sequences after the same normalisation: Unicode NFKC, invisible
characters dropped, typographic quotes and dashes folded to ASCII, case folded. Line breaks
and spacing vanish with tokenisation, so re-flowed and re-typed text aligns like the
original. Tokens inside slot spans never serve as anchors (they differ between copies).

Anchors are found by greedy string tiling (Wise, 1993) seeded with 3-token shingles: every
maximal run of equal tokens, longest first, each leak token used once. Tiling, unlike one
global diff, survives reordered or duplicated paragraphs, partial excerpts and blends of
several copies; a typo only breaks the run it falls in.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

from tearline.fingerprint.layout import Layout

SHINGLE = 3
"""Tokens in a seed: long enough that chance matches are rare in one report."""

_TOKEN = re.compile(r"\d+(?:[.,:]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)*|[^\w\s]")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_FOLD = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛′`´", "'"),
        **dict.fromkeys("“”„‟″«»", '"'),
        **dict.fromkeys("‐‑‒–—―−", "-"),
    }
)


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(_INVISIBLE).translate(_FOLD).casefold()


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(normalise(text))


@dataclass(frozen=True, slots=True)
class SpanTokens:
    """Where one slot span sits among the base tokens: ``first..stop`` are the tokens it
    covers (``first == stop`` for a span between tokens)."""

    slot: int
    span: int
    first: int
    stop: int


@dataclass(frozen=True)
class BaseText:
    """A layout prepared for alignment (built once per stream, reused for every leak)."""

    layout: Layout
    words: tuple[str, ...] = field(init=False)
    starts: tuple[int, ...] = field(init=False)
    ends: tuple[int, ...] = field(init=False)
    anchor: tuple[bool, ...] = field(init=False)  # False inside slot spans
    spans: tuple[SpanTokens, ...] = field(init=False)

    def __post_init__(self) -> None:
        found = [
            (m.start(), m.end(), normalise(m.group())) for m in _TOKEN.finditer(self.layout.text)
        ]
        starts = tuple(a for a, _, _ in found)
        ends = tuple(b for _, b, _ in found)
        anchor = [True] * len(found)
        spans: list[SpanTokens] = []
        for s, slot in enumerate(self.layout.slots):
            for k, span in enumerate(slot.spans):
                covered = [
                    i
                    for i, (a, b) in enumerate(zip(starts, ends, strict=True))
                    if a < span.end and span.start < b
                ]
                for i in covered:
                    anchor[i] = False
                if covered:
                    spans.append(SpanTokens(s, k, covered[0], covered[-1] + 1))
                else:
                    at = next((i for i, a in enumerate(starts) if a >= span.start), len(starts))
                    spans.append(SpanTokens(s, k, at, at))
        object.__setattr__(self, "words", tuple(w for _, _, w in found))
        object.__setattr__(self, "starts", starts)
        object.__setattr__(self, "ends", ends)
        object.__setattr__(self, "anchor", tuple(anchor))
        object.__setattr__(self, "spans", tuple(spans))

    @cached_property
    def shingles(self) -> dict[tuple[str, ...], list[int]]:
        index: dict[tuple[str, ...], list[int]] = {}
        for b in range(len(self.words) - SHINGLE + 1):
            if all(self.anchor[b : b + SHINGLE]):
                index.setdefault(self.words[b : b + SHINGLE], []).append(b)
        return index


@dataclass(frozen=True, slots=True)
class Alignment:
    to_base: dict[int, int]  # leak token → base token
    to_leak: dict[int, list[int]]  # base token → leak tokens (several if a passage repeats)

    @property
    def matched(self) -> int:
        return len(self.to_base)


def align(base: BaseText, leak: list[str]) -> Alignment:
    """Anchor the leak's tokens to the base's by greedy string tiling."""
    words, anchor = base.words, base.anchor
    runs: list[tuple[int, int, int]] = []
    for p in range(len(leak) - SHINGLE + 1):
        for b in base.shingles.get(tuple(leak[p : p + SHINGLE]), ()):
            if p > 0 and b > 0 and anchor[b - 1] and words[b - 1] == leak[p - 1]:
                continue  # inside a run found from an earlier start
            size = SHINGLE
            while (
                p + size < len(leak)
                and b + size < len(words)
                and anchor[b + size]
                and words[b + size] == leak[p + size]
            ):
                size += 1
            runs.append((size, p, b))
    runs.sort(key=lambda r: (-r[0], r[1], r[2]))
    used = bytearray(len(leak))
    to_base: dict[int, int] = {}
    for size, p, b in runs:
        i = 0
        while i < size:  # keep the stretches of this run that no longer tile is using
            if used[p + i]:
                i += 1
                continue
            j = i
            while j < size and not used[p + j]:
                j += 1
            if j - i >= SHINGLE:
                for t in range(i, j):
                    used[p + t] = 1
                    to_base[p + t] = b + t
            i = j
    to_leak: dict[int, list[int]] = {}
    for p, b in sorted(to_base.items()):
        to_leak.setdefault(b, []).append(p)
    return Alignment(to_base, to_leak)
