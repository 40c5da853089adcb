"""Choose, for every disclosed attribute of a source, the level to keep.

The optimisation (one source; sources are independent because every
attribute belongs to one source and k is per source):

    maximise    Σ_a  u_a · w_a(ℓ_a)              (useful information kept)
    subject to  population · Π_a sel_a(ℓ_a) ≥ target_k
                risk(ℓ) ≤ max_risk               (only when a risk hook is given)
    over        ℓ_a ∈ {d_a, d_a + 1, …, G_a, ∅}

where d_a is the most specific level the original text discloses (we never
disclose more than the original), G_a the coarsest generalization, ∅ "not
disclosed" (deleted), ``sel_a(ℓ) = Attribute.selectivity_at(ℓ)`` (1 for ∅)
``w_a(ℓ) = −log sel_a(ℓ)`` the information, in nats, that level ℓ tells about
the source, and ``u_a`` how useful that kind of detail is to the partner
(``UTILITY``: what a partner needs to judge reporting is the source's access
and position, while places, dates and relations mostly fingerprint a person;
with every u = 1 this is plain information). Taking logs, the k constraint
is Σ_a w_a(ℓ_a) ≤ B with B = log(population / target_k): a multiple-choice
knapsack. Ties (equal value) go to fewer deletions, then to less
generalisation.

``choose_levels`` solves it exactly by depth-first branch and bound
(attributes in decreasing order of their most informative option; a branch is
cut when even its most informative completion cannot beat the best found or
when it already breaks the budget). With a risk hook — a callable that is not
decomposable — the feasible level vectors are enumerated and tried in order
of decreasing information; the first the hook accepts is optimal. Beyond
``ENUMERATION_LIMIT`` vectors or ``RISK_CALLS`` calls of the hook it falls
back to coarsening greedily from the k-optimum (the most informative attribute
one step at a time), which is safe but may keep less than the optimum.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from tearline.domain.sources import Source

Levels = Mapping[str, int]
"""attribute name -> level disclosed (absent: not disclosed)."""

Acceptable = Callable[[Levels], bool]
UTILITY: Mapping[str, float] = {
    "access": 3.0,
    "employer": 2.0,
    "post": 1.5,
    "skill": 1.0,
    "place": 1.0,
    "relation": 0.5,
    "timing": 0.5,
}
OTHER_UTILITY = 0.5
ENUMERATION_LIMIT = 200_000
RISK_CALLS = 256
_EPS = 1e-9


@dataclass(frozen=True, slots=True)
class Choice:
    """The levels chosen for one source, and what they leave."""

    source: str
    levels: dict[str, int]  # only the attributes still disclosed
    deleted: frozenset[str]  # disclosed originally, disclosed no longer
    k: float
    information: float
    meets_target: bool


def options(source: Source, disclosed: Levels) -> dict[str, list[int | None]]:
    """For each attribute the original discloses: its levels from the
    disclosed one to the coarsest, then None (not disclosed)."""
    out: dict[str, list[int | None]] = {}
    for attribute in source.attributes:
        if attribute.name not in disclosed:
            continue
        first = disclosed[attribute.name]
        coarsest = len(attribute.generalizations)
        out[attribute.name] = [*range(first, coarsest + 1), None]
    return out


def weight(source: Source, name: str, level: int | None) -> float:
    if level is None:
        return 0.0
    return -math.log(source.attribute(name).selectivity_at(level))


def k_of(source: Source, levels: Levels) -> float:
    return source.anonymity(levels)


def value(
    source: Source, name: str, level: int | None, utility: Mapping[str, float] = UTILITY
) -> float:
    kind = source.attribute(name).kind
    return utility.get(kind, OTHER_UTILITY) * weight(source, name, level)


def _key(
    source: Source, vector: dict[str, int | None], utility: Mapping[str, float] = UTILITY
) -> tuple[float, int, int]:
    """Sort key, best first: most value, fewest deletions, least generalisation."""
    info = sum(value(source, n, lv, utility) for n, lv in vector.items())
    deletions = sum(1 for lv in vector.values() if lv is None)
    steps = sum(lv for lv in vector.values() if lv is not None)
    return (-round(info, 9), deletions, steps)


def _choice(source: Source, vector: dict[str, int | None], target_k: float) -> Choice:
    levels = {n: lv for n, lv in vector.items() if lv is not None}
    k = k_of(source, levels)
    return Choice(
        source=source.id,
        levels=levels,
        deleted=frozenset(n for n, lv in vector.items() if lv is None),
        k=k,
        information=sum(weight(source, n, lv) for n, lv in levels.items()),
        meets_target=k >= target_k - _EPS * target_k,
    )


def choose_levels(
    source: Source,
    disclosed: Levels,
    target_k: float,
    *,
    acceptable: Acceptable | None = None,
    utility: Mapping[str, float] = UTILITY,
) -> Choice:
    """The optimum of the module docstring for one source."""
    opts = options(source, disclosed)
    budget = math.log(source.population / target_k) if target_k > 0 else math.inf
    everything_deleted: dict[str, int | None] = dict.fromkeys(opts)
    if budget < -_EPS:
        # Even saying nothing leaves k = population < target: delete all.
        return _choice(source, everything_deleted, target_k)
    if acceptable is None:
        return _choice(source, _branch_and_bound(source, opts, budget, utility), target_k)
    return _choice(source, _with_hook(source, opts, budget, acceptable, utility), target_k)


def _branch_and_bound(
    source: Source,
    opts: dict[str, list[int | None]],
    budget: float,
    utility: Mapping[str, float] = UTILITY,
) -> dict[str, int | None]:
    names = sorted(opts, key=lambda n: -max(value(source, n, lv, utility) for lv in opts[n]))
    weights = {
        n: [(lv, weight(source, n, lv), value(source, n, lv, utility)) for lv in opts[n]]
        for n in names
    }
    # The most value any suffix of attributes could add, ignoring the budget.
    tail = [0.0] * (len(names) + 1)
    for i in range(len(names) - 1, -1, -1):
        tail[i] = tail[i + 1] + max(v for _, _, v in weights[names[i]])
    best: dict[str, int | None] = dict.fromkeys(names)
    best_key = _key(source, best, utility)
    current: dict[str, int | None] = {}

    def visit(i: int, used: float, gained: float) -> None:
        nonlocal best, best_key
        if i == len(names):
            key = _key(source, current, utility)
            if key < best_key:
                best, best_key = dict(current), key
            return
        # Cut: even the richest completion does not beat the best (ties are
        # still explored, since the tie-breaks may prefer them).
        if -round(gained + tail[i], 9) > best_key[0]:
            return
        for level, w, v in weights[names[i]]:
            if used + w <= budget + _EPS:
                current[names[i]] = level
                visit(i + 1, used + w, gained + v)
                del current[names[i]]

    visit(0, 0.0, 0.0)
    return best


def _with_hook(
    source: Source,
    opts: dict[str, list[int | None]],
    budget: float,
    acceptable: Acceptable,
    utility: Mapping[str, float] = UTILITY,
) -> dict[str, int | None]:
    names = list(opts)
    if math.prod(len(v) for v in opts.values()) <= ENUMERATION_LIMIT:
        feasible = []
        for combo in itertools.product(*(opts[n] for n in names)):
            vector = dict(zip(names, combo, strict=True))
            if sum(weight(source, n, lv) for n, lv in vector.items()) <= budget + _EPS:
                feasible.append(vector)
        feasible.sort(key=lambda v: _key(source, v, utility))
        for vector in feasible[:RISK_CALLS]:
            if acceptable({n: lv for n, lv in vector.items() if lv is not None}):
                return vector
    return _greedy(source, opts, budget, acceptable, utility)


def _greedy(
    source: Source,
    opts: dict[str, list[int | None]],
    budget: float,
    acceptable: Acceptable,
    utility: Mapping[str, float] = UTILITY,
) -> dict[str, int | None]:
    """From the k-optimum, coarsen the most informative attribute one step at
    a time until the hook accepts; everything deleted is the last resort."""
    vector = _branch_and_bound(source, opts, budget, utility)
    for _ in range(sum(len(v) for v in opts.values())):
        if acceptable({n: lv for n, lv in vector.items() if lv is not None}):
            return vector
        live = [n for n, lv in vector.items() if lv is not None]
        if not live:
            break
        richest = max(live, key=lambda n: weight(source, n, vector[n]))
        steps = opts[richest]
        vector[richest] = steps[steps.index(vector[richest]) + 1]
    return dict.fromkeys(opts)


def brute_force(
    source: Source, disclosed: Levels, target_k: float, utility: Mapping[str, float] = UTILITY
) -> Choice:
    """Reference: try every level vector (for tests)."""
    opts = options(source, disclosed)
    names = list(opts)
    budget = math.log(source.population / target_k)
    best: dict[str, int | None] = dict.fromkeys(names)
    for combo in itertools.product(*(opts[n] for n in names)):
        vector = dict(zip(names, combo, strict=True))
        feasible = sum(weight(source, n, lv) for n, lv in vector.items()) <= budget + _EPS
        if feasible and _key(source, vector, utility) < _key(source, best, utility):
            best = vector
    return _choice(source, best, target_k)
