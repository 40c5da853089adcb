"""Checks that need the whole document: ids, references, cycles, coarseness.

Each check appends an Issue located at the offending field; all problems are
collected, not just the first, so an author can fix a file in one pass.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from tearline.domain.errors import Issue
from tearline.domain.releases import Release, Version, to_utc
from tearline.scenario.schema import ActorSpec, RuleSpec, ScenarioSpec
from tearline.scenario.yamlsource import Located, Path, render_path


@dataclass(frozen=True, slots=True)
class KnownIds:
    """Ids already in the database that a file being merged may refer to."""

    actors: dict[str, str] = field(default_factory=dict)  # id -> kind
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)  # id -> members
    sources: frozenset[str] = frozenset()
    reports: frozenset[str] = frozenset()
    protocols: frozenset[str] = frozenset()
    releases: frozenset[str] = frozenset()
    ties: frozenset[tuple[str, str, str]] = frozenset()  # (from, to, iso date)
    # Stored versions: a file may amend a protocol or report by giving a higher version.
    protocol_versions: dict[str, int] = field(default_factory=dict)
    report_versions: dict[str, int] = field(default_factory=dict)


class _Collector:
    def __init__(self, located: Located, filename: str) -> None:
        self.located = located
        self.filename = filename
        self.issues: list[Issue] = []

    def add(self, path: Path, message: str) -> None:
        self.issues.append(
            Issue(render_path(path), message, self.filename, self.located.line_of(path))
        )


def cross_check(
    spec: ScenarioSpec, located: Located, filename: str, known: KnownIds
) -> list[Issue]:
    out = _Collector(located, filename)
    _check_duplicates(spec, out, known)
    actor_kind = dict(known.actors) | {a.id: a.kind for a in spec.actors}
    group_members = dict(known.groups) | {g.id: tuple(g.members) for g in spec.groups}
    sources = set(known.sources) | {s.id for s in spec.sources}
    reports = set(known.reports) | {r.id for r in spec.reports}
    holders = set(actor_kind) | set(group_members)

    for i, actor in enumerate(spec.actors):
        if actor.capacity is not None and actor.kind != "adversary":
            out.add(("actors", i, "capacity"), "only adversaries have a capacity")
        _check_behaviour(i, actor, actor_kind, out)
    for i, group in enumerate(spec.groups):
        for j, member in enumerate(group.members):
            if member not in holders:
                out.add(("groups", i, "members", j), f"unknown actor or group {member!r}")
    _check_group_cycles(spec, group_members, out)

    for i, tie in enumerate(spec.ties):
        for end, ident in (("from", tie.source), ("to", tie.target)):
            if ident not in actor_kind:
                out.add(("ties", i, end), f"unknown actor {ident!r}")
        if tie.source == tie.target:
            out.add(("ties", i, "to"), "a tie cannot join an actor to itself")

    for i, source in enumerate(spec.sources):
        for j, adversary in enumerate(source.threatened_by):
            kind = actor_kind.get(adversary)
            if kind is None:
                out.add(("sources", i, "threatened_by", j), f"unknown actor {adversary!r}")
            elif kind != "adversary":
                out.add(
                    ("sources", i, "threatened_by", j),
                    f"{adversary!r} is a {kind}, not an adversary",
                )
        names = Counter(a.name for a in source.attributes)
        for j, attribute in enumerate(source.attributes):
            path: Path = ("sources", i, "attributes", j)
            if names[attribute.name] > 1:
                out.add((*path, "name"), f"duplicate attribute {attribute.name!r}")
            previous = attribute.selectivity
            for g, general in enumerate(attribute.generalizations):
                if general.selectivity <= previous:
                    out.add(
                        (*path, "generalizations", g, "selectivity"),
                        f"{general.selectivity} is not coarser than {previous}: a "
                        "generalization's selectivity must be larger than what it generalises",
                    )
                previous = max(previous, general.selectivity)

    for i, report in enumerate(spec.reports):
        for j, ident in enumerate(report.sources):
            if ident not in sources:
                out.add(("reports", i, "sources", j), f"unknown source {ident!r}")
        for j, ident in enumerate(report.approved_for):
            if ident not in holders:
                out.add(("reports", i, "approved_for", j), f"unknown actor or group {ident!r}")
        if report.originator is not None:
            kind = actor_kind.get(report.originator)
            if kind is None:
                out.add(("reports", i, "originator"), f"unknown actor {report.originator!r}")
            elif kind != "originator":
                out.add(
                    ("reports", i, "originator"),
                    f"{report.originator!r} is a {kind}, not an originator",
                )

    for i, protocol in enumerate(spec.protocols):
        for j, ident in enumerate(protocol.applies_to):
            if ident not in holders:
                out.add(("protocols", i, "applies_to", j), f"unknown actor or group {ident!r}")
        rule_ids = Counter(r.id for r in protocol.rules)
        for j, rule in enumerate(protocol.rules):
            if rule_ids[rule.id] > 1:
                out.add(("protocols", i, "rules", j, "id"), f"duplicate rule id {rule.id!r}")
            _check_rule_direction(rule, ("protocols", i, "rules", j, "when"), out)
        terms = protocol.terms
        if terms.valid_from and terms.valid_until and terms.valid_until < terms.valid_from:
            out.add(("protocols", i, "terms", "valid_until"), "ends before valid_from")

    for i, release in enumerate(spec.releases):
        if release.report not in reports:
            out.add(("releases", i, "report"), f"release of unknown report {release.report!r}")
        kind = actor_kind.get(release.partner)
        if kind is None:
            out.add(("releases", i, "partner"), f"unknown actor {release.partner!r}")
        elif kind == "originator":
            out.add(("releases", i, "partner"), f"{release.partner!r} is the originator")
    out.issues.sort(key=lambda issue: (issue.line or 0, issue.field))
    return out.issues


# A permit may only require figures to be safe enough, a forbid may only fire
# when they are dangerous: then more risk can never loosen a decision
# (monotonicity), whatever the protocol author writes.
_RISKIER_WHEN = ("marginal_risk_above", "cumulative_risk_above", "reach_above", "k_below")
_SAFER_WHEN = ("marginal_risk_below", "cumulative_risk_below", "reach_below", "k_at_least")


def _check_rule_direction(rule: RuleSpec, path: Path, out: _Collector) -> None:
    when = rule.when
    wrong = _RISKIER_WHEN if rule.effect == "permit" else _SAFER_WHEN
    for key in wrong:
        if getattr(when, key) is not None:
            out.add(
                (*path, key),
                f"a {rule.effect} rule cannot use {key}: a {rule.effect} must "
                + (
                    "require safe figures (use *_below or k_at_least)"
                    if rule.effect == "permit"
                    else "fire on dangerous figures (use *_above or k_below)"
                ),
            )


def _check_behaviour(i: int, actor: ActorSpec, actor_kind: dict[str, str], out: _Collector) -> None:
    """``impulsive`` names whom the actor would pass material to; tolerances
    name adversaries."""
    if actor.impulsive and actor.impulsive_to is None:
        out.add(
            ("actors", i, "impulsive"),
            "an impulsive actor needs impulsive_to: the adversary it would pass material to",
        )
    if actor.impulsive_to is not None:
        if not actor.impulsive:
            out.add(("actors", i, "impulsive_to"), "impulsive_to without impulsive")
        elif actor_kind.get(actor.impulsive_to) != "adversary":
            out.add(
                ("actors", i, "impulsive_to"), f"{actor.impulsive_to!r} is not a known adversary"
            )
        elif actor.impulsive_to == actor.id:
            out.add(("actors", i, "impulsive_to"), "an actor cannot leak to itself")
    if actor.tolerance is not None:
        for j, adversary in enumerate(actor.tolerance.adversaries):
            if actor_kind.get(adversary) != "adversary":
                out.add(
                    ("actors", i, "tolerance", "adversaries", j),
                    f"{adversary!r} is not a known adversary",
                )


def _check_amendments(spec: ScenarioSpec, out: _Collector, known: KnownIds) -> None:
    """Stored ids given again are amendments, and must say so: a protocol or report with a
    higher version than the stored one (a stored source given in full is amended as given)."""
    for i, p in enumerate(spec.protocols):
        if p.id in known.protocols:
            stored = known.protocol_versions.get(p.id)
            if stored is None:
                out.add(("protocols", i, "id"), f"duplicate id {p.id!r} (already in the database)")
            elif p.version <= stored:
                out.add(
                    ("protocols", i, "version"),
                    f"protocol {p.id!r} version {p.version} is not newer than the stored "
                    f"version {stored} (an older version is refused; to amend it give "
                    f"version: {stored + 1})",
                )
    for i, r in enumerate(spec.reports):
        if r.id in known.reports:
            stored = known.report_versions.get(r.id)
            if stored is None:
                out.add(("reports", i, "id"), f"duplicate id {r.id!r} (already in the database)")
            elif r.version <= stored:
                out.add(
                    ("reports", i, "version"),
                    f"duplicate id {r.id!r} (already in the database at version {stored}; "
                    f"to amend it give version: {stored + 1})",
                )


def _check_duplicates(spec: ScenarioSpec, out: _Collector, known: KnownIds) -> None:
    # Actors and groups share one namespace: both can be named in applies_to.
    namespaces: list[tuple[set[str], list[tuple[str, list[str]]]]] = [
        (
            set(known.actors) | set(known.groups),
            [("actors", [a.id for a in spec.actors]), ("groups", [g.id for g in spec.groups])],
        ),
        # A stored source, protocol or report may be amended (``_check_amendments``).
        (set(), [("sources", [x.id for x in spec.sources])]),
        (set(), [("reports", [r.id for r in spec.reports])]),
        (set(), [("protocols", [p.id for p in spec.protocols])]),
    ]
    _check_amendments(spec, out, known)
    for stored, sections in namespaces:
        first_use: dict[str, str] = {}
        for section, ids in sections:
            for i, ident in enumerate(ids):
                if ident in stored:
                    out.add((section, i, "id"), f"duplicate id {ident!r} (already in the database)")
                elif ident in first_use:
                    out.add(
                        (section, i, "id"),
                        f"duplicate id {ident!r} (already used in {first_use[ident]})",
                    )
                else:
                    first_use[ident] = f"{section}[{i}]"
    ties: set[tuple[str, str, str]] = set(known.ties)
    for i, tie in enumerate(spec.ties):
        key = (tie.source, tie.target, tie.as_of.isoformat())
        if key in ties:
            out.add(("ties", i), f"duplicate tie {tie.source}->{tie.target} as of {key[2]}")
        ties.add(key)
    releases: set[str] = set(known.releases)
    for i, release in enumerate(spec.releases):
        # Unnamed releases get a stable id from their content, so the same
        # release listed twice (or loaded twice) is caught here too.
        version = Version(release.version)
        ident = release.id or Release.default_id(
            release.report, release.partner, version, to_utc(release.at)
        )
        if ident in releases:
            where = "in the database" if ident in known.releases else "in this file"
            what = (
                f"id {ident!r}"
                if release.id
                else "release (same report, partner, version and time)"
            )
            out.add(("releases", i, "id" if release.id else "at"), f"duplicate {what} ({where})")
        releases.add(ident)


def _check_group_cycles(
    spec: ScenarioSpec, members: dict[str, tuple[str, ...]], out: _Collector
) -> None:
    # Report every group of the file that can reach itself through membership.
    for i, group in enumerate(spec.groups):
        if _reaches(group.id, group.id, members):
            out.add(
                ("groups", i, "members"), f"group {group.id!r} contains itself (a membership cycle)"
            )


def _reaches(start: str, goal: str, members: dict[str, tuple[str, ...]]) -> bool:
    stack = list(members.get(start, ()))
    seen: set[str] = set()
    while stack:
        current = stack.pop()
        if current == goal:
            return True
        if current in seen or current not in members:
            continue
        seen.add(current)
        stack.extend(members[current])
    return False
