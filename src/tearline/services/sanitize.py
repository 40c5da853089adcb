"""Sanitise a stored report: the tearline version for a partner or a target k."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from tearline.domain.errors import NotFoundError
from tearline.sanitize import DEFAULT_TARGET_K, Sanitized, sanitize
from tearline.sanitize.targets import tearline_target_k
from tearline.store.repository import WorldRepository


@dataclass(frozen=True, slots=True)
class SanitizeResult:
    report: str
    partner: str | None
    target_k: float
    target_from: str  # "option", "protocol" or "default"
    result: Sanitized


def sanitize_report(
    session: Session,
    report_id: str,
    *,
    partner: str | None = None,
    target_k: float | None = None,
) -> SanitizeResult:
    """The tearline of ``report_id``. The target is ``target_k`` when given;
    else the partner's protocols (``tearline_target_k``); else the default."""
    world = WorldRepository(session).world()
    report = world.report(report_id)
    if partner is not None:
        world.actor(partner)
    sources = []
    for ident in report.sources:
        try:
            sources.append(world.source(ident))
        except NotFoundError:
            continue
    target, origin = target_k, "option"
    if target is None and partner is not None:
        target, origin = tearline_target_k(world, partner), "protocol"
    if target is None:
        target, origin = DEFAULT_TARGET_K, "default"
    result = sanitize(report, sources, target_k=target, world=world)
    return SanitizeResult(report.id, partner, target, origin, result)
