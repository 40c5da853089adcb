"""Reading which variant a leaked text holds in each slot — or admitting it cannot.

For each span, the nearest anchored base tokens on either side (within ``REACH`` tokens)
fix a window in the leak. Every combination of variants of the slots inside the window is
rendered and compared with the leak's window by edit distance (typos elsewhere in the window
cost every variant alike). A variant is read only when it is clearly nearer than any other:
strictly nearer, by at least half the distance between the two variants' own renderings,
and near in absolute terms. Anything else — no anchors, a window of the wrong size, a tie, a
mangled word — is an erasure, never a guess. An erasure costs a little power; a guess could
cost an innocent.

A slot read as different variants in different places (a blend of copies) keeps every
variant read; the score counts each. A window that reads as one of the slot's decoys (a form
the channel offers but this deployment left out: ``variants``) is an erasure too — no copy
holds it — and a decoy competes like any variant, so a window near one is never read as a
kept form it merely resembles.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

from rapidfuzz.distance import Levenshtein

from tearline.fingerprint.align import Alignment, BaseText, SpanTokens, tokens

REACH = 10
"""How far (in tokens) from a span its anchors may be: with slots dense, a run of three
anchor tokens may be further away than it was (issue 17 raised it from 6)."""

MAX_COMBINATIONS = 256
_SLACK = 3  # tokens a leak window may gain or lose (typos that split or join words)


@dataclass(frozen=True, slots=True)
class _Window:
    left: int | None  # base token of the left anchor, None at a one-sided window
    right: int | None
    start: int  # base characters rendered
    end: int
    slots: tuple[int, ...]  # target first


def read_slots(base: BaseText, leak: list[str], alignment: Alignment) -> dict[int, set[int]]:
    """The variants read per slot (slots read nowhere are absent: erasures)."""
    readings: dict[int, set[int]] = {}
    for where in base.spans:
        for symbol in _read_span(base, leak, alignment, where):
            readings.setdefault(where.slot, set()).add(symbol)
    return readings


def _read_span(
    base: BaseText, leak: list[str], alignment: Alignment, where: SpanTokens
) -> Iterator[int]:
    lefts = [
        b for b in range(where.first - 1, where.first - 1 - REACH, -1) if b in alignment.to_leak
    ]
    rights = [b for b in range(where.stop, where.stop + REACH) if b in alignment.to_leak]
    left, right = (lefts[0] if lefts else None), (rights[0] if rights else None)
    if left is None and right is None:
        return
    window = _window(base, where, left, right)
    renders = _renders(base, window)
    if not renders:
        return
    sizes = [len(r[1].split()) for r in renders]
    paired = False
    if left is not None and right is not None:
        for p_left in alignment.to_leak[left]:
            for p_right in alignment.to_leak[right]:
                gap = p_right - p_left - 1
                if gap >= 0 and min(sizes) - _SLACK <= gap <= max(sizes) + _SLACK:
                    paired = True
                    found = _decide(renders, partial(_between, leak, p_left, p_right))
                    if found is not None:
                        yield found
    if paired:
        return
    # One side only (the leak starts, stops or jumps elsewhere near the span): compare
    # windows of the rendering's own length, and demand a near-exact match.
    for anchor, window_of in ((right, _before), (left, _after)):
        if anchor is None:
            continue
        for p in alignment.to_leak[anchor]:
            found = _decide(renders, partial(window_of, leak, p), strict=True)
            if found is not None:
                yield found


def _between(leak: list[str], p_left: int, p_right: int, _size: int) -> str:
    return " ".join(leak[p_left + 1 : p_right])


def _before(leak: list[str], p: int, size: int) -> str:
    return " ".join(leak[max(p - size, 0) : p])


def _after(leak: list[str], p: int, size: int) -> str:
    return " ".join(leak[p + 1 : p + 1 + size])


def _window(base: BaseText, where: SpanTokens, left: int | None, right: int | None) -> _Window:
    layout = base.layout
    target = layout.slots[where.slot].spans[where.span]
    start = base.ends[left] if left is not None else target.start
    end = base.starts[right] if right is not None else target.end
    inside: list[int] = [where.slot]
    for s, slot in enumerate(layout.slots):
        if s != where.slot and any(start <= sp.start and sp.end <= end for sp in slot.spans):
            inside.append(s)
    # Few slots share a window; when many do, the farthest keep their base variant.
    kept: list[int] = []
    size = 1
    for s in inside:
        if size * layout.slots[s].q <= MAX_COMBINATIONS:
            kept.append(s)
            size *= layout.slots[s].q
    return _Window(left, right, start, end, tuple(kept))


DECOY = -1
"""The target variant of a rendering that holds one of the slot's decoys."""


def _renders(base: BaseText, window: _Window) -> list[tuple[int, str]]:
    """(target variant, normalised rendering) for every combination in the window, and for
    every decoy of the target slot (variant ``DECOY``) with the others at each combination."""
    layout = base.layout
    spans = sorted(
        (sp.start, sp.end, s, k)
        for s in window.slots
        for k, sp in enumerate(layout.slots[s].spans)
        if window.start <= sp.start and sp.end <= window.end
    )
    target = window.slots[0]
    decoys = max((len(sp.decoys) for sp in layout.slots[target].spans), default=0)
    result: list[tuple[int, str]] = []
    choices = [range(layout.slots[target].q + decoys)]
    choices += [range(layout.slots[s].q) for s in window.slots[1:]]
    for combo in itertools.product(*choices):
        chosen = dict(zip(window.slots, combo, strict=True))
        pieces, at = [], window.start
        for start, end, s, k in spans:
            span = layout.slots[s].spans[k]
            pieces += [layout.text[at:start], (*span.options, *span.decoys)[chosen[s]]]
            at = end
        pieces.append(layout.text[at : window.end])
        variant = combo[0] if combo[0] < layout.slots[target].q else DECOY
        result.append((variant, " ".join(tokens("".join(pieces)))))
    return result


def _decide(
    renders: list[tuple[int, str]], leak_window: Callable[[int], str], *, strict: bool = False
) -> int | None:
    """The target variant the leak window clearly holds, or None. ``leak_window(n)`` is the
    leak's text to compare with a rendering of ``n`` tokens."""
    best: dict[int, tuple[int, str]] = {}
    for variant, render in renders:
        seen = leak_window(len(render.split()))
        distance = Levenshtein.distance(render, seen)
        if variant not in best or distance < best[variant][0]:
            best[variant] = (distance, render)
    ranked = sorted(best.items(), key=lambda item: item[1][0])
    if len(ranked) < 2:
        return None
    (winner, (near, render)), (_, (next_near, next_render)) = ranked[0], ranked[1]
    apart = Levenshtein.distance(render, next_render)
    if winner == DECOY or near >= next_near or next_near - near < max(1.0, apart / 2):
        return None  # a decoy (no copy holds it: an erasure), a tie, or too close to call
    allowed = 0.15 * len(render) + 1 if strict else 0.3 * len(render) + 2
    return winner if near <= allowed else None
