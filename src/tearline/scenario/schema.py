"""The scenario file format (``tearline: 1``) as Pydantic models.

These models check shapes, types and ranges field by field. Cross-references
(unknown ids, duplicates, cycles) are checked afterwards in ``crosscheck.py``,
because they need the whole document. Key names here are the public format
documented in docs/scenario.md; change them only with a new format version.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Ident = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Unit = Annotated[float, Field(ge=0.0, le=1.0)]
Probability = Annotated[float, Field(ge=0.0, le=1.0)]
Selectivity = Annotated[float, Field(gt=0.0, le=1.0)]

FORMAT_VERSION = 1


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=False)


class ModelSpec(_Strict):
    dimension_weights: (
        dict[Literal["diplomatic", "trade", "military", "intelligence"], Unit] | None
    ) = None
    default_capacity: Annotated[int, Field(ge=1)] | None = None
    default_max_risk: Probability | None = None


class ActorSpec(_Strict):
    id: Ident
    name: str | None = None
    kind: Literal["originator", "partner", "adversary", "third-party"]
    protection: Unit
    capacity: Annotated[int, Field(ge=1)] | None = None
    description: str = ""


class GroupSpec(_Strict):
    id: Ident
    name: str | None = None
    members: list[Ident] = Field(min_length=1)
    description: str = ""


class TieSpec(_Strict):
    source: Ident = Field(alias="from")
    target: Ident = Field(alias="to")
    as_of: dt.date
    diplomatic: Unit = 0.0
    trade: Unit = 0.0
    military: Unit = 0.0
    intelligence: Unit = 0.0
    note: str = ""


class GeneralizationSpec(_Strict):
    value: Annotated[str, StringConstraints(min_length=1)]
    selectivity: Selectivity


class AttributeSpec(_Strict):
    name: Ident
    kind: str = "other"
    value: Annotated[str, StringConstraints(min_length=1)]
    selectivity: Selectivity
    generalizations: list[GeneralizationSpec] = []
    mentions: list[Annotated[str, StringConstraints(min_length=1)]] = []


class SourceSpec(_Strict):
    id: Ident
    codename: str | None = None
    population: Annotated[int, Field(ge=1)]
    threatened_by: list[Ident] = Field(min_length=1)
    identity: str | None = None
    max_risk: Probability | None = None
    status: Literal["active", "extracted", "retired", "compromised"] = "active"
    description: str = ""
    attributes: list[AttributeSpec] = []


class ReportSpec(_Strict):
    id: Ident
    title: Annotated[str, StringConstraints(min_length=1)]
    category: Annotated[str, StringConstraints(min_length=1)]
    classification: Annotated[str, StringConstraints(min_length=1)]
    controls: list[Annotated[str, StringConstraints(min_length=1)]] = []
    approved_for: list[Ident] = []
    originator: Ident | None = None
    date: dt.date | None = None
    sources: list[Ident] = []
    text: Annotated[str, StringConstraints(min_length=1)]


class ConditionsSpec(_Strict):
    category: list[str] = []
    classification: list[str] = []
    controls: list[str] = []
    marginal_risk_below: Probability | None = None
    marginal_risk_above: Probability | None = None
    cumulative_risk_below: Probability | None = None
    cumulative_risk_above: Probability | None = None
    k_at_least: Annotated[float, Field(ge=1.0)] | None = None
    k_below: Annotated[float, Field(ge=1.0)] | None = None
    reach_below: Probability | None = None
    reach_above: Probability | None = None
    approved: bool | None = None


class RuleSpec(_Strict):
    id: Ident
    effect: Literal["permit", "forbid"]
    release: Literal["full", "tearline", "any"] = "any"
    when: ConditionsSpec = ConditionsSpec()
    description: str = ""


class TermsSpec(_Strict):
    attribution: Literal["must", "may", "must-not"] = "must-not"
    permitted_actions: Literal[
        "none",
        "contact-for-instructions",
        "internally-visible-actions",
        "externally-visible-indirect-actions",
        "externally-visible-direct-actions",
    ] = "internally-visible-actions"
    onward_sharing: Literal["forbidden", "with-consent", "permitted"] = "forbidden"
    encrypt_in_transit: Literal["must", "may"] = "must"
    tlp: Literal["clear", "green", "amber", "amber+strict", "red"] = "amber"
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None


class ProtocolSpec(_Strict):
    id: Ident
    name: str | None = None
    applies_to: list[Ident] = Field(min_length=1)
    version: Annotated[int, Field(ge=1)] = 1
    description: str = ""
    rules: list[RuleSpec] = Field(min_length=1)
    terms: TermsSpec = TermsSpec()


class ReleaseSpec(_Strict):
    id: Ident | None = None
    report: Ident
    partner: Ident
    version: Literal["full", "tearline"]
    at: dt.datetime | dt.date
    note: str = ""


class ScenarioSpec(_Strict):
    tearline: Literal[1]
    model: ModelSpec | None = None
    actors: list[ActorSpec] = []
    groups: list[GroupSpec] = []
    ties: list[TieSpec] = []
    sources: list[SourceSpec] = []
    reports: list[ReportSpec] = []
    protocols: list[ProtocolSpec] = []
    releases: list[ReleaseSpec] = []
