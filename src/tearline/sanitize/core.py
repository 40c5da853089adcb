"""``sanitize``: the tearline version of a report, its change log and its k.

1. Detect what the original discloses (``detect``) and choose, per source,
   the level to keep of each attribute (``generalize``).
2. Apply the generic policy (``policy``): contact details, locations,
   plates, times, precise quantities, long quotes, names, code names.
3. Repair until nothing is disclosed more precisely than chosen
   (``repair``): re-render dates at the chosen precision, say the chosen
   generalisation in the detail's slot (``render``), or delete the detail
   with its syntactic unit (``delete``), in that order of preference; then
   say day-precise dates next to a changed personal detail by their month.
4. Tidy the prose (``tidy``), verify once more on the final text, and
   report k (and the caller's marginal risk) per source.

Pure: no I/O, no clock, no randomness.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from tearline.domain.reports import Report
from tearline.domain.sources import Source
from tearline.domain.world import World
from tearline.sanitize.about import References, Review, drop_declared_names, restrict, review
from tearline.sanitize.dates import find_dates
from tearline.sanitize.detect import Match, compile_phrases, find_attributes
from tearline.sanitize.document import join, render, split, value_of
from tearline.sanitize.draft import Draft, Edit, Note
from tearline.sanitize.gazetteer import find_organisations, find_people, find_places
from tearline.sanitize.generalize import Acceptable, Levels, choose_levels, k_of
from tearline.sanitize.patterns import Finding, Kind, find_patterns, find_quotes
from tearline.sanitize.policy import DEFAULT, GenericPolicy, acts_on, apply
from tearline.sanitize.repair import coarsen_dates, repair, verify
from tearline.sanitize.tidy import tidy

DEFAULT_TARGET_K = 1000.0
"""Without a target: the model's default adversary capacity (50 candidates)
over its default risk tolerance (0.05): P(identified | k) = capacity / k is
then at most 5 %."""


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
class HeaderField:
    """A header field of the report (title, id, category), sanitised with the
    body: ``changes`` are in the field's own coordinates."""

    name: str
    original: str
    text: str
    changes: tuple[Change, ...] = ()


@dataclass(frozen=True, slots=True)
class Sanitized:
    """The tearline. ``original``/``text``/``changes`` are the body; ``header``
    the report's header fields, sanitised in the same pass and counted in the
    same k (``released`` is everything together, as it leaves)."""

    original: str
    text: str
    changes: tuple[Change, ...]
    sources: tuple[SourceResult, ...]
    target_k: float
    flagged: tuple[Finding, ...] = field(default=())
    header: tuple[HeaderField, ...] = field(default=())
    review: tuple[Review, ...] = field(default=())

    @property
    def k_verified(self) -> bool:
        """True when every k is a proven lower bound: nothing that may still
        say who a source is was left for a person to judge (``review``)."""
        return not self.review

    @property
    def meets_target(self) -> bool:
        return all(s.meets_target for s in self.sources)

    def field(self, name: str) -> str:
        """A sanitised header field by name (KeyError when the report had none)."""
        for f in self.header:
            if f.name == name:
                return f.text
        raise KeyError(name)

    @property
    def released(self) -> str:
        """Header fields and body, as the sanitiser verified them together."""
        return join(tuple((f.name, f.text) for f in self.header), self.text)[0]


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
    body = report.plain_text if isinstance(report, Report) else report
    text, regions = join(header_fields(report), body)
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
    flagged = _generic(draft, sources, world, policy, original)
    refs = References(sources, _codenames(sources, world))
    restrict(draft, sources, refs, {sid: c.levels for sid, c in choices.items()})
    repair(draft, sources, names, allowed, choices, target)
    coarsen_dates(draft, sources)
    tidy(draft, Note("prose", "the sentence was mended after the change"))
    # Rewording can make a sentence about a source ("Egret" -> "the source"):
    # the class is applied again to what the repair wrote.
    restrict(draft, sources, refs, {sid: c.levels for sid, c in choices.items()})
    known = frozenset(w.casefold() for n in names for w in re.findall(r"[\w-]+", n))
    drop_declared_names(draft, sources, {sid: c.levels for sid, c in choices.items()}, known)
    tidy(draft, Note("prose", "the sentence was mended after the change"))
    verify(draft, sources, names, allowed)
    after = _levels(find_attributes(draft.text, sources, names))
    header_end = draft.current(regions[-1].start)
    chosen = {sid: c.levels for sid, c in choices.items()}
    to_review = review(draft.text, refs, sources, header_end or 0, after, known, chosen)
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
    parts = split(text, draft.edits, regions)
    fields = []
    for region, edits in zip(regions[:-1], parts[:-1], strict=True):
        piece = text[region.start : region.end]
        fields.append(
            HeaderField(
                region.name,
                value_of(region.name, piece),
                value_of(region.name, render(piece, edits)),
                _changes(piece, edits),
            )
        )
    return Sanitized(
        body,
        render(body, parts[-1]),
        _changes(body, parts[-1]),
        results,
        target,
        tuple(flagged),
        tuple(fields),
        to_review,
    )


def header_fields(report: Report | str) -> tuple[tuple[str, str], ...]:
    """What of a report leaves with its body: title, id and category."""
    if not isinstance(report, Report):
        return ()
    return (("title", report.title), ("report", report.id), ("category", report.category))


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
    draft: Draft,
    sources: Sequence[Source],
    world: World | None,
    policy: GenericPolicy,
    attributes: Sequence[Match],
) -> list[Finding]:
    text = draft.text
    dates = find_dates(text)
    known = _known_acronyms(sources, world)
    findings = find_patterns(text, known, tuple((d.start, d.end) for d in dates))
    codenames = set(_codenames(sources, world))
    findings = [
        Finding(f.start, f.end, f.text, Kind.SOURCE_CODENAME) if f.text in codenames else f
        for f in findings
    ]
    places = find_places(text)
    organisations = find_organisations(text)
    words = frozenset(w.casefold() for n in vocabulary(world) for w in n.split())
    # A "name" inside a declared organisation or place ("Northsea Ferries",
    # "Banca Lorenza") is that attribute's to rewrite, not a person.
    things = [
        segment
        for m in attributes
        for segment in m.segments
        if _by_id(sources, m.source).attribute(m.attribute).kind in ("employer", "place")
    ]
    people = [
        p
        for p in find_people(text, words)
        if not _named_group(text, p.start, p.end)
        and not any(p.start < o.end and o.start < p.end for o in [*places, *organisations])
        and not any(p.start < e and s < p.end for s, e in things)
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


def _codenames(sources: Sequence[Source], world: World | None) -> tuple[str, ...]:
    """Every source's code name the world knows (never to leave)."""
    return tuple(sorted({s.codename for s in (*sources, *(world.sources if world else ()))}))


_GROUP_NOUNS = re.compile(
    r"[ \t]+(?:militia|group|gang|ring|network|cell|family|clan|brigade|movement|front|party|"
    r"company|firm|cartel|syndicate|organisation|organization|faction|crew|club|line|lines)\b"
)


def _named_group(text: str, start: int, end: int) -> bool:
    """ "the Red Dawn militia", "the Morrow network": a name before a group
    noun, or after "the", is a group's (the intelligence), not a person's."""
    return (
        bool(_GROUP_NOUNS.match(text, end)) or text[max(0, start - 4) : start].casefold() == "the "
    )


def _by_id(sources: Sequence[Source], source_id: str) -> Source:
    return next(s for s in sources if s.id == source_id)


def _known_acronyms(sources: Sequence[Source], world: World | None) -> frozenset[str]:
    """Upper-case words that name organisations, so are not code names."""
    names = [*vocabulary(world)]
    for p in compile_phrases(sources):
        names.append(p.text)
    found = {w for n in names for w in re.findall(r"\b[A-Z]{2,}\b", n)}
    found |= {m for n in names for m in re.findall(r"\(([A-Z]{2,})\)", n)}
    return frozenset(found)


# -- the change log --------------------------------------------------------------------------


def _changes(original: str, edits: Sequence[Edit]) -> tuple[Change, ...]:
    """One change per run of edits that touch (whitespace between them merged)."""
    groups: list[list[int]] = []
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
