"""What to do with identifying detail that no declared attribute covers.

Such detail has no selectivity, so the k target cannot weigh it; a fixed
policy decides instead (``GenericPolicy``; ``DEFAULT`` below):

| kind | default action |
|---|---|
| telephone numbers, e-mail addresses | drop the value, keep the noun, said indefinitely ("a mobile number", "an e-mail address"); a bare value after a preposition goes with it |
| coordinates, grid references | drop, with their lead-in ("at grid …") |
| file references ("GDAP/MSC/24-117") | drop, with their lead-in ("under reference …") |
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

from tearline.sanitize.delete import drop, drop_sentence
from tearline.sanitize.draft import Draft, Note
from tearline.sanitize.lexicon import DETERMINERS, PREPOSITIONS, indefinite, previous_word
from tearline.sanitize.patterns import Finding, Kind, part_of_day, quote_words, round_quantity
from tearline.sanitize.people import replace_person


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
    Kind.REFERENCE: "a file reference points to the office, and the person, who issued it",
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
        drop(draft, start - (len(lead.group()) if lead else 0), end, note, "place", is_date=True)
    elif kind is Kind.REFERENCE:
        _reference(draft, text, start, end, note)
    elif kind is Kind.PLATE:
        _plate(draft, text, start, end, note)
    elif kind is Kind.TIME:
        # "at 0630", "shortly after 2340": the part of the day replaces both.
        lead = re.search(
            r"\b(?:(?:shortly|just|soon)\s+)?(?:at|by|after|before|around|from|until)\s+"
            r"(?:about\s+|around\s+|approximately\s+)?$",
            text[max(0, start - 30) : start],
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
        replace_person(draft, text, finding, note, roles)
    elif kind is Kind.SOURCE_CODENAME:
        draft.replace(start, end, "a source", note)
    elif kind is Kind.PLACE:
        drop(draft, start, end, note, "place")
    elif kind is Kind.ORGANISATION:
        drop(draft, start, end, note, "employer")
    elif kind is Kind.CODENAME:
        draft.replace(start, end, "a programme", note)


_CONTACT_NOUN = re.compile(
    r"(?:(?P<det>\b(?:the|a|an|his|her|their|its))[ \t]+)?(?P<mods>(?:\b(?!(?:the|a|an|his|her|their|its|and|or|but|to|of|at|on|in|with|by|from|for)\b)"
    r"[\w-]+[ \t]+){0,2}?)"
    r"(?P<noun>\b(?:number|phone|telephone|mobile|line|address|e-?mail))[ \t]*[,:]?[ \t]*$",
    re.IGNORECASE,
)


def _contact(draft: Draft, text: str, start: int, end: int, kind: Kind, note: Note) -> None:
    """The value goes; its noun stays, said indefinitely since it no longer
    points to one number ("the mobile number 0417 …" -> "a mobile number",
    "the address v.t@x" -> "an e-mail address"). A value that stood alone
    after a preposition goes with it ("contact the desk at x@y.example")."""
    lead = _CONTACT_NOUN.search(text[max(0, start - 40) : start])
    if lead:
        offset = max(0, start - 40)
        if text[:start].rstrip(" \t").endswith(",") and text[end : end + 1] in (",", "."):
            # An appositive value takes its commas with it.
            cut = len(text[:start].rstrip(" \t")) - 1
            extra = 1 if text[end : end + 1] == "," else 0
            draft.replace(cut, end + extra, "", note)
        else:
            cut = start - (1 if text[start - 1 : start] == " " else 0)
            draft.replace(cut, end, "", note)
        noun = lead.group("noun")
        if kind is Kind.EMAIL and noun.casefold() == "address" and "mail" not in lead.group():
            draft.replace(
                offset + lead.start("noun"), offset + lead.end("noun"), "e-mail address", note
            )
            noun = "e-mail address"
        det = lead.group("det")
        if det and det.casefold() == "the":
            phrase = (lead.group("mods") or "") + noun
            article = indefinite(phrase)
            said = article.capitalize() if det[0].isupper() else article
            draft.replace(offset + lead.start("det"), offset + lead.end("det"), said, note)
        return
    before = previous_word(text, start)
    if before and before[0].casefold() in PREPOSITIONS:
        drop(draft, start, end, note, "other", is_date=True)
        return
    draft.replace(
        start, end, "an e-mail address" if kind is Kind.EMAIL else "a telephone number", note
    )


_REFERENCE_LEAD = re.compile(
    r"(?:\b(?P<prep>under|with|as|on|in|by)[ \t]+)?(?:the[ \t]+)?"
    r"(?:reference|ref\.?|file|case|number|no\.)(?:[ \t]+(?:number|no\.?))?[ \t]*:?[ \t]*$",
    re.IGNORECASE,
)


def _reference(draft: Draft, text: str, start: int, end: int, note: Note) -> None:
    """A reference number goes with its lead-in: "… on 9 January under
    reference GDAP/MSC/24-117, with …" -> "… on 9 January, with …"."""
    lead = _REFERENCE_LEAD.search(text[max(0, start - 40) : start])
    begin = start - (len(lead.group()) if lead else 0)
    if lead and lead.group("prep"):
        drop(draft, begin + len(lead.group("prep")) + 1, end, note, "other", is_date=True)
        return
    drop(draft, begin, end, note, "other", is_date=True)


_VEHICLES = frozenset(["vehicle", "car", "truck", "lorry", "van", "jeep", "bus"])


def _plate(draft: Draft, text: str, start: int, end: int, note: Note) -> None:
    """Drop the plate; the vehicle keeps an article ("in staff vehicle TK 4471-M"
    -> "in a staff vehicle")."""
    words = list(re.finditer(r"[\w-]+", text[max(0, start - 60) : start]))
    offset = max(0, start - 60)
    if not words or words[-1].group().casefold() not in _VEHICLES:
        drop(draft, start, end, note, "other")
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
