"""Writing a recipient's codeword into a base text.

The copy differs from the base only inside slot spans, and there only by a variant the
channel vouches for, so it reads as naturally as the base and says the same thing. A
convention slot changes every one of its spans together.
"""

from __future__ import annotations

from collections.abc import Sequence

from tearline.fingerprint.code import CUTOFF, biases, codeword
from tearline.fingerprint.layout import Layout, LayoutError


def embed(layout: Layout, symbols: Sequence[int]) -> str:
    """The copy whose slot ``i`` holds variant ``symbols[i]`` (at every span of the slot)."""
    if len(symbols) != len(layout.slots):
        raise LayoutError(f"{len(symbols)} symbols for {len(layout.slots)} slots")
    edits: list[tuple[int, int, str]] = []
    for slot, symbol in zip(layout.slots, symbols, strict=True):
        if not 0 <= symbol < slot.q:
            raise LayoutError(f"symbol {symbol} outside slot {slot.label!r} (q = {slot.q})")
        edits += [(span.start, span.end, span.options[symbol]) for span in slot.spans]
    pieces: list[str] = []
    at = 0
    for start, end, option in sorted(edits):
        pieces += [layout.text[at:start], option]
        at = end
    pieces.append(layout.text[at:])
    return "".join(pieces)


def fingerprint_text(
    layout: Layout, key: bytes, stream: str, secret: bytes, cutoff: float = CUTOFF
) -> str:
    """The copy of ``layout`` for the recipient holding ``secret`` in ``stream``."""
    bias = biases(key, stream, layout.alphabet, cutoff)
    return embed(layout, codeword(key, stream, secret, bias))
