"""The noun phrase around a detail, and what it does in its clause.

A detail found by detection is a run of words ("GDAP", "Terminal 3",
"customs documentation clerk"). Rewriting just those words leaves broken
English ("with direct the", "A clerk, Drevna."); an editor works on the
unit the words belong to. ``noun_phrase`` widens a detail to its noun
phrase — its determiner and modifiers, the rest of a name ("Ministry| of
Defence"), a parenthesised acronym, a possessive, a place appositive
("Aster Maritime Logistics, Drevna") or postmodifier ("Terminal 3 at
Drevna") — and says what the phrase does (``Role``):

| role | example |
|---|---|
| modifier | "a **GDAP** official", "**Korsa** technicians" |
| object | "at **Terminal 3**" (of a preposition) |
| appositive | "an agent, **Vadim Tarkos**, who" |
| bracketed | "(**DB-7**)" |
| predicate | "who was **a member of …**" (after a copula) |
| argument | "**Aster Maritime** acted as" (subject or object of a verb) |

``delete`` removes units by role; ``render`` fills them with a generalisation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from tearline.sanitize.lexicon import (
    ADJECTIVE_ENDINGS,
    AUXILIARIES,
    CONJUNCTIONS,
    COPULAS,
    DETERMINERS,
    FUNCTION_WORDS,
    PARTICIPLES,
    PREPOSITIONS,
    QUANTIFIERS,
    RELATIVES,
    ROLE_HEADS,
    VERBS,
    head_word,
    next_word,
    previous_word,
    sentence_start,
    words,
)


class Role(StrEnum):
    MODIFIER = "modifier"
    OBJECT = "object"
    APPOSITIVE = "appositive"
    BRACKETED = "bracketed"
    PREDICATE = "predicate"
    ARGUMENT = "argument"


@dataclass(frozen=True, slots=True)
class Slot:
    """A noun phrase and its role. ``[start, end)`` is the phrase (with its
    determiner, except for a modifier, whose determiner belongs to the head
    it modifies); ``det`` its determiner; ``lead`` the preposition (object),
    copula (predicate) or relative pronoun before it; ``possessive``: it ends
    in 's and determines the next noun phrase."""

    start: int
    end: int
    role: Role
    det: tuple[str, int] | None = None
    lead: tuple[str, int] | None = None
    possessive: bool = False

    def text(self, text: str) -> str:
        return text[self.start : self.end]


_CAPITAL_BEFORE = re.compile(r"([A-Z][\w-]*)[ \t]+$")
_CAPITAL_AFTER = re.compile(r"^[ \t]+([A-Z0-9][\w-]*)")
_OF_NAME = re.compile(r"^[ \t]+of[ \t]+(?:the[ \t]+)?[A-Z][\w-]*(?:[ \t]+[A-Z0-9][\w-]*)*")
_ACRONYM = re.compile(r"^[ \t]*\([A-Z][\w-]{1,10}\)")
_PLACE_APPOSITIVE = re.compile(
    r"^,[ \t]+[A-Z][\w-]+(?:[ \t]+[A-Z][\w-]+)?(?:[ \t]+[a-z]+)?(?=[.;]|[ \t]*\n|,[ \t]+(?:who|which)\b|$)"
)


def balance(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a span so that it cuts neither a pair of brackets nor a name in
    half ("the Foreign Liaison| Section" -> "the Foreign Liaison Section")."""
    if text[start : start + 1].isupper() and not sentence_start(text, start):
        while m := _CAPITAL_BEFORE.search(text[max(0, start - 40) : start]):
            if sentence_start(text, start - len(m.group())) or m.group(1).isupper():
                break
            start -= len(m.group())
    if re.search(r"[A-Z][\w-]*$", text[start:end]):
        while m := _CAPITAL_AFTER.match(text[end : end + 40]):
            if m.group(1).isupper() and len(m.group(1)) > 1:
                break
            end += len(m.group())
    inner = text[start:end]
    if inner.count("(") > inner.count(")") and text[end : end + 1] == ")":
        end += 1
    if inner.count(")") > inner.count("(") and text[start - 1 : start] == "(":
        start -= 1
    return start, end


def _modifier_like(word: str) -> bool:
    """Could ``word`` sit between a determiner and its head noun?"""
    w = word.casefold()
    if w in PREPOSITIONS | CONJUNCTIONS | RELATIVES | AUXILIARIES | VERBS | DETERMINERS:
        return False
    if w in FUNCTION_WORDS or w in PARTICIPLES:
        return False
    return not w.endswith("ly")


def _noun_like(word: str) -> bool:
    """Is the lower-case ``word`` after a name a noun it modifies ("GDAP
    official", "Korsa technicians") rather than a verb ("GDAP concluded") or
    an adjective ("Aster Maritime Logistics responsible for")?"""
    w = word.casefold()
    if not word[:1].islower() or not _modifier_like(word):
        return False
    if w in ROLE_HEADS or w in ("business", "staff", "agents", "files", "officials"):
        return True
    if w.endswith(ADJECTIVE_ENDINGS):
        return False
    return not w.endswith(("ed", "es")) and w not in ("has", "is", "was")


_MONTHS = words(
    """
    january february march april may june july august september october november
    december
    """
)


def _name_word(word: str) -> bool:
    """A word that can be part of a name to the left of a detail ("Korsa"
    before "Systems"), unlike "In", "October" or "2024"."""
    w = word.casefold()
    return (
        word[:1].isupper()
        and w not in DETERMINERS | PREPOSITIONS | CONJUNCTIONS | FUNCTION_WORDS | _MONTHS
        and not w.isdigit()
    )


def _possessor_start(text: str, det: tuple[str, int]) -> int:
    """Where the possessor "The Fifth Department's" starts."""
    s = det[1]
    probe = previous_word(text, s)
    for _ in range(4):
        if probe is None or sentence_start(text, s):
            break
        if probe[0].casefold() in DETERMINERS:
            return probe[1]
        if not (_name_word(probe[0]) or _modifier_like(probe[0])):
            break
        s = probe[1]
        probe = previous_word(text, s)
    return s


_PLACE_AFTER = re.compile(r"^[ \t]+(?:at|in)[ \t]+[A-Z][\w-]+(?=[ \t]*[,.;]|[ \t]+[a-z]|[ \t]*$)")


def noun_phrase(text: str, start: int, end: int) -> Slot:
    """The noun phrase around ``[start, end)`` and its role (module docstring)."""
    start, end = balance(text, start, end)
    named = bool(re.search(r"[A-Z0-9][\w-]*\)?$", text[start:end]))
    if named and (m := _OF_NAME.match(text[end:])):
        end += len(m.group())  # "Ministry| of Defence"
    if m := _ACRONYM.match(text[end:]):
        end += len(m.group())  # "… Procurement (GDAP)"
    if named and (m := _PLACE_APPOSITIVE.match(text[end:])):
        end += len(m.group())  # "Aster Maritime Logistics, Drevna."
    elif named and (m := _PLACE_AFTER.match(text[end:])):
        end += len(m.group())  # "Terminal 3 at Drevna"
    possessive = text[end : end + 2] in ("'s", "’s")
    if possessive:
        end += 2
    # Left: the determiner and the modifiers between it and the detail.
    det: tuple[str, int] | None = None
    s = start
    probe = previous_word(text, s)
    steps = 0
    while probe and steps < 4 and not sentence_start(text, s):
        word = probe[0].casefold()
        if (word in DETERMINERS and word != "that") or word in QUANTIFIERS:
            det = probe
            break
        if word.endswith(("'s", "’s")):
            det = probe
            break
        if not _modifier_like(probe[0]) or sentence_start(text, probe[1]):
            break
        probe, steps = previous_word(text, probe[1]), steps + 1
    if det is not None and det[0].casefold() not in QUANTIFIERS:
        s = _possessor_start(text, det) if det[0].endswith(("'s", "’s")) else det[1]
    elif det is None:
        # No determiner: only a name's own words join it ("Korsa Systems").
        probe = previous_word(text, start)
        while probe and _name_word(probe[0]) and not sentence_start(text, s):
            s = probe[1]
            probe = previous_word(text, s)
    following = next_word(text, end)
    before = text[:s].rstrip(" \t")
    lead = previous_word(text, s)
    lead_word = lead[0].casefold() if lead else ""
    if text[s - 1 : s] == "(" and text[end : end + 1] == ")":
        return Slot(s, end, Role.BRACKETED, det, None, possessive)
    if (
        not possessive
        and following is not None
        and following[1] == end + 1
        and ((named and _noun_like(following[0])) or following[0].casefold() in ROLE_HEADS)
    ):
        # A detail that modifies the noun after it: the determiner is the head's.
        first = start
        if det is not None and s == det[1]:
            after_det = next_word(text, det[1] + len(det[0]))
            first = after_det[1] if after_det else start
        elif det is None:
            first = s
        return Slot(first, end, Role.MODIFIER, det, None, False)
    if lead_word in PREPOSITIONS and not possessive:
        if lead_word == "with" and following and following[0].endswith("ing"):
            # "with the deputy head countersigning": the subject of a clause.
            return Slot(s, end, Role.ARGUMENT, det, lead, possessive)
        return Slot(s, end, Role.OBJECT, det, lead, possessive)
    if lead_word in COPULAS and not possessive:
        return Slot(s, end, Role.PREDICATE, det, lead, possessive)
    if (
        before.endswith(",")
        and text[end:].lstrip(" \t")[:1] in (",", ".", ";", ")", "")
        and not sentence_start(text, len(before) - 1)
    ):
        return Slot(s, end, Role.APPOSITIVE, det, None, possessive)
    return Slot(s, end, Role.ARGUMENT, det, lead, possessive)


_FINITE = re.compile(r"^[a-z][a-z-]*(?:ed|s)$")


def is_verb(text: str, start: int) -> bool:
    """Does the detail start with a finite verb ("travelled", "handles")?"""
    word = re.match(r"[\w’'-]+", text[start:])
    if word is None:
        return False
    w = word.group()
    if w.casefold() not in VERBS and not _FINITE.match(w):
        return False
    before = previous_word(text, start)
    # After a determiner, a preposition or a noun-like modifier it is a noun
    # or an adjective ("the processed manifest", "for staff").
    return before is not None and (
        before[0].casefold() in ("he", "she", "they", "it", "who", "which", "source")
        or before[0].casefold().endswith("ly")
    )


def is_person_phrase(phrase: str) -> bool:
    """Does the noun phrase name a person by role ("the deputy head")?"""
    return head_word(phrase).casefold() in ROLE_HEADS
