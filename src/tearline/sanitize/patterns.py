"""Identifying detail that has a shape: times, quantities, telephone numbers,
e-mail addresses, coordinates, grid references, file references, vehicle
plates, verbatim quotes and code names. Dates have their own module (``dates``).

Each finder returns ``Finding``s with offsets into the text. Order matters
where shapes overlap (a grid reference's digits look like a telephone
number), so ``find_patterns`` runs them in a fixed order and keeps the first
claim on each character.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum


class Kind(StrEnum):
    """What a detected span is (the ``kind`` of a change)."""

    ATTRIBUTE = "attribute"
    DATE = "date"
    TIME = "time"
    QUANTITY = "quantity"
    PHONE = "phone"
    EMAIL = "email"
    COORDINATES = "coordinates"
    GRID = "grid-reference"
    PLATE = "vehicle-plate"
    REFERENCE = "reference"
    QUOTE = "quote"
    PERSON = "person"
    PLACE = "place"
    ORGANISATION = "organisation"
    CODENAME = "codename"
    SOURCE_CODENAME = "source-codename"


@dataclass(frozen=True, slots=True)
class Finding:
    start: int
    end: int
    text: str
    kind: Kind


_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?<!\.)")
_COORD_DMS = re.compile(
    r"\d{1,3}\s*°\s*\d{1,2}\s*['′]\s*(?:\d{1,2}(?:\.\d+)?\s*[\"″]\s*)?[NS]"
    r"[\s,/]+\d{1,3}\s*°\s*\d{1,2}\s*['′]\s*(?:\d{1,2}(?:\.\d+)?\s*[\"″]\s*)?[EW]"
)
_COORD_DEC = re.compile(
    r"(?<![\w.])\d{1,3}\.\d{2,}\s*°?\s*[NS][\s,/]+\d{1,3}\.\d{2,}\s*°?\s*[EW](?!\w)"
)
_COORD_PAIR = re.compile(
    r"(?:(?:lat(?:itude)?|coordinates|position)\s*:?\s*)?"
    r"(?<![\w.])\(?-?\d{1,2}\.\d{3,},\s*-?\d{1,3}\.\d{3,}\)?(?![\w.])"
)
# MGRS-like: optional zone (e.g. 35T), a 100 km square (two letters), then
# easting and northing of equal length.
_GRID = re.compile(
    r"(?<![\w-])(?:\d{1,2}[C-HJ-NP-X]\s?)?(?P<sq>[A-HJ-NP-Z]{2})\s?(?P<e>\d{2,5})\s?(?P<n>\d{2,5})(?![\w-])"
)
_GRID_WORD = re.compile(r"\b(?:grid|ref(?:erence)?|MGRS|at|position)\W*$", re.IGNORECASE)
_PHONE = re.compile(
    r"(?<![\w.+-])\+?(?:\(\d{1,4}\)[\s.-]?)?\d{2,5}(?:[\s.-]\d{2,5}){1,4}(?![\w.-]\d)"
)
# A file or document reference: letters, then two or more slash-separated parts
# ("GDAP/MSC/24-117", "STR/2026/0412"). Its parts name the office that issued it.
_REFERENCE = re.compile(r"(?<![\w/.-])[A-Z]{2,}[A-Z0-9]*(?:/[A-Za-z0-9-]+){2,}(?![\w/])")
_IP = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")
_PLATE_STRONG = re.compile(r"(?<![\w-])[A-Z]{1,3}[ -]?\d{2,4}[ -][A-Z]{1,3}(?![\w-])")
_PLATE_WEAK = re.compile(r"(?<![\w-])[A-Z]{1,3}[ -]?\d{2,4}(?:[ -]?[A-Z]{1,3})?(?![\w-])")
_VEHICLE_WORD = re.compile(
    r"\b(?:plates?|registration|registered|vehicle|car|truck|lorry|van|jeep|bus)\W*$",
    re.IGNORECASE,
)
_TIME = re.compile(
    r"(?<![\w.:/-])(?P<h>[01]\d|2[0-3])(?P<mi>[0-5]\d)\s*"
    r"(?P<zone>hrs|hours|h|local|Z|UTC|GMT|(?:[A-Z][a-z]+\s+)?time)(?![\w])"
    r"|(?<![\w.:/-])(?P<h2>[01]?\d|2[0-3]):(?P<mi2>[0-5]\d)(?:\s*(?P<ampm>[ap]\.?m\.?))?(?![\w:])"
    r"|(?<![\w.:/-])(?P<h3>1[0-2]|0?[1-9])(?:\.(?P<mi3>[0-5]\d))?\s*(?P<ampm3>[ap]\.?m\.?)(?![\w])",
)
_BARE_TIME = re.compile(r"(?<![\w.:/-])(?:[01]\d|2[0-3])[0-5]\d(?![\w:/-]|\.\w)")
_AT_WORD = re.compile(r"\b(?:at|about|around|approximately|by|from|until|till|before|after)\s+$")
_UNITS = (
    r"km|kilometres?|kilometers?|m|metres?|meters?|mm|cm|nm|nautical\s+miles|miles?|ft|feet|"
    r"kg|kilograms?|grams?|tonnes?|tons?|MPa|kPa|bar|psi|kN|"
    r"seconds?|sec|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|"
    r"GB|MB|TB|kB|Gbps|Mbps|MHz|GHz|kHz|Hz|kW|MW|GW|kWh|kV|"
    r"percent|per\s+cent|%|°C|degrees|knots|kt|litres?|liters?|"
    r"crowns?|ducats?|marks?|dollars?|euros?|pounds?|roubles?|rubles?|francs?|yen|"
    r"USD|EUR|GBP|CHF"
)
_QUANTITY = re.compile(
    r"(?<![\w.,])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s*(?P<scale>thousand|million|billion|bn|m)\b)?"
    r"(?:[\s-]?(?:[A-Z][a-z]+\s+)?(?P<unit>" + _UNITS + r"))(?![\w])"
)
_QUOTE = re.compile(
    r"\"(?P<a>[^\"\n]{1,400})\"|“(?P<b>[^”\n]{1,400})”|‘(?P<c>[^’\n]{1,400})’(?!\w)"
)
_CAPS = re.compile(r"(?<![\w-])(?P<w>[A-Z][A-Z]{2,}(?:[ -][A-Z]{2,})*(?:\s\d{1,3}\b)?)(?![\w-])")

# Upper-case words that are headings, markings or ordinary acronyms, not code names.
NOT_CODENAMES = frozenset(
    [
        "SOURCE",
        "SOURCES",
        "COMMENT",
        "NOTE",
        "SUMMARY",
        "TEXT",
        "TOP",
        "SECRET",
        "CONFIDENTIAL",
        "RESTRICTED",
        "UNCLASSIFIED",
        "OFFICIAL",
        "NOFORN",
        "ORCON",
        "REL",
        "ALLIANCE",
        "TLP",
        "RED",
        "AMBER",
        "GREEN",
        "CLEAR",
        "WHITE",
        "HTTP",
        "HTTPS",
        "HTML",
        "DNS",
        "TCP",
        "UDP",
        "VPN",
        "USB",
        "SHA",
        "MD5",
        "PDF",
        "URL",
        "API",
        "IOC",
        "IOCS",
        "ATT",
        "CVE",
        "LNG",
        "LPG",
        "GPS",
        "UTC",
        "GMT",
        "CEO",
        "CFO",
        "NATO",
        "EU",
        "UN",
        "UK",
        "USA",
        "US",
        "IT",
        "CCTV",
        "SMS",
        "ID",
        "IDS",
        "FYI",
        "TBD",
        "ASAP",
        "AKA",
        "MV",
        "KRS",
        "HMS",
        "USS",
        "INS",
        "AND",
        "THE",
        "OF",
        "FOR",
        "NOT",
    ]
)


def find_emails(text: str) -> list[Finding]:
    return [Finding(m.start(), m.end(), m.group(), Kind.EMAIL) for m in _EMAIL.finditer(text)]


def find_coordinates(text: str) -> list[Finding]:
    out = []
    for pattern in (_COORD_DMS, _COORD_DEC, _COORD_PAIR):
        out += [
            Finding(m.start(), m.end(), m.group(), Kind.COORDINATES) for m in pattern.finditer(text)
        ]
    return out


def find_grid_references(text: str) -> list[Finding]:
    out = []
    for m in _GRID.finditer(text):
        if len(m.group("e")) != len(m.group("n")):
            continue
        # Without a lead-in ("grid", "at") only the long, unambiguous forms count.
        lead = _GRID_WORD.search(text[max(0, m.start() - 20) : m.start()])
        if lead or len(m.group("e")) >= 4:
            out.append(Finding(m.start(), m.end(), m.group(), Kind.GRID))
    return out


def find_references(text: str) -> list[Finding]:
    return [
        Finding(m.start(), m.end(), m.group(), Kind.REFERENCE) for m in _REFERENCE.finditer(text)
    ]


def find_phones(text: str) -> list[Finding]:
    out = []
    for m in _PHONE.finditer(text):
        raw = m.group()
        digits = sum(c.isdigit() for c in raw)
        if digits < 8 or digits > 15 or _IP.match(raw):
            continue
        if re.fullmatch(r"\d{1,3}(?:,\d{3})+", raw):
            continue  # 1,900,000 is a number
        out.append(Finding(m.start(), m.end(), raw, Kind.PHONE))
    return out


def find_plates(text: str) -> list[Finding]:
    out = [Finding(m.start(), m.end(), m.group(), Kind.PLATE) for m in _PLATE_STRONG.finditer(text)]
    for m in _PLATE_WEAK.finditer(text):
        if _VEHICLE_WORD.search(text[max(0, m.start() - 24) : m.start()]):
            out.append(Finding(m.start(), m.end(), m.group(), Kind.PLATE))
    return out


_IN_RANGE = re.compile(r"\d{4}\s*(?:and|to|-|–)\s*$")


def find_times(text: str) -> list[Finding]:
    """Clock times. One end of a range ("between 0800 and 1400") describes a
    pattern of activity, not a moment someone witnessed: left alone."""
    out = [
        Finding(m.start(), m.end(), m.group(), Kind.TIME)
        for m in _TIME.finditer(text)
        if not _IN_RANGE.search(text[max(0, m.start() - 12) : m.start()])
    ]
    for m in _BARE_TIME.finditer(text):
        # "at 0440", "at about 0440": a four-digit clock time after a preposition.
        if _AT_WORD.search(text[max(0, m.start() - 24) : m.start()]):
            out.append(Finding(m.start(), m.end(), m.group(), Kind.TIME))
    return out


def find_quantities(text: str) -> list[Finding]:
    return [Finding(m.start(), m.end(), m.group(), Kind.QUANTITY) for m in _QUANTITY.finditer(text)]


def find_quotes(text: str) -> list[Finding]:
    return [Finding(m.start(), m.end(), m.group(), Kind.QUOTE) for m in _QUOTE.finditer(text)]


def quote_words(finding: Finding) -> int:
    return len(re.findall(r"\w+", finding.text))


def find_codenames(text: str, known_acronyms: frozenset[str] = frozenset()) -> list[Finding]:
    out = []
    for m in _CAPS.finditer(text):
        words = re.findall(r"[A-Z]+", m.group("w"))
        if all(w in NOT_CODENAMES or w in known_acronyms for w in words):
            continue
        if text[m.end() : m.end() + 1] == ":":
            continue  # a heading such as "SOURCE:"
        out.append(Finding(m.start(), m.end(), m.group("w"), Kind.CODENAME))
    return out


def find_patterns(
    text: str,
    known_acronyms: frozenset[str] = frozenset(),
    taken: tuple[tuple[int, int], ...] = (),
) -> list[Finding]:
    """Every shaped finding, non-overlapping, first claim wins (the order of
    the finders below); ``taken`` are spans already claimed (dates)."""
    ordered = [
        *find_emails(text),
        *find_coordinates(text),
        *find_references(text),
        *find_grid_references(text),
        *find_plates(text),
        *find_phones(text),
        *find_times(text),
        *find_quantities(text),
        *find_codenames(text, known_acronyms),
    ]
    kept: list[Finding] = []
    claimed = list(taken)
    for f in ordered:
        if not any(f.start < e and s < f.end for s, e in claimed):
            kept.append(f)
            claimed.append((f.start, f.end))
    return sorted(kept, key=lambda f: f.start)


# -- generalising shaped values ---------------------------------------------------------


def part_of_day(finding: Finding) -> str:
    """A clock time as a part of the day ("0630 local" -> "early in the morning")."""
    m = _TIME.fullmatch(finding.text) or _BARE_TIME.fullmatch(finding.text)
    hour = 12
    if m is not None and m.re is _TIME:
        h = m.group("h") or m.group("h2") or m.group("h3")
        hour = int(h)
        ampm = (m.group("ampm") or m.group("ampm3") or "").lower()
        if ampm.startswith("p") and hour < 12:
            hour += 12
        if ampm.startswith("a") and hour == 12:
            hour = 0
    elif m is not None:
        hour = int(finding.text[:2])
    if hour < 5:
        return "in the early hours"
    if hour < 8:
        return "early in the morning"
    if hour < 12:
        return "in the morning"
    if hour < 14:
        return "around midday"
    if hour < 18:
        return "in the afternoon"
    if hour < 22:
        return "in the evening"
    return "late in the evening"


def round_quantity(finding: Finding, figures: int = 2) -> str | None:
    """The quantity with its number kept to ``figures`` significant figures,
    prefixed by "about"; None when it is no more precise than that already."""
    m = _QUANTITY.fullmatch(finding.text)
    if m is None:
        return None
    raw = m.group("num").replace(",", "")
    significant = raw.replace(".", "").lstrip("0")
    if "." not in raw:
        significant = significant.rstrip("0")
    if len(significant) <= figures:
        return None
    value = Decimal(raw)
    exponent = value.adjusted() - figures + 1
    rounded = value.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_UP)
    number = f"{rounded:f}" if exponent < 0 else f"{int(rounded):,}"
    lead, tail = m.start("num"), m.end("num")
    return "about " + finding.text[:lead] + number + finding.text[tail:]
