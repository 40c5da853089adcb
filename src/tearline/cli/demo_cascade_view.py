"""Rendering of the demo's unpredictable-hub act."""

from __future__ import annotations

from typing import Any

from tearline.cli.cascade import render_cascade
from tearline.cli.output import console


def render_unpredictable_hub(act: dict[str, Any]) -> None:
    hub, adversary = act["hub"], act["adversary"]
    console.rule(f"[bold]An unpredictable hub: {hub}, and the alliance's response")
    reach = act.get("reach")
    if reach:
        usual, tail = reach["uncertainty"], reach["tail"]
        lead = usual["width_by_input"][0]["input"] if usual["width_by_input"] else "—"
        console.print(
            f"{hub}'s reach to {adversary} over {reach['members']} tie-worlds "
            f"({', '.join(reach['inputs'])}): 5–95 % [{usual['low']:.4f} – {usual['high']:.4f}], "
            f"median {usual['median']:.4f}; widest because of {lead}."
        )
        console.print(
            f"The {reach['impulsive']:.0%} chance that {hub} hands everything over on impulse "
            f"hides inside that range: 1–99 % [{tail['low']:.4f} – {tail['high']:.4f}]. "
            "Decisions read the protective 95th percentile (docs/risk.md §8)."
        )
    render_cascade(act["cascade"])
