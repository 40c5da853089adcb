"""The demo's act on the unpredictable hub: its reach as a range (and the
tail a 5–95 % range hides), then the alliance's restriction cascade."""

from __future__ import annotations

from datetime import date
from typing import Any

from tearline.domain import World
from tearline.services.cascade import cascade_view, run_cascade
from tearline.services.risk_views import spread_view
from tearline.services.uncertainty import EnsembleSettings, ReachQuery, reach_spread

MEMBERS = 200


def unpredictable_hub_act(world: World, hub: str, adversary: str, day: date) -> dict[str, Any]:
    """JSON-ready: the hub's reach with its 5–95 % and 1–99 % ranges, and the
    cascade after we restrict it. Needs uncertain inputs to say anything about
    ranges; the cascade runs either way."""
    out: dict[str, Any] = {"hub": hub, "adversary": adversary}
    if world.uncertain(day):
        query = ReachQuery((hub,), (adversary,), day, "auto", None, None, 0)
        info, (usual,) = reach_spread(world, query, EnsembleSettings(MEMBERS))
        _, (tail,) = reach_spread(world, query, EnsembleSettings(MEMBERS, (0.01, 0.5, 0.99)))
        impulsive = world.actor(hub)
        out["reach"] = {
            "uncertainty": spread_view(usual),
            "tail": spread_view(tail),
            "inputs": list(info.inputs),
            "members": info.members,
            "impulsive": impulsive.impulsive,
        }
    out["cascade"] = cascade_view(run_cascade(world, hub, day))
    return out
