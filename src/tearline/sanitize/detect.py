"""Find every span of a text that discloses an attribute of a source.

An attribute can be recognised at several levels: level 0 is its value and
its ``mentions``, level i its i-th generalization. Each of these phrases is
compiled into *features*: the stems of its content words and the dates it
names. A stretch of one sentence discloses the phrase when it holds enough of
those features close together, in any order:

* words match by stem (inflections, possessives, abbreviations: ``text``),
  by acronym in either direction ("GDAP" ~ "General Directorate of Armaments
  Procurement", "DB-7" ~ "Design Bureau 7"), or fuzzily (one typo: edit
  similarity ≥ 85 % between words of five letters or more whose lengths
  differ by at most one, via rapidfuzz);
* dates match as intervals (``dates.matches``), whatever their format;
* order does not matter ("the ministry's procurement directorate" ~
  "procurement directorate of the ministry") and line breaks are spaces.

*Enough*: every feature for phrases of up to three features; otherwise at
least 75 % of the phrase's weight, where numbers, dates and proper names weigh
2, generic office words ("staff", "officer", "section", ...) 0.5, and other
words 1. The window is the phrase's feature count plus as many again (at
least two), counted in content words, inside one clause: a sentence, cut
again at finite verbs such as "is" or "told" (``text.CLAUSE_BREAKERS``).

``disclosures`` reduces the matches to what the risk engine needs: for each
(source, attribute), the most specific level that the text discloses.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from tearline.domain.sources import Source
from tearline.sanitize.dates import DateSpan, When, find_dates, matches
from tearline.sanitize.gazetteer import (
    acronyms_of,
    alias_table,
    capitalised_chunks,
    surnames_in,
)
from tearline.sanitize.text import Token, tokenize

GENERIC_WORDS = frozenset(
    [
        "staff",
        "officer",
        "official",
        "section",
        "department",
        "head",
        "member",
        "access",
        "information",
        "person",
        "people",
        "team",
        "unit",
        "office",
        "work",
        "worker",
        "employee",
        "service",
        "data",
        "file",
        "document",
        "programme",
        "program",
    ]
)
FUZZY_CUTOFF = 85.0
FUZZY_MIN_LENGTH = 5
COVERAGE = 0.75
COVERAGE_SHORT = 0.85
_STRAY = 4  # content words between a match's last word and the rest
_HEAD_ENDS = frozenset(["of", "from", "for", "on", "at", "in", "to", "with", "by", "near", "under"])


@dataclass(frozen=True, slots=True)
class Phrase:
    """One way an attribute can be said, at one level, compiled to features."""

    source: str
    attribute: str
    level: int
    text: str
    words: tuple[str, ...]
    weights: tuple[float, ...]
    dates: tuple[When, ...]
    head: int = -1

    @property
    def size(self) -> int:
        return len(self.words) + len(self.dates)

    @property
    def total(self) -> float:
        return sum(self.weights) + 2.0 * len(self.dates)


@dataclass(frozen=True, slots=True)
class Match:
    """A stretch of text that discloses ``attribute`` of ``source`` at ``level``.

    ``segments`` are the character ranges of the matched words and dates (a
    match may leave unrelated words between them); ``dates`` the text's dates
    that matched a date of the phrase."""

    source: str
    attribute: str
    level: int
    start: int
    end: int
    segments: tuple[tuple[int, int], ...]
    dates: tuple[DateSpan, ...]
    phrase: Phrase
    coverage: float


def compile_phrases(sources: Iterable[Source]) -> tuple[Phrase, ...]:
    phrases: list[Phrase] = []
    for source in sources:
        for attribute in source.attributes:
            said = [(0, attribute.value), *((0, m) for m in attribute.mentions)]
            said += [(i + 1, g.value) for i, g in enumerate(attribute.generalizations)]
            # A titled name said once is then said by its surname alone
            # ("Colonel Savan" ... "Savan's office").
            said += [(lv, name) for lv, t in list(said) for name in surnames_in(t)]
            for level, text in dict.fromkeys(said):
                phrase = _compile(source.id, attribute.name, level, text)
                if phrase.size:
                    phrases.append(phrase)
    return tuple(phrases)


def _compile(source: str, attribute: str, level: int, text: str) -> Phrase:
    dates = find_dates(text)
    inside = [(d.start, d.end) for d in dates]
    words: list[str] = []
    weights: list[float] = []
    for token in tokenize(text):
        if token.is_stopword or any(s <= token.start < e for s, e in inside):
            continue
        if token.stem in words:
            continue
        words.append(token.stem)
        weights.append(_weight(token, text))
    # The head: the last word before the first preposition or comma ("bills
    # of lading" -> "bills"; "lead engineer, test stand No. 2" -> "engineer").
    heads: list[str] = []
    plain = re.sub(r"\([^)]*\)", lambda m: " " * len(m.group()), text)
    for t in tokenize(plain):
        if heads and (t.raw.casefold() in _HEAD_ENDS or plain[t.start - 2 : t.start] == ", "):
            break
        if not t.is_stopword and not any(s <= t.start < e for s, e in inside):
            heads.append(t.stem)
    head = words.index(heads[-1]) if heads and heads[-1] in words else -1
    return Phrase(
        source,
        attribute,
        level,
        text,
        tuple(words),
        tuple(weights),
        tuple(d.when for d in dates),
        head,
    )


def _weight(token: Token, text: str) -> float:
    if token.raw.isdigit() or token.is_upper or any(c.isdigit() for c in token.raw):
        return 2.0
    if token.is_capitalised and token.start > 0:
        return 2.0
    if token.stem in GENERIC_WORDS or token.raw.casefold() in GENERIC_WORDS:
        return 0.5
    return 1.0


@dataclass(frozen=True, slots=True)
class _Index:
    """The text, tokenised, with what each content position can stand for."""

    tokens: tuple[Token, ...]  # content tokens only
    stems: tuple[frozenset[str], ...]
    runs: tuple[Mapping[str, tuple[int, int]], ...]  # acronym -> positions of its name
    dates: tuple[DateSpan, ...]
    date_at: tuple[tuple[int, ...], ...]  # per position: indexes into dates
    vocabulary: tuple[str, ...]
    # per position: a word abbreviated with a dot ("Sig.", "Bn.", "Sergt.")
    dotted: tuple[bool, ...] = ()


def _abbreviates(short: str, word: str) -> bool:
    """ "sig" ~ signal, "bn" ~ battalion, "sergt" ~ sergeant: the same first
    letter, the other letters in order, shorter than the word."""
    if len(short) < 2 or len(short) >= len(word) or short[0] != word[0]:
        return False
    rest = iter(word[1:])
    return all(c in rest for c in short[1:])


def _spelled_numbers(text: str, tokens: list[Token], stems: list[set[str]]) -> None:
    """ "four-fourteen" also says 414 (a room, a flight), "forty-two" 42."""
    for i in range(len(tokens) - 1):
        a, b = tokens[i], tokens[i + 1]
        if text[a.end : b.start] != "-" or not (a.stem.isdigit() and b.stem.isdigit()):
            continue
        if a.raw.isdigit() and b.raw.isdigit():
            continue  # "2017-2021" is a range, not a number
        joined = {a.stem + b.stem}
        if int(a.stem) % 10 == 0 and int(a.stem) >= 20 and int(b.stem) < 10:
            joined.add(str(int(a.stem) + int(b.stem)))
        stems[i] |= joined
        stems[i + 1] |= joined


def _index(text: str, names: tuple[str, ...]) -> _Index:
    tokens = [t for t in tokenize(text) if not t.is_stopword]
    aliases = alias_table(names, text)
    stems: list[set[str]] = [{t.stem} for t in tokens]
    _spelled_numbers(text, tokens, stems)
    for i, t in enumerate(tokens):
        # An acronym written in the text stands for the words of its name.
        if (t.is_upper or any(c.isdigit() for c in t.stem)) and t.stem in aliases:
            stems[i] |= aliases[t.stem]
    # And a name written out stands for its acronym.
    runs: list[dict[str, tuple[int, int]]] = [{} for _ in tokens]
    starts = {t.start: i for i, t in enumerate(tokens)}
    for start, chunk_end, _words in capitalised_chunks(text):
        first = starts.get(start)
        if first is None:
            continue
        span = [i for i in range(first, len(tokens)) if tokens[i].start < chunk_end]
        for a in range(len(span)):
            for b in range(a + 2, min(len(span), a + 7) + 1):
                sub = text[tokens[span[a]].start : tokens[span[b - 1]].end]
                for acronym in acronyms_of(sub):
                    for i in span[a:b]:
                        stems[i].add(acronym)
                        runs[i].setdefault(acronym, (span[a], span[b - 1]))
    dates = find_dates(text)
    date_at = [tuple(k for k, d in enumerate(dates) if d.start <= t.start < d.end) for t in tokens]
    vocabulary = tuple(sorted({s for group in stems for s in group}))
    return _Index(
        tuple(tokens),
        tuple(frozenset(s) for s in stems),
        tuple(runs),
        tuple(dates),
        tuple(date_at),
        vocabulary,
        tuple(
            text[t.end : t.end + 1] == "." and t.raw.isalpha() and 2 <= len(t.raw) <= 6
            for t in tokens
        ),
    )


# Words one letter apart that are not typos of each other: "the Minister of
# Defence" is a person, not the Ministry of Defence.
NOT_TYPOS = frozenset(
    [
        frozenset(["minister", "ministry"]),
        frozenset(["offic", "officer"]),
        frozenset(["direct", "director"]),
    ]
)


def _fuzzy(word: str, vocabulary: Sequence[str]) -> set[str]:
    if len(word) < FUZZY_MIN_LENGTH or not word.isalpha():
        return {word}
    near = process.extract(
        word, vocabulary, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=None
    )
    return {word} | {
        candidate
        for candidate, _score, _ in near
        if abs(len(candidate) - len(word)) <= 1
        and candidate[:1] == word[:1]
        and frozenset([word, candidate]) not in NOT_TYPOS
    }


def _find(phrase: Phrase, index: _Index) -> list[Match]:
    n = len(index.tokens)
    candidates: list[set[int]] = []
    for word in phrase.words:
        forms = _fuzzy(word, index.vocabulary)
        candidates.append(
            {
                i
                for i in range(n)
                if index.stems[i] & forms
                or (
                    index.dotted[i]
                    and word.isalpha()
                    and _abbreviates(index.tokens[i].raw.casefold(), word)
                )
            }
        )
    # A generalization that is only a period ("late 2025") is said by a date
    # of that period only when both years are written: "September" alone is
    # not "late 2025".
    date_only = phrase.level > 0 and not phrase.words
    for when in phrase.dates:
        hits = {
            k
            for k, d in enumerate(index.dates)
            if matches(d.when, when) and not (date_only and not d.when.year_known)
        }
        candidates.append({i for i in range(n) if set(index.date_at[i]) & hits})
    weights = [*phrase.weights, *(2.0 for _ in phrase.dates)]
    total = sum(weights)
    window = phrase.size + max(2, phrase.size) + 2 * len(phrase.dates)
    anchors = sorted(set().union(*candidates)) if candidates else []
    found: list[Match] = []
    for a in anchors:
        clause = index.tokens[a].clause
        picked: dict[int, int] = {}  # feature -> position
        for feature, positions in enumerate(candidates):
            best = min(
                (p for p in positions if a <= p < a + window and index.tokens[p].clause == clause),
                default=None,
            )
            if best is not None:
                picked[feature] = best
        picked = _trim(picked, weights, total, len(candidates))
        chosen = list(picked.values())
        got = sum(weights[f] for f in picked)
        if a not in chosen or not _enough(got, total, len(chosen), len(candidates)):
            continue
        # The head of a noun phrase is its last word: "second-stage motor
        # telemetry" is not said by "second-stage motor".
        if phrase.words and len(candidates) > 3 and not _has_head(phrase, candidates, chosen):
            continue
        # A word matched through the acronym of a written-out name stands for
        # the whole name: "DB-7" is said by all of "Design Bureau 7".
        for word in phrase.words:
            for p in list(chosen):
                if word in index.runs[p]:
                    first, last = index.runs[p][word]
                    chosen += range(first, last + 1)
        found.append(_match(phrase, index, sorted(set(chosen)), got / total))
    return _best(found)


def _trim(picked: dict[int, int], weights: list[float], total: float, size: int) -> dict[int, int]:
    """Drop stray far-right words while the rest still suffices: "lead engineer
    on Stand 2 …, with direct access to TORVAL test planning" should end at
    "Stand 2", not reach for "test"."""
    picked = dict(picked)
    while len(picked) > 1:
        order = sorted(picked.items(), key=lambda fp: fp[1])
        (last_feature, last), (_, previous) = order[-1], order[-2]
        if last - previous <= 2:
            break
        rest = {f: p for f, p in picked.items() if f != last_feature}
        if not _enough(sum(weights[f] for f in rest), total, len(rest), size):
            # The stray word is needed: a phrase that far apart is not one.
            return {} if last - previous > _STRAY else picked
        picked = rest
    return picked


def _head(phrase: Phrase) -> int:
    """Index of the head word: the last word before an "of", else the last."""
    return phrase.head if phrase.head >= 0 else len(phrase.words) - 1


def _has_head(phrase: Phrase, candidates: list[set[int]], chosen: list[int]) -> bool:
    return bool(candidates[_head(phrase)] & set(chosen))


def _enough(got: float, total: float, hit: int, size: int) -> bool:
    # A short phrase is its words: "Vigil Front channel" is not "Vigil Front".
    if size <= 3:
        return hit == size
    # Four or five features may miss only a light one ("Directorate of
    # Cadres, State Security Police" is not "SSP Directorate K").
    needed = COVERAGE_SHORT if size <= 5 else COVERAGE
    return got >= needed * total - 1e-9


def _match(phrase: Phrase, index: _Index, positions: list[int], coverage: float) -> Match:
    """Positions next to each other (stopwords between allowed) form one segment."""
    used_dates = sorted({k for p in positions for k in index.date_at[p]})
    runs: list[list[int]] = []
    for p in positions:
        if runs and p == runs[-1][-1] + 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    segments: list[tuple[int, int]] = []
    for run in runs:
        start, end = index.tokens[run[0]].start, index.tokens[run[-1]].end
        for p in run:
            for k in index.date_at[p]:
                start, end = min(start, index.dates[k].start), max(end, index.dates[k].end)
        if segments and start <= segments[-1][1]:
            segments[-1] = (segments[-1][0], max(end, segments[-1][1]))
        else:
            segments.append((start, end))
    return Match(
        phrase.source,
        phrase.attribute,
        phrase.level,
        segments[0][0],
        segments[-1][1],
        tuple(segments),
        tuple(index.dates[k] for k in used_dates),
        phrase,
        coverage,
    )


def _best(found: list[Match]) -> list[Match]:
    """Of overlapping matches of one phrase, the best covered, then shortest."""
    kept: list[Match] = []
    for m in sorted(found, key=lambda m: (-m.coverage, m.end - m.start, m.start)):
        if not any(m.start < k.end and k.start < m.end for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: m.start)


@functools.lru_cache(maxsize=512)
def _detect(text: str, sources: tuple[Source, ...], names: tuple[str, ...]) -> tuple[Match, ...]:
    phrases = compile_phrases(sources)
    vocabulary = names + tuple(p.text for p in phrases)
    index = _index(text, vocabulary)
    out: list[Match] = []
    for phrase in phrases:
        out += _find(phrase, index)
    return tuple(sorted(out, key=lambda m: (m.start, m.level)))


def find_attributes(
    text: str, sources: Sequence[Source], names: Iterable[str] = ()
) -> tuple[Match, ...]:
    """Every match of every attribute phrase of ``sources`` in ``text``.

    ``names`` adds vocabulary for acronyms (actor and group names)."""
    return _detect(text, tuple(sources), tuple(sorted(set(names))))


def disclosures(
    text: str, sources: Sequence[Source], names: Iterable[str] = ()
) -> dict[tuple[str, str], int]:
    """The most specific level of each attribute that ``text`` discloses:
    ``{(source id, attribute name): level}``, level 0 the value itself, i the
    i-th generalization; an attribute not disclosed is absent."""
    found: dict[tuple[str, str], int] = {}
    for m in find_attributes(text, sources, names):
        key = (m.source, m.attribute)
        found[key] = min(found.get(key, m.level), m.level)
    return found


def anonymity(source: Source, levels: Mapping[str, int]) -> float:
    """k = max(1, population · Π selectivity at the disclosed levels)
    (``Source.anonymity``, the one definition)."""
    return source.anonymity(levels)
