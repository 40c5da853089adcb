"""Sentences about a source: a class of their own (issue 10, point 2).

What identifies a source is rarely one declared phrase; it is everything a
report says *about* the source — its post in other words, its trips, family,
the meetings it attended, the documents it handled, the "one of three clerks"
who share its access. The detector cannot enumerate all of that, so the
sanitiser does not try to: it finds the sentences that are about a source and
keeps of them only what the source *reported* plus an honest descriptor built
from the chosen generalisation levels.

- **Source lines** ("SOURCES: (A) …", "Source: …", "SOURCE DESCRIPTION:",
  "Contact: …"; the whole line): rewritten to the descriptor.
- **Handling comments** ("Handling: …", "HANDLING NOTE: …"; the whole line):
  dropped.
- **Sentences about a source**: those that name it ("the source", "Source B",
  its code name in any case, "our contact", "the informant", a role noun of
  its declared post with a determiner: "the clerk", "the aide"), speak in its
  first person ("I", "my": interview notes), or start with "he"/"she"/"they"
  right after one of these. Of such a sentence only the complement of a
  reporting verb survives ("… says that X" → "A source says that X";
  "According to …, X" → "According to a source, X"); a sentence with no
  reported content, or whose content names the source again, is dropped.

``review`` then reads the final text: whatever is still about a source and is
not reported content in that shape — a third-person pronoun in the kept
content, a source line that says more than the descriptor, a count of the
people who share some access ("one of seven officials", "only she and two
colleagues") anywhere — is listed with why. A result with anything to review
is *unverified*: its k is the detector's figure, not a proven lower bound.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tearline.domain.sources import Attribute, Source
from tearline.sanitize.delete import drop, drop_sentence
from tearline.sanitize.draft import Draft, Note
from tearline.sanitize.lexicon import (
    AUXILIARIES,
    CONJUNCTIONS,
    GENERIC_PEOPLE,
    INSTITUTION_HEADS,
    PREPOSITIONS,
    RELATIVES,
    ROLE_HEADS,
    VERBS,
    words,
)
from tearline.sanitize.text import sentence_starts

_MARKER = r"(?:[ \t]*(?:[-*•]|\d+[.)]|\((?:[A-Za-z0-9]|[A-Z]+(?://?[A-Z]+)*)\)|[QA]:)[ \t]*)*"
_LINE_LABEL = re.compile(
    r"^(?P<marker>"
    + _MARKER
    + r")(?P<label>(?:our[ \t]+)?(?:sources?(?:[ \t]+(?:line|description))?"
    r"|contact|reporter|informant|source[ \t]+\([A-Z]\))(?:[ \t]*\([A-Z]\))?[ \t]*:)[ \t]*",
    re.IGNORECASE,
)
_HANDLING_LABEL = re.compile(
    r"^" + _MARKER + r"(?:handling(?:[ \t]+(?:note|comment|instructions?))?|field[ \t]+comment"
    r"|source[ \t]+comment)[ \t]*[:—–-]",
    re.IGNORECASE,
)
_FOLLOWERS = "|".join(
    sorted(
        (VERBS | AUXILIARIES | PREPOSITIONS | RELATIVES | CONJUNCTIONS) - frozenset(["that"]),
        key=len,
        reverse=True,
    )
)
_ADJECTIVE_ROLES = words(
    "official chief deputy assistant head general senior principal acting associate "
    "executive personal private special junior lead"
)
_GLUE = "|".join(sorted(PREPOSITIONS | CONJUNCTIONS | RELATIVES, key=len, reverse=True))
# Words that refer to a source whatever it does: the report's own vocabulary.
_BASE_ROLES = words("source sources contact informant asset walk-in reporter")
_PRONOUN_START = re.compile(r"^" + _MARKER + r"(?:He|She|They|His|Her|Their|Both)\b")
_FIRST_PERSON = re.compile(r"\b(?:I|I['’]m|I['’]ve|I['’]d|my|My|me|myself)\b")
_THIRD_PERSON = re.compile(r"\b(?:he|she|him|her|his|hers|himself|herself)\b", re.IGNORECASE)
# Verbs whose complement is what the source reported; those of perception and
# knowledge ("saw the entries", "knows the yard") only with "that".
_REPORTING = re.compile(
    r"\b(?:(?:says|said|reports|reported|states|stated|confirms|confirmed|claims|claimed|adds|"
    r"added|notes|noted|explains|explained|believes|believed|assesses|assessed|warns|warned|"
    r"told[ \t]+(?:us|our[ \t]+\w+|the[ \t]+\w+))\b[,:]?[ \t\n]+(?:that[ \t\n]+)?"
    r"|(?:saw|heard|learned|learnt|understands|understood|recalls|recalled|knows|knew|"
    r"noticed|notices|indicates|indicated|estimates|estimated|describes|described)"
    r"[ \t\n]+that[ \t\n]+)",
    re.IGNORECASE,
)
_ACCORDING = re.compile(
    r"^(?P<marker>" + _MARKER + r")(?:according[ \t]+to|per|as[ \t]+reported[ \t]+by)\b"
    # who: up to the first comma, or through a pair of dashes ("According to a
    # member of the cell — a former engineer — the cell plans ...").
    r"(?P<who>[^,—–]*(?:[—–][^—–]*[—–])?)[ \t]*,?[ \t\n]+",
    re.IGNORECASE,
)
# "A farmer whose land borders the site reports that …": an unnamed person who
# reports is a source.
_SOMEONE_SAYS = re.compile(
    r"^" + _MARKER + r"(?:A|An)[ \t]+[\w-]+(?:[ \t,]+[\w'’-]+){0,14}?[ \t,]+"
    r"(?:says|said|reports|reported|states|stated|claims|claimed|told[ \t]+(?:us|our))\b"
)
_PAST = words("said reported stated confirmed claimed added noted explained believed described")
_NUMBER = (
    r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a[ \t]+few|"
    r"a[ \t]+handful|several)"
)
_PEOPLE_PLURAL = r"[A-Za-z-]+(?:ers|ors|ists|ians|ants|ents|men|ees|ies|als|cers|ffs|ks)\b"
_COUNTS = (
    re.compile(
        r"\bone[ \t]+of[ \t]+(?:only[ \t]+|the[ \t]+)?"
        + _NUMBER
        + r"(?:[ \t]+[\w-]+)?[ \t]+"
        + _PEOPLE_PLURAL,
        re.IGNORECASE,
    ),
    re.compile(
        r"\bonly[ \t]+(?:he|she|I|the[ \t]+source|the[ \t]+\w+|[A-Z]\w+)[ \t]+and[ \t]+"
        r"(?:" + _NUMBER + r"|the|his|her|my)\b",
        re.IGNORECASE,
    ),
    re.compile(r"\bthe[ \t]+only[ \t]+(?:[\w-]+[ \t]+){0,3}?(?:on|in|at|who|with|to)\b", re.I),
    re.compile(r"\b(?:the[ \t]+)?(?:sole|lone)[ \t]+[\w-]+", re.IGNORECASE),
    re.compile(r"\b(?:he|she|I)[ \t]+alone\b|\balone[ \t]+(?:on|at|in)\b", re.IGNORECASE),
    re.compile(
        r"\b(?:the[ \t]+)?(?:two|three|four|five|six|seven|eight|nine|ten|\d+)[ \t]+(?:of[ \t]+"
        r"(?:us|them)|people|colleagues|staff)\b[^.]*\b(?:only|alone)\b",
        re.IGNORECASE,
    ),
)


@dataclass(frozen=True, slots=True)
class Review:
    """A span of the final text that may still say who a source is."""

    start: int
    end: int
    text: str
    why: str


@dataclass(frozen=True, slots=True)
class Unit:
    start: int
    end: int
    kind: str  # "line", "handling", "about" or "other"
    marker: str = ""
    label: str = ""


class References:
    """What refers to one of the report's sources in running text."""

    def __init__(self, sources: Sequence[Source], codenames: Sequence[str] = ()) -> None:
        roles = set(_BASE_ROLES)
        for source in sources:
            for a in source.attributes:
                if a.kind not in ("post", "relation", "access", "skill"):
                    continue
                phrases = [a.value, *a.mentions, *(g.value for g in a.generalizations)]
                if a.kind == "relation":
                    # "nephew of the broker": the source; "accompanies Minister
                    # Marsh", "deals with agent Tarkos": someone else.
                    first = a.value.split()[0].casefold() if a.value.split() else ""
                    phrases = [a.value] if first in ROLE_HEADS | GENERIC_PEOPLE else []
                for phrase in phrases:
                    roles |= _role_words(phrase)
        names = {c for c in (*codenames, *(s.codename for s in sources)) if c}
        # Role words that are also adjectives ("the official calendar", "the head
        # office") count only when used as a noun; the others always.
        ambiguous = roles & _ADJECTIVE_ROLES
        plain = roles - _ADJECTIVE_ROLES
        nouns = "|".join(sorted((re.escape(r) for r in plain), key=len, reverse=True)) or "(?!)"
        adjectives = "|".join(sorted((re.escape(r) for r in ambiguous), key=len, reverse=True))
        parts = [
            r"\b(?<!open )(?<!open-)sources?\b(?![ \t]+(?:code|of\b))",
            r"\b(?:informant|asset|walk-in|reporter)s?\b|^(?:[^\w]*)contact\b",
            r"\b(?:the|our|this|that|a|one|an|his|her|their)[ \t]+(?:(?!(?:"
            + _GLUE
            + r")\b)[\w-]+[ \t]+){0,2}?(?:"
            + nouns
            + r")s?\b",
        ]
        if adjectives:
            parts.append(
                r"\b(?:the|our|this|that|a|one|an|his|her|their)[ \t]+(?:(?!(?:"
                + _GLUE
                + r")\b)[\w-]+[ \t]+){0,2}?(?:"
                + adjectives
                + r")s?\b"
                # ... as a noun: "the official said", not "the official calendar".
                + r"(?=[ \t]*(?:$|[^\w \t]|['’]s\b|(?:"
                + _FOLLOWERS
                + r")\b|[a-z]+(?:ed|s)\b))"
            )
        self._roles = frozenset(roles - _BASE_ROLES)
        if names:
            parts.append(r"\b(?:" + "|".join(re.escape(n) for n in sorted(names)) + r")\b")
        self._pattern = re.compile("|".join(parts), re.IGNORECASE)
        self._label = re.compile(
            r"^" + _MARKER + r"\(?[A-D]\)?[ \t]+(?:says|said|reports|reported|confirms|confirmed|"
            r"states|stated|adds|added|notes|noted|was|is|has|had|signed|saw)\b"
        )

    def find(self, text: str) -> re.Match[str] | None:
        return self._pattern.search(text)

    def about(self, sentence: str) -> bool:
        return bool(
            self._pattern.search(sentence)
            or _SOMEONE_SAYS.match(sentence)
            or self._label.search(sentence)
            or _FIRST_PERSON.search(sentence)
            or self.abbreviated(sentence)
        )

    def abbreviated(self, text: str) -> re.Match[str] | None:
        """A role word abbreviated with a dot: "Sergt." for sergeant, "Lt." for
        lieutenant (letters in order, same first letter)."""
        for m in re.finditer(r"\b([A-Za-z]{2,6})\.", text):
            short = m.group(1).casefold()
            if any(_abbreviates(short, role) for role in self._roles):
                return m
        return None

    def role_word(self, text: str) -> re.Match[str] | None:
        """A role noun of the source's declared post, in any form."""
        if not self._roles:
            return None
        alternatives = "|".join(sorted(map(re.escape, self._roles), key=len, reverse=True))
        return re.search(r"\b(?:" + alternatives + r")(?:s|['’]s)?\b", text, re.IGNORECASE)


def _abbreviates(short: str, word: str) -> bool:
    if len(short) < 2 or len(short) >= len(word) or short[0] != word[0]:
        return False
    rest = iter(word[1:])
    return all(c in rest for c in short[1:])


def _role_words(phrase: str) -> set[str]:
    """Role nouns of a post phrase: known role heads, and the head of the
    phrase (its last word before a preposition or comma)."""
    tokens = re.findall(r"[A-Za-z][\w-]*", phrase.casefold())
    # Only before the first preposition: in "deals with GDAP agent Tarkos" the
    # agent is someone else; in "aide in the office of Minister Kaltin" too.
    head: list[str] = []
    for t in tokens:
        if t in PREPOSITIONS or t in VERBS or t.endswith("ed") or t in ("who", "which"):
            break
        head.append(t)
    out = {t for t in head if t in ROLE_HEADS or t in GENERIC_PEOPLE}
    if head and len(head[-1]) > 3:
        out.add(head[-1])
    return out - {"a", "an", "the", "staff"}


# The end of a source line's first sentence; "(B) …" continues the line.
_LINE_END = re.compile(r"(?<![A-Z][a-z])(?<!\b[A-Za-z])\.(?=[ \t]+[A-Z])")


def units(text: str, refs: References) -> list[Unit]:
    """The text cut into labelled lines and sentences, each classified."""
    out: list[Unit] = []
    covered: list[tuple[int, int]] = []
    at = 0
    for line in text.split("\n"):
        start, end = at, at + len(line)
        at = end + 1
        m = _LINE_LABEL.match(line)
        if m and line[m.end() :].strip():
            # The source line is its first sentence: what follows on the same
            # line ("Source: a moderator (paid). The moderator sold …") is text.
            stop = _LINE_END.search(line, m.end())
            end = start + stop.start() + 1 if stop else end
            out.append(Unit(start, end, "line", m.group("marker"), m.group("label")))
            covered.append((start, end))
        elif _HANDLING_LABEL.match(line):
            out.append(Unit(start, end, "handling"))
            covered.append((start, end))
    starts = sentence_starts(text)
    previous_about = False
    paragraph_about = False
    for i, s in enumerate(starts):
        if s == 0 or "\n\n" in text[max(0, s - 3) : s + 1] or text[s - 1 : s] == "\n":
            paragraph_about = False
        e = starts[i + 1] if i + 1 < len(starts) else len(text)
        while e > s and text[e - 1] in " \t\n":
            e -= 1
        if e <= s or any(a <= s < b for a, b in covered):
            previous_about = any(a <= s < b for a, b in covered)
            continue
        sentence = text[s:e]
        # "She copied the log." / "Three of her pupils left." after a sentence
        # about the source are about it too.
        about = (
            refs.about(sentence)
            or (previous_about and bool(_THIRD_PERSON.search(sentence)))
            or (paragraph_about and bool(_PRONOUN_START.match(sentence)))
        )
        marker = re.match(_MARKER, sentence)
        out.append(Unit(s, e, "about" if about else "other", marker.group(0) if marker else ""))
        previous_about = about
        paragraph_about = paragraph_about or about
    return sorted(out, key=lambda u: u.start)


def descriptor(source: Source | None, levels: Mapping[str, int]) -> str:
    """An honest description of a source from its chosen levels: its post
    (or access) and employer as their generalisations say them — "a
    mid-level procurement official at the Dalmerran defence ministry", "a
    source from naval personnel with access to trade negotiations"."""
    if source is None:
        return "a source"
    said: dict[str, str] = {}
    for a, level in described(source, levels):
        said[a.kind] = a.value if level == 0 else a.generalizations[level - 1].value
    post, access, employer = said.get("post"), said.get("access"), said.get("employer")
    if access and not re.match(r"access\b", access, re.IGNORECASE):
        access = f"who {access}" if _verb_phrase(access) else f"with access to {_the(access)}"
    elif access:
        access = f"with {access}"
    if post and re.match(r"(?:a|an)\b", post, re.IGNORECASE):
        out = post[0].lower() + post[1:]
    elif post and _person(post):
        out = f"{'an' if post[:1].casefold() in 'aeiou' else 'a'} {post}"
        if post.split()[-1].casefold() in ("staff", "personnel"):
            out += " member"
    elif post and re.search(r"\b(?:information|files|data|records|plans)\b", post):
        out = f"a source with access to {post}"
    elif post:
        out = f"a source from {_the(post)}"
    else:
        out = "a source"
    if employer:
        out += f" at {_the(employer)}"
    if access:
        out += f" {access}"
    return out


def _verb_phrase(value: str) -> bool:
    """ "sees port cargo documentation", "handles bills of lading": a verb first."""
    first = value.split()[0].casefold() if value.split() else ""
    return first in VERBS or (
        len(first) > 3 and first.endswith("s") and not first.endswith("ss") and value[0].islower()
    )


def _person(value: str) -> bool:
    """Is the phrase's head a person ("middle-management official")?"""
    head = re.split(r"\s+(?:of|in|at|for|on|with)\s+", value)[0].split()[-1].casefold()
    return (
        head in ROLE_HEADS
        or head in GENERIC_PEOPLE
        or head in ("staff", "personnel")
        or head.endswith(("er", "or", "ist", "ian"))
    )


def described(source: Source, levels: Mapping[str, int]) -> list[tuple[Attribute, int]]:
    """The attributes a descriptor says, at their chosen levels: the first
    post, access and employer the levels keep."""
    out: list[tuple[Attribute, int]] = []
    kinds: set[str] = set()
    for a in source.attributes:
        level = levels.get(a.name)
        if level is None or a.kind not in ("post", "access", "employer") or a.kind in kinds:
            continue
        kinds.add(a.kind)
        out.append((a, level))
    return out


def _the(value: str) -> str:
    """ "Kharovian Ministry of Defence" -> "the Kharovian Ministry of Defence"."""
    if re.match(r"(?:a|an|the)\b", value, re.IGNORECASE):
        return value
    head = re.split(r"\s+(?:of|in|at|for)\s+", value)[0].split()[-1].casefold()
    return f"the {value}" if value[:1].isupper() and head in INSTITUTION_HEADS else value


def restrict(
    draft: Draft,
    sources: Sequence[Source],
    refs: References,
    levels: Mapping[str, Mapping[str, int]],
) -> None:
    """Rewrite every source line and sentence about a source (module docstring)."""
    text = draft.text
    for unit in reversed(units(text, refs)):
        if unit.kind == "line":
            _source_line(draft, unit, sources, levels)
        elif unit.kind == "handling":
            _drop_line(draft, unit, Note("source", "a handling comment is about the source"))
        elif unit.kind == "about":
            _about(draft, unit, refs)
        elif any(p.search(text, unit.start, unit.end) for p in _COUNTS):
            # "Only he and the CISO knew": who shares an access is about the source.
            drop_sentence(
                draft,
                unit.start + len(unit.marker),
                Note("source", "a count of the people who share an access"),
            )


def _source_line(
    draft: Draft, unit: Unit, sources: Sequence[Source], levels: Mapping[str, Mapping[str, int]]
) -> None:
    text = draft.text
    content_start = unit.start + len(unit.marker) + len(unit.label)
    while content_start < unit.end and text[content_start] in " \t":
        content_start += 1
    content = text[content_start : unit.end]
    labels = re.findall(r"\(([A-Z])\)", content)
    by_order = len(labels) == len(sources) and len(labels) > 1
    if labels and len(labels) > 1:
        said = "; ".join(
            f"({label}) {descriptor(sources[i] if by_order else None, _levels(sources, i, levels) if by_order else {})}"
            for i, label in enumerate(labels)
        )
    else:
        lead = f"({labels[0]}) " if labels and content.lstrip().startswith("(") else ""
        only = sources[0] if len(sources) == 1 else None
        said = lead + descriptor(only, levels.get(only.id, {}) if only else {})
    # Each descriptor starts its sentence: "(A) A mid-level official; (B) A source."
    said = re.sub(r"(^|\([A-Z]\) )([a-z])", lambda m: m.group(1) + m.group(2).upper(), said)
    new = said + "."
    if content.strip() != new:
        draft.replace(
            content_start,
            unit.end,
            new,
            Note("source", "a source line says only the honest descriptor"),
        )


def _levels(
    sources: Sequence[Source], i: int, levels: Mapping[str, Mapping[str, int]]
) -> Mapping[str, int]:
    return levels.get(sources[i].id, {})


def _drop_line(draft: Draft, unit: Unit, note: Note) -> None:
    text = draft.text
    end = unit.end + 1 if text[unit.end : unit.end + 1] == "\n" else unit.end
    draft.replace(unit.start, end, "", note)


_TRAILING = re.compile(
    r",[ \t\n]+(?=(?:which|who|whom|as|although|though|because|since|while|when|where|"
    r"according[ \t]+to|in[ \t]+the[ \t]+view[ \t]+of)\b|[^,]*\b(?:said|says|reports|"
    r"reported|added|adds|believes|believed|thinks|noted|notes)[ \t]*[.!?]?$)",
    re.IGNORECASE,
)


def _trailing(sentence: str, refs: References) -> int | None:
    """Where a trailing clause that alone refers to the source starts (", which
    the contact believes is false", ", the source said"), when what precedes
    it says nothing about the source; None otherwise."""
    for m in reversed(list(_TRAILING.finditer(sentence))):  # the shortest such clause
        head, tail = sentence[: m.start()], sentence[m.start() :]
        if len(head.split()) >= 4 and not refs.about(head) and refs.about(tail):
            return m.start()
    return None


def _about(draft: Draft, unit: Unit, refs: References) -> None:
    text = draft.text
    sentence = text[unit.start : unit.end]
    cut = _trailing(sentence, refs)
    if cut is not None:
        # The sentence's own full stop stays where it is.
        end = unit.end - 1 if sentence[-1:] in ".!?" else unit.end
        draft.replace(
            unit.start + cut,
            end,
            "",
            Note("source", "a clause about the source goes; what it qualified stays"),
        )
        return
    kept = reported(sentence, refs)
    note = Note("source", "a sentence about the source keeps only what it reported")
    if kept is None:
        drop_sentence(
            draft, unit.start + len(unit.marker), Note("source", "a sentence about the source")
        )
        return
    intro, complement_at = kept
    new = unit.marker + intro + sentence[complement_at:]
    if new != sentence:
        draft.replace(unit.start, unit.end, new, note)


def reported(sentence: str, refs: References) -> tuple[str, int] | None:
    """The honest intro and where the reported content starts in a sentence
    about a source; None when it reported nothing or names the source again."""
    according = _ACCORDING.match(sentence)
    if according and refs.about(according.group("who")):
        at = according.end()
        intro = "According to a source, "
    else:
        ref = (
            refs.find(sentence)
            or _FIRST_PERSON.search(sentence)
            or refs.abbreviated(sentence)
            or _SOMEONE_SAYS.match(sentence)
        )
        if ref is None and _PRONOUN_START.match(sentence):
            ref = _PRONOUN_START.match(sentence)
        label = re.match(_MARKER + r"\(?[A-D]\)?[ \t]+", sentence)
        first = ref.start() if ref else (label.end() if label else None)
        if first is None:
            return None
        verb = next((v for v in _REPORTING.finditer(sentence) if v.start() >= first), None)
        if verb is None:
            return None
        at = verb.end()
        word = verb.group(0).split()[0].casefold().rstrip(",:")
        tense = "reported" if word in _PAST or word.endswith("ed") else "reports"
        intro = f"A source {tense} that "
    content = sentence[at:]
    if len(content.split()) < 3 or refs.find(content) or _FIRST_PERSON.search(content):
        return None
    if refs.abbreviated(content):
        return None
    if any(p.search(content) for p in _COUNTS):
        return None
    return intro, at


def review(
    text: str,
    refs: References,
    sources: Sequence[Source],
    header: int = 0,
    levels: Mapping[str, Mapping[str, int]] | None = None,
    known: frozenset[str] = frozenset(),
    chosen: Mapping[str, Mapping[str, int]] | None = None,
) -> tuple[Review, ...]:
    """What in ``text`` may still say who a source is (module docstring).
    ``[0, header)`` is the header (title, id, category): a role or a person
    there is about the source whatever the grammar."""
    found: list[Review] = []
    for m in _PERSON_WORD.finditer(text, 0, header):
        found.append(Review(m.start(), m.end(), m.group(0), "a person's role in the header"))
    role = refs.role_word(text[:header])
    if role:
        found.append(
            Review(role.start(), role.end(), role.group(0), "the source's role in the header")
        )
    for unit in units(text, refs):
        # A verbless "A relative." / "(B) A clerk." left by the rewriting: a person
        # said for its own sake is the source's descriptor in disguise.
        piece = text[unit.start : unit.end]
        someone = _SOMEONE.match(piece, len(unit.marker))
        if someone and len(piece[len(unit.marker) :].split()) <= 5 and unit.kind != "line":
            found.append(Review(unit.start, unit.end, piece, "a person who may be the source"))
    for m in names_of(sources, levels or {}, text, known):
        found.append(
            Review(m.start(), m.end(), m.group(0), "a name from a declared attribute's value")
        )
    allowed_line = _descriptor_words(sources)
    for unit in units(text, refs):
        piece = text[unit.start : unit.end]
        if unit.kind == "handling":
            found.append(Review(unit.start, unit.end, piece, "a handling comment was kept"))
        elif unit.kind == "line":
            rest = piece[len(unit.marker) + len(unit.label) :]
            extra = [
                w for w in re.findall(r"[A-Za-z][\w-]*", rest) if w.casefold() not in allowed_line
            ]
            if extra:
                found.append(
                    Review(
                        unit.start,
                        unit.end,
                        piece,
                        f"the source line says more than the descriptor: {' '.join(extra)}",
                    )
                )
        elif unit.kind == "about":
            kept = _reported_form(piece[len(unit.marker) :])
            if kept is None:
                found.append(
                    Review(
                        unit.start, unit.end, piece, "a sentence about the source, not as reported"
                    )
                )
            elif _THIRD_PERSON.search(kept):
                found.append(
                    Review(
                        unit.start,
                        unit.end,
                        piece,
                        "reported content with a pronoun that may be the source",
                    )
                )
    for pattern in _COUNTS:
        for m in pattern.finditer(text):
            found.append(
                Review(m.start(), m.end(), m.group(0), "a count of the people who share an access")
            )
    if chosen is not None and any(u.kind == "line" for u in units(text, refs)):
        # The descriptor says each attribute at its chosen level; a level the
        # detector does not see there would make the k too high.
        for source in sources:
            seen = (levels or {}).get(source.id, {})
            for a, level in described(source, chosen.get(source.id, {})):
                if seen.get(a.name, 99) > level:
                    found.append(
                        Review(
                            0,
                            0,
                            a.value if level == 0 else a.generalizations[level - 1].value,
                            f"the source line describes {source.id} {a.name} at level "
                            f"{level}, which the detector does not find",
                        )
                    )
    unique = {(r.start, r.end, r.why): r for r in found}
    return tuple(sorted(unique.values(), key=lambda r: (r.start, r.end)))


_PERSON_WORD = re.compile(
    r"\b(?:" + "|".join(sorted(ROLE_HEADS | GENERIC_PEOPLE, key=len, reverse=True)) + r")s?\b",
    re.IGNORECASE,
)
_SOMEONE = re.compile(
    r"\b(?:a|an|one)[ \t]+(?:[\w-]+[ \t]+){0,2}?(?:"
    + "|".join(sorted(ROLE_HEADS | GENERIC_PEOPLE, key=len, reverse=True))
    + r")\b",
    re.IGNORECASE,
)


def _in_descriptor_line(text: str, pos: int) -> bool:
    line = text[text.rfind("\n", 0, pos) + 1 : pos]
    return bool(_LINE_LABEL.match(line))


_COMMON = words(
    """
    the a an of and in at on for to with by from section department office ministry
    directorate division unit group company bank branch station plant works centre center
    hospital school university institute agency service team desk range yard port
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday foreign defence defense interior
    finance agriculture trade space health naval navy army air force national state general
    central technical savings customs border guard signal battalion platoon container
    terminal dock hotel logistics maritime shipping motors works chemical water telecom media
    arena services ministry's republic federal royal north south east west northern southern
    eastern western upper lower new old saint
    """
)


def drop_declared_names(
    draft: Draft,
    sources: Sequence[Source],
    levels: Mapping[str, Mapping[str, int]],
    known: frozenset[str],
) -> None:
    """A name that is the intelligence stays unless it identifies a source by a
    declared attribute: a workplace's, post's or place's own name ("Orvasse"
    of "Orvasse Cement Works") goes with its unit where the chosen level does
    not keep that attribute's value."""
    note = Note("source", "a name from a declared attribute says where the source is")
    for _ in range(20):  # one at a time, the last first: the unit around it moves the text
        text = draft.text
        found = names_of(sources, levels, text, known)
        if not found:
            return
        last = max(found, key=lambda m: m.start())
        drop(draft, last.start(), last.end(), note, "employer")
        if draft.text == text:
            return


def _demonym(word: str, text: str, end: int) -> bool:
    """ "the Oskarian side", "Dalmerran procurement": a nationality before a
    common noun says a country, not a workplace."""
    return word.endswith(("ian", "ean", "an", "ese", "ish", "i")) and bool(
        re.match(r"[ \t]+[a-z]", text[end:])
    )


def names_of(
    sources: Sequence[Source],
    levels: Mapping[str, Mapping[str, int]],
    text: str,
    known: frozenset[str] = frozenset(),
) -> list[re.Match[str]]:
    """Capitalised words of the phrases of a declared workplace, post or place
    (its value and mentions) where the text keeps that attribute coarser than
    its value: a name kept as the intelligence (a plant, a ship's yard) may
    still say where the source works. ``known``: names the world declares
    (actors, groups), public and not a workplace's own."""
    found: list[re.Match[str]] = []
    # What any kept level says openly is no secret (nor its acronym).
    allowed: set[str] = set()
    for source in sources:
        for a in source.attributes:
            level = levels.get(source.id, {}).get(a.name)
            if level is None:
                continue
            said = a.value if level == 0 else a.generalizations[level - 1].value
            allowed |= {w.casefold() for w in re.findall(r"[\w-]+", said)}
            allowed.add("".join(w[0] for w in re.findall(r"\b[A-Z][\w-]*", said)).casefold())
    for source in sources:
        kept = levels.get(source.id, {})
        for a in source.attributes:
            if kept.get(a.name) == 0 or a.kind not in ("employer", "post", "place"):
                continue
            for phrase in (a.value, *a.mentions):
                for word in re.findall(r"\b[A-Z][\w-]{2,}", phrase):
                    if word.casefold() in _COMMON or word.casefold() in allowed:
                        continue
                    if word.casefold() in known:
                        continue
                    if word.casefold() in ROLE_HEADS or word.casefold() in GENERIC_PEOPLE:
                        continue
                    found += [
                        m
                        for m in re.finditer(r"\b" + re.escape(word) + r"(?:['’]s)?\b", text)
                        if not _demonym(word, text, m.end())
                    ]
    return found


_INTRO = re.compile(r"^(?:A source (?:reports|reported) that |According to a source, )")


def _reported_form(sentence: str) -> str | None:
    m = _INTRO.match(sentence)
    return sentence[m.end() :] if m else None


def _descriptor_words(sources: Sequence[Source]) -> frozenset[str]:
    out = set(words("a an the source sources of and at in for with on to access from who member"))
    out |= {chr(c).casefold() for c in range(ord("A"), ord("Z") + 1)}
    for s in sources:
        for a in s.attributes:
            for phrase in (a.value, *(g.value for g in a.generalizations)):
                out |= {w.casefold() for w in re.findall(r"[A-Za-z][\w-]*", phrase)}
    return frozenset(out)
