"""Delete a detail with its whole syntactic unit, repairing what is left.

By the role ``phrase.noun_phrase`` finds:

| role | deleting it |
|---|---|
| modifier | the words go, the head stays: "a GDAP official" -> "an official" |
| object | the prepositional phrase goes: "… at Terminal 3." -> "….", "on 22 October" |
| appositive | it goes with its commas: "an agent, Vadim Tarkos, who" -> "an agent, who" |
| bracketed | it goes with its brackets: "(DB-7)" |
| predicate | its relative clause goes ("…, who was a member of …"), else its sentence |
| argument | a plain noun takes its place (``nouns``): "The company acted as forwarder" |

and, around them: a relative clause that only said the detail goes whole
("…, who processed the manifest on 27 January"); a relative clause or
appositive that described a deleted noun goes with it ("At the session,
which was secret, …"); the noun a prepositional phrase completed goes too
("with responsibility for X", "a member of X", "responsible for X", "the
lorry seen at X"); a coordinated phrase takes its conjunction ("at X or on
Y", "in A and B" -> "in B"); "with direct access to X" keeps the honest
"with direct access". A detail that is a verb ("the source travelled to …")
takes its sentence.
"""

from __future__ import annotations

import re

from tearline.sanitize.draft import Draft, Note
from tearline.sanitize.lexicon import (
    AUXILIARIES,
    CONJUNCTIONS,
    COPULAS,
    DETERMINERS,
    LEADS,
    PARTICIPLES,
    PREPOSITIONS,
    QUANTIFIERS,
    ROLE_HEADS,
    VERBS,
    capitalise,
    next_word,
    previous_word,
    sentence_start,
)
from tearline.sanitize.nouns import PERSON_KINDS, plain_noun, shout_like, with_article
from tearline.sanitize.phrase import Role, Slot, is_verb, noun_phrase
from tearline.sanitize.text import sentence_starts

# Verbs whose prepositional phrase is not optional: "belongs to X", "lives in X".
_NEEDS_COMPLEMENT = frozenset(
    ["belongs", "belong", "belonged", "lives", "live", "lived", "resides", "reside", "based"]
)
# Nouns whose prepositional phrase is their point: "with responsibility for X"
# goes whole, while "with direct access to X" keeps "with direct access".
_ADJECTIVES_NEEDING = frozenset(["responsible", "accountable", "liable"])
_NEEDS_OBJECT = (
    frozenset(["responsibility", "charge", "custody", "oversight", "input", "help"])
    | _ADJECTIVES_NEEDING
)
# Nouns that say nothing without their "of": "a member of X", "part of X".
_PART_OF = frozenset(["member", "members", "part", "one"])
_LEADERS = frozenset(["head", "chief", "director", "commander", "leader"])
_ACCESS = re.compile(r"^(?:access|knowledge|insight)[ \t]+(?:to|of|into)[ \t]", re.IGNORECASE)
_APPOSITIVE_AFTER = re.compile(
    r"^,[ \t]+(?:(?:on|in|near|at)[ \t]+)?(?:the|a|an)[ \t]+[^,;.()]{3,80}?(?=[.;]|$)"
    r"|^,[ \t]+(?:on|in|near)[ \t]+the[ \t]+[^,;.()]{3,60}?(?=,)"
)
_RELATIVE_AFTER = re.compile(
    r"^,[ \t]+(?:which|who|where|whose)\b[^,.;:\n]*(?:,|(?=[.;:\n]))"
    r"|^[ \t]+that[ \t]+[a-z]+s\b[^,.;:\n]*(?=[,.;:\n])"
)


def drop(
    draft: Draft, start: int, end: int, note: Note, kind: str, *, is_date: bool = False
) -> None:
    """Remove the detail ``[start, end)`` with its syntactic unit (module
    docstring), or, when it holds up its clause, put a plain noun in its place.
    ``is_date``: the detail is a date (or a bare value), an adverbial that
    needs no noun phrase around it."""
    text = draft.text
    if _keep_access(draft, start, end, note) or _relative_clause(draft, start, end, note):
        return
    if not is_date and is_verb(text, start):
        # A detail that is a verb ("the source travelled to …") cannot be
        # cut out of its clause: the clause goes, with its sentence.
        drop_sentence(draft, start, note)
        return
    slot = _date_slot(text, start, end) if is_date else noun_phrase(text, start, end)
    if not is_date and _drop_owner(draft, slot, note, kind):
        return
    if slot.role is Role.BRACKETED:
        cut = slot.start - 2 if text[slot.start - 2 : slot.start - 1] == " " else slot.start - 1
        draft.replace(cut, slot.end + 1, "", note)
    elif slot.role is Role.MODIFIER:
        draft.replace(slot.start, _skip_space(text, slot.end), "", note)
    elif slot.possessive:
        # "Savan's office" -> "the office"; "the section's deputy head" -> "the deputy head"
        draft.replace(slot.start, slot.end, _capital_if_start(text, slot.start, "the"), note)
    elif slot.role is Role.APPOSITIVE:
        _drop_appositive(draft, slot, note)
    elif slot.role is Role.PREDICATE:
        _drop_predicate(draft, slot, note)
    elif slot.role is Role.OBJECT and slot.lead and _coordinated_object(draft, slot, note):
        return
    elif slot.role is Role.OBJECT and slot.lead and _optional(text, slot.lead):
        _drop_prepositional(draft, slot, note)
    elif (kind == "other" or _second_conjunct(text, slot)) and _drop_coordinated(draft, slot, note):
        return
    else:
        _plain(draft, slot, note, kind)


def _keep_access(draft: Draft, start: int, end: int, note: Note) -> bool:
    """ "with direct access to X": the honest "with direct access" stays."""
    text = draft.text
    m = _ACCESS.match(text[start:end])
    before = previous_word(text, start)
    if not (m and before and before[0].casefold() in _ACCESS_LEADS):
        return False
    prep = start + len(m.group()) - 1
    while text[prep - 1].isalpha():
        prep -= 1
    draft.replace(prep - 1, end, "", note)
    return True


_ACCESS_LEADS = frozenset(["with", "direct", "indirect", "regular", "has", "have", "had"])


def _drop_owner(draft: Draft, slot: Slot, note: Note, kind: str) -> bool:
    """Details after an "of" whose noun says nothing, or something false,
    without them: "a member of the GDAP delegation" (the whole phrase goes; a
    person stays a person: "an official"), "the head of the Foreign Liaison
    Section" (a larger unit would make them its head: "a senior officer")."""
    text = draft.text
    if slot.role is not Role.OBJECT or not slot.lead or slot.lead[0].casefold() != "of":
        return False
    owner = previous_word(text, slot.lead[1])
    if owner is None:
        return False
    word = owner[0].casefold()
    if word in _PART_OF:
        outer = noun_phrase(text, owner[1], slot.end)
        if outer.role in (Role.ARGUMENT, Role.APPOSITIVE) and word == "member":
            first, last = sentence_bounds(text, outer.start)
            noun = plain_noun("official", "post", text[first:last])
            said = with_article(noun, outer.det, "post", sentence_start(text, outer.start))
            draft.replace(outer.start, outer.end, said, note)
        else:
            drop(draft, owner[1], slot.end, note, kind)
        return True
    if word in _LEADERS:
        outer = noun_phrase(text, owner[1], owner[1] + len(owner[0]))
        said = _capital_if_start(text, outer.start, "a senior officer")
        draft.replace(outer.start, slot.end, said, note)
        return True
    return False


def _plain(draft: Draft, slot: Slot, note: Note, kind: str) -> None:
    """A plain noun in place of a phrase that holds up its clause."""
    text = draft.text
    first, last = sentence_bounds(text, slot.start)
    noun = plain_noun(slot.text(text), kind, text[first:last])
    if slot.det and slot.det[0].casefold() in QUANTIFIERS:
        draft.replace(slot.start, slot.end, noun, note)  # "every contract"
        return
    capital = sentence_start(text, slot.start)
    person = "post" if noun in ROLE_HEADS else "other" if kind in PERSON_KINDS else kind
    said = with_article(noun, slot.det, person, capital)
    stop = slot.end
    rest = text[stop:]
    if ", " in slot.text(text) and rest.startswith(","):
        # "The source's brother-in-law, a customs officer, told" -> "A contact told"
        stop += 1
    if (
        re.search(r"[A-Z0-9][\w-]*$", slot.text(text))
        and (m := _APPOSITIVE_AFTER.match(text[stop:]))
        and _noun_phrase_only(m.group())
    ):
        stop += len(m.group())  # "of GS-2, the cyber unit." described the name
    draft.replace(slot.start, stop, shout_like(said, slot.text(text)), note)


def _noun_phrase_only(words: str) -> bool:
    """Is ", the Kharovian military cyber unit" an appositive, not a clause
    (", the SSP opened a case")?"""
    return not any(
        w.casefold() in VERBS | AUXILIARIES or w.endswith("ed")
        for w in re.findall(r"[A-Za-z][\w’'-]*", words)
    )


def _date_slot(text: str, start: int, end: int) -> Slot:
    lead = previous_word(text, start)
    if lead and lead[0].casefold() in PREPOSITIONS:
        return Slot(start, end, Role.OBJECT, None, lead)
    if text[start - 1 : start] == "(" and text[end : end + 1] == ")":
        return Slot(start, end, Role.BRACKETED)
    before = text[:start].rstrip(" \t")
    if before.endswith(",") and text[end:].lstrip(" \t")[:1] in (",", ".", ";", ")", ""):
        return Slot(start, end, Role.APPOSITIVE)
    # A bare date is an adverbial ("… met 9 May"): it can go on its own.
    return Slot(start, end, Role.OBJECT, None, (" ", start))


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    return pos


def _capital_if_start(text: str, pos: int, word: str) -> str:
    return capitalise(word) if sentence_start(text, pos) else word


def _optional(text: str, lead: tuple[str, int]) -> bool:
    """Can the prepositional phrase led by ``lead`` go without breaking its
    clause? Not after "belongs", "lives", or a copula ("The source is at X")."""
    verb = previous_word(text, lead[1])
    if verb is None:
        return True
    word = verb[0].casefold()
    return word not in _NEEDS_COMPLEMENT and word not in COPULAS


def _relative_clause(draft: Draft, start: int, end: int, note: Note) -> bool:
    """ "…, who processed the Stellan Dawn manifest on 27 January": a relative
    clause that only said the detail goes whole, its adverbials with it."""
    text = draft.text
    probe = previous_word(text, start)
    for _ in range(5):  # "who processed the", "who previously served as"
        if probe is None:
            return False
        word = probe[0].casefold()
        if word in ("who", "which"):
            break
        if (word in PREPOSITIONS | CONJUNCTIONS and word != "as") or "," in text[probe[1] : start]:
            return False
        probe = previous_word(text, probe[1])
    else:
        return False
    if probe is None:
        return False
    stop = _after_phrase(text, start, end)
    if not _clause_ends(text, stop):
        return False
    clause_end = re.search(r"[,.;:!?\n)]|[ \t]+and[ \t]+who\b", text[stop:])
    stop += clause_end.start() if clause_end else len(text) - stop
    head = probe[1]
    prefix = text[:head].rstrip(" \t")
    if text[stop:].lstrip(" \t").startswith("and who"):
        # "who was X and who has …" -> "who has …"
        draft.replace(head, _skip_space(text, stop) + len("and "), "", note)
        return True
    head = len(prefix) - 1 if prefix.endswith(",") else len(prefix)
    if text[head : head + 1] == "," and text[stop : stop + 1] == ",":
        stop += 1  # ", who …, paid" -> " paid"
    draft.replace(head, stop, "", note)
    return True


def _after_phrase(text: str, start: int, end: int) -> int:
    """The end of the phrase around ``[start, end)`` (its name, acronym, dates)."""
    return noun_phrase(text, start, end).end if text[start:end].strip() else end


def _clause_ends(text: str, end: int) -> bool:
    """Only adverbials (a date, a place) or punctuation follow ``end``."""
    rest = text[end:].lstrip(" \t")
    return (
        not rest
        or rest[0] in ".,;:!?\n)"
        or bool(
            re.match(
                r"(?:(?:(?:on|in|at|since|during|for|to|from)\s+(?:the\s+)?[\w-]+(?:\s+\d+)?"
                r"(?:\s+[A-Z0-9][\w-]*){0,2}"
                r"|himself|herself|themselves|personally|alone|again)\s*)+[.,;]",
                rest,
            )
        )
    )


def _drop_appositive(draft: Draft, slot: Slot, note: Note) -> None:
    """ ", Captain X, has told" -> " has told"; ", X, who paid" keeps its comma."""
    text = draft.text
    prefix = text[: slot.start].rstrip(" \t")
    after = text[slot.end :]
    nxt = after.lstrip(" \t")
    relative = next_word(text, slot.end + 1)
    # ", X, who paid" and ", X, Camp Redhill." keep the comma before what follows;
    # ", Captain X, has told" does not.
    keep = relative is not None and (
        relative[0].casefold() in ("who", "which", "where", "when", "a", "an", "the")
        or relative[0][:1].isupper()
    )
    extra = 1 if nxt[:1] == "," and after.startswith(",") and not keep else 0
    draft.replace(len(prefix) - 1, slot.end + extra, "", note)


def _drop_predicate(draft: Draft, slot: Slot, note: Note) -> None:
    """ "…, who was a member of X" goes; "The source is X." takes its sentence."""
    text = draft.text
    assert slot.lead is not None
    relative = previous_word(text, slot.lead[1])
    if relative and relative[0].casefold() in ("who", "which", "that"):
        head = relative[1]
        prefix = text[:head].rstrip(" \t")
        head = len(prefix) - 1 if prefix.endswith(",") else len(prefix)
        stop = re.search(r"[,.;:!?\n]|\band\s+who\b", text[slot.end :])
        cut = slot.end + (stop.start() if stop else len(text) - slot.end)
        if stop and stop.group().startswith("and"):
            cut += len("and ")  # "who was X and who has" -> "who has"
            draft.replace(relative[1], cut, "", note)
            return
        draft.replace(head, cut, "", note)
    else:
        drop_sentence(draft, slot.start, note)


def _drop_prepositional(draft: Draft, slot: Slot, note: Note) -> None:
    """The prepositional phrase goes: "at Terminal 3", "on 22 October",
    "because of her brother in GS-2", "with responsibility for X", "at X or
    on Y"; so does a participle it completed ("the lorry seen at Berth 4"),
    and a relative clause or appositive that described its noun."""
    text = draft.text
    assert slot.lead is not None
    head = slot.lead[1]
    end = slot.end
    if m := _RELATIVE_AFTER.match(text[end:]):
        end += len(m.group())  # "At the session, which was secret, …"
    elif (m := _APPOSITIVE_AFTER.match(text[end:])) and _noun_phrase_only(m.group()):
        end += len(m.group())  # "for GS-2, the cyber unit." -> "."
    nxt = text[end:].lstrip(" \t")
    owner = previous_word(text, head)
    if owner and owner[0].casefold() in LEADS:
        head = owner[1]  # "because of her brother in GS-2" goes whole
        owner = previous_word(text, head)
    elif owner and owner[0].casefold() in _NEEDS_OBJECT:
        lead = previous_word(text, owner[1])
        if lead and lead[0].casefold() in PREPOSITIONS:
            head, owner = lead[1], previous_word(text, lead[1])
        elif owner[0].casefold() in _ADJECTIVES_NEEDING:
            head, owner = owner[1], previous_word(text, owner[1])  # "responsible for X"
    elif owner and owner[0].casefold() in PARTICIPLES:
        noun = previous_word(text, owner[1])
        if noun and noun[0].casefold() not in AUXILIARIES:
            head, owner = owner[1], noun  # "the lorry seen at Berth 4 crossed"
    if owner and owner[0].casefold() in ("and", "or") and not sentence_start(text, owner[1]):
        # "at X or on Y": the conjunction goes with the second phrase.
        head = owner[1]
    else:
        conj = next_word(text, end)
        after_conj = next_word(text, conj[1] + len(conj[0])) if conj else None
        if (
            conj
            and conj[0].casefold() in ("and", "or")
            and after_conj
            and after_conj[0].casefold() in PREPOSITIONS
            and conj[1] == end + 1
        ):
            # "in Drevna and at Velisk" -> "at Velisk"
            draft.replace(head, after_conj[1], "", note)
            return
    if text[head - 2 : head] == ", " and nxt[:1] in (",", "."):
        head -= 2  # ", at grid X," -> ","  and  ", at grid X." -> "."
    elif "," in text[head:end] and nxt[:1] == ",":
        # "in X, Kharovian Ministry of Defence, with" -> " with": the phrase
        # took an appositive's opening comma, so its closing one goes too.
        end = end + (len(text[end:]) - len(nxt)) + 1
        head -= 1 if text[head - 1 : head] == " " else 0
    elif nxt[:1] == "," and sentence_start(text, head):
        end = _skip_space(text, end + 1 + (len(text[end:]) - len(nxt)))  # "On 9 July, the SSP"
    elif text[head - 1 : head] == " ":
        head -= 1
    draft.replace(head, end, "", note)


def _second_conjunct(text: str, slot: Slot) -> bool:
    """ "… forces and the Ministry of Defence": the phrase after "and"."""
    before = previous_word(text, slot.start)
    return before is not None and before[0].casefold() in ("and", "or")


def _coordinated_object(draft: Draft, slot: Slot, note: Note) -> bool:
    """ "in the missile forces and the Ministry of Defence": the first object
    goes with its conjunction, the preposition stays with the second."""
    text = draft.text
    conj = next_word(text, slot.end)
    if conj is None or conj[0].casefold() not in ("and", "or") or conj[1] != slot.end + 1:
        return False
    after = next_word(text, conj[1] + len(conj[0]))
    # Only a noun phrase after the conjunction makes it a second object
    # ("and the Ministry of Defence"); "and told", "and who" join clauses.
    if after is None or not (
        after[0].casefold() in DETERMINERS | QUANTIFIERS
        or after[0][:1].isupper()
        or after[0][:1].isdigit()
    ):
        return False
    draft.replace(slot.start, after[1], "", note)
    return True


def _drop_coordinated(draft: Draft, slot: Slot, note: Note) -> bool:
    """ "carried the registration KX 4471 and a load of fish" -> "carried a
    load of fish": a coordinated noun phrase goes with its conjunction."""
    text = draft.text
    conj = next_word(text, slot.end)
    if conj and conj[0].casefold() in ("and", "or") and conj[1] == slot.end + 1:
        draft.replace(slot.start, _skip_space(text, conj[1] + len(conj[0])), "", note)
        return True
    before = previous_word(text, slot.start)
    if before and before[0].casefold() in ("and", "or"):
        draft.replace(before[1] - 1, slot.end, "", note)
        return True
    return False


# -- sentences -----------------------------------------------------------------------------


def sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """The sentence around ``pos`` (quotes and brackets that close it included)."""
    starts = sentence_starts(text)
    start = max(s for s in starts if s <= pos)
    later = [s for s in starts if s > pos]
    end = later[0] if later else len(text)
    # Keep the paragraph break (or the space) that follows the sentence.
    while end > start and text[end - 1] in " \t\n":
        end -= 1
    return start, end


def drop_sentence(draft: Draft, pos: int, note: Note, until: int | None = None) -> None:
    """Drop the sentence around ``pos`` (through the one around ``until``).
    A list item's marker ("- ", "2. ") goes with its only sentence."""
    text = draft.text
    start, end = sentence_bounds(text, pos)
    if until is not None and until > end:
        end = sentence_bounds(text, max(pos, until - 1))[1]
    # Take the whitespace after it, so the next sentence moves up.
    tail = end
    while tail < len(text) and text[tail] in " \t":
        tail += 1
    line = text.rfind("\n", 0, start) + 1
    marker = re.fullmatch(r"[ \t]*(?:[-*•]|\d+[.)]|\([A-Za-z0-9]\))[ \t]*", text[line:start])
    if marker and text[tail : tail + 1] in ("\n", ""):
        start = line
        tail += 1 if text[tail : tail + 1] == "\n" else 0
    draft.replace(start, tail, "", note)
