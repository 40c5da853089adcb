"""Sharing protocols: declarative rules per partner or group, and the handling
terms (modelled on FIRST IEP 2.0) a recipient must honour.

The domain only holds what a protocol says. Deciding with it is the job of
``tearline.protocols``, which compiles these rules to Cedar.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Effect(StrEnum):
    PERMIT = "permit"
    FORBID = "forbid"


class ReleaseScope(StrEnum):
    """Which version of a report a rule speaks about."""

    FULL = "full"
    TEARLINE = "tearline"
    ANY = "any"


@dataclass(frozen=True, slots=True)
class Conditions:
    """When a rule applies. Every condition that is set must hold (AND); an
    unset condition does not constrain. Risks are probabilities in 0..1."""

    categories: tuple[str, ...] = ()
    classifications: tuple[str, ...] = ()
    controls: tuple[str, ...] = ()
    marginal_risk_below: float | None = None
    marginal_risk_above: float | None = None
    cumulative_risk_below: float | None = None
    cumulative_risk_above: float | None = None
    k_at_least: float | None = None
    k_below: float | None = None
    reach_below: float | None = None
    reach_above: float | None = None
    approved: bool | None = None

    def is_empty(self) -> bool:
        return self == Conditions()


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    effect: Effect
    release: ReleaseScope = ReleaseScope.ANY
    when: Conditions = field(default_factory=Conditions)
    description: str = ""


class Attribution(StrEnum):
    MUST = "must"
    MAY = "may"
    MUST_NOT = "must-not"


class OnwardSharing(StrEnum):
    FORBIDDEN = "forbidden"
    WITH_CONSENT = "with-consent"
    PERMITTED = "permitted"


class EncryptInTransit(StrEnum):
    MUST = "must"
    MAY = "may"


@dataclass(frozen=True, slots=True)
class HandlingTerms:
    """What the recipient of a copy must honour; carried on every copy.

    Defaults are the restrictive ones: no attribution to us, no onward sharing
    without consent (the third-party rule), encryption in transit."""

    attribution: Attribution = Attribution.MUST_NOT
    permitted_actions: str = "internally-visible-actions"
    onward_sharing: OnwardSharing = OnwardSharing.FORBIDDEN
    encrypt_in_transit: EncryptInTransit = EncryptInTransit.MUST
    tlp: str = "amber"
    valid_from: date | None = None
    valid_until: date | None = None


@dataclass(frozen=True, slots=True)
class Protocol:
    """A sharing policy for the partners and groups in ``applies_to``."""

    id: str
    name: str
    applies_to: tuple[str, ...]
    rules: tuple[Rule, ...]
    version: int = 1
    terms: HandlingTerms = field(default_factory=HandlingTerms)
    description: str = ""
