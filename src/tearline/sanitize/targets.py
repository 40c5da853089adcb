"""The anonymity target a partner's protocols set for tearlines.

A permit rule for tearlines (``release: tearline`` or ``any``) with a
``k_at_least`` condition, in a protocol that applies to the partner directly
or through one of its groups (``World.protocols_for``), names the k a tearline
must keep. A forbid rule with ``k_below`` says the same thing from the other
side (forbid tearlines whose k is below N). When several rules apply, the
strictest — the highest k — wins: a tearline that meets it meets them all.
None when no protocol speaks about k for this partner.

This is a simple reading of the rules; the decision engine
(``tearline.protocols``) remains the authority on whether a release is
allowed.
"""

from __future__ import annotations

from tearline.domain.protocols import Effect, ReleaseScope
from tearline.domain.world import World


def tearline_target_k(world: World, partner: str) -> float | None:
    """The highest k any tearline rule that applies to ``partner`` asks for."""
    world.actor(partner)  # NotFoundError for an unknown partner
    found: list[float] = []
    for protocol in world.protocols_for(partner):
        for rule in protocol.rules:
            if rule.release not in (ReleaseScope.TEARLINE, ReleaseScope.ANY):
                continue
            if rule.effect is Effect.PERMIT and rule.when.k_at_least is not None:
                found.append(rule.when.k_at_least)
            if rule.effect is Effect.FORBID and rule.when.k_below is not None:
                found.append(rule.when.k_below)
    return max(found) if found else None
