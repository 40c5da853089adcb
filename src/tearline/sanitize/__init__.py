"""Tearlines: find what a report discloses about its sources, generalise it
until every source keeps the target anonymity, and say what changed.

Pure: no I/O, no clock, no randomness. See ``docs/sanitize.md``.
"""

from tearline.sanitize.core import (
    DEFAULT_TARGET_K,
    Change,
    MarginalRisk,
    Sanitized,
    SourceResult,
    sanitize,
)
from tearline.sanitize.detect import Match, anonymity, disclosures, find_attributes
from tearline.sanitize.generalize import Choice, choose_levels
from tearline.sanitize.patterns import Finding, Kind
from tearline.sanitize.policy import DEFAULT, STRICT, GenericPolicy

__all__ = [
    "DEFAULT",
    "DEFAULT_TARGET_K",
    "STRICT",
    "Change",
    "Choice",
    "Finding",
    "GenericPolicy",
    "Kind",
    "MarginalRisk",
    "Match",
    "Sanitized",
    "SourceResult",
    "anonymity",
    "choose_levels",
    "disclosures",
    "find_attributes",
    "sanitize",
]
