"""Trace capacity: would a whole leak of this copy name its recipient?

Computed at release for every copy, before it leaves (``services.release``): the copy's
slots, and what ``trace`` would conclude from an exact, whole leak of it among the stream's
recipients at ε — the recipient's score against the per-leak threshold at ε/n (the same
bound ``trace`` uses), and which other recipients that leak would accuse too. A copy is
*traceable* when that leak names its recipient and nobody else. Two recipients whose
codewords agree in every slot hold byte-identical copies: a leak of either names both or
neither, so such a copy is refused unless the user forces it (``identical_to``).

An exact whole leak is the best case: a retyped or partial leak reads fewer slots. A copy
that is not traceable even then is worth a warning before it leaves, not after it leaks.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from tearline.fingerprint.bound import Term, innocent_bound
from tearline.fingerprint.code import CUTOFF, biases, codeword, slot_values
from tearline.fingerprint.layout import Layout


@dataclass(frozen=True, slots=True)
class Capacity:
    partner: str
    slots: int
    bits: float  # Σ log₂ q over the slots
    recipients: int  # n: the stream's recipients, this one included
    epsilon: float
    score: float  # the recipient's score on an exact whole leak of its copy
    threshold: float  # the per-leak threshold at ε/n for that leak
    also_named: tuple[str, ...]  # other recipients that leak would accuse
    identical_to: tuple[str, ...]  # recipients holding the very same codeword

    @property
    def named(self) -> bool:
        return self.slots > 0 and self.score >= self.threshold

    @property
    def traceable(self) -> bool:
        """A whole exact leak of this copy names its recipient, and only it."""
        return self.named and not self.also_named

    def to_dict(self) -> dict[str, object]:
        return {
            "slots": self.slots,
            "bits": round(self.bits, 2),
            "recipients": self.recipients,
            "epsilon": self.epsilon,
            "score": round(self.score, 3),
            "threshold": round(self.threshold, 3) if math.isfinite(self.threshold) else None,
            "named": self.named,
            "also_named": list(self.also_named),
            "identical_to": list(self.identical_to),
            "traceable": self.traceable,
        }

    def render(self) -> str:
        n = self.recipients
        if self.identical_to:
            return (
                f"untraceable: identical to the copy of {', '.join(self.identical_to)} "
                f"({self.slots} slots)"
            )
        if self.traceable:
            return (
                f"traceable: {self.slots} slots; a whole leak names {self.partner} among "
                f"{n} recipient{'s' if n != 1 else ''} at ε = {self.epsilon:g}"
            )
        if self.named:
            return (
                f"not traceable alone: {self.slots} slots; a whole leak would also name "
                f"{', '.join(self.also_named)} at ε = {self.epsilon:g}"
            )
        return (
            f"not traceable: {self.slots} slots; a whole leak would name nobody among {n} "
            f"recipient{'s' if n != 1 else ''} at ε = {self.epsilon:g} (score "
            f"{self.score:.1f} < {self.threshold:.1f}); a longer text or declared slots "
            "{a|b} would help"
        )


def copy_capacity(
    layout: Layout,
    key: bytes,
    stream: str,
    recipients: Mapping[str, bytes],
    partner: str,
    *,
    epsilon: float,
    cutoff: float = CUTOFF,
) -> Capacity:
    """The trace capacity of ``partner``'s copy in ``stream`` among ``recipients`` (each
    partner's secret; ``partner`` among them)."""
    if partner not in recipients:
        raise ValueError(f"{partner} is not a recipient of stream {stream}")
    if not 0 < epsilon < 1:
        raise ValueError(f"epsilon must be in (0, 1), got {epsilon}")
    bias = biases(key, stream, layout.alphabet, cutoff)
    words = {p: codeword(key, stream, s, bias) for p, s in recipients.items()}
    mine = words[partner]
    bits = sum(math.log2(q) for q in layout.alphabet)
    identical = tuple(sorted(p for p, w in words.items() if p != partner and w == mine))
    if not layout.slots:
        return Capacity(partner, 0, 0.0, len(words), epsilon, 0.0, math.inf, (), identical)
    values = [slot_values(p, (x,)) for p, x in zip(bias, mine, strict=True)]
    bound = innocent_bound(
        [Term(v, p) for v, p in zip(values, bias, strict=True)], epsilon / len(words)
    )
    scores = {p: sum(v[x] for v, x in zip(values, w, strict=True)) for p, w in words.items()}
    also = tuple(sorted(p for p, s in scores.items() if p != partner and s >= bound.threshold))
    return Capacity(
        partner,
        len(layout.slots),
        bits,
        len(words),
        epsilon,
        scores[partner],
        bound.threshold,
        also,
        identical,
    )
