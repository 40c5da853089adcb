"""The scenario file format (``tearline: 1``) as Pydantic models.

These models check shapes, types and ranges field by field. Cross-references
(unknown ids, duplicates, cycles) are checked afterwards in ``crosscheck.py``,
because they need the whole document. Key names here are the public format
documented in docs/scenario.md; change them only with a new format version.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    StringConstraints,
)
from pydantic_core import PydanticCustomError

from tearline.domain.uncertain import Beta, Distribution, Uniform

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
"""Ids: ASCII letters, digits, ``.``, ``_`` and ``-``, starting with a letter or digit — safe
as a file name, in a URL path segment and on a terminal (no ``/``, no ``..`` prefix, no
markup, no spaces). See docs/scenario.md."""
ID_MAX_LENGTH = 200
MAX_COUNT = 2**31 - 1
"""Whole numbers are stored in 32-bit integer columns (PostgreSQL's ``integer``)."""
MAX_K = 1e15
"""Anonymity-set thresholds are passed to Cedar in thousandths, as 64-bit integers."""

Ident = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=ID_MAX_LENGTH, pattern=ID_PATTERN
    ),
]
# An attribute's name is a label inside its source, never a path or URL part.
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
# Numbers are strict: a boolean (``yes``, ``true``) or a quoted string is not a number, and
# floats must be finite.
Unit = Annotated[float, Field(ge=0.0, le=1.0, strict=True, allow_inf_nan=False)]
Probability = Annotated[float, Field(ge=0.0, le=1.0, strict=True, allow_inf_nan=False)]
Selectivity = Annotated[float, Field(gt=0.0, le=1.0, strict=True, allow_inf_nan=False)]
Count = Annotated[int, Field(ge=1, le=MAX_COUNT, strict=True)]
KThreshold = Annotated[float, Field(ge=1.0, le=MAX_K, strict=True, allow_inf_nan=False)]
Flag = Annotated[bool, Field(strict=True)]


def _not_a_number(value: object) -> object:
    # Pydantic reads a number as a Unix timestamp: 5 would be 1970-01-01.
    if isinstance(value, bool | int | float):
        raise ValueError(f"{value!r} is not a date (write YYYY-MM-DD)")
    return value


Day = Annotated[dt.date, BeforeValidator(_not_a_number)]
Moment = Annotated[dt.datetime | dt.date, BeforeValidator(_not_a_number)]

FORMAT_VERSION = 1


def _number(value: Any) -> float:
    # Strict, like every number in the file: no booleans, no quoted text, finite only.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("float_type", "not a number")
    number = float(value)
    if not math.isfinite(number):
        raise PydanticCustomError("finite_number", "not a finite number")
    return number


def _uncertain(value: Any) -> float | Distribution:
    """A 0..1 number, a range ``[low, high]`` or a beta belief ``{mean, sd}``
    (docs/scenario.md, "Uncertain values")."""
    if isinstance(value, list):
        if len(value) != 2:
            raise PydanticCustomError("range_shape", "a range is [low, high]: two numbers")
        belief: Distribution = Uniform(_number(value[0]), _number(value[1]))
    elif isinstance(value, dict):
        if set(value) != {"mean", "sd"}:
            raise PydanticCustomError(
                "beta_shape", "a beta belief is {mean: M, sd: S} and nothing else"
            )
        belief = Beta(_number(value["mean"]), _number(value["sd"]))
    else:
        number = _number(value)
        if number > 1.0:
            raise PydanticCustomError("less_than_equal", "above 1", {"le": 1.0})
        if number < 0.0:
            raise PydanticCustomError("greater_than_equal", "below 0", {"ge": 0.0})
        return number
    problem = belief.problem()
    if problem is not None:
        raise PydanticCustomError("belief", problem)
    return belief


# A 0..1 value that may be uncertain: a number, [low, high] or {mean, sd}.
UncertainUnit = Annotated[float | Uniform | Beta, PlainValidator(_uncertain)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=False)


class ModelSpec(_Strict):
    dimension_weights: (
        dict[Literal["diplomatic", "trade", "military", "intelligence"], Unit] | None
    ) = None
    default_capacity: Count | None = None
    default_max_risk: Probability | None = None
    decision_quantile: Annotated[float, Field(gt=0.0, lt=1.0)] | None = None


class ToleranceSpec(_Strict):
    reach: Probability = 0.5
    allies: Annotated[int, Field(ge=0, le=MAX_COUNT, strict=True)] = 3
    restrict_to: Unit = 0.0
    adversaries: list[Ident] = []


class ActorSpec(_Strict):
    id: Ident
    name: str | None = None
    kind: Literal["originator", "partner", "adversary", "third-party"]
    protection: UncertainUnit
    capacity: Count | None = None
    description: str = ""
    impulsive: Probability | None = None
    impulsive_to: Ident | None = None
    tolerance: ToleranceSpec | None = None


class GroupSpec(_Strict):
    id: Ident
    name: str | None = None
    members: list[Ident] = Field(min_length=1)
    description: str = ""


class TieSpec(_Strict):
    source: Ident = Field(alias="from")
    target: Ident = Field(alias="to")
    as_of: Day
    diplomatic: UncertainUnit = 0.0
    trade: UncertainUnit = 0.0
    military: UncertainUnit = 0.0
    intelligence: UncertainUnit = 0.0
    note: str = ""


class GeneralizationSpec(_Strict):
    value: Annotated[str, StringConstraints(min_length=1)]
    selectivity: Selectivity


class AttributeSpec(_Strict):
    name: Label
    kind: str = "other"
    value: Annotated[str, StringConstraints(min_length=1)]
    selectivity: Selectivity
    generalizations: list[GeneralizationSpec] = []
    mentions: list[Annotated[str, StringConstraints(min_length=1)]] = []


class SourceSpec(_Strict):
    id: Ident
    codename: str | None = None
    population: Count
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
    date: Day | None = None
    sources: list[Ident] = []
    text: Annotated[str, StringConstraints(min_length=1)]
    # A stored report given with a higher version is amended (a new version, the old kept).
    version: Annotated[int, Field(ge=1)] = 1


class ConditionsSpec(_Strict):
    category: list[str] = []
    classification: list[str] = []
    controls: list[str] = []
    marginal_risk_below: Probability | None = None
    marginal_risk_above: Probability | None = None
    cumulative_risk_below: Probability | None = None
    cumulative_risk_above: Probability | None = None
    k_at_least: KThreshold | None = None
    k_below: KThreshold | None = None
    reach_below: Probability | None = None
    reach_above: Probability | None = None
    approved: Flag | None = None


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
    valid_from: Day | None = None
    valid_until: Day | None = None


class ProtocolSpec(_Strict):
    id: Ident
    name: str | None = None
    applies_to: list[Ident] = Field(min_length=1)
    version: Count = 1
    description: str = ""
    rules: list[RuleSpec] = Field(min_length=1)
    terms: TermsSpec = TermsSpec()


class ReleaseSpec(_Strict):
    id: Ident | None = None
    report: Ident
    partner: Ident
    version: Literal["full", "tearline"]
    at: Moment
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
