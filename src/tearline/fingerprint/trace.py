"""From leaked texts to the copies they derive from: the one public entry, ``trace``.

1. Each leaked text is aligned to every stream's base text; it is taken to come from the
   streams that explain the most of its tokens (ties kept: two streams may share a text).
2. The slots of those streams are read (``read``); a slot read in several leaks of the
   same stream counts each distinct variant once, so handing in the same leak twice adds
   nothing.
3. Every recipient of a matched stream is scored with the symmetric Tardos score summed over
   all its streams' read slots (evidence accumulates across documents), and compared with
   the per-leak bound at ε/n (``bound``), n being the number of recipients scored: the
   probability that any innocent recipient is accused is at most ε, whatever the number or
   strategy of the colluders, whatever noise the leak went through.

The verdict names copies, not culprits: "the leak derives from the copy released to X" —
a copy X forwarded, or lost, frames X.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tearline.fingerprint.align import Alignment, BaseText, align, tokens
from tearline.fingerprint.bound import Bound, Term, innocent_bound
from tearline.fingerprint.code import CUTOFF, biases, codeword, slot_values
from tearline.fingerprint.layout import Layout
from tearline.fingerprint.read import read_slots

DEFAULT_EPSILON = 0.01
MIN_MATCHED = 15
"""Tokens a leak must share with a base text (in tiles of 3 or more) to be read against it."""


@dataclass(frozen=True, slots=True)
class Stream:
    """One base text released to several recipients; ``recipients`` maps each partner to
    its secret in this stream."""

    id: str
    report: str
    version: str
    layout: Layout
    recipients: Mapping[str, bytes]
    cutoff: float = CUTOFF


@dataclass(frozen=True, slots=True)
class Leak:
    name: str
    text: str


@dataclass(frozen=True, slots=True)
class DocumentResult:
    name: str
    report: str | None
    version: str | None
    streams: tuple[str, ...]
    coverage: float
    symbols_read: int
    erasures: int


@dataclass(frozen=True, slots=True)
class Candidate:
    partner: str
    score: float
    threshold: float
    tail: float  # an upper bound on P(an innocent scores this much)
    streams: tuple[str, ...]

    @property
    def accused(self) -> bool:
        return self.score >= self.threshold


@dataclass(frozen=True, slots=True)
class TraceResult:
    documents: tuple[DocumentResult, ...]
    candidates: tuple[Candidate, ...]  # every recipient scored, highest score first
    epsilon: float
    verdict: str

    @property
    def accused(self) -> tuple[Candidate, ...]:
        return tuple(c for c in self.candidates if c.accused)


def trace(
    leaks: Sequence[Leak],
    streams: Sequence[Stream],
    key: bytes,
    *,
    epsilon: float = DEFAULT_EPSILON,
) -> TraceResult:
    """Read every leak, score every recipient of the streams they match, accuse at ε."""
    if not 0 < epsilon < 1:
        raise ValueError(f"epsilon must be in (0, 1), got {epsilon}")
    bases = {s.id: BaseText(s.layout) for s in streams}
    by_id = {s.id: s for s in streams}
    readings: dict[str, dict[int, set[int]]] = {}
    documents = []
    for leak in leaks:
        words = tokens(leak.text)
        matched = {s.id: align(bases[s.id], words) for s in streams}
        best = max((a.matched for a in matched.values()), default=0)
        chosen = [
            sid
            for sid, a in matched.items()
            if best >= MIN_MATCHED and a.matched >= best - max(2, 0.02 * best)
        ]
        found = {sid: read_slots(bases[sid], words, matched[sid]) for sid in chosen}
        for sid, per_slot in found.items():
            for slot, seen in per_slot.items():
                readings.setdefault(sid, {}).setdefault(slot, set()).update(seen)
        best_id = max(chosen, key=lambda sid: matched[sid].matched) if chosen else None
        documents.append(
            DocumentResult(leak.name, None, None, (), 0.0, 0, 0)
            if best_id is None
            else DocumentResult(
                leak.name,
                by_id[best_id].report,
                by_id[best_id].version,
                tuple(chosen),
                round(_coverage(bases[best_id], matched[best_id]), 4),
                len(found[best_id]),
                len(by_id[best_id].layout.slots) - len(found[best_id]),
            )
        )
    candidates = _score(readings, by_id, key, epsilon)
    return TraceResult(
        tuple(documents), candidates, epsilon, _verdict(documents, candidates, epsilon)
    )


def _coverage(base: BaseText, alignment: Alignment) -> float:
    """The share of the base text's (non-slot) words found in the leak."""
    return len(set(alignment.to_base.values())) / max(sum(base.anchor), 1)


def _score(
    readings: Mapping[str, Mapping[int, set[int]]],
    streams: Mapping[str, Stream],
    key: bytes,
    epsilon: float,
) -> tuple[Candidate, ...]:
    scores: dict[str, float] = {}
    held: dict[str, list[str]] = {}
    terms: dict[str, list[Term]] = {}
    for sid, seen in readings.items():
        stream = streams[sid]
        bias = biases(key, sid, stream.layout.alphabet, stream.cutoff)
        values = {i: slot_values(bias[i], symbols) for i, symbols in seen.items()}
        terms[sid] = [Term(values[i], bias[i]) for i in sorted(values)]
        for partner, secret in stream.recipients.items():
            word = codeword(key, sid, secret, bias)
            scores[partner] = scores.get(partner, 0.0) + sum(v[word[i]] for i, v in values.items())
            held.setdefault(partner, []).append(sid)
    alpha = epsilon / max(len(scores), 1)
    bounds: dict[tuple[str, ...], Bound] = {}
    result = []
    for partner, total in scores.items():
        group = tuple(sorted(held[partner]))
        if group not in bounds:
            bounds[group] = innocent_bound([t for sid in group for t in terms[sid]], alpha)
        bound = bounds[group]
        result.append(Candidate(partner, total, bound.threshold, bound.tail(total), group))
    result.sort(key=lambda c: (-c.score, c.partner))
    return tuple(result)


def _verdict(
    documents: Sequence[DocumentResult], candidates: Sequence[Candidate], epsilon: float
) -> str:
    if not any(d.streams for d in documents):
        return "no leaked text matches a fingerprinted release: nobody can be named"
    accused = [c.partner for c in candidates if c.accused]
    if len(accused) == 1:
        return f"the leak derives from the copy released to {accused[0]}"
    if accused:
        return f"the leak derives from the copies released to {_join(accused)}"
    read = sum(d.symbols_read for d in documents)
    if not candidates:
        return f"no recipient can be named at ε = {epsilon:g}: no slot could be read"
    top = candidates[0]
    return (
        f"no recipient can be named at ε = {epsilon:g}: {read} symbols read; the highest "
        f"score ({top.partner}, {top.score:.1f}) is below its threshold ({top.threshold:.1f})"
    )


def _join(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
