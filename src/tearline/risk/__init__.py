"""The risk core: leak model, reach (exact, Monte Carlo, bounds), explanations,
sensitivity, mosaic and the release/exposure assessments. Pure: no I/O, no
clock, no global randomness (every sampler takes a seed).

    leak         LeakGraph, p(i→j) = (1 − protection_i)(1 − Π_d (1 − w_d s_d))
    exact        factoring with reductions and memo, within stated limits
    montecarlo   bit-parallel worlds, Wilson intervals, control variates
    bounds       walk-sum, cut and top-path bounds for screening
    paths        k most probable simple leak paths (Yen)
    sensitivity  Birnbaum importance and single-edge what-ifs from cached worlds
    reach        compute_reach: the one entry point for reach
    disclosure   what a release discloses (pluggable DisclosureModel)
    mosaic       anonymity set, P(identified), expectation over worlds
    assess       assess_release and exposure for a World
"""

from tearline.risk.assess import (
    AdversaryRisk,
    DisclosedAttribute,
    Driver,
    ExposureReport,
    ReleaseAssessment,
    RiskOptions,
    SourceAssessment,
    SourceExposure,
    assess_release,
    exposure,
)
from tearline.risk.bounds import ReachBounds, reach_bounds
from tearline.risk.disclosure import DisclosureModel, disclosures
from tearline.risk.exact import EXACT_MAX_EDGES, EXACT_MAX_STEPS, IntractableError, exact_reach
from tearline.risk.leak import LeakGraph, channel_probability, edge_probability
from tearline.risk.montecarlo import DEFAULT_WORLDS, MAX_WORLDS
from tearline.risk.mosaic import anonymity, p_identified
from tearline.risk.paths import LeakPath, top_paths
from tearline.risk.reach import PairReach, ReachResult, compute_reach, reach_in_world
from tearline.risk.sensitivity import WhatIf, WorldCache, birnbaum, cache_worlds, what_if

__all__ = [
    "DEFAULT_WORLDS",
    "EXACT_MAX_EDGES",
    "EXACT_MAX_STEPS",
    "MAX_WORLDS",
    "AdversaryRisk",
    "DisclosedAttribute",
    "DisclosureModel",
    "Driver",
    "ExposureReport",
    "IntractableError",
    "LeakGraph",
    "LeakPath",
    "PairReach",
    "ReachBounds",
    "ReachResult",
    "ReleaseAssessment",
    "RiskOptions",
    "SourceAssessment",
    "SourceExposure",
    "WhatIf",
    "WorldCache",
    "anonymity",
    "assess_release",
    "birnbaum",
    "cache_worlds",
    "channel_probability",
    "compute_reach",
    "disclosures",
    "edge_probability",
    "exact_reach",
    "exposure",
    "p_identified",
    "reach_bounds",
    "reach_in_world",
    "top_paths",
    "what_if",
]
