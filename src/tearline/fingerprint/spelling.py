"""Spelling and hyphenation conventions of single words, one slot per word family.

British and American spellings of the same word ("harbour"/"harbor", "fibre"/"fiber",
"travelled"/"traveled", "analyse"/"analyze", "lorry"/"truck"), and hyphenated or closed
prefixes ("anti-tank"/"antitank", "sub-scale"/"subscale") and compound modifiers
("medium-range missile"/"medium range missile"). Every occurrence of a family in a document
takes the same variant, so a copy never spells one word two ways.

Only lower-case occurrences: a capitalised word may be part of a name ("Ministry of
Defence", "Caddow Harbour"), and a name is spelt as its owner spells it. A family marked
one-way is only detected in its British form, because the American form is also another
word ("program" of a computer, "check", "tire", "story").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tearline.fingerprint.layout import Span
from tearline.fingerprint.lexicon import words

# (British forms, American forms, both ways?) — forms in the same order.
_PAIRS: tuple[tuple[str, str, bool], ...] = (
    ("harbour harbours", "harbor harbors", True),
    ("colour colours coloured", "color colors colored", True),
    ("favour favours favoured favourable", "favor favors favored favorable", True),
    ("behaviour behaviours", "behavior behaviors", True),
    ("rumour rumours rumoured", "rumor rumors rumored", True),
    ("neighbour neighbours neighbouring", "neighbor neighbors neighboring", True),
    ("honour honours honoured", "honor honors honored", True),
    ("armour armoured", "armor armored", True),
    ("endeavour endeavours", "endeavor endeavors", True),
    ("labour labourers", "labor laborers", True),
    ("vigour", "vigor", True),
    ("centre centres centred", "center centers centered", True),
    ("metre metres", "meter meters", False),
    ("kilometre kilometres", "kilometer kilometers", True),
    ("litre litres", "liter liters", True),
    ("fibre fibres", "fiber fibers", True),
    ("calibre", "caliber", True),
    ("theatre theatres", "theater theaters", True),
    ("defence defences", "defense defenses", True),
    ("offence offences", "offense offenses", True),
    ("licence licences", "license licenses", False),
    ("travelled travelling traveller travellers", "traveled traveling traveler travelers", True),
    ("cancelled cancelling", "canceled canceling", True),
    ("labelled labelling", "labeled labeling", True),
    ("modelled modelling", "modeled modeling", True),
    ("fuelled fuelling", "fueled fueling", True),
    ("signalled signalling", "signaled signaling", True),
    ("totalled totalling", "totaled totaling", True),
    ("channelled", "channeled", True),
    ("levelled", "leveled", True),
    ("dialled", "dialed", True),
    ("jewellery", "jewelry", True),
    ("enrolment", "enrollment", True),
    ("fulfil fulfilment", "fulfill fulfillment", True),
    ("analyse analysed analysing", "analyze analyzed analyzing", True),
    ("paralyse paralysed", "paralyze paralyzed", True),
    ("catalogue catalogues", "catalog catalogs", False),
    (
        "manoeuvre manoeuvres manoeuvred manoeuvring",
        "maneuver maneuvers maneuvered maneuvering",
        True,
    ),
    ("grey", "gray", True),
    ("aluminium", "aluminum", True),
    ("sceptical", "skeptical", True),
    ("programme programmes", "program programs", False),
    ("tyre tyres", "tire tires", False),
    ("cheque cheques", "check checks", False),
    ("storey storeys", "story stories", False),
    ("mould", "mold", True),
    ("ageing", "aging", True),
    ("acknowledgement", "acknowledgment", True),
    ("lorry lorries", "truck trucks", True),
    ("petrol", "gasoline", True),
    ("focussed focussing", "focused focusing", False),
    ("benefitted", "benefited", True),
    ("spoilt", "spoiled", False),
    ("ceasefire ceasefires", "cease-fire cease-fires", True),
    ("worldwide", "world-wide", True),
    ("nationwide", "nation-wide", True),
    ("handover handovers", "hand-over hand-overs", True),
    ("online", "on-line", True),
    ("reopen reopened reopening", "re-open re-opened re-opening", True),
    ("reassess reassessed reassessment", "re-assess re-assessed re-assessment", True),
    ("redeploy redeployed redeployment", "re-deploy re-deployed re-deployment", True),
    ("reorganise reorganised reorganisation", "re-organise re-organised re-organisation", True),
    ("rebuild rebuilt", "re-build re-built", True),
    ("resupply resupplied", "re-supply re-supplied", True),
    ("reroute rerouted", "re-route re-routed", True),
)

_PREFIXES = ("anti", "counter", "sub", "non", "multi", "semi", "pre", "post", "inter")
_PREFIXED = re.compile(rf"\b({'|'.join(_PREFIXES)})-([a-z]{{3,}})\b")
# Second parts that make a verb with its particle ("lay-up", "follow-up"): a noun of its
# own, not a modifier, so the hyphen stays.
_PARTICLES = frozenset(words("off out over down back about away through along"))
_NOT_FIRST = frozenset((*_PREFIXES, *words("self non pre re co ex vice well")))
_COMPASS = re.compile(r"\b(north|south)-(east|west)(ern)?\b")
_COMPOUND = re.compile(r"(?<![\w@./-])([a-z]{3,})-([a-z]{3,})(?![\w@/-]|\.\w)(?= ([a-z]+)\b)")
_NOT_NOUN = frozenset(
    words("and or of to in on at by for with from the a an is are was were that which as")
)


def _pair_families() -> Iterator[tuple[str, dict[str, str]]]:
    for british, american, both in _PAIRS:
        b, a = words(british), words(american)
        mapping = dict(zip(b, a, strict=True))
        if both:
            mapping.update(zip(a, b, strict=True))
        yield b[0], mapping


_FAMILIES = tuple(_pair_families())


def _word_families(text: str) -> Iterator[tuple[str, tuple[Span, ...]]]:
    for label, mapping in _FAMILIES:
        pattern = re.compile(r"\b(" + "|".join(sorted(mapping, key=len, reverse=True)) + r")\b")
        spans = tuple(
            Span(m.start(), m.end(), (m.group(1), mapping[m.group(1)]))
            for m in pattern.finditer(text)
        )
        if spans:
            yield label, spans


def _prefixes(text: str) -> Iterator[tuple[str, tuple[Span, ...]]]:
    """ "anti-tank"/"antitank": per word, all occurrences together. Only hyphenated words
    are detected: a closed word may not be a prefix at all ("submarine", "present")."""
    found: dict[str, list[Span]] = {}
    for m in _PREFIXED.finditer(text):
        prefix, stem = m.groups()
        if prefix[-1] == stem[0] or (prefix[-1] in "aeiou" and stem[0] in "aeiou"):
            continue  # "anti-inflation", "pre-empt", "semi-automatic": the hyphen stays
        found.setdefault(prefix + stem, []).append(
            Span(m.start(), m.end(), (m.group(0), prefix + stem))
        )
    for word, spans in found.items():
        yield f"prefix-{word}", tuple(spans)


def _compounds(text: str) -> Iterator[tuple[str, tuple[Span, ...]]]:
    """ "carbon-fibre casing" / "carbon fibre casing": a hyphenated two-word modifier
    before its noun may be written open (British usage drops such hyphens freely); and
    "north-west" / "northwest". Never a verb with its particle ("lay-up"), a prefix
    (handled above) or a longer chain ("threat-to-life")."""
    found: dict[str, list[Span]] = {}
    for m in _COMPOUND.finditer(text):
        first, second, noun = m.groups()
        if first in _NOT_FIRST or second in _PARTICLES or noun in _NOT_NOUN:
            continue
        found.setdefault(f"compound-{first}-{second}", []).append(
            Span(m.start(), m.end(), (m.group(0), f"{first} {second}"))
        )
    for m in _COMPASS.finditer(text):
        closed = m.group(1) + m.group(2) + (m.group(3) or "")
        found.setdefault(f"compass-{closed}", []).append(
            Span(m.start(), m.end(), (m.group(0), closed))
        )
    for label, spans in found.items():
        yield label, tuple(spans)


_UNITS = {"km": "kilometres", "kg": "kilograms", "mm": "millimetres", "cm": "centimetres"}
_UNIT = re.compile(rf"(?<=\d )({'|'.join(_UNITS)}|{'|'.join(_UNITS.values())})\b")


def _units(text: str) -> Iterator[tuple[str, tuple[Span, ...]]]:
    """ "1,900 km" / "1,900 kilometres" after a number, one way per unit and document."""
    back = {v: k for k, v in _UNITS.items()}
    found: dict[str, list[Span]] = {}
    for m in _UNIT.finditer(text):
        unit = m.group(1)
        other = _UNITS.get(unit) or back[unit]
        found.setdefault(_UNITS.get(unit, unit), []).append(
            Span(m.start(1), m.end(1), (unit, other))
        )
    for label, spans in found.items():
        yield f"unit-{label}", tuple(spans)


def find(text: str) -> Iterator[tuple[str, str, tuple[Span, ...]]]:
    for label, spans in _word_families(text):
        yield "spelling", label, spans
    for label, spans in _prefixes(text):
        yield "spelling", label, spans
    for label, spans in _compounds(text):
        yield "spelling", label, spans
    for label, spans in _units(text):
        yield "number", label, spans
    for label, spans in _ranks(text):
        yield "punctuation", label, spans


_RANKS = {"Colonel": "Col.", "Lieutenant": "Lt", "Captain": "Capt.", "Major": "Maj."}
_RANK = re.compile(rf"\b({'|'.join(_RANKS)}) (?=[A-Z][a-z]+ [A-Z][a-z]+\b(?! [A-Z]))")


def _ranks(text: str) -> Iterator[tuple[str, tuple[Span, ...]]]:
    """ "Colonel Mirek Savan" / "Col. Mirek Savan": a rank before a first name and a
    surname (so "Major General", "General Directorate" and the adjective "major" never
    match), written out or abbreviated, the same way throughout."""
    found: dict[str, list[Span]] = {}
    for m in _RANK.finditer(text):
        rank = m.group(1)
        found.setdefault(rank, []).append(Span(m.start(1), m.end(1), (rank, _RANKS[rank])))
    for rank, spans in found.items():
        yield f"rank-{rank.lower()}", tuple(spans)
