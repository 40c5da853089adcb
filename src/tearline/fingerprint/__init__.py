"""Fingerprinted copies and leak tracing: a Tardos code written into the wording of each copy.

Pure: no I/O, no clock, no global randomness (codewords come from a key and per-recipient
secrets through HMAC). See ``docs/fingerprinting.md``.

* ``detect(text) -> Layout``: the slots of a base text (curated synonyms, conventions,
  orders, declared ``{a|b|c}`` slots).
* ``stream_layout(text, key, stream) -> Layout``: the layout a stream gets in this deployment
  (overlaps resolved and variant sets chosen under the key: ``variants``).
* ``fingerprint_text(layout, key, stream, secret)``: one recipient's copy.
* ``trace(leaks, streams, key, epsilon=...)``: leaked texts → recipients accused, with the
  per-leak bound that keeps P(any innocent accused) ≤ ε.
"""

from tearline.fingerprint.bound import Bound, Term, gaussian_threshold, innocent_bound
from tearline.fingerprint.channels import detect
from tearline.fingerprint.code import CUTOFF, biases, codeword, fingerprint_id, score
from tearline.fingerprint.declared import carry_slots, has_slots, strip_slots
from tearline.fingerprint.embed import embed, fingerprint_text
from tearline.fingerprint.layout import Layout, LayoutError, Slot, Span
from tearline.fingerprint.trace import (
    DEFAULT_EPSILON,
    Candidate,
    DocumentResult,
    Leak,
    Stream,
    TraceResult,
    trace,
)
from tearline.fingerprint.variants import narrow, stream_layout

__all__ = [
    "CUTOFF",
    "DEFAULT_EPSILON",
    "Bound",
    "Candidate",
    "DocumentResult",
    "Layout",
    "LayoutError",
    "Leak",
    "Slot",
    "Span",
    "Stream",
    "Term",
    "TraceResult",
    "biases",
    "carry_slots",
    "codeword",
    "detect",
    "embed",
    "fingerprint_id",
    "fingerprint_text",
    "gaussian_threshold",
    "has_slots",
    "innocent_bound",
    "narrow",
    "score",
    "stream_layout",
    "strip_slots",
    "trace",
]
