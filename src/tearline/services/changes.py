"""Relationship changes for what-ifs and re-assessments: parsing and applying.

--tie "aldren->kharovia:military=+0.3,intelligence=0.5"
    signed values are relative, unsigned ones absolute; results are
    clipped to 0..1; the new reading is dated the day of the assessment.
--protection "aldren=0.4"   or   "aldren=-0.1"

An absolute value may also be uncertain: ``low..high`` (a uniform range) or
``mean~sd`` (a beta belief), e.g. ``--tie "aldren->kharovia:intelligence=0.3..0.7"``
or ``--protection "aldren=0.5~0.1"`` (docs/risk.md §8).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import date

from tearline.domain.actors import Actor
from tearline.domain.errors import Issue, ScenarioError
from tearline.domain.ties import DIMENSIONS, Dimension, Tie
from tearline.domain.uncertain import Beta, Distribution, Uniform
from tearline.domain.world import World

_TIE = re.compile(r"^\s*(?P<src>[^\s:>-][^:>]*?)\s*->\s*(?P<dst>[^:]+?)\s*:\s*(?P<body>.+)$")
_NUMBER = r"\d*\.?\d+"
_SETTING = re.compile(
    rf"^\s*(?P<key>[a-z]+)\s*=\s*(?P<value>[+-]?{_NUMBER}|{_NUMBER}\s*(?:\.\.|~)\s*{_NUMBER})\s*$"
)


@dataclass(frozen=True, slots=True)
class Setting:
    value: float
    relative: bool
    belief: Distribution | None = None

    def apply(self, current: float) -> float:
        raw = current + self.value if self.relative else self.value
        return min(1.0, max(0.0, raw))


@dataclass(frozen=True, slots=True)
class TieChange:
    source: str
    target: str
    settings: dict[Dimension, Setting]
    text: str


@dataclass(frozen=True, slots=True)
class ProtectionChange:
    actor: str
    setting: Setting
    text: str


def _bad(option: str, text: str, why: str) -> ScenarioError:
    return ScenarioError([Issue(option, f"{text!r}: {why}")])


def _setting(option: str, text: str, raw: str) -> Setting:
    for mark, kind in (("..", Uniform), ("~", Beta)):
        if mark in raw:
            left, _, right = raw.partition(mark)
            if not all(re.fullmatch(_NUMBER, x.strip()) for x in (left, right)):
                raise _bad(option, text, f"{raw!r} is not low..high or mean~sd")
            belief: Distribution = kind(float(left), float(right))
            problem = belief.problem()
            if problem is not None:
                raise _bad(option, text, problem)
            return Setting(belief.mean, False, belief)
    if not re.fullmatch(r"[+-]?\d*\.?\d+", raw.strip()):
        raise _bad(option, text, f"{raw!r} is not a number")
    value = float(raw)
    relative = raw.strip()[0] in "+-"
    if not relative and not 0.0 <= value <= 1.0:
        raise _bad(option, text, f"{value} is outside 0..1")
    return Setting(value, relative)


def parse_tie(text: str) -> TieChange:
    match = _TIE.match(text)
    if not match:
        raise _bad("--tie", text, "expected FROM->TO:dimension=value[,dimension=value]")
    settings: dict[Dimension, Setting] = {}
    for part in match["body"].split(","):
        item = _SETTING.match(part)
        if not item:
            raise _bad("--tie", text, f"{part.strip()!r} is not dimension=value")
        try:
            dimension = Dimension(item["key"])
        except ValueError:
            names = ", ".join(d.value for d in DIMENSIONS)
            raise _bad("--tie", text, f"{item['key']!r} is not one of {names}") from None
        settings[dimension] = _setting("--tie", text, item["value"])
    return TieChange(match["src"].strip(), match["dst"].strip(), settings, text)


def parse_protection(text: str) -> ProtectionChange:
    actor, sep, raw = text.partition("=")
    if not sep or not actor.strip():
        raise _bad("--protection", text, "expected ACTOR=value")
    return ProtectionChange(actor.strip(), _setting("--protection", text, raw), text)


def apply_changes(
    world: World,
    ties: list[TieChange],
    protections: list[ProtectionChange],
    *,
    on: date,
    note: str = "",
) -> tuple[World, list[Tie], list[Actor]]:
    """The world with each change applied as of ``on``; also the new ties and
    changed actors (what ``--apply`` records)."""
    ids = {a.id for a in world.actors}
    issues = [
        Issue("--tie", f"{c.text!r}: unknown actor {who!r}")
        for c in ties
        for who in (c.source, c.target)
        if who not in ids
    ] + [
        Issue("--protection", f"{c.text!r}: unknown actor {c.actor!r}")
        for c in protections
        if c.actor not in ids
    ]
    issues += [
        Issue("--tie", f"{c.text!r}: a tie joins two actors") for c in ties if c.source == c.target
    ]
    if issues:
        raise ScenarioError(issues)
    in_force = {(t.source, t.target): t for t in world.ties_in_force(on)}
    new_ties: list[Tie] = []
    for change in ties:
        base = in_force.get((change.source, change.target))
        strengths = {d: base.strength(d) if base else 0.0 for d in DIMENSIONS}
        beliefs = dict(base.ranges) if base else {}
        for dimension, setting in change.settings.items():
            if setting.belief is None:
                # A number (or a shift of the mean) makes the plane known.
                beliefs.pop(dimension, None)
            else:
                beliefs[dimension] = setting.belief
            strengths[dimension] = setting.apply(strengths[dimension])
        tie = Tie(
            change.source,
            change.target,
            on,
            **{d.value: v for d, v in strengths.items()},
            note=note,
            ranges=tuple((d, beliefs[d]) for d in DIMENSIONS if d in beliefs),
        )
        in_force[(change.source, change.target)] = tie
        new_ties.append(tie)
    replaced = {(t.source, t.target, t.as_of) for t in new_ties}
    ties_out = [t for t in world.ties if (t.source, t.target, t.as_of) not in replaced] + new_ties
    actors = {a.id: a for a in world.actors}
    changed: list[Actor] = []
    for p in protections:
        actor = actors[p.actor]
        actors[p.actor] = dataclasses.replace(
            actor,
            protection=p.setting.apply(actor.protection),
            protection_range=p.setting.belief,
        )
        changed.append(actors[p.actor])
    updated = World.build(
        model=world.model,
        actors=actors.values(),
        groups=world.groups,
        ties=ties_out,
        sources=world.sources,
        reports=world.reports,
        protocols=world.protocols,
        releases=world.releases,
    )
    return updated, new_ties, changed
