"""``sanitize``: the tearline version of a report, its change log and its k.

1. Detect what the original discloses (``detect``) and choose, per source,
   the level to keep of each attribute (``generalize``).
2. Apply the generic policy (``policy``): contact details, locations,
   plates, times, precise quantities, long quotes, names, code names.
3. Repair until nothing is disclosed more precisely than chosen: detect on
   the current text, and for each violating match re-render its dates at the
   chosen precision, substitute the chosen generalisation, or drop the
   detail (in that order of preference; a detail that resists twice is
   dropped, one that resists every repair takes its sentence with it).
4. Tidy the prose (``rewrite.tidy``), verify once more on the final text,
   and report k (and the caller's marginal risk) per source.

Pure: no I/O, no clock, no randomness.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from tearline.domain.reports import Report
from tearline.domain.sources import Source
from tearline.domain.world import World
from tearline.sanitize.dates import DateSpan, Precision, find_dates, render
from tearline.sanitize.detect import Match, compile_phrases, find_attributes
from tearline.sanitize.draft import Draft, Note
from tearline.sanitize.gazetteer import find_organisations, find_people, find_places
from tearline.sanitize.generalize import Acceptable, Choice, Levels, choose_levels, k_of
from tearline.sanitize.patterns import Finding, Kind, find_patterns, find_quotes
from tearline.sanitize.policy import DEFAULT, GenericPolicy, acts_on, apply
from tearline.sanitize.rewrite import drop, drop_sentence, previous_word, substitute, tidy

DEFAULT_TARGET_K = 1000.0
"""Without a target: the model's default adversary capacity (50 candidates)
over its default risk tolerance (0.05): P(identified | k) = capacity / k is
then at most 5 %."""

_ROUNDS = 80
_NOUNS = {
    "employer": "organisation",
    "post": "official",
    "place": "site",
    "access": "material",
    "timing": "occasion",
    "relation": "contact",
    "skill": "specialist",
}


class MarginalRisk(Protocol):
    """The caller's risk engine: the marginal risk to ``source`` of a release
    that discloses ``levels`` (attribute name -> level)."""

    def __call__(self, source: Source, levels: Mapping[str, int]) -> float: ...


@dataclass(frozen=True, slots=True)
class Change:
    """One change: ``[start, end)`` of the original became ``after``."""

    start: int
    end: int
    before: str
    after: str
    kind: str
    why: str
    source: str | None = None
    attribute: str | None = None


@dataclass(frozen=True, slots=True)
class SourceResult:
    source: str
    k: float
    levels: dict[str, int]
    original_levels: dict[str, int]
    original_k: float
    meets_target: bool
    marginal_risk: float | None = None


@dataclass(frozen=True, slots=True)
class Sanitized:
    original: str
    text: str
    changes: tuple[Change, ...]
    sources: tuple[SourceResult, ...]
    target_k: float
    flagged: tuple[Finding, ...] = field(default=())

    @property
    def meets_target(self) -> bool:
        return all(s.meets_target for s in self.sources)


def vocabulary(world: World | None) -> tuple[str, ...]:
    """Names a world knows (actors, groups): acronyms and not-a-person words."""
    if world is None:
        return ()
    return tuple(a.name for a in world.actors) + tuple(g.name for g in world.groups)


def sanitize(
    report: Report | str,
    sources: Sequence[Source],
    *,
    target_k: float | None = None,
    risk: MarginalRisk | None = None,
    max_risk: float | None = None,
    world: World | None = None,
    policy: GenericPolicy = DEFAULT,
) -> Sanitized:
    """The tearline of ``report`` for ``sources`` (see the module docstring).

    ``target_k``: the anonymity every source must keep (default
    ``DEFAULT_TARGET_K``). ``risk`` and ``max_risk``: when both are given,
    each source's marginal risk must also stay at or below ``max_risk``.
    ``world``: adds the actors' and groups' names (acronyms, not-a-person
    words) and every source's code name (never to leave)."""
    text = report.text if isinstance(report, Report) else report
    target = float(target_k) if target_k is not None else DEFAULT_TARGET_K
    names = vocabulary(world)
    original = find_attributes(text, sources, names)
    before = _levels(original)
    choices = {
        s.id: choose_levels(s, before.get(s.id, {}), target, acceptable=_hook(s, risk, max_risk))
        for s in sources
    }
    allowed = {(sid, n): lv for sid, c in choices.items() for n, lv in c.levels.items()}
    draft = Draft(text)
    flagged = _generic(draft, sources, world, policy)
    _repair(draft, sources, names, allowed, choices, target)
    tidy(draft, Note("prose", "the sentence was mended after the change"))
    _verify(draft, sources, names, allowed)
    after = _levels(find_attributes(draft.text, sources, names))
    results = tuple(
        SourceResult(
            source=s.id,
            k=k_of(s, after.get(s.id, {})),
            levels=after.get(s.id, {}),
            original_levels=before.get(s.id, {}),
            original_k=k_of(s, before.get(s.id, {})),
            meets_target=k_of(s, after.get(s.id, {})) >= target * (1 - 1e-9),
            marginal_risk=risk(s, after.get(s.id, {})) if risk is not None else None,
        )
        for s in sources
    )
    return Sanitized(text, draft.text, _changes(draft), results, target, tuple(flagged))


def _hook(source: Source, risk: MarginalRisk | None, max_risk: float | None) -> Acceptable | None:
    """The risk target as a yes/no on a level vector (None: no risk target)."""
    if risk is None or max_risk is None:
        return None
    bound = max_risk  # bound here so that the closure sees a float, not Optional

    def acceptable(levels: Levels) -> bool:
        return risk(source, levels) <= bound

    return acceptable


def _levels(matches: Iterable[Match]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for m in matches:
        levels = out.setdefault(m.source, {})
        levels[m.attribute] = min(levels.get(m.attribute, m.level), m.level)
    return out


# -- generic detail ------------------------------------------------------------------


def _generic(
    draft: Draft, sources: Sequence[Source], world: World | None, policy: GenericPolicy
) -> list[Finding]:
    text = draft.text
    dates = find_dates(text)
    known = _known_acronyms(sources, world)
    findings = find_patterns(text, known, tuple((d.start, d.end) for d in dates))
    codenames = {s.codename for s in (world.sources if world else sources)} | {
        s.codename for s in sources
    }
    findings = [
        Finding(f.start, f.end, f.text, Kind.SOURCE_CODENAME) if f.text in codenames else f
        for f in findings
    ]
    places = find_places(text)
    organisations = find_organisations(text)
    words = frozenset(w.casefold() for n in vocabulary(world) for w in n.split())
    people = [
        p
        for p in find_people(text, words)
        if not any(p.start < o.end and o.start < p.end for o in [*places, *organisations])
    ]
    others = [*findings, *people, *places, *organisations]
    quotes = [q for q in find_quotes(text) if acts_on(policy, q)]
    roles: dict[str, str] = {}
    flagged: list[Finding] = []
    for finding in [*quotes, *sorted(others, key=lambda f: f.start)]:
        if not acts_on(policy, finding):
            if finding.kind in (Kind.PLACE, Kind.ORGANISATION, Kind.CODENAME):
                flagged.append(finding)
            continue
        start, end = draft.current(finding.start), draft.current(finding.end)
        if start is None or end is None or draft.text[start:end] != finding.text:
            continue  # already changed with something else (a dropped sentence)
        apply(draft, Finding(start, end, finding.text, finding.kind), policy, roles)
    return flagged


def _known_acronyms(sources: Sequence[Source], world: World | None) -> frozenset[str]:
    """Upper-case words that name organisations, so are not code names."""
    names = [*vocabulary(world)]
    for p in compile_phrases(sources):
        names.append(p.text)
    found = {w for n in names for w in re.findall(r"\b[A-Z]{2,}\b", n)}
    found |= {m for n in names for m in re.findall(r"\(([A-Z]{2,})\)", n)}
    return frozenset(found)


# -- repairing attribute disclosures -----------------------------------------------------


def _violates(m: Match, allowed: Mapping[tuple[str, str], int]) -> bool:
    level = allowed.get((m.source, m.attribute))
    return level is None or m.level < level


@dataclass(frozen=True, slots=True)
class _Cluster:
    """Overlapping violating matches of one attribute, fixed as one."""

    source: str
    attribute: str
    start: int
    end: int
    words: tuple[tuple[int, int], ...]
    dates: tuple[DateSpan, ...]


def _merge(spans: Iterable[tuple[int, int]], gap: int = 1) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1] + gap:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return tuple(out)


def _clusters(violations: list[Match]) -> list[_Cluster]:
    out: list[_Cluster] = []
    for m in sorted(violations, key=lambda m: (m.source, m.attribute, m.start)):
        words = tuple(
            s for s in m.segments if not any(d.start <= s[0] and s[1] <= d.end for d in m.dates)
        )
        last = out[-1] if out else None
        if (
            last
            and (last.source, last.attribute) == (m.source, m.attribute)
            and m.start <= last.end + 2
        ):
            out[-1] = _Cluster(
                m.source,
                m.attribute,
                last.start,
                max(last.end, m.end),
                _merge([*last.words, *words]),
                tuple({d.start: d for d in (*last.dates, *m.dates)}.values()),
            )
        else:
            out.append(_Cluster(m.source, m.attribute, m.start, m.end, _merge(words), m.dates))
    return out


def _repair(
    draft: Draft,
    sources: Sequence[Source],
    names: tuple[str, ...],
    allowed: Mapping[tuple[str, str], int],
    choices: Mapping[str, Choice],
    target: float,
) -> None:
    by_id = {s.id: s for s in sources}
    attempts: Counter[tuple[str, str, str]] = Counter()
    for _ in range(_ROUNDS):
        matches = find_attributes(draft.text, sources, names)
        violations = [m for m in matches if _violates(m, allowed)]
        if not violations:
            return
        # The widest clusters first (fixing the whole value usually fixes what
        # overlaps it), then applied from the end of the text backwards so that
        # offsets still hold.
        chosen: list[_Cluster] = []
        for c in sorted(_clusters(violations), key=lambda c: -(c.end - c.start)):
            if not any(c.start < o.end and o.start < c.end for o in chosen):
                chosen.append(c)
        for c in sorted(chosen, key=lambda c: -c.start):
            source = by_id[c.source]
            note = Note(
                "date" if c.dates and not c.words else "attribute",
                _why(source, c.attribute, choices[c.source], target),
                c.source,
                c.attribute,
            )
            level = allowed.get((c.source, c.attribute))
            whole = _merge([*c.words, *((d.start, d.end) for d in c.dates)], gap=3)
            if level is None and c.dates and c.words and len(whole) == 1:
                # One phrase, words and date together ("member of the delegation
                # to Sarn, 11-15 March 2025"): nothing of it may remain.
                key = (c.source, c.attribute, "words")
                merged = _Cluster(c.source, c.attribute, c.start, c.end, ((c.start, c.end),), ())
                _fix_words(draft, source, merged, None, attempts[key], note)
                attempts[key] += 1
            elif c.dates:
                key = (c.source, c.attribute, "date")
                for date in sorted(c.dates, key=lambda d: -d.start):
                    _fix_date(draft, source, c.attribute, date, level, attempts[key], note)
                attempts[key] += 1
            elif c.words:
                key = (c.source, c.attribute, "words")
                _fix_words(draft, source, c, level, attempts[key], note)
                attempts[key] += 1
    # Whatever resisted every repair goes with its sentence.
    _verify(draft, sources, names, allowed)


def _fix_words(
    draft: Draft, source: Source, c: _Cluster, level: int | None, attempt: int, note: Note
) -> None:
    attribute = source.attribute(c.attribute)
    start, end = c.words[0][0], c.words[-1][1]
    if level and attempt == 0:
        value = attribute.generalizations[level - 1].value
        if substitute(draft, start, end, value, note):
            return
    noun = _NOUNS.get(attribute.kind, "detail")
    text = draft.text
    if "\n\n" not in text[start:end] and not re.search(r"[.!?;]\s", text[start:end]):
        drop(draft, start, end, note, noun)  # one clause: the whole description goes
        return
    # Spread over sentences: the last piece now, the rest in later rounds
    # (an edit may reach left of its span, so earlier offsets would not hold).
    last = c.words[-1]
    drop(draft, last[0], last[1], note, noun)


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
        drop(draft, date.start, date.end, note, "time", is_date=True)
        return
    start = date.start
    before = previous_word(text, start)
    coarse = precision is not None and precision >= Precision.PART_MONTH
    if before and before[0].casefold() == "on" and coarse:
        # "on 22 April" -> "in spring 2025"
        start = before[1]
        said = ("In " if before[0][0].isupper() else "in ") + said
    draft.replace(start, date.end, said, note)


def _verify(
    draft: Draft,
    sources: Sequence[Source],
    names: tuple[str, ...],
    allowed: Mapping[tuple[str, str], int],
) -> None:
    """Drop every sentence that still discloses more than allowed."""
    for _ in range(_ROUNDS):
        bad = [m for m in find_attributes(draft.text, sources, names) if _violates(m, allowed)]
        if not bad:
            return
        m = bad[-1]
        drop_sentence(
            draft,
            m.start,
            Note("attribute", "no rewording hid it: sentence dropped", m.source, m.attribute),
        )
        tidy(draft, Note("prose", "the text was mended after the change"))


def _why(source: Source, name: str, choice: Choice, target: float) -> str:
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


# -- the change log --------------------------------------------------------------------------


def _changes(draft: Draft) -> tuple[Change, ...]:
    """One change per run of edits that touch (whitespace between them merged)."""
    original = draft.original
    groups: list[list[int]] = []
    edits = draft.edits
    for i, edit in enumerate(edits):
        if groups:
            last = edits[groups[-1][-1]]
            gap = original[last.end : edit.start]
            if not gap.strip(" \t") and "\n\n" not in gap:
                groups[-1].append(i)
                continue
        groups.append([i])
    out = []
    for group in groups:
        first, last = edits[group[0]], edits[group[-1]]
        after = ""
        for j, i in enumerate(group):
            if j:
                after += original[edits[group[j - 1]].end : edits[i].start]
            after += edits[i].replacement
        notes = [n for i in group for n in edits[i].notes]
        main = next((n for n in notes if n.kind != "prose"), notes[0])
        whys = list(dict.fromkeys(n.why for n in notes if n.kind != "prose")) or [main.why]
        out.append(
            Change(
                first.start,
                last.end,
                original[first.start : last.end],
                after,
                main.kind,
                "; ".join(whys),
                main.source,
                main.attribute,
            )
        )
    return tuple(out)
