"""Sanitise a stored report: the tearline version for a partner or a target k."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from tearline.domain.world import World
from tearline.sanitize import DEFAULT_TARGET_K, sanitize
from tearline.sanitize import Sanitized as Sanitized  # the CLI renders it
from tearline.sanitize.targets import tearline_target_k
from tearline.store.repository import WorldRepository

if TYPE_CHECKING:
    from tearline.services.approvals import Approval, Approvals


@dataclass(frozen=True, slots=True)
class SanitizeResult:
    report: str
    partner: str | None
    target_k: float
    target_from: str  # "option", "protocol" or "default"
    result: Sanitized


def tearline_of(
    world: World,
    report_id: str,
    *,
    partner: str | None = None,
    target_k: float | None = None,
) -> SanitizeResult:
    """The tearline of ``report_id``. The target is ``target_k`` when given;
    else the partner's protocols (``tearline_target_k``); else the default."""
    # Declared fingerprint slots ({a|b|c}) never reach the sanitiser: it sees the first
    # option of each (the release path puts back the slots it leaves untouched).
    report = world.report(report_id)
    report = dataclasses.replace(report, text=report.plain_text)
    if partner is not None:
        world.actor(partner)
    known = {x.id for x in world.sources}
    sources = [world.source(ident) for ident in report.sources if ident in known]
    target, origin = target_k, "option"
    if target is None and partner is not None:
        target, origin = tearline_target_k(world, partner), "protocol"
    if target is None:
        target, origin = DEFAULT_TARGET_K, "default"
    result = sanitize(report, sources, target_k=target, world=world)
    return SanitizeResult(report.id, partner, target, origin, result)


def sanitize_report(
    session: Session,
    report_id: str,
    *,
    partner: str | None = None,
    target_k: float | None = None,
) -> SanitizeResult:
    """``tearline_of`` on the stored world."""
    world = WorldRepository(session).world()
    return tearline_of(world, report_id, partner=partner, target_k=target_k)


@dataclass(frozen=True, slots=True)
class TearlineCopy:
    """What a tearline copy carries from the report, all of it sanitised:
    the body and the header fields (title, report id, category)."""

    body: str
    title: str
    report: str
    category: str
    approval: Approval | None = None  # the reviewer's, when the k is not verified

    @classmethod
    def of(cls, result: Sanitized, approval: Approval | None = None) -> TearlineCopy:
        """The copy's parts; a header field whose label went with its sentence
        is printed as withheld."""
        return cls(
            result.text,
            result.field("title") or "(title withheld)",
            result.field("report") or "(withheld)",
            result.field("category") or "(withheld)",
            approval,
        )


def tearline_copy(
    world: World, report_id: str, partner: str, approvals: Approvals | None = None
) -> TearlineCopy | None:
    """The tearline released to ``partner``, or None when none may leave: no
    tearline meets the partner's target, or its k is unverified and no named
    reviewer approved this exact text for this partner (``services.approvals``)."""
    result = tearline_of(world, report_id, partner=partner).result
    if not result.meets_target:
        return None
    from tearline.services.approvals import Approvals  # services.approvals imports this module

    approval = None
    if not result.k_verified:
        approval = (approvals or Approvals.none()).for_text(report_id, partner, result)
        if approval is None:
            return None
    return TearlineCopy.of(result, approval)
