"""What to do with identifying detail that no declared attribute covers.

Such detail has no selectivity, so the k target cannot weigh it; a fixed
policy decides instead (``GenericPolicy``; ``DEFAULT`` below):

| kind | default action |
|---|---|
| telephone numbers, e-mail addresses | drop the value, keep the noun ("the mobile number", "an e-mail address") |
| coordinates, grid references | drop, with their lead-in ("at grid …") |
| vehicle plates | drop the plate, keep the vehicle ("a staff vehicle") |
| clock times | the part of the day ("0630 local" → "early in the morning"); ranges kept |
| numbers with units | two significant figures ("11.2 MPa" → "about 11 MPa") |
| verbatim quotes of five words or more | the sentence is dropped (we cannot paraphrase honestly) |
| personal names | the person's role ("Colonel Mirek Savan" → "a senior officer"; an appositive name is dropped) |
| a source's own code name | "a source" |
| places, organisations, other code names | kept and flagged for review: they are usually the substance |

``STRICT`` also generalises places (to "a location"), organisations (to "an
organisation") and code names (to "a programme").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tearline.sanitize.draft import Draft, Note
from tearline.sanitize.patterns import Finding, Kind, part_of_day, quote_words, round_quantity
from tearline.sanitize.rewrite import DETERMINERS, PREPOSITIONS, drop, drop_sentence, previous_word

OFFICES = (
    "deputy minister",
    "prime minister",
    "minister",
    "deputy director",
    "director",
    "president",
    "ambassador",
    "chief designer",
    "chief engineer",
    "chief of staff",
    "governor",
    "mayor",
    "judge",
    "senator",
)
_RANKS = re.compile(
    r"^(?:Lieutenant|Major|Rear|Vice|Field)?[- ]?(?:General|Colonel|Major|Captain|Lieutenant|"
    r"Commander|Admiral|Brigadier|Commodore|Sergeant|Corporal|Private|Marshal|Gen|Col|Maj|"
    r"Capt|Lt|Cdr|Sgt)\b"
)


@dataclass(frozen=True, slots=True)
class GenericPolicy:
    """Which generic kinds are changed (the rest are only flagged)."""

    quote_min_words: int = 5
    significant_figures: int = 2
    generalise_places: bool = False
    generalise_organisations: bool = False
    generalise_codenames: bool = False


DEFAULT = GenericPolicy()
STRICT = GenericPolicy(
    generalise_places=True, generalise_organisations=True, generalise_codenames=True
)

WHY = {
    Kind.EMAIL: "contact details identify the few people who hold them",
    Kind.PHONE: "contact details identify the few people who hold them",
    Kind.COORDINATES: "a precise location narrows who could have been there",
    Kind.GRID: "a precise location narrows who could have been there",
    Kind.PLATE: "a vehicle registration points to the person who uses the vehicle",
    Kind.TIME: "an exact time narrows who could have witnessed the event",
    Kind.QUANTITY: "a precise reading narrows who could have seen it",
    Kind.QUOTE: "verbatim wording can fingerprint the source (not paraphrased: sentence dropped)",
    Kind.PERSON: "a personal name points to the circle around the source",
    Kind.SOURCE_CODENAME: "a source's code name must never leave",
    Kind.PLACE: "strict policy: places generalised",
    Kind.ORGANISATION: "strict policy: organisations generalised",
    Kind.CODENAME: "strict policy: code names generalised",
}


def acts_on(policy: GenericPolicy, finding: Finding) -> bool:
    if finding.kind is Kind.QUOTE:
        return quote_words(finding) >= policy.quote_min_words
    if finding.kind is Kind.QUANTITY:
        return round_quantity(finding, policy.significant_figures) is not None
    if finding.kind is Kind.PLACE:
        return policy.generalise_places
    if finding.kind is Kind.ORGANISATION:
        return policy.generalise_organisations
    if finding.kind is Kind.CODENAME:
        return policy.generalise_codenames
    return finding.kind in WHY


def apply(draft: Draft, finding: Finding, policy: GenericPolicy, roles: dict[str, str]) -> None:
    """Apply the policy to one finding (offsets in the draft's current text)."""
    note = Note(finding.kind.value, WHY[finding.kind])
    text = draft.text
    start, end = finding.start, finding.end
    kind = finding.kind
    if kind is Kind.QUOTE:
        drop_sentence(draft, start, note, until=end)
    elif kind in (Kind.EMAIL, Kind.PHONE):
        _contact(draft, text, start, end, kind, note)
    elif kind in (Kind.GRID, Kind.COORDINATES):
        lead = re.search(
            r"(?:(?:range|map|the)\s+)?(?:grid(?:\s+reference)?|reference|ref\.?|MGRS|"
            r"coordinates|position)\s*:?\s*$",
            text[max(0, start - 30) : start],
            re.IGNORECASE,
        )
        drop(draft, start - (len(lead.group()) if lead else 0), end, note, "location")
    elif kind is Kind.PLATE:
        _plate(draft, text, start, end, note)
    elif kind is Kind.TIME:
        lead = re.search(
            r"\b(?:at|by)\s+(?:about\s+|around\s+|approximately\s+)?$",
            text[max(0, start - 25) : start],
        )
        begin = start - (len(lead.group()) if lead else 0)
        draft.replace(begin, end, part_of_day(finding), note)
    elif kind is Kind.QUANTITY:
        rounded = round_quantity(finding, policy.significant_figures)
        if rounded is not None:
            if re.search(r"\babout\s+$", text[max(0, start - 8) : start]):
                rounded = rounded.removeprefix("about ")
            draft.replace(start, end, rounded, note)
    elif kind is Kind.PERSON:
        _person(draft, text, finding, note, roles)
    elif kind is Kind.SOURCE_CODENAME:
        draft.replace(start, end, "a source", note)
    elif kind is Kind.PLACE:
        drop(draft, start, end, note, "location")
    elif kind is Kind.ORGANISATION:
        drop(draft, start, end, note, "organisation")
    elif kind is Kind.CODENAME:
        draft.replace(start, end, "a programme", note)


def _role_before(before: str) -> str:
    """The role an appositive name follows: "a GDAP agent, X" -> "the agent";
    "the Aldrenese Minister of Defence, X" -> "the minister"."""
    tail = before[-60:].rstrip(",").casefold()
    office = next((o for o in OFFICES if o in tail), None)
    if office:
        return f"the {office}"
    role = re.search(r"\b([a-z][a-z-]+)\s*,$", before)
    if role and role.group(1) not in ("and", "or", "the"):
        return f"the {role.group(1)}"
    return "the individual"


def _contact(draft: Draft, text: str, start: int, end: int, kind: Kind, note: Note) -> None:
    lead = re.search(
        r"\b(?:number|phone|telephone|mobile|line|address|e-?mail)\s*[,:]?\s*$",
        text[max(0, start - 30) : start],
        re.IGNORECASE,
    )
    if lead:
        # "the mobile number 0417 662 091": the noun stays, the value goes
        # (an appositive value takes its commas with it).
        if text[:start].rstrip(" \t").endswith(",") and text[end : end + 1] in (",", "."):
            drop(draft, start, end, note, "number")
            return
        cut = start - (1 if text[start - 1 : start] == " " else 0)
        draft.replace(cut, end, "", note)
        return
    draft.replace(
        start, end, "an e-mail address" if kind is Kind.EMAIL else "a telephone number", note
    )


_VEHICLES = frozenset(["vehicle", "car", "truck", "lorry", "van", "jeep", "bus"])


def _plate(draft: Draft, text: str, start: int, end: int, note: Note) -> None:
    """Drop the plate; the vehicle keeps an article ("in staff vehicle TK 4471-M"
    -> "in a staff vehicle")."""
    words = list(re.finditer(r"[\w-]+", text[max(0, start - 60) : start]))
    offset = max(0, start - 60)
    if not words or words[-1].group().casefold() not in _VEHICLES:
        drop(draft, start, end, note, "vehicle")
        return
    head = offset + words[-1].start()
    for w in reversed(words[:-1]):
        if w.group().casefold() in DETERMINERS or w.group().casefold() in PREPOSITIONS:
            break
        head = offset + w.start()
    before = previous_word(text, head)
    cut = start - (1 if text[start - 1 : start] == " " else 0)
    draft.replace(cut, end, "", note)
    if before is None or before[0].casefold() not in DETERMINERS:
        draft.replace(head, head, "a ", note)


def _person(draft: Draft, text: str, finding: Finding, note: Note, roles: dict[str, str]) -> None:
    start, end = finding.start, finding.end
    name = finding.text
    surname = name.split()[-1]
    before = text[:start].rstrip(" \t")
    after = text[end:].lstrip(" \t")
    known_as = re.search(r"(?:,\s*)?\b(?:known as|named|called|alias|nicknamed)\s+$", text[:start])
    if known_as and after[:1] in (",", ".", ";"):
        # "One courier, known as Marek, gave ..." -> "One courier gave ..."
        roles.setdefault(surname, "the individual")
        cut = known_as.start()
        draft.replace(
            cut, end + (1 if after[:1] == "," and known_as.group().startswith(",") else 0), "", note
        )
        return
    if before.endswith(",") and after[:1] in (",", ".", ";"):
        # An appositive: "the brigade commander, Colonel Anselm Drago, has ..."
        roles.setdefault(surname, _role_before(before))
        drop(draft, start, end, note, "individual")
        return
    lowered = name.casefold()
    office = next((o for o in OFFICES if lowered.startswith(o)), None)
    known = roles.get(surname)
    if office:
        roles.setdefault(surname, f"the {office}")
        draft.replace(start, end, known or f"the {office}", note)
    elif _RANKS.match(name):
        roles.setdefault(surname, "the officer")
        draft.replace(start, end, known or "a senior officer", note)
    elif len(name.split()) == 1:
        draft.replace(start, end, known or "the individual", note)
    else:
        roles.setdefault(surname, "the individual")
        draft.replace(start, end, known or "an individual", note)
