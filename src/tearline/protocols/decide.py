"""The one decision function: what may a partner receive of a report?

Every path by which material can leave tearline (CLI release, export, API,
TAXII, UI) goes through ``decide``; nothing else decides. It asks Cedar about
the full version first, then the tearline, and returns the least sanitised
version the protocols allow — or withhold. It fails closed: no protocol, an
evaluation error, or no permitting rule all mean withhold.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from tearline.domain.releases import Version
from tearline.domain.sources import SourceStatus
from tearline.domain.world import World
from tearline.protocols.cedar import PolicySet, authorize, compile_protocols, entities
from tearline.protocols.figures import Figures

FLOOR = (
    "source-protection floor: a source of this report is above its max_risk after this "
    "copy, and the copy on its own adds to its exposure"
)


class Outcome(StrEnum):
    FULL = "full"
    TEARLINE = "tearline"
    WITHHOLD = "withhold"

    @property
    def restrictiveness(self) -> int:
        """0 = least restrictive. Used to compare decisions (monotonicity)."""
        return {Outcome.FULL: 0, Outcome.TEARLINE: 1, Outcome.WITHHOLD: 2}[self]


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a version was or was not allowed: the rule, or a fail-closed cause."""

    version: Version
    allowed: bool
    rule: str | None
    effect: str | None
    description: str

    def render(self) -> str:
        verdict = "allowed" if self.allowed else "refused"
        by = f" by {self.rule}" if self.rule else ""
        text = f": {self.description}" if self.description else ""
        return f"{self.version.value} {verdict}{by}{text}"


@dataclass(frozen=True, slots=True)
class Decision:
    report: str
    partner: str
    outcome: Outcome
    reasons: tuple[Reason, ...]
    figures: Mapping[Version, Figures]
    protocols: tuple[str, ...] = field(default=())  # "id@vN" of protocols that apply
    approved: bool = False

    @property
    def version(self) -> Version | None:
        return None if self.outcome is Outcome.WITHHOLD else Version(self.outcome.value)

    def as_dict(self) -> dict[str, Any]:
        return {
            "report": self.report,
            "partner": self.partner,
            "decision": self.outcome.value,
            "reasons": [r.render() for r in self.reasons],
            "rules": [
                {
                    "version": r.version.value,
                    "allowed": r.allowed,
                    "rule": r.rule,
                    "effect": r.effect,
                    "description": r.description,
                }
                for r in self.reasons
            ],
            "figures": {v.value: f.as_dict() for v, f in self.figures.items()},
            "protocols": list(self.protocols),
            "approved": self.approved,
        }


def is_approved(world: World, report_id: str, partner: str) -> bool:
    """ORCON consent: the originator approved this report for the partner,
    directly or through a group it belongs to."""
    approved_for = set(world.report(report_id).approved_for)
    return partner in approved_for or bool(world.groups_of(partner) & approved_for)


def compromised_sources(world: World, report_id: str) -> tuple[str, ...]:
    """The report's sources marked compromised: while any is, the report is withheld from
    everyone (a compromised source's reporting is evidence against it)."""
    return tuple(
        s
        for s in world.report(report_id).sources
        if world.source(s).status is SourceStatus.COMPROMISED
    )


def applicable_protocols(world: World, partner: str) -> tuple[str, ...]:
    """ "id@vN" of every protocol that applies to ``partner`` (``World.protocols_for``)."""
    return tuple(f"{p.id}@v{p.version}" for p in world.protocols_for(partner))


class Decider:
    """Compiles the protocols once, then decides many (report, partner) pairs."""

    def __init__(self, world: World, policies: PolicySet | None = None) -> None:
        self.world = world
        self.policies = policies or compile_protocols(world)

    def decide(
        self,
        report_id: str,
        partner: str,
        figures: Mapping[Version, Figures],
        *,
        today: date,
        unavailable: Mapping[Version, str] | None = None,
    ) -> Decision:
        """``unavailable``: versions that cannot be made at all, with why (a
        tearline that cannot reach the partner's anonymity target): refused
        here, so the decision recorded is the copy carried out."""
        world = self.world
        report = world.report(report_id)
        approved = is_approved(world, report_id, partner)
        protocols = applicable_protocols(world, partner)
        burned = compromised_sources(world, report_id)
        if burned:
            # Before any protocol: no rule may release what rests on a compromised source.
            reason = Reason(
                Version.FULL,
                False,
                None,
                None,
                f"rests on compromised source {', '.join(burned)}: withheld whatever the "
                "protocols say",
            )
            return Decision(
                report_id, partner, Outcome.WITHHOLD, (reason,), figures, protocols, approved
            )
        if not protocols:
            reason = Reason(Version.FULL, False, None, None, f"no protocol applies to {partner}")
            return Decision(report_id, partner, Outcome.WITHHOLD, (reason,), figures, (), approved)
        cedar_entities = entities(world, report, partner)
        reasons: list[Reason] = []
        for version in (Version.FULL, Version.TEARLINE):
            if version not in figures:
                continue
            if unavailable and version in unavailable:
                reasons.append(Reason(version, False, None, None, unavailable[version]))
                continue
            answer = authorize(
                self.policies,
                cedar_entities,
                partner=partner,
                report=report_id,
                version=version,
                figures=figures[version],
                approved=approved,
                today=today,
            )
            for error in answer.errors:
                reasons.append(Reason(version, False, None, None, f"evaluation error: {error}"))
            for compiled in answer.determining:
                reasons.append(
                    Reason(
                        version,
                        answer.allowed,
                        compiled.label,
                        compiled.rule.effect.value,
                        compiled.rule.description,
                    )
                )
            if answer.allowed and figures[version].floor:
                reasons.append(Reason(version, False, None, None, FLOOR))
                continue
            if answer.allowed:
                return Decision(
                    report_id,
                    partner,
                    Outcome(version.value),
                    tuple(reasons),
                    figures,
                    protocols,
                    approved,
                )
            if not answer.determining and not answer.errors:
                reasons.append(Reason(version, False, None, None, "no rule permits it"))
        return Decision(
            report_id, partner, Outcome.WITHHOLD, tuple(reasons), figures, protocols, approved
        )


def decide(
    world: World,
    report_id: str,
    partner: str,
    figures: Mapping[Version, Figures],
    *,
    today: date,
) -> Decision:
    """Decide one pair (compiles the protocols; use ``Decider`` for many)."""
    return Decider(world).decide(report_id, partner, figures, today=today)
