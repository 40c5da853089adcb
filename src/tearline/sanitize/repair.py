"""Repair a draft until it discloses nothing more precisely than chosen.

Each round detects on the current text and fixes every violating match,
from the end of the text backwards and at most one fix per sentence (a fix
may reach left within its sentence — an article, a preposition, a relative
pronoun — so a second fix in the same sentence waits for the next round,
when offsets are fresh). A match is fixed, in order of preference, by

1. saying its dates at the precision of the chosen generalisation's own date
   ("on 22 April 2025" -> "in spring 2025"), or dropping them with their
   preposition when it has none;
2. saying the chosen generalisation in the detail's slot (``render``);
3. deleting the detail with its syntactic unit (``delete.drop``).

Of a match whose words lie apart, the run that says most is fixed (names and
numbers weigh more than "officer"); runs of one name that only "of the" or a
bracketed acronym separate are one ("Design Bureau 7 (DB-7) of Velisk Motor
Works"). A generalisation is said once per sentence: a second mention of the
same detail there is deleted instead. After the repairs, a day-precise date
in a clause whose personal detail was changed is said by its month
(``coarsen_dates``).

A detail that resists a substitution is deleted the next time; one that
resists every repair takes its sentence with it (``verify``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from tearline.domain.sources import Source
from tearline.sanitize.dates import DateSpan, Precision, find_dates, render
from tearline.sanitize.delete import drop, drop_sentence, sentence_bounds
from tearline.sanitize.detect import GENERIC_WORDS, Match, find_attributes
from tearline.sanitize.draft import Draft, Note
from tearline.sanitize.generalize import Choice
from tearline.sanitize.lexicon import previous_word
from tearline.sanitize.render import substitute
from tearline.sanitize.text import STOPWORDS, stem
from tearline.sanitize.tidy import tidy

ROUNDS = 80
_WORD = re.compile(r"[^\W\d_]+|\d+")
_GIVE_UP = 3  # fixes of one detail before its sentence goes


def violates(m: Match, allowed: Mapping[tuple[str, str], int]) -> bool:
    level = allowed.get((m.source, m.attribute))
    return level is None or m.level < level


@dataclass(frozen=True, slots=True)
class _Target:
    """One thing to fix: a stretch of words of one attribute, or its dates."""

    source: str
    attribute: str
    start: int
    end: int
    dates: tuple[DateSpan, ...]


def _merge(spans: Iterable[tuple[int, int]], gap: int = 1) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1] + gap:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


# What may separate two runs of one name: an acronym in brackets, "of the".
_GLUE = re.compile(r"^[\s,()'’-]*(?:(?:of|the|and|for|in|at|on)\s+){0,2}[\s,()]*$")


def _join(text: str, runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Runs of a match that only punctuation or "of the" separate are one
    name ("Design Bureau 7 (DB-7) of Velisk Motor Works")."""
    out: list[tuple[int, int]] = []
    for run in runs:
        if out and _GLUE.match(text[out[-1][1] : run[0]]):
            out[-1] = (out[-1][0], run[1])
        else:
            out.append(run)
    return out


def _weight(words: str) -> float:
    found = _WORD.findall(words)
    return sum(
        2.0 if w[:1].isupper() or w[:1].isdigit() else 0.5 if stem(w) in GENERIC_WORDS else 1.0
        for w in found
        if w.casefold() not in STOPWORDS
    )


def _target(text: str, m: Match) -> _Target:
    """What to fix of a match: its dates when it has any (they are said at
    a coarser precision first), else its weightiest run of words — a match
    can hold words far apart, and fixing the main run is what breaks it."""
    # "the 3rd Corvette Squadron" is an ordinal, not a date to re-render.
    dates = tuple(d for d in m.dates if d.when.day_only is None)
    words = [s for s in m.segments if not any(d.start <= s[0] and s[1] <= d.end for d in dates)]
    if dates:
        return _Target(m.source, m.attribute, m.start, m.end, dates)
    runs = _join(text, _merge(words)) or [(m.start, m.end)]
    # The run that says most (names and numbers weigh more than "officer"
    # or "section"): in "the Aldren desk with input from an officer" the
    # detail is "Aldren desk".
    start, end = max(runs, key=lambda r: (_weight(text[r[0] : r[1]]), r[1] - r[0], r[0]))
    return _Target(m.source, m.attribute, start, end, ())


def _glued(text: str, targets: Iterable[_Target]) -> list[_Target]:
    """Word targets of one attribute that only glue separates are one
    ("Design Bureau 7" and "DB-7) of Velisk Motor Works")."""
    out: list[_Target] = []
    for t in sorted(targets, key=lambda t: (t.source, t.attribute, t.start)):
        last = out[-1] if out else None
        if (
            last is not None
            and (last.source, last.attribute) == (t.source, t.attribute)
            and not last.dates
            and not t.dates
            and t.start <= last.end + 40
            and (t.start <= last.end or _GLUE.match(text[last.end : t.start]))
        ):
            out[-1] = _Target(t.source, t.attribute, last.start, max(last.end, t.end), ())
        else:
            out.append(t)
    return out


def repair(
    draft: Draft,
    sources: Sequence[Source],
    names: tuple[str, ...],
    allowed: Mapping[tuple[str, str], int],
    choices: Mapping[str, Choice],
    target: float,
) -> None:
    """Fix the draft until no match violates ``allowed`` (module docstring)."""
    by_id = {s.id: s for s in sources}
    attempts: Counter[tuple[str, str, str]] = Counter()
    for _ in range(ROUNDS):
        text = draft.text
        violations = [m for m in find_attributes(text, sources, names) if violates(m, allowed)]
        if not violations:
            return
        targets = sorted(
            _glued(text, {_target(text, m) for m in violations}),
            key=lambda t: (-t.end, -(t.end - t.start)),
        )
        floor = len(text) + 1
        for t in targets:
            if t.end > floor:
                continue  # same sentence as a fix of this round: next round
            source = by_id[t.source]
            note = Note(
                "date" if t.dates else "attribute",
                why(source, t.attribute, choices[t.source], target),
                t.source,
                t.attribute,
            )
            level = allowed.get((t.source, t.attribute))
            # The same words from the same place of the original (or the same
            # edit) are the same detail, whatever changed around them.
            origin, untouched = draft.origin(t.start)
            said = text[t.start : t.end].casefold()
            key = (t.source, t.attribute, f"{origin}:{untouched}:{said}")
            attempt = attempts[key]
            attempts[key] += 1
            floor = sentence_bounds(text, t.start)[0]
            if attempt >= _GIVE_UP:
                drop_sentence(draft, t.start, note)
            elif t.dates:
                for date in sorted(t.dates, key=lambda d: -d.start):
                    _fix_date(draft, source, t.attribute, date, level, attempt, note)
            else:
                _fix_words(draft, source, t, level, attempt, note)
    # Whatever resisted every repair goes with its sentence.
    verify(draft, sources, names, allowed)


def _fix_words(
    draft: Draft, source: Source, t: _Target, level: int | None, attempt: int, note: Note
) -> None:
    attribute = source.attribute(t.attribute)
    if level and attempt == 0:
        value = attribute.generalizations[level - 1].value
        first, last = sentence_bounds(draft.text, t.start)
        # Said once per sentence: a second "at the Kharovian Ministry of
        # Defence" adds nothing, so that detail goes instead.
        said = re.sub(r"^(?:the|a|an)\s+", "", value, flags=re.IGNORECASE).casefold()
        text = draft.text
        again = said in (text[first : t.start] + " … " + text[t.end : last]).casefold()
        if not again and substitute(draft, t.start, t.end, value, attribute.kind, note):
            return
    drop(draft, t.start, t.end, note, attribute.kind)


def _fix_date(
    draft: Draft,
    source: Source,
    name: str,
    date: DateSpan,
    level: int | None,
    attempt: int,
    note: Note,
) -> None:
    """Say the date no more precisely than the chosen generalisation does
    ("22 April 2025" -> "spring 2025"), or drop it when that has no date."""
    text = draft.text
    if text[date.start : date.end] != date.text:
        return
    targets = []
    if level:
        targets = find_dates(source.attribute(name).generalizations[level - 1].value)
    precision = max((t.when.precision for t in targets), default=None)
    said = render(date.when, precision) if precision is not None and attempt < 2 else None
    if said is None:
        drop(draft, date.start, date.end, note, "timing", is_date=True)
        return
    start = date.start
    before = previous_word(text, start)
    coarse = precision is not None and precision >= Precision.PART_MONTH
    if before and before[0].casefold() == "on" and coarse:
        # "on 22 April" -> "in spring 2025"
        start = before[1]
        said = ("In " if before[0][0].isupper() else "in ") + said
    draft.replace(start, date.end, said, note)


# Attributes about what the person did or is: a day-precise date in the same
# sentence says when *they* did it.
_PERSONAL = frozenset(["post", "relation", "skill", "access", "timing"])


def coarsen_dates(draft: Draft, sources: Sequence[Source]) -> None:
    """Say day-precise dates at month precision ("on January 9th" -> "in
    January") in every sentence where a detail about a source's person was
    changed: "the section's deputy head countersigned on January 9th" dates
    the source's own act, and the day narrows who could have done it."""
    kinds = {(s.id, a.name): a.kind for s in sources for a in s.attributes}
    for _ in range(ROUNDS):
        text = draft.text
        sentences = {
            _clause(text, start)
            for start, _end, notes in draft.notes_at()
            if any(kinds.get((n.source or "", n.attribute or "")) in _PERSONAL for n in notes)
        }
        edited = draft.edited()
        todo = [
            (first + d.start, first + d.end, d)
            for first, last in sentences
            for d in find_dates(text[first:last])
            if d.when.precision <= Precision.DAYS
            and d.when.day_only is None
            and not any(s < first + d.end and first + d.start < e for s, e in edited)
        ]
        if not todo:
            return
        start, end, date = max(todo, key=lambda t: t[0])
        said = render(date.when, Precision.MONTH)
        if said is None:
            return
        before = previous_word(text, start)
        if before and before[0].casefold() == "on":
            start, said = before[1], ("In " if before[0][0].isupper() else "in ") + said
        draft.replace(start, end, said, Note("date", _COARSER))


def _clause(text: str, pos: int) -> tuple[int, int]:
    """The part of the sentence around ``pos`` between semicolons."""
    first, last = sentence_bounds(text, pos)
    left = text.rfind(";", first, pos)
    right = text.find(";", pos, last)
    return (left + 1 if left >= 0 else first), (right if right >= 0 else last)


_COARSER = "a day-precise date next to a detail about the source says when they acted"


def verify(
    draft: Draft,
    sources: Sequence[Source],
    names: tuple[str, ...],
    allowed: Mapping[tuple[str, str], int],
) -> None:
    """Drop every sentence that still discloses more than allowed."""
    for _ in range(ROUNDS):
        bad = [m for m in find_attributes(draft.text, sources, names) if violates(m, allowed)]
        if not bad:
            return
        m = bad[-1]
        drop_sentence(
            draft,
            m.start,
            Note("attribute", "no rewording hid it: sentence dropped", m.source, m.attribute),
        )
        tidy(draft, Note("prose", "the text was mended after the change"))


def why(source: Source, name: str, choice: Choice, target: float) -> str:
    """The change log's reason for a change to attribute ``name``."""
    attribute = source.attribute(name)
    level = choice.levels.get(name)
    k = f"k = {choice.k:,.0f}"
    if level is None:
        return (
            f"{source.id} {name} ({attribute.kind}): no generalisation keeps k ≥ {target:,.0f}; "
            f"dropped ({k})"
        )
    if level == 0:
        return f"{source.id} {name} ({attribute.kind}): kept as is ({k})"
    g = attribute.generalizations[level - 1]
    return (
        f"{source.id} {name} ({attribute.kind}): generalised to level {level} "
        f"“{g.value}” (selectivity {g.selectivity:g}) so that {k} ≥ {target:,.0f}"
    )
