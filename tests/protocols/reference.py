"""A plain-Python reference for protocol semantics, written from
docs/scenario.md, to check the Cedar compilation against."""

from __future__ import annotations

import math
from datetime import date

from tearline.domain import Conditions, Effect, ReleaseScope, Version, World
from tearline.protocols import Figures, Outcome
from tearline.protocols.decide import is_approved


def _holds(when: Conditions, world: World, report_id: str, partner: str, f: Figures) -> bool:
    report = world.report(report_id)

    # Figures are compared as documented: risks at one part per billion,
    # anonymity sets at one thousandth.
    def ppb(x: float) -> int:
        return round(min(1.0, max(0.0, x)) * 1_000_000_000)

    k = 2**62 if f.worst_k >= 2**62 / 1000 else int(f.worst_k * 1000)
    checks = [
        not when.categories or report.category in when.categories,
        not when.classifications or report.classification in when.classifications,
        not when.controls or bool(set(report.controls) & set(when.controls)),
        when.marginal_risk_below is None or ppb(f.marginal_risk) < ppb(when.marginal_risk_below),
        when.cumulative_risk_below is None
        or ppb(f.cumulative_risk) < ppb(when.cumulative_risk_below),
        when.marginal_risk_above is None or ppb(f.marginal_risk) > ppb(when.marginal_risk_above),
        when.cumulative_risk_above is None
        or ppb(f.cumulative_risk) > ppb(when.cumulative_risk_above),
        when.reach_below is None or ppb(f.reach) < ppb(when.reach_below),
        when.reach_above is None or ppb(f.reach) > ppb(when.reach_above),
        when.k_at_least is None or k >= math.ceil(when.k_at_least * 1000),
        when.k_below is None or k < math.ceil(when.k_below * 1000),
        when.approved is None or when.approved == is_approved(world, report_id, partner),
    ]
    return all(checks)


def reference_outcome(
    world: World, report_id: str, partner: str, figures: dict[Version, Figures], today: date
) -> Outcome:
    # Nothing resting on a compromised source leaves, whatever the protocols say.
    statuses = {s.id: s.status.value for s in world.sources}
    if any(statuses[s] == "compromised" for s in world.report(report_id).sources):
        return Outcome.WITHHOLD
    holders = {partner} | world.groups_of(partner)
    for version in (Version.FULL, Version.TEARLINE):
        permitted = forbidden = False
        for protocol in world.protocols:
            if not holders & set(protocol.applies_to):
                continue
            terms = protocol.terms
            if terms.valid_from and today < terms.valid_from:
                continue
            if terms.valid_until and today > terms.valid_until:
                continue
            for rule in protocol.rules:
                if rule.release not in (ReleaseScope.ANY, ReleaseScope(version.value)):
                    continue
                if _holds(rule.when, world, report_id, partner, figures[version]):
                    if rule.effect is Effect.FORBID:
                        forbidden = True
                    else:
                        permitted = True
        # The source-protection floor refuses whatever the protocols permit.
        if permitted and not forbidden and not figures[version].floor:
            return Outcome(version.value)
    return Outcome.WITHHOLD
