"""Document-wide conventions: one slot each, with a span at every occurrence.

A writer picks a convention once (dates day-first or month-first, -ise or -ize, a serial
comma or none) and keeps to it, so a copy must too: all spans of a convention slot take the
same variant. Variant 0 is the text as written; variant 1 is the other convention (2 for
"per cent", which has three spellings). Meaning is untouched: the same day, the same number,
the same word.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from tearline.fingerprint.layout import Span
from tearline.fingerprint.lexicon import (
    IRREGULAR_PLURALS,
    IZE_STEMS,
    MONTHS,
    SMALL_NUMBERS,
    UNITS,
)
from tearline.fingerprint.lexicon import (
    words as _words,
)
from tearline.fingerprint.textutil import cased, prev_token

Finder = Callable[[str], Iterator[Span]]

_IZE = re.compile(
    rf"\b(?:{'|'.join(IZE_STEMS)})i([sz])(?:e|ed|es|ing|ation|ations|er|ers)\b", re.IGNORECASE
)


def _ize(text: str) -> Iterator[Span]:
    for m in _IZE.finditer(text):
        letter = m.group(1)
        other = cased(letter, "z" if letter.lower() == "s" else "s")
        yield Span(m.start(1), m.end(1), (letter, other))


def _swap_words(pattern: str, a: str, b: str) -> Finder:
    regex = re.compile(pattern, re.IGNORECASE)

    def find(text: str) -> Iterator[Span]:
        for m in regex.finditer(text):
            word = m.group(1)
            other = b if word.lower() == a else a
            yield Span(m.start(1), m.end(1), (word, cased(word, other)))

    return find


_PERCENT = re.compile(r"(?<=\d)(\s?%|\s+per\s?cent\b)", re.IGNORECASE)
_PERCENT_FORMS = ("%", " per cent", " percent")


def _percent(text: str) -> Iterator[Span]:
    for m in _PERCENT.finditer(text):
        written = m.group(1)
        plain = "%" if "%" in written else " " + " ".join(written.lower().split())
        rest = tuple(cased(written.strip(), f) for f in _PERCENT_FORMS if f != plain)
        yield Span(m.start(1), m.end(1), (written, *rest))


_DAY = r"(?P<d1>\d{1,2})(?P<s1>st|nd|rd|th)?(?:(?P<sep>\s*(?:-|–|and)\s*)(?P<d2>\d{1,2})(?P<s2>st|nd|rd|th)?)?"
_DMY = re.compile(rf"(?<![\w.,/-]){_DAY}\s+(?P<m>{MONTHS})\b(?:\s+(?P<y>\d{{4}})\b)?")
_MDY = re.compile(rf"\b(?P<m>{MONTHS})\s+{_DAY}\b(?![.,]\d)(?:,?\s+(?P<y>\d{{4}})\b)?")


def _days(m: re.Match[str]) -> str | None:
    days = [m.group("d1"), m.group("d2")]
    if not all(d is None or 1 <= int(d) <= 31 for d in days):
        return None
    second = f"{m.group('sep')}{m.group('d2')}{m.group('s2') or ''}" if m.group("d2") else ""
    return f"{m.group('d1')}{m.group('s1') or ''}{second}"


# "from 12 to 19 October", "on 3 or 4 February": the first day would be cut off the month.
_DETACHED_DAY = re.compile(r"\d(?:st|nd|rd|th)?\s*(?:to|or|and|until|till|-|–)\s*$")


def _dates(text: str) -> Iterator[Span]:
    found: list[Span] = []
    for m in _DMY.finditer(text):
        days = _days(m)
        if days is not None and not _DETACHED_DAY.search(text[max(0, m.start() - 12) : m.start()]):
            year = f", {m.group('y')}" if m.group("y") else ""
            found.append(Span(m.start(), m.end(), (m.group(0), f"{m.group('m')} {days}{year}")))
    for m in _MDY.finditer(text):
        days = _days(m)
        if days is not None and not any(s.start < m.end() and m.start() < s.end for s in found):
            year = f" {m.group('y')}" if m.group("y") else ""
            found.append(Span(m.start(), m.end(), (m.group(0), f"{days} {m.group('m')}{year}")))
    yield from sorted(found, key=lambda s: s.start)


_DIGITS = {w: str(i) for i, w in enumerate(SMALL_NUMBERS, start=2)}
_WORDS = {d: w for w, d in _DIGITS.items()}
_SMALL = re.compile(
    r"(?<![\w.,$£€/-])(two|three|four|five|six|seven|eight|nine|[2-9])(?=\s+([a-z][a-z-]*)\b)"
)
_NOT_PLURAL = frozenset({"his", "this", "its", "has", "was", "is", "as", "us", "thus", "plus"})


def _small_numbers(text: str) -> Iterator[Span]:
    """ "three contracts" or "3 contracts": counts of a plural noun."""
    for m in _SMALL.finditer(text):
        noun = m.group(2)
        plural = noun in IRREGULAR_PLURALS or (
            noun.endswith("s") and not noun.endswith(("ss", "us", "is")) and noun not in _NOT_PLURAL
        )
        before = prev_token(text, m.start(1))
        if not plural or (before != "^" and before[:1].isupper()) or before.lower() == "no":
            continue  # "Stand 2 ...", "Terminal 3 ...": numbers in names stay as they are
        number = m.group(1)
        other = _DIGITS.get(number) or _WORDS[number]
        yield Span(m.start(1), m.end(1), (number, other))


_GROUPED = re.compile(r"(?<![\d,.])(\d),(\d{3})(?![\d,]|\.\d)")
_UNGROUPED = re.compile(rf"(?<![\d,.])([1-9]\d{{3}})(?=\s+(?:{'|'.join(UNITS)})\b)")


def _thousands(text: str) -> Iterator[Span]:
    """1,900 or 1900 (four digits only: 12000 reads badly, and years never take a comma)."""
    found = [
        Span(m.start(), m.end(), (m.group(0), m.group(1) + m.group(2)))
        for m in _GROUPED.finditer(text)
    ]
    for m in _UNGROUPED.finditer(text):
        number = m.group(1)
        if not 1900 <= int(number) <= 2099:  # could be a year: "the 2025 members"
            found.append(Span(m.start(), m.end(), (number, f"{number[0]},{number[1:]}")))
    yield from sorted(found, key=lambda s: s.start)


_TITLE = re.compile(r"\b(Dr|Mr|Mrs|Ms|Prof)(\.?)(?=\s+[A-Z])")


def _titles(text: str) -> Iterator[Span]:
    for m in _TITLE.finditer(text):
        written = m.group(0)
        yield Span(m.start(), m.end(), (written, m.group(1) if m.group(2) else written + "."))


_TIME = re.compile(
    r"\b(?:at|from|until|till|before|after|since|between) ([01]\d|2[0-3])(:?)([0-5]\d)"
    r"(?=\s*(?:hrs|hours|h|local|UTC|GMT|Z)\b)(?!\s*(?:hrs|hours)\s+of\b)",
    re.IGNORECASE,
)


def _times(text: str) -> Iterator[Span]:
    """0300 hours or 03:00 hours: only after a word that introduces a time and before a
    unit (a bare 2030 may be a year; "after 1200 hours of flying" is a duration)."""
    for m in _TIME.finditer(text):
        other = f"{m.group(1)}{m.group(3)}" if m.group(2) else f"{m.group(1)}:{m.group(3)}"
        yield Span(m.start(1), m.end(3), (text[m.start(1) : m.end(3)], other))


_ITEM = r"[^,;:.!?()\"“”\n]+?"
_LIST = re.compile(rf"(?P<x>{_ITEM}), (?P<y>{_ITEM})(?P<comma>,?) (?:and|or) (?P<z>[\w'’-]+)")
_DETERMINERS = frozenset(
    _words("a an the this that these those his her its their our some any each every no one")
)
# An item that opens with one of these is a phrase hanging off something, not a list item
# ("with direct and regular access", "who signed ... and paid").
_NOT_ITEM = frozenset(
    _words(
        "with without on at in into for from by to of against about over under after before "
        "between during who whom which that where when while whose as than"
    )
)


def _opening(words: str) -> str:
    first = words.split()[0]
    if first.lower() in _DETERMINERS:
        return "determiner"
    if first[:1].isdigit():
        return "number"
    return "name" if first[:1].isupper() else "word"


def _serial_comma(text: str) -> Iterator[Span]:
    """ "A, B and C" or "A, B, and C". A list needs a third item before B that is itself
    a list item (after a comma, colon or bracket, or a name), and B and C must open alike
    (both with a determiner, a number, a capital, or a plain word): a comma slipped into
    something that only looks like a list would change how it reads."""
    for m in _LIST.finditer(text):
        x, y, z = m.group("x").strip(), m.group("y").strip(), m.group("z")
        if not x or not y or len(y.split()) > 6 or len(x.split()) > 6:
            continue
        lead = text[: m.start("x")].rstrip()
        listed = lead.endswith((",", ":", "(")) or all(w[:1].isupper() for w in x.split()[-3:])
        if not listed or re.search(r"\b(?:and|or)\b", y) or y.split()[0].lower() in _NOT_ITEM:
            continue
        if _opening(y) != _opening(z):
            continue
        at = m.end("y")
        if m.group("comma"):
            yield Span(at, at + 1, (",", ""))
        else:
            yield Span(at, at, ("", ","))


CONVENTIONS: tuple[tuple[str, str, Finder], ...] = (
    ("spelling", "ise-ize", _ize),
    ("spelling", "e-mail", _swap_words(r"\b(e-mail|email)", "e-mail", "email")),
    ("spelling", "co-operate", _swap_words(r"\b(co-?)(?:operat|ordinat)", "co-", "co")),
    ("spelling", "judgement", _swap_words(r"\b(judgement|judgment)", "judgement", "judgment")),
    ("number", "per-cent", _percent),
    ("date", "date-order", _dates),
    ("number", "small-numbers", _small_numbers),
    ("number", "thousands", _thousands),
    ("punctuation", "title-stop", _titles),
    ("number", "time-colon", _times),
    ("punctuation", "serial-comma", _serial_comma),
)


def find(text: str) -> Iterator[tuple[str, str, tuple[Span, ...]]]:
    """Every convention the text uses: (kind, label, spans)."""
    for kind, label, finder in CONVENTIONS:
        spans = tuple(finder(text))
        if spans:
            yield kind, label, spans
