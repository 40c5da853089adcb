"""Dates in the forms people write them, as intervals that can be compared.

"14 March", "March 14th", "14th of March 2025", "2025-03-14", "14/03/2025",
"11-15 March", "mid-March", "the week of 21 April", "the 14th", "March 2025",
"spring 2025", "Q1 2025", "late 2025" and "2025" all become a ``When``: an
inclusive interval of days with a precision. A year left unsaid is unknown
(a wildcard), not guessed.

Two dates *match* — the text's date discloses the phrase's — when their
intervals overlap and the text's interval is not much wider than the
phrase's: ``width(text) <= max(2 * width(phrase), width(phrase) + 14)``. So
"mid-March" (10 days) discloses "14 March", but "March" (31 days) does not;
"April 2025" discloses "spring 2025", but "2025" does not.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import IntEnum

_WILD_YEAR = 2000  # a leap year stands in for an unknown one


class Precision(IntEnum):
    """How coarse a date is, finest first."""

    DAY = 0
    DAYS = 1
    PART_MONTH = 2
    MONTH = 3
    SEASON = 4
    QUARTER = 5
    PART_YEAR = 6
    YEAR = 7


@dataclass(frozen=True, slots=True)
class When:
    """An inclusive interval of days. ``year_known`` False: the year was not
    written (``start``/``end`` then use a stand-in leap year)."""

    start: date
    end: date
    precision: Precision
    year_known: bool = True
    # "the 14th" with no month anywhere near: only the day is known.
    day_only: int | None = None

    @property
    def width(self) -> int:
        if self.day_only is not None:
            return 1
        return (self.end - self.start).days + 1


@dataclass(frozen=True, slots=True)
class DateSpan:
    start: int
    end: int
    text: str
    when: When


def matches(text_date: When, phrase_date: When) -> bool:
    """Does a date written in a text disclose the date of a phrase?"""
    limit = max(2 * phrase_date.width, phrase_date.width + 14)
    if text_date.width > limit:
        return False
    if text_date.day_only is not None or phrase_date.day_only is not None:
        x = text_date.day_only or (text_date.start.day if text_date.width == 1 else None)
        y = phrase_date.day_only or (phrase_date.start.day if phrase_date.width == 1 else None)
        return x is not None and x == y
    a: When | None = text_date
    b: When | None = phrase_date
    if not (text_date.year_known and phrase_date.year_known):
        a, b = _wild(text_date), _wild(phrase_date)
    if a is None or b is None:
        return False
    return a.start <= b.end and b.start <= a.end


def _wild(w: When) -> When | None:
    """The same interval in the stand-in year (None if it spans years)."""
    if w.start.year != w.end.year:
        return None
    try:
        return When(
            w.start.replace(year=_WILD_YEAR), w.end.replace(year=_WILD_YEAR), w.precision, False
        )
    except ValueError:
        return None


# -- recognising ------------------------------------------------------------------

_MONTHS = {
    name: i
    for i in range(1, 13)
    for name in (calendar.month_name[i], calendar.month_abbr[i], calendar.month_name[i].upper())
}
_MONTHS["Sept"] = 9
_MONTHS["SEPT"] = 9
# Month names are matched capitalised only: "may" and "march" are verbs.
# A full stop after an abbreviation ("Aug.") is the month's; after a full name
# it ends the sentence.
_MONTH = (
    r"(?P<{n}>"
    + "|".join(sorted(_MONTHS, key=len, reverse=True))
    + r")(?:(?<=\b[A-Za-z]{{3}})\.|(?<=\bSept)\.)?"
)
_DAY = r"(?P<{n}>[0-3]?\d)(?:st|nd|rd|th)?(?![\d:])"
_YEAR = r"(?P<{n}>(?:19|20)\d\d)(?![\d/-])"
_DASH = r"\s*(?:-|–|—|to|and|or|until)\s*"
_PERIOD = r"(?:(?:the\s+)?(?:night|week|morning|evening|afternoon|weekend|day)\s+of\s+)?"


def _p(template: str) -> re.Pattern[str]:
    text = (
        template.replace("MONTH2", _MONTH.format(n="m2"))
        .replace("MONTH", _MONTH.format(n="m"))
        .replace("DAY2", _DAY.format(n="d2"))
        .replace("DAY", _DAY.format(n="d"))
        .replace("YEAR", _YEAR.format(n="y"))
        .replace("DASH", _DASH)
        .replace("PERIOD", _PERIOD)
    )
    return re.compile(r"(?<![\w/.-])" + text + r"(?![\w])")


_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"(?<![\w/.-])(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?![\w-])")),
    (
        "numeric",
        re.compile(
            r"(?<![\w/.-])(?P<d>[0-3]?\d)[/.](?P<m>[01]?\d)[/.](?P<y>(?:19|20)?\d\d)(?![\w/]|\.\d)"
        ),
    ),
    ("day-range-month2", _p(r"PERIODDAY\s+MONTH2DASHDAY2\s+MONTH(?:,?\s+YEAR)?")),
    ("day-range", _p(r"PERIODDAYDASHDAY2(?:\s+of)?\s+MONTH(?:,?\s+YEAR)?")),
    ("month-day-range", _p(r"PERIODMONTH\s+DAYDASHDAY2(?:,?\s+YEAR)?")),
    ("day-month", _p(r"PERIOD(?:the\s+)?DAY(?:\s+of)?\s+MONTH(?:,?\s+YEAR)?")),
    ("month-day", _p(r"PERIODMONTH\s+(?:the\s+)?DAY(?:,?\s+YEAR)?")),
    (
        "part-month",
        _p(
            r"(?P<part>early|mid|late|the\s+(?:first|second)\s+half\s+of|"
            r"the\s+(?:beginning|start|middle|end)\s+of)[\s-]MONTH(?:,?\s+YEAR)?"
        ),
    ),
    ("month-year", _p(r"MONTH,?\s+YEAR")),
    ("quarter", re.compile(r"(?<![\w])Q(?P<q>[1-4])[\s/-]*(?P<y>(?:19|20)\d\d)(?![\d])")),
    (
        "quarter-words",
        re.compile(
            r"(?<![\w])(?:the\s+)?(?P<q>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter"
            r"(?:\s+of)?\s+(?P<y>(?:19|20)\d\d)(?![\d])",
            re.IGNORECASE,
        ),
    ),
    (
        "season",
        re.compile(
            r"(?<![\w-])(?:(?P<part>early|late|mid)[\s-])?(?P<s>spring|summer|autumn|fall|winter)"
            r"(?:\s+(?:of\s+)?(?P<y>(?:19|20)\d\d))?(?![\w-])",
            re.IGNORECASE,
        ),
    ),
    (
        "part-year",
        re.compile(
            r"(?<![\w-])(?P<part>early|mid|late|the\s+(?:first|second)\s+half\s+of|"
            r"the\s+(?:beginning|start|middle|end)\s+of)[\s-](?P<y>(?:19|20)\d\d)(?![\d/-])",
            re.IGNORECASE,
        ),
    ),
    ("month", _p(r"MONTH")),
    ("year-range", re.compile(r"(?<![\w/-])(?P<y>(?:19|20)\d\d)[-–](?P<y2>\d\d)(?![\d/-])")),
    ("year", re.compile(r"(?<![\w/.-])(?P<y>(?:19|20)\d\d)(?![\w/-]|\.\d)")),
    # "the 14th", but not the ordinal of a name ("the 7th Signal Battalion",
    # "the 3rd Corvette Squadron").
    (
        "day-only",
        re.compile(r"(?<![\w])the\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)(?![\w])(?!\s+[A-Z])"),
    ),
]

_SHORT_FULL_NAMES = frozenset({"May", "June", "July", "MAY", "JUNE", "JULY"})
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11)}
_QUARTERS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2}
_QUARTERS |= {"3rd": 3, "4th": 4}


def find_dates(text: str) -> list[DateSpan]:
    """Every date expression in ``text``, longest forms first, non-overlapping."""
    taken: list[tuple[int, int]] = []
    found: list[DateSpan] = []
    month_context: list[tuple[int, int]] = []  # (offset, month) for "the 14th"
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            when = _interpret(kind, m, text, month_context)
            if when is None:
                continue
            taken.append(m.span())
            found.append(DateSpan(m.start(), m.end(), m.group(), when))
            if when.day_only is None and when.precision <= Precision.MONTH:
                month_context.append((m.start(), when.start.month))
    return sorted(found, key=lambda d: d.start)


def _interpret(
    kind: str, m: re.Match[str], text: str, months: list[tuple[int, int]]
) -> When | None:
    g = m.groupdict()
    try:
        if kind in ("iso", "numeric"):
            day, month, year = int(g["d"]), int(g["m"]), int(g["y"])
            if kind == "numeric" and month > 12 >= day:
                day, month = month, day  # 03/14/2025 written the American way
            year = year + 2000 if year < 100 else year
            d = date(year, month, day)
            return When(d, d, Precision.DAY)
        if kind == "day-only":
            earlier = [month for offset, month in months if offset < m.start()]
            day = int(g["d"])
            if earlier:
                d = date(_WILD_YEAR, earlier[-1], day)
                return When(d, d, Precision.DAY, year_known=False)
            return When(date(_WILD_YEAR, 1, 1), date(_WILD_YEAR, 1, 1), Precision.DAY, False, day)
        year, known = _year(g.get("y"), text, m.end())
        if kind in ("day-range", "day-range-month2", "month-day-range"):
            month = _MONTHS[g["m"]]
            # "11 March to 2 April": the first month is m2, the second m.
            month1 = _MONTHS[g["m2"]] if g.get("m2") else month
            a = date(year, month1, int(g["d"]))
            b = date(year, month, int(g["d2"]))
            if b < a:
                return None
            return When(a, b, Precision.DAYS, known)
        if kind in ("day-month", "month-day"):
            d = date(year, _MONTHS[g["m"]], int(g["d"]))
            if g["m"] in ("May", "MAY") and kind == "month-day" and int(g["d"]) > 31:
                return None
            if "week of" in m.group():
                return When(d, d + timedelta(days=6), Precision.PART_MONTH, known)
            return When(d, d, Precision.DAY, known)
        if kind == "part-month":
            month = _MONTHS[g["m"]]
            return _part_of_month(year, month, g["part"], known)
        if kind in ("month-year", "month"):
            if kind == "month" and g["m"] in ("May", "MAY") and not _looks_like_may(text, m):
                return None
            if kind == "month" and len(g["m"]) <= 4 and g["m"] not in _SHORT_FULL_NAMES:
                return None  # a bare "Jan" or "Mar" is more often a name than a month
            month = _MONTHS[g["m"]]
            return _month(year, month, known)
        if kind in ("quarter", "quarter-words"):
            q = _QUARTERS.get(g["q"].lower()) or int(g["q"])
            a = date(year, 3 * q - 2, 1)
            return When(a, _month_end(year, 3 * q), Precision.QUARTER, known)
        if kind == "season":
            season = g["s"].lower()
            if season in ("spring", "fall") and not g.get("y") and not _looks_like_may(text, m):
                return None  # "a spring", "prices fall"
            return _season(season, year, known)
        if kind == "part-year":
            return _part_of_year(year, g["part"])
        if kind == "year-range":
            y2 = int(str(year)[:2] + g["y2"])
            if y2 <= year:
                return None
            return When(date(year, 1, 1), date(y2, 12, 31), Precision.YEAR)
        if kind == "year":
            return When(date(year, 1, 1), date(year, 12, 31), Precision.YEAR)
    except (ValueError, KeyError):
        return None
    return None


def _year(written: str | None, text: str, after: int) -> tuple[int, bool]:
    """The written year; else one stated just after ("8 April and 12 May 2025")."""
    if written:
        return int(written), True
    follow = re.match(
        r"\s*(?:-|–|to|and|until)\s*[^.;\n]{0,20}?\b((?:19|20)\d\d)\b", text[after : after + 40]
    )
    if follow:
        return int(follow.group(1)), True
    return _WILD_YEAR, False


def _looks_like_may(text: str, m: re.Match[str]) -> bool:
    # A bare "May" is a month after a preposition ("in May"), not a modal verb.
    before = text[max(0, m.start() - 8) : m.start()].lower()
    return bool(
        re.search(
            r"\b(in|by|since|until|from|of|early|mid|late|during|last|next|this|the)[\s-]*$", before
        )
    )


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _month(year: int, month: int, known: bool = True) -> When:
    return When(date(year, month, 1), _month_end(year, month), Precision.MONTH, known)


def _part_of_month(year: int, month: int, part: str, known: bool) -> When:
    part = " ".join(part.lower().split())
    last = calendar.monthrange(year, month)[1]
    if part in ("early", "the beginning of", "the start of"):
        a, b = 1, 10
    elif part in ("mid", "the middle of"):
        a, b = 11, 20
    elif part == "the first half of":
        a, b = 1, 15
    elif part == "the second half of":
        a, b = 16, last
    else:  # late, the end of
        a, b = 21, last
    return When(date(year, month, a), date(year, month, b), Precision.PART_MONTH, known)


def _season(season: str, year: int, known: bool) -> When:
    if season == "winter":
        # Winter 2026 is the one that starts in December 2025 and ends in February.
        return When(
            date(year - 1, 12, 1), _month_end(year, 2), Precision.SEASON, known and year > 1
        )
    first, last = _SEASONS[season]
    return When(date(year, first, 1), _month_end(year, last), Precision.SEASON, known)


def _part_of_year(year: int, part: str) -> When:
    part = " ".join(part.lower().split())
    if part in ("early", "the beginning of", "the start of"):
        a, b = 1, 4
    elif part in ("mid", "the middle of"):
        a, b = 5, 8
    elif part == "the first half of":
        a, b = 1, 6
    elif part == "the second half of":
        a, b = 7, 12
    else:
        a, b = 9, 12
    return When(date(year, a, 1), _month_end(year, b), Precision.PART_YEAR)


# -- rendering at a coarser precision ------------------------------------------------


def render(when: When, precision: Precision) -> str | None:
    """``when`` said no more precisely than ``precision`` (None: not at all,
    e.g. a year-less date asked for at year precision)."""
    d = when.start
    month = calendar.month_name[d.month]
    year = f" {d.year}" if when.year_known else ""
    if when.day_only is not None:
        return None
    if precision <= Precision.PART_MONTH:
        part = "early" if d.day <= 10 else "mid" if d.day <= 20 else "late"
        return f"{part}-{month}{year}"
    if precision == Precision.MONTH:
        return f"{month}{year}"
    if not when.year_known:
        if precision == Precision.SEASON:
            return _season_name(d.month)
        return None
    if precision == Precision.SEASON:
        season = _season_name(d.month)
        y = d.year + 1 if d.month == 12 else d.year
        return f"{season} {y}"
    if precision == Precision.QUARTER:
        return (
            f"the {('first', 'second', 'third', 'fourth')[(d.month - 1) // 3]} quarter of {d.year}"
        )
    if precision == Precision.PART_YEAR:
        return f"{'early' if d.month <= 4 else 'mid' if d.month <= 8 else 'late'} {d.year}"
    return str(d.year)


def _season_name(month: int) -> str:
    return {12: "winter", 1: "winter", 2: "winter"}.get(
        month, "spring" if month <= 5 else "summer" if month <= 8 else "autumn"
    )


def coarsest_common(dates: list[When]) -> Precision | None:
    """The precision of the coarsest date among ``dates`` (None if empty)."""
    return max((d.precision for d in dates), default=None)
