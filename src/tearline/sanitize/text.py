"""Tokens with offsets, normalised so that surface variants compare equal.

Detection works on *stems*, not on characters: ``Ministry's``, ``ministries``
and ``MINISTRY`` all become ``ministry``; ``Dept.`` becomes ``department``;
``third`` becomes ``3``. Whitespace (line breaks included) never matters
inside a phrase; only a paragraph break (a blank line) or the end of a
sentence separates tokens that may belong to one mention.

The stemmer is deliberately light (possessives, plurals, -ing/-ed): it has to
be predictable for names and jargon, which a full Porter stemmer mangles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Letters and digits; a token is split at every other character and at a
# letter/digit boundary, so "DB-7", "DB7" and "DB 7" tokenise alike.
_TOKEN = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)
_APOSTROPHES = "'’"

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "at",
        "for",
        "to",
        "and",
        "or",
        "by",
        "with",
        "from",
        "into",
        "onto",
        "as",
        "is",
        "was",
        "were",
        "be",
        "been",
        "being",
        "its",
        "his",
        "her",
        "their",
        "our",
        "your",
        "my",
        "this",
        "that",
        "these",
        "those",
        "who",
        "whom",
        "which",
        "no",
        "nr",
        "number",
        "s",
    ]
)

# Abbreviations a careful reader expands without thinking (applied to text
# and to phrases alike, after casefolding, before stemming).
ABBREVIATIONS = {
    "dept": "department",
    "depts": "department",
    "dir": "directorate",
    "dte": "directorate",
    "div": "division",
    "sect": "section",
    "hq": "headquarters",
    "hqs": "headquarters",
    "mil": "military",
    "intl": "international",
    "natl": "national",
    "govt": "government",
    "gen": "general",
    "col": "colonel",
    "capt": "captain",
    "cpt": "captain",
    "maj": "major",
    "lt": "lieutenant",
    "cdr": "commander",
    "sgt": "sergeant",
    "adm": "admiral",
    "dep": "deputy",
    "dpty": "deputy",
    "asst": "assistant",
    "engr": "engineer",
    "mgr": "manager",
    "admin": "administrator",
    "coy": "company",
    "corp": "corporation",
    "bn": "battalion",
    "bde": "brigade",
    "regt": "regiment",
    "sqn": "squadron",
    "flt": "flotilla",
    "stn": "station",
    "bldg": "building",
    "blk": "block",
    "fl": "floor",
    "flr": "floor",
    "rd": "road",
    "ave": "avenue",
    "sq": "square",
    "mt": "mount",
    "defense": "defence",
    "center": "centre",
}

_NUMBER_WORDS = {
    w: str(i)
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
_ORDINAL_WORDS = {
    w: str(i + 1)
    for i, w in enumerate(
        [
            "first",
            "second",
            "third",
            "fourth",
            "fifth",
            "sixth",
            "seventh",
            "eighth",
            "ninth",
            "tenth",
            "eleventh",
            "twelfth",
            "thirteenth",
            "fourteenth",
            "fifteenth",
            "sixteenth",
            "seventeenth",
            "eighteenth",
            "nineteenth",
            "twentieth",
        ]
    )
}
ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th"})

# Stems we never strip: the plural rule would turn them into other words.
_KEEP = frozenset(
    [
        "gas",
        "bus",
        "news",
        "series",
        "species",
        "means",
        "lens",
        "analysis",
        "basis",
        "crisis",
        "status",
        "campus",
        "class",
        "glass",
        "press",
        "process",
        "address",
        "access",
        "business",
        "witness",
        "chess",
        "always",
        "wales",
        "paris",
        "mars",
        "united",
        "states",
    ]
)


# Words a careful reader takes as the same fact ("the trip to Pellaro" is
# "travelled to Pellaro"). Kept small: every entry costs precision.
SYNONYMS = {
    "trip": "travel",
    "trips": "travel",
    "journey": "travel",
    "journeys": "travel",
    "visit": "travel",
    "visits": "travel",
    "visited": "travel",
    "travelled": "travel",
    "traveled": "travel",
    "travelling": "travel",
    "traveling": "travel",
    "travels": "travel",
    "employee": "staff",
    "employees": "staff",
    "personnel": "staff",
    "worker": "staff",
    "workers": "staff",
    # the head of a body, whatever its title: "the section's deputy chief" ~ "deputy head"
    "chief": "head",
    "chiefs": "head",
}


def stem(word: str) -> str:
    """Casefolded, expanded and lightly stemmed form of one token."""
    w = word.casefold()
    w = ABBREVIATIONS.get(w, w)
    if w in SYNONYMS:
        return SYNONYMS[w]
    if w in _NUMBER_WORDS:
        return _NUMBER_WORDS[w]
    if w in _ORDINAL_WORDS:
        return _ORDINAL_WORDS[w]
    if w.isdecimal():  # isdigit() also takes superscripts, which int() refuses
        return str(int(w)) if len(w) < 6 else w
    if w in _KEEP or len(w) <= 3:
        return w
    w = _british(w)
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "shes", "ches", "xes", "zes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if w.endswith("ing") and len(w) > 5:
        w = _undouble(w[:-3])
    elif w.endswith("ed") and len(w) > 4:
        w = _undouble(w[:-2])
    # A final e goes, so "fire"/"firing" and "stage"/"staged" meet.
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    return w


def _british(w: str) -> str:
    """One spelling for -ise/-ize and -isation/-ization."""
    if w.endswith("ization") or w.endswith("izations"):
        return w.replace("ization", "isation")
    if w.endswith(("ize", "izes", "ized", "izing")):
        return w.replace("iz", "is")
    return w


def _undouble(w: str) -> str:
    # "travelled" -> "travell" -> "travel"; "planned" -> "plann" -> "plan"
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiouls":
        return w[:-1]
    if len(w) > 4 and w.endswith("ll"):
        return w[:-1]
    return w


# Finite verbs that join a subject to what is said of it: the words on either
# side belong to different noun phrases ("the channel is the Vigil Front").
CLAUSE_BREAKERS = frozenset(
    [
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "will",
        "would",
        "can",
        "could",
        "may",
        "might",
        "must",
        "shall",
        "should",
        "said",
        "says",
        "told",
        "tells",
        "reported",
        "reports",
        "believes",
        "believed",
        "assesses",
        "assessed",
        "thinks",
    ]
)


@dataclass(frozen=True, slots=True)
class Token:
    """One token of a text: where it is, what it says, and its stem."""

    index: int
    start: int
    end: int
    raw: str
    stem: str
    sentence: int
    paragraph: int
    clause: int = 0

    @property
    def is_upper(self) -> bool:
        return self.raw.isupper() and len(self.raw) > 1

    @property
    def is_capitalised(self) -> bool:
        return self.raw[:1].isupper()

    @property
    def is_stopword(self) -> bool:
        return self.stem in STOPWORDS


_PARAGRAPH = re.compile(r"\n[ \t]*\n")
# A sentence ends at . ! ? ; or : followed by whitespace and then a capital,
# a digit, an opening bracket or quote — unless the dot closes an abbreviation.
_SENTENCE_END = re.compile(r"(?<=[.!?;])[\"'”’)]?\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_NO_BREAK_BEFORE = re.compile(
    r"\b(?:No|Nr|Dr|Mr|Mrs|Ms|St|Mt|Ft|Gen|Col|Capt|Maj|Lt|Cdr|Sgt|Adm|Dept|Bldg|approx|"
    r"e\.g|i\.e|vs|etc|Inc|Ltd|Co|Corp|[A-Z])\.$"
)


_SHORT_DOTTED_END = re.compile(r"\b[A-Za-z]{2,4}\.$")
_SHORT_DOTTED_NEXT = re.compile(r"[A-Z][A-Za-z]{1,3}\.")


# A line that starts a unit of its own although no full stop precedes it: a
# list item ("- ", "2. ", "3) ", "(b) "), a header ("To: ", "Subject: "), or
# any line after a heading ("SUMMARY") or a line that ends with a colon.
_ITEM = re.compile(r"(?<=\n)[ \t]*(?:[-*•]|\d+[.)]|\([A-Za-z0-9]\))[ \t]+|(?<=\n)[A-Z][a-z]+:[ \t]")
_AFTER_HEADING = re.compile(r"(?:^|\n)(?:[^a-z\n]+|[^\n]*:)\n(?=[ \t]*\S)")


def sentence_starts(text: str) -> list[int]:
    """Offsets where sentences begin (paragraph starts and list items included)."""
    starts = {0}
    for m in _PARAGRAPH.finditer(text):
        starts.add(m.end())
    for m in _ITEM.finditer(text):
        starts.add(m.start())
    for m in _AFTER_HEADING.finditer(text):
        starts.add(m.end())
    for m in _SENTENCE_END.finditer(text):
        before = text[max(0, m.start() - 8) : m.start()]
        # A chain of dotted abbreviations is one name: "7th Sig. Bn.", "Lt. Col.".
        chain = _SHORT_DOTTED_END.search(before) and _SHORT_DOTTED_NEXT.match(text, m.end())
        if not _NO_BREAK_BEFORE.search(before) and not chain:
            starts.add(m.end())
    return sorted(starts)


def paragraph_starts(text: str) -> list[int]:
    return [0, *(m.end() for m in _PARAGRAPH.finditer(text))]


def tokenize(text: str) -> list[Token]:
    """Every token of ``text`` with its offsets, sentence and paragraph.

    A possessive ``'s`` is dropped (``ministry's`` is ``ministry``); an
    ordinal suffix after digits is dropped (``3rd`` is ``3``)."""
    sentences = sentence_starts(text)
    paragraphs = paragraph_starts(text)
    tokens: list[Token] = []
    sentence = paragraph = clause = 0
    last_sentence = 0
    previous_digit = False
    matches = list(_TOKEN.finditer(text))
    skip = False
    for i, m in enumerate(matches):
        if skip:
            skip = False
            continue
        raw = m.group()
        start, end = m.span()
        # "GS-2", "DB7", "SK-5": an upper-case acronym and its number are one token.
        if raw.isupper() and raw.isalpha() and len(raw) <= 5 and i + 1 < len(matches):
            nxt = matches[i + 1]
            gap = text[end : nxt.start()]
            short_number = nxt.group().isdigit() and len(nxt.group()) <= 3
            if (
                short_number
                and gap in ("", "-", "‑")
                and not text[nxt.end() : nxt.end() + 1].isalnum()
            ):
                raw, end, skip = text[start : nxt.end()], nxt.end(), True
        # possessive s: "ministry's", "ministry’s"
        if raw in ("s", "S") and start > 0 and text[start - 1] in _APOSTROPHES:
            previous_digit = False
            continue
        if previous_digit and raw.casefold() in ORDINAL_SUFFIXES and text[start - 1].isdigit():
            previous_digit = False
            continue
        while sentence + 1 < len(sentences) and sentences[sentence + 1] <= start:
            sentence += 1
        while paragraph + 1 < len(paragraphs) and paragraphs[paragraph + 1] <= start:
            paragraph += 1
        key = stem(raw) if not skip else "".join(ch for ch in raw if ch.isalnum()).casefold()
        if sentence != last_sentence or raw.casefold() in CLAUSE_BREAKERS:
            clause += 1
            last_sentence = sentence
        tokens.append(Token(len(tokens), start, end, raw, key, sentence, paragraph, clause))
        previous_digit = raw.isdigit()
    return tokens


def normalise(text: str) -> str:
    """Stems joined by spaces: a canonical form for comparing short phrases."""
    return " ".join(t.stem for t in tokenize(text))


def content_stems(text: str) -> list[str]:
    return [t.stem for t in tokenize(text) if not t.is_stopword]
