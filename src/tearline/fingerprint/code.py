"""The fingerprinting code: Tardos biases, keyed codewords, the symmetric score.

Variant (see ``docs/fingerprinting.md``): the symmetric Tardos code of Škorić, Katzenbeisser
and Celik ("Symmetric Tardos fingerprinting codes for arbitrary alphabet sizes", Designs,
Codes and Cryptography 46, 2008), over slots of any alphabet size ``q``:

* **Biases.** Each slot ``i`` of a stream gets a probability vector ``p_i`` over its ``q``
  variants: for ``q = 2`` Tardos's arcsine law with cutoff ``t`` (``p = sin²r``, ``r``
  uniform on ``[asin √t, π/2 − asin √t]``); for ``q ≥ 3`` a symmetric Dirichlet(½) vector
  pushed away from the faces by the cutoff (``p_k = t + (1 − q·t)·d_k``), the q-ary analogue
  with the same ``1/√p`` behaviour at the rare end.
* **Codewords.** Recipient ``j`` holds variant ``X_ji ~ p_i``, independently per slot.
* **Score.** For an observed variant ``y`` of slot ``i``, a recipient holding ``y`` gains
  ``√((1 − p_y)/p_y)``, one holding anything else loses ``√(p_y/(1 − p_y))``; unread slots
  (erasures) add nothing. A slot read with several variants (a blend) adds the scores of each.
  For an innocent recipient each observation's term has mean 0 and variance 1.

Everything is derived from a secret key with a PRF (HMAC-SHA256): the biases from the key and
the stream id, a recipient's symbols from the key, the stream id and that recipient's own
random secret (never its id, or anyone who learnt the scheme could compute — and plant —
anyone else's codeword). No global RNG: the same inputs give the same code.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from collections.abc import Collection, Sequence
from statistics import NormalDist

CUTOFF = 0.02
"""Tardos cutoff ``t``: no variant is rarer than 2 %. Chosen by simulation
(docs/fingerprinting.md): a smaller cutoff serves large coalitions, a larger one single
leakers of short texts; at 0.02 the design length still catches one of c = 2..4 colluders
≥ 99 % of the time, and one 600-word report names a single leaker among 50 partners 99 % of
the time. The largest score term is ``√((1 − t)/t) = 7``."""

SHORT_CUTOFFS = ((30, 0.2), (100, 0.1), (300, 0.05))
"""(fewer than this many slots, cutoff): the cutoff a new stream gets by its length
(``cutoff_for``). Issue 17: a short text cannot catch large coalitions whatever the cutoff
(the design length for c colluders among n is about (π²/2)·c²·ln(n/ε) symbols: 32·c² for 7
partners at ε = 1 %), but with a cutoff of 0.02 most of its slots hold one variant in ~98 %
of copies and say little about a single leaker. A larger cutoff makes every slot count: on
12 slots among 7 partners a single whole leak is named 97 % of the time at t = 0.2 against
40 % at 0.02; on 70 slots two colluders are caught 99 % of the time at t = 0.1–0.2 against
93–95 % at 0.02 (``docs/fingerprinting.md``). Long texts keep 0.02."""

MAX_ALPHABET = 8
_DOMAIN = b"tearline-fingerprint-v1"
_NORMAL = NormalDist()


def _prf(key: bytes, *parts: bytes | str | int) -> float:
    """A uniform number in the open interval (0, 1) from HMAC-SHA256 over length-prefixed
    parts (so no two part lists share an input)."""
    message = bytearray(_DOMAIN)
    for part in parts:
        if isinstance(part, str):
            raw = part.encode("utf-8")
        elif isinstance(part, int):
            raw = part.to_bytes(8, "big")
        else:
            raw = part
        message += len(raw).to_bytes(4, "big") + raw
    digest = hmac.new(key, bytes(message), hashlib.sha256).digest()
    # 53 random bits, centred in their cell: never exactly 0 or 1.
    return ((int.from_bytes(digest[:8], "big") >> 11) + 0.5) / 2.0**53


def cutoff_for(slots: int) -> float:
    """The cutoff of a new stream with ``slots`` slots (``SHORT_CUTOFFS``, else ``CUTOFF``)."""
    for below, cutoff in SHORT_CUTOFFS:
        if slots < below:
            return cutoff
    return CUTOFF


def bias_from_uniforms(
    uniforms: Sequence[float], q: int, cutoff: float = CUTOFF
) -> tuple[float, ...]:
    """The bias vector of a ``q``-ary slot from uniforms in (0, 1): one for ``q = 2``, ``q``
    otherwise. Public so that simulations can draw the same law from another generator."""
    if not 2 <= q <= MAX_ALPHABET:
        raise ValueError(f"alphabet size must be 2..{MAX_ALPHABET}, got {q}")
    if q == 2:
        low = math.asin(math.sqrt(cutoff))
        r = low + uniforms[0] * (math.pi / 2 - 2 * low)
        p1 = math.sin(r) ** 2
        return (1.0 - p1, p1)
    # Dirichlet(½): normalised Gamma(½) draws, and Gamma(½) is Z²/2 for a standard normal Z.
    gammas = [_NORMAL.inv_cdf(u) ** 2 / 2 for u in uniforms[:q]]
    total = sum(gammas) or 1.0
    return tuple(cutoff + (1 - q * cutoff) * g / total for g in gammas)


def slot_bias(
    key: bytes, stream: str, slot: int, q: int, cutoff: float = CUTOFF
) -> tuple[float, ...]:
    draws = 1 if q == 2 else q
    uniforms = [_prf(key, "bias", stream, slot, k) for k in range(draws)]
    return bias_from_uniforms(uniforms, q, cutoff)


def biases(
    key: bytes, stream: str, alphabet: Sequence[int], cutoff: float = CUTOFF
) -> tuple[tuple[float, ...], ...]:
    return tuple(slot_bias(key, stream, i, q, cutoff) for i, q in enumerate(alphabet))


def key_check(key: bytes) -> str:
    """A short public check value of the key, kept with each stream, so that tracing with
    another key (which would silently clear everyone) is refused instead."""
    return hmac.new(key, _DOMAIN + b"\x00key-check", "sha256").hexdigest()[:16]


def pick(p: Sequence[float], u: float) -> int:
    """The variant a uniform ``u`` selects under bias ``p`` (inverse CDF)."""
    total = 0.0
    for k, pk in enumerate(p):
        total += pk
        if u < total:
            return k
    return len(p) - 1


def codeword(
    key: bytes, stream: str, secret: bytes, bias: Sequence[Sequence[float]]
) -> tuple[int, ...]:
    """A recipient's variants for every slot of a stream."""
    return tuple(pick(p, _prf(key, "symbol", stream, secret, i)) for i, p in enumerate(bias))


def fingerprint_id(key: bytes, stream: str, secret: bytes) -> str:
    """A public name for one recipient's codeword (recorded in the ledger leaf). It reveals
    nothing of the codeword: that needs the key and the secret."""
    tag = hmac.new(key, _DOMAIN + b"\x00id\x00" + stream.encode() + b"\x00" + secret, "sha256")
    return "fp-" + tag.hexdigest()[:20]


def slot_values(p: Sequence[float], observed: Collection[int]) -> tuple[float, ...]:
    """``h(x)``: what a recipient holding variant ``x`` scores on a slot where ``observed``
    variants were read (zeros when nothing was read: an erasure)."""
    values = [0.0] * len(p)
    for y in observed:
        hit = math.sqrt((1 - p[y]) / p[y])
        miss = -math.sqrt(p[y] / (1 - p[y]))
        for x in range(len(p)):
            values[x] += hit if x == y else miss
    return tuple(values)


def score(
    word: Sequence[int],
    bias: Sequence[Sequence[float]],
    readings: Sequence[Collection[int]],
) -> float:
    """The symmetric Tardos score of one codeword against the variants read per slot."""
    return sum(
        slot_values(p, seen)[x] for x, p, seen in zip(word, bias, readings, strict=True) if seen
    )
