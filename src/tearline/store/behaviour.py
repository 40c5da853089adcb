"""Uncertain inputs and cascade tolerances in the database: one JSON column on
``actors`` (``behaviour``) and one on ``ties`` (``beliefs``), NULL when certain,
in the scenario file's own notation (``[low, high]`` or ``{mean, sd}``)."""

from __future__ import annotations

from typing import Any

from tearline.domain.actors import Actor, ActorKind
from tearline.domain.ties import DIMENSIONS, Tie
from tearline.domain.uncertain import Tolerance
from tearline.scenario.convert import belief_doc, belief_from_doc, tolerance_doc
from tearline.store.tables import ActorRow, TieRow


def actor_behaviour(actor: Actor) -> dict[str, Any] | None:
    doc: dict[str, Any] = {}
    if actor.protection_range is not None:
        doc["protection"] = belief_doc(actor.protection_range)
    if actor.impulsive:
        doc["impulsive"] = actor.impulsive
        doc["impulsive_to"] = actor.impulsive_to
    tolerance = tolerance_doc(actor.tolerance)
    if tolerance is not None:
        doc["tolerance"] = tolerance
    return doc or None


def actor_from_row(row: ActorRow) -> Actor:
    doc: dict[str, Any] = row.behaviour or {}
    tolerance = doc.get("tolerance")
    return Actor(
        row.id,
        row.name,
        ActorKind(row.kind),
        row.protection,
        row.capacity,
        row.description,
        protection_range=belief_from_doc(doc["protection"]) if "protection" in doc else None,
        impulsive=float(doc.get("impulsive", 0.0)),
        impulsive_to=doc.get("impulsive_to"),
        tolerance=(
            Tolerance(
                float(tolerance["reach"]),
                int(tolerance["allies"]),
                float(tolerance["restrict_to"]),
                tuple(tolerance.get("adversaries", ())),
            )
            if tolerance is not None
            else None
        ),
    )


def tie_beliefs(tie: Tie) -> dict[str, Any] | None:
    return {d.value: belief_doc(b) for d, b in tie.ranges} or None


def tie_from_row(row: TieRow) -> Tie:
    beliefs: dict[str, Any] = row.beliefs or {}
    return Tie(
        row.source_id,
        row.target_id,
        row.as_of,
        row.diplomatic,
        row.trade,
        row.military,
        row.intelligence,
        row.note,
        ranges=tuple(
            (d, belief_from_doc(beliefs[d.value])) for d in DIMENSIONS if d.value in beliefs
        ),
    )
