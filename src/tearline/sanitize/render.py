"""Say a generalisation in the slot of the detail it replaces.

"Generalise before deleting" only helps the partner if the generalisation's
own words reach the text, fitted to the sentence: the chosen level of
``unit`` is "Kharovian Ministry of Defence", so "a GDAP official" becomes "a
Kharovian Ministry of Defence official" and "in the missile contracts
section" becomes "in the Kharovian Ministry of Defence". ``wording``
classifies a generalisation once (its article, head, and whether it is a
name, a mass noun or a predicate); ``say`` fits it to the slot
``phrase.noun_phrase`` found:

* a **modifier** takes a name as it is ("a Kharovian Ministry of Defence
  official"); a common noun phrase is moved after the head it modified
  ("Korsa technicians" -> "technicians at a cleared defence IT contractor");
* an **object**, **argument** or **appositive** takes the article the
  generalisation needs: "the" for institutions and areas ("the Velisk
  region"), none for names, mass nouns and plurals ("Velisk Motor Works",
  "missile programme information"), "a"/"an" otherwise; an area changes
  "at" to "in" ("in the Velisk region");
* a person's **role** is said indefinitely, since the detail that made it
  unique is gone ("the lead engineer on Stand 2" -> "a test engineer"), and
  "staff" becomes "a … staff member";
* a **predicate** generalisation is fitted to a predicate slot: "is a
  signatory on …" -> "has access to …", "who was note-taker at …" -> "who
  attended …", and after "a" it becomes "someone with access to …" (in a
  source line: "a source with access to …").

``say`` returns None when the generalisation does not fit; the caller then
deletes the detail instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tearline.sanitize.draft import Draft, Note
from tearline.sanitize.lexicon import (
    ARTICLES,
    INSTITUTION_HEADS,
    MASS_NOUNS,
    ROLE_HEADS,
    VERBS,
    capitalise,
    head_word,
    indefinite,
    is_area,
    next_word,
    previous_word,
    sentence_start,
    takes_in,
    words,
)
from tearline.sanitize.nouns import shout_like
from tearline.sanitize.phrase import Role, Slot, is_person_phrase, is_verb, noun_phrase

# First words of generalisations that are verb phrases, not noun phrases.
_VERB_STARTS = words(
    """
    involved attended took drives drove sees saw worked works reports reported deals
    dealt handles handled travelled traveled processed compiled escorted visited
    served serves knows knew accompanies accompanied issues reviews
    """
)
# First words of generalisations that are adjective or prepositional phrases.
_ADJECTIVE_STARTS = frozenset(
    ["close", "in", "on", "at", "near", "with", "from", "familiar", "present", "based"]
)
# Nouns an organisation appositive belongs to: "an official, DIMC" is "an
# official in DIMC" (but "one of our members, X," stays an appositive).
_BELONGS = words(
    """
    official officer employee clerk engineer agent analyst head desk section
    department unit office team cell division branch specialist administrator
    registrar interpreter custodian receptionist
    """
)
_HAS = {"is": "has", "was": "had", "are": "have", "were": "had", "be": "have", "been": "had"}
_PERSON_KINDS = frozenset(["post", "skill", "relation"])


@dataclass(frozen=True, slots=True)
class Wording:
    """A generalisation, analysed once: ``body`` is it without its own
    ``article``; ``predicate`` is "access", "verb" or "adjective" for
    predicate generalisations, None for noun phrases."""

    article: str | None
    body: str
    head: str
    predicate: str | None
    definite: bool
    bare: bool

    @property
    def is_name(self) -> bool:
        """A proper name ("Velisk Motor Works", "Kharovian Ministry of Defence")."""
        return self.head[:1].isupper() or (self.body.split()[0][:1].isupper() and self.definite)


def wording(value: str) -> Wording:
    """Classify a generalisation (see the module docstring)."""
    words = value.split()
    article = words[0].casefold() if words and words[0].casefold() in ARTICLES else None
    body = " ".join(words[1:]) if article else value
    # "SSP headquarters, Tervansk" reads "SSP headquarters in Tervansk".
    body = re.sub(r",\s+([A-Z][\w-]+)$", r" in \1", body)
    head = head_word(body)
    first = body.split()[0].casefold() if body.split() else ""
    predicate: str | None = None
    if first == "access":
        predicate = "access"
    elif first in _VERB_STARTS or first in VERBS or first in ("lives", "lived", "resides"):
        predicate = "verb"
    elif first in _ADJECTIVE_STARTS or (len(body.split()) > 1 and body.endswith("ed")):
        predicate = "adjective"
    low = head.casefold()
    capitalised = any(w[:1].isupper() for w in body.split())
    definite = article == "the" or (
        article is None
        and (
            low in INSTITUTION_HEADS
            or (is_area(body) and not body.split()[0][:1].islower())
            or (head[:1].isupper() and " of " in body)
            or (capitalised and low == "industry")
        )
    )
    if is_area(body) and body.split()[0][:1].islower() and low not in INSTITUTION_HEADS:
        definite = False  # "central Tervansk"
    plural = low.endswith("s") and not low.endswith(("ss", "us", "is", "ics", "quarters"))
    bare = article is None and not definite and (head[:1].isupper() or low in MASS_NOUNS or plural)
    if article is None and body.split() and body.split()[0][:1].islower() and is_area(body):
        bare = low not in INSTITUTION_HEADS
    return Wording(article, body, head, predicate, definite, bare)


def _with_article(w: Wording, *, person: bool = False) -> str:
    """The generalisation as a noun phrase that can stand in a clause."""
    body = w.body
    if person and w.head.casefold() == "staff":
        return f"{indefinite(body)} {body} member"
    if w.article in ("a", "an") or (person and w.article is None and not w.bare):
        return f"{indefinite(body)} {body}"
    if w.article == "the" or w.definite:
        return f"the {body}"
    if w.bare:
        return body
    return f"{indefinite(body)} {body}"


def _in_source_line(text: str, pos: int) -> bool:
    line = text[text.rfind("\n", 0, pos) + 1 : pos]
    return bool(re.match(r"[ \t]*SOURCES?\s*:", line, re.IGNORECASE))


def _role_slot(text: str, slot: Slot) -> Slot | None:
    """For a post said by a prepositional phrase ("the lead engineer on Stand
    2"): the whole role noun phrase it belongs to."""
    if slot.role is not Role.OBJECT or slot.lead is None:
        return None
    role = previous_word(text, slot.lead[1])
    if role is None or role[0].casefold() not in ROLE_HEADS:
        return None
    outer = noun_phrase(text, role[1], role[1] + len(role[0]))
    return Slot(outer.start, slot.end, outer.role, outer.det, outer.lead, slot.possessive)


def say(text: str, start: int, end: int, value: str, kind: str) -> tuple[int, int, str] | None:
    """Where and what to write so that ``[start, end)`` says ``value``
    instead (see the module docstring); None when it does not fit."""
    w = wording(value)
    if is_verb(text, start) and w.predicate != "verb":
        return None  # "the source travelled to …" has no slot for a noun
    slot = noun_phrase(text, start, end)
    if slot.role is Role.BRACKETED:
        return None  # "(DB-7)" after a name it repeats: deleting reads better
    if w.predicate is not None:
        return _predicate(text, slot, start, end, w)
    if kind in _PERSON_KINDS:
        slot = _role_slot(text, slot) or slot
        if is_person_phrase(slot.text(text)) or slot.role is Role.PREDICATE:
            return _person(text, slot, w)
        # A role said where no person is ("the frame on test stand No. 2",
        # "responsibility for fuel logistics") would be false: delete instead.
        return None
    lead = previous_word(text, slot.start)
    if (
        slot.role is Role.OBJECT
        and lead is not None
        and lead[0].casefold() == "of"
        and (owner := previous_word(text, lead[1])) is not None
        and owner[0].casefold() in ("head", "chief", "director", "commander", "leader")
    ):
        return None  # "head of the section" is not "head of the ministry"
    if kind == "access" and not _in_source_line(text, slot.start):
        # "The sailing orders were issued": the sentence is about the orders,
        # not about the source's access; "naval operational information
        # were issued" would be false and broken. Deleting keeps "the orders".
        return None
    if slot.role is Role.MODIFIER:
        return _modifier(text, slot, w)
    if slot.possessive:
        return None
    if slot.role is Role.ARGUMENT and lead is not None and lead[0].casefold() in VERBS:
        return None  # "that handles missile-system contracts": not an organisation
    return _noun(text, slot, w, kind)


def _finish(text: str, start: int, end: int, said: str) -> tuple[int, int, str]:
    """Capitals at a sentence start, and no repeated appositive: "in the
    Kharovian Ministry of Defence, Kharovian Ministry of Defence," says it once."""
    if sentence_start(text, start):
        said = capitalise(said)
    said = shout_like(said, text[start:end])
    if ", " in text[start:end] and text[end : end + 1] == ",":
        # "The source's brother-in-law, a customs officer …, told": the
        # appositive's closing comma goes with it.
        end += 1
    core = re.sub(r"^(?:the|a|an)\s+", "", said, flags=re.IGNORECASE)
    again = re.match(rf",[ \t]+(?:the[ \t]+)?{re.escape(core)}(?=[,.;])", text[end:], re.IGNORECASE)
    if again:
        end += len(again.group())
    return start, end, said


def _noun(text: str, slot: Slot, w: Wording, kind: str) -> tuple[int, int, str]:
    start = slot.start
    said = _with_article(w)
    comma = text[: slot.start].rstrip(" \t")
    owner = re.search(r"([\w-]+),$", comma)
    if (
        slot.role is Role.APPOSITIVE
        and kind in ("employer", "place")
        and owner is not None
        and owner.group(1).casefold() in _BELONGS
    ):
        # "An official, DIMC." -> "An official in the Kharovian Ministry of Defence."
        prep = "in" if takes_in(w.body) or w.definite else "at"
        return _finish(text, len(comma) - 1, slot.end, f" {prep} {said}")
    det = slot.det
    if det and det[0].endswith(("'s", "’s")):
        # "the squadron's sailing orders": the possessor stays, the article goes.
        start = det[1] + len(det[0]) + 1
        said = re.sub(r"^(?:the|a|an)\s+", "", said)
    elif det and det[0].casefold() not in ARTICLES and not said.startswith(("the ", "a ", "an ")):
        said = f"{det[0]} {said}"  # "its X" keeps "its" before a bare noun
    lead = slot.lead
    if slot.role is Role.OBJECT and lead and lead[0].casefold() in ("at", "on", "in", "inside"):
        # One is *in* a region, an industry or a navy, and *at* a place.
        want = "in" if takes_in(w.body) else "at" if kind == "place" else lead[0].casefold()
        if want != lead[0].casefold():
            start = lead[1]
            said = f"{want.capitalize() if lead[0][0].isupper() else want} {said}"
    end = slot.end
    if slot.role is Role.ARGUMENT and sentence_start(text, slot.start) and _plural(w.head):
        end, said = _agree(text, slot, said)
    return _finish(text, start, end, said)


def _plural(head: str) -> bool:
    """A plural common noun ("forces", "units"); a name is singular ("Works")."""
    low = head.casefold()
    return (
        head[:1].islower()
        and low.endswith("s")
        and not low.endswith(("ss", "us", "is", "quarters", "ics"))
    )


_SINGULAR_VERB = {"has": "have", "is": "are", "was": "were"}


def _agree(text: str, slot: Slot, said: str) -> tuple[int, str]:
    """A plural subject in place of a singular one: "The 41st Missile Brigade
    took delivery of its" -> "The missile forces took delivery of their"."""
    if _plural(head_word(slot.text(text))):
        return slot.end, said
    clause = re.match(r"[^.;:]*", text[slot.end : slot.end + 120])
    rest = clause.group() if clause else ""
    verb = re.match(r"\s+(has|is|was)\b", rest)
    if verb:
        rest = rest[: verb.start(1)] + _SINGULAR_VERB[verb.group(1)] + rest[verb.end(1) :]
    rest = re.sub(r"\bits\b", "their", rest)
    return slot.end + len(clause.group() if clause else ""), said + rest


def _modifier(text: str, slot: Slot, w: Wording) -> tuple[int, int, str] | None:
    if w.is_name and w.head[:1].isupper():
        # A name with an acronym modifies by its acronym: "a GS-2 officer".
        acronym = re.search(r"\(([A-Z][\w-]{1,10})\)", w.body)
        name = acronym.group(1) if acronym else re.sub(r"\s*\([^)]*\)", "", w.body)
        name = re.sub(r"\s+in\s+[A-Z][\w-]+$", "", name)
        return _finish(text, slot.start, slot.end, name)
    # A common noun phrase cannot modify: "Korsa technicians" -> "technicians
    # at a cleared defence IT contractor"; "the Fifth Department leadership"
    # -> "the leadership of the State Security Police headquarters staff".
    nxt = next_word(text, slot.end)
    if nxt is None or nxt[1] != slot.end + 1:
        return None
    head_end = nxt[1] + len(nxt[0])
    prep = "of"
    if nxt[0].casefold() in ROLE_HEADS:
        prep = "in" if takes_in(w.body) else "at"
    return _finish(text, slot.start, head_end, f"{nxt[0]} {prep} {_with_article(w)}")


def _person(text: str, slot: Slot, w: Wording) -> tuple[int, int, str]:
    """A role said indefinitely: "the lead engineer on Stand 2" -> "a test engineer"."""
    own = slot.det[0].casefold() if slot.det else ""
    staff = w.head.casefold() == "staff"
    if slot.det is None and slot.role in (Role.APPOSITIVE, Role.PREDICATE) and not staff:
        said = w.body if w.article is None else f"{w.article} {w.body}"
    elif own in ("his", "her", "their", "its"):
        said = f"{own} {w.body}"
    else:
        said = _with_article(w, person=True)
    return _finish(text, slot.start, slot.end, said)


def _predicate(
    text: str, slot: Slot, start: int, end: int, w: Wording
) -> tuple[int, int, str] | None:
    body = w.body
    first = text[start:end].split()[0].casefold() if text[start:end].split() else ""
    # The detail already has the generalisation's shape ("access to X",
    # "processed the manifest"): the words change, the grammar stays.
    if first == body.split()[0].casefold() or (
        w.predicate == "verb" and (first.endswith("ed") or first in VERBS)
    ):
        return _finish(text, start, end, body)
    if slot.role is Role.PREDICATE and slot.lead is not None:
        copula, at = slot.lead
        if w.predicate == "access":
            has = _HAS.get(copula.casefold())
            return None if has is None else _finish(text, at, slot.end, f"{has} {body}")
        if w.predicate == "verb":
            return _finish(text, at, slot.end, body)
        return _finish(text, slot.start, slot.end, body)
    own = slot.det[0].casefold() if slot.det else ""
    if own in ("a", "an") and slot.role is not Role.MODIFIER:
        lead = {"access": "with ", "verb": "who "}.get(w.predicate or "", "")
        who = "a source" if _in_source_line(text, slot.start) else "someone"
        return _finish(text, slot.start, slot.end, f"{who} {lead}{body}")
    return None


def substitute(draft: Draft, start: int, end: int, value: str, kind: str, note: Note) -> bool:
    """Put generalisation ``value`` in place of ``[start, end)``; False when
    it does not fit its slot."""
    fitted = say(draft.text, start, end, value, kind)
    if fitted is None:
        return False
    new_start, new_end, said = fitted
    draft.replace(new_start, new_end, said, note)
    return True
