"""The tearline model as immutable values. Pure: no I/O, no clock, no randomness."""

from tearline.domain.actors import Actor, ActorKind, Group
from tearline.domain.errors import (
    ConflictError,
    Issue,
    NotFoundError,
    ScenarioError,
    StoreError,
    TearlineError,
    VerificationError,
)
from tearline.domain.params import ModelParams
from tearline.domain.protocols import (
    Attribution,
    Conditions,
    Effect,
    EncryptInTransit,
    HandlingTerms,
    OnwardSharing,
    Protocol,
    ReleaseScope,
    Rule,
)
from tearline.domain.releases import Release, Version
from tearline.domain.reports import Report
from tearline.domain.sources import (
    Attribute,
    Disclosed,
    Generalization,
    Source,
    SourceStatus,
    anonymity,
    smallest_k,
)
from tearline.domain.text import plain_text
from tearline.domain.ties import DIMENSIONS, Dimension, Tie
from tearline.domain.uncertain import Beta, Distribution, Tolerance, Uniform
from tearline.domain.world import World

__all__ = [
    "DIMENSIONS",
    "Actor",
    "ActorKind",
    "Attribute",
    "Attribution",
    "Beta",
    "Conditions",
    "ConflictError",
    "Dimension",
    "Disclosed",
    "Distribution",
    "Effect",
    "EncryptInTransit",
    "Generalization",
    "Group",
    "HandlingTerms",
    "Issue",
    "ModelParams",
    "NotFoundError",
    "OnwardSharing",
    "Protocol",
    "Release",
    "ReleaseScope",
    "Report",
    "Rule",
    "ScenarioError",
    "Source",
    "SourceStatus",
    "StoreError",
    "TearlineError",
    "Tie",
    "Tolerance",
    "Uniform",
    "VerificationError",
    "Version",
    "World",
    "anonymity",
    "plain_text",
    "smallest_k",
]
