"""Finding the slots of a text: where its wording may vary without changing what it says.

Channels, in order of precedence when two would touch the same words:

1. **declared** slots the author wrote (``{about|approximately|roughly}``);
2. **conventions**, one slot per document so a copy stays consistent with itself: -ise/-ize
   (Oxford spelling), e-mail/email, co-operate/cooperate, judgement/judgment, per cent/%,
   day-month or month-day dates, small numbers in words or figures, 1,900 or 1900, Dr or
   Dr., 0300 or 03:00 with "hours", and the serial comma;
3. **synonyms** from the curated families of ``lexicon`` (one slot per occurrence);
4. **order** of two coordinated names ("Aldren and Kharovia").

Never inside quotation marks (a quote stays verbatim). Robust to what the sanitiser
produces: it is just text; its "about 300" is an approximator slot like any other.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from tearline.fingerprint import conventions, spelling, syntax
from tearline.fingerprint.declared import parse_slots
from tearline.fingerprint.layout import Layout, Slot, Span
from tearline.fingerprint.lexicon import FAMILIES, NOT_NAMES, Family
from tearline.fingerprint.textutil import cased, prev_token, prev_word, quoted_regions

_DECLARED, _CONVENTION, _SYNONYM, _SYNTAX, _ORDER = range(5)


@dataclass(frozen=True, slots=True)
class _Candidate:
    rank: int
    kind: str
    label: str
    spans: tuple[Span, ...]


Precedence = Callable[[str, int], float]
"""A deployment's order among channels that touch the same words: (label, start) → rank."""


def detect(text: str, precedence: Precedence | None = None) -> Layout:
    """The layout of ``text`` (which may hold declared slots): its plain base text and
    every slot found, in text order. Where two channels touch the same words, declared
    slots win, then the fixed order above — or, with ``precedence`` (``variants``), an
    order the deployment's key chose: every candidate is a correct variant on its own, so
    any order gives a correct layout, and colluders cannot tell which one was used."""
    plain, declared = parse_slots(text)
    candidates = [
        _Candidate(_DECLARED, "declared", "declared", (Span(d.start, d.end, d.options),))
        for d in declared
    ]
    quoted = quoted_regions(plain)
    found = [
        *(
            _Candidate(_CONVENTION, kind, label, spans)
            for kind, label, spans in conventions.find(plain)
        ),
        *(
            _Candidate(_CONVENTION, kind, label, spans)
            for kind, label, spans in spelling.find(plain)
        ),
        *(_Candidate(_SYNTAX, kind, label, spans) for kind, label, spans in syntax.find(plain)),
        *_synonyms(plain),
        *_name_order(plain),
    ]
    candidates += [k for c in found if (k := _outside(c, quoted)) is not None]
    return Layout(plain, _resolve(candidates, precedence))


def _outside(candidate: _Candidate, quoted: list[tuple[int, int]]) -> _Candidate | None:
    spans = tuple(
        s for s in candidate.spans if not any(a < s.end and s.start < b for a, b in quoted)
    )
    return _Candidate(candidate.rank, candidate.kind, candidate.label, spans) if spans else None


def _resolve(
    candidates: list[_Candidate], precedence: Precedence | None = None
) -> tuple[Slot, ...]:
    """Keep spans that touch nothing already kept, by precedence then position."""
    taken: list[Span] = []
    slots: list[Slot] = []

    def order(c: _Candidate) -> tuple[float, float, int]:
        start = c.spans[0].start
        if precedence is None or c.rank == _DECLARED:
            return (c.rank, 0.0, start)
        return (_CONVENTION, precedence(c.label, start), start)

    for c in sorted(candidates, key=order):
        spans = tuple(s for s in c.spans if not any(_clash(s, t) for t in taken))
        if spans:
            taken += spans
            slots.append(Slot(c.kind, c.label, spans))
    slots.sort(key=lambda s: s.spans[0].start)
    return tuple(slots)


def _clash(a: Span, b: Span) -> bool:
    if a.start == a.end and b.start == b.end:
        return a.start == b.start
    if a.start == a.end:
        return b.start < a.start < b.end
    if b.start == b.end:
        return a.start < b.start < a.end
    return a.start < b.end and b.start < a.end


def _synonyms(text: str) -> Iterator[_Candidate]:
    for family in FAMILIES:
        pattern = re.compile(
            r"\b("
            + "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in family.detected)
            + r")\b",
            re.IGNORECASE,
        )
        for match in pattern.finditer(text):
            if not _context_ok(text, match, family):
                continue
            found = " ".join(match.group(1).lower().split())
            if found not in family.forms:
                continue
            forms = (found, *(f for f in family.forms if f != found))
            options = tuple(cased(match.group(1), f) for f in forms)
            options = (match.group(1), *options[1:])  # option 0 is the text as it stands
            yield _Candidate(_SYNONYM, "synonym", family.label, (Span(*match.span(1), options),))


def _context_ok(text: str, match: re.Match[str], family: Family) -> bool:
    before = prev_word(text, match.start(1))
    if family.prev is not None:
        possessive = "'s" in family.prev and before.endswith(("'s", "’s"))
        if before not in family.prev and not possessive:
            return False
    if before in family.not_prev:
        return False
    after = text[match.end(1) : match.end(1) + 60]
    if family.next is not None and not re.match(family.next, after):
        return False
    return family.not_next is None or not re.match(family.not_next, after)


_NAME = r"[A-Z][A-Za-z]*(?:-[A-Za-z]+)*"
_PAIR = re.compile(rf"\b({_NAME}) and ({_NAME})\b(?![\d-])")


def _name_order(text: str) -> Iterator[_Candidate]:
    """ "A and B" for two names, not part of longer names: the order says nothing."""
    for match in _PAIR.finditer(text):
        first, second = match.group(1), match.group(2)
        if first in NOT_NAMES or second in NOT_NAMES or first == second:
            continue
        before = prev_token(text, match.start())
        if before[:1].isupper():
            continue  # "Trade House and Kharovia": the first name is longer than one word
        if before.lower() == "of":
            of_at = text.rfind("of", 0, match.start())
            if prev_token(text, of_at)[:1].isupper():
                continue  # "Bank of A and B", "Ministry of Defence and Interior"
        if re.match(r"\s*(?:[A-Z]|'|’)", text[match.end() :]):
            continue  # "A and B Trading", "A and B's": the second name goes on
        options = (match.group(0), f"{second} and {first}")
        yield _Candidate(_ORDER, "order", "names", (Span(*match.span(), options),))
