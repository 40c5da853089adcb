"""Keyed variants: what a deployment's fingerprint key hides from colluders who read the code.

The channels (``channels``, ``lexicon``, ``spelling``, ``syntax``) are public: anyone can read
which words may vary and which forms each may take. Under the key, per stream and slot, a
deployment chooses:

* **the variant set**: a slot whose channel offers q ≥ 3 forms keeps the text's own form and
  a keyed q − 2 of the others; the form left out is a *decoy* (``Span.decoys``). Colluders
  who compare their copies see the forms they hold, and cannot tell which of the remaining
  published forms is in the set and which is the decoy;
* **their order**: the kept forms are shuffled, so which form is the slot's rare variant
  (the bias attaches to the position) says nothing about the lexicon's order;
* **which slots are used** where channels touch the same words: the order among channels
  comes from the key (``channels.detect``'s ``precedence``), so the slot boundaries differ
  between deployments.

A leak written with a decoy (the "unheld variant" strategy: colluders replace a word on
which their copies differ by a published form that neither holds) is read as an *erasure*:
no copy holds a decoy, so it says nothing about any recipient, and counting it would only
add noise. A leak written with a kept form that none of the colluders holds is read as that
form, and scored by the symmetric Tardos score like any other reading (see
``docs/fingerprinting.md``, "Symbols nobody accused holds"): every recipient who does not
hold it loses a little, those who hold it gain, and the per-leak bound still holds — the
bound only needs the reading to be independent of an innocent's codeword, which it is
whatever the colluders wrote.
"""

from __future__ import annotations

from dataclasses import replace

from tearline.fingerprint.channels import detect
from tearline.fingerprint.code import _prf
from tearline.fingerprint.layout import Layout, Slot

__all__ = ["narrow", "stream_layout"]


def stream_layout(text: str, key: bytes, stream: str) -> Layout:
    """The layout stream ``stream`` gets in this deployment: the channels, with overlaps
    resolved in a keyed order, then each slot's variant set chosen under the key."""
    layout = detect(
        text, precedence=lambda label, start: _prf(key, "precedence", stream, label, start)
    )
    return narrow(layout, key, stream)


def narrow(layout: Layout, key: bytes, stream: str) -> Layout:
    """``layout`` with every slot of q ≥ 3 cut to the text's form and a keyed, shuffled
    q − 2 of its other forms; the form left out becomes the spans' decoy."""
    return Layout(
        layout.text, tuple(_narrow_slot(s, i, key, stream) for i, s in enumerate(layout.slots))
    )


def _narrow_slot(slot: Slot, index: int, key: bytes, stream: str) -> Slot:
    if slot.q < 3:
        return slot
    others = list(range(1, slot.q))
    # A keyed shuffle (sort by PRF values): the first q − 2 are kept, in that order.
    others.sort(key=lambda k: _prf(key, "variant-order", stream, index, slot.label, k))
    kept, dropped = others[:-1], others[-1:]
    spans = tuple(
        replace(
            span,
            options=(span.options[0], *(span.options[k] for k in kept)),
            decoys=(*span.decoys, *(span.options[k] for k in dropped)),
        )
        for span in slot.spans
    )
    return Slot(slot.kind, slot.label, spans)
