"""Ensembles of tie-worlds: risk when the inputs themselves are uncertain.

A scenario may state a tie plane or a protection as a belief (a range
``[low, high]`` or a beta ``{mean, sd}``) and an actor as impulsive (with
probability P it hands everything to one adversary this period). An
*ensemble* draws M members from those beliefs; each member is an ordinary,
certain ``World`` on which every figure (reach, exposure, a release's risk) is
computed exactly as usual, with the same Monte Carlo seed (docs/risk.md §8).
The spread of a figure over the members is its uncertainty, reported as
percentiles (5th, 50th, 95th by default).

Common random numbers, twice over:

* input i's values in the M members come from its own stream,
  ``PCG64(SeedSequence([seed, ENSEMBLE_STREAM, key_i]))`` with ``key_i`` a hash
  of the input's name, as U_ij mapped through the belief's quantile function.
  So adding, removing or changing one belief leaves every other input's
  values as they were, and widening a range moves each member's value
  monotonically (the coupling that makes "between reach at a and at b" hold
  member by member);
* every member is evaluated with the same risk seed, so members differ only
  through their inputs, never through sampling noise.

``first_order`` attributes a figure's spread to the inputs: first-order Sobol
indices S_i = Var(E[Y | X_i]) / Var(Y), estimated from the ensemble itself by
grouping the members on X_i (equal-count bins of its rank, or its values when
it takes few, as a jump does). No extra model runs. The raw between-group
share has a positive bias of about (G − 1)/(M − 1) for an input that does not
matter (G groups, M members); it is removed as S = (raw − b)/(1 − b), clipped
at 0, so an irrelevant input reads ≈ 0 rather than ≈ (G − 1)/M.

Pure: no I/O; randomness only from the seed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from scipy.stats import beta as beta_distribution

from tearline.domain import Actor, Beta, Dimension, Distribution, Tie, Uniform, World

DEFAULT_MEMBERS = 200
"""Members per ensemble: the 5th and 95th percentiles of 200 draws are each
within about ±2.2 percentile points (binomial), enough to read a range; ask
for more with ``--ensemble``."""

DEFAULT_QUANTILES = (0.05, 0.5, 0.95)
ENSEMBLE_STREAM = 0x19_E5_E4B1E
"""Mixed into every input stream so ensemble draws never coincide with the
Monte Carlo edge streams seeded by the same user seed."""

FloatArray = NDArray[np.float64]
InputKind = Literal["tie", "protection", "impulsive"]


@dataclass(frozen=True, slots=True)
class UncertainInput:
    """One uncertain input. ``name`` is what reports show (and what its random
    stream is keyed by): ``"aldren→kharovia intelligence"``,
    ``"aldren protection"``, ``"aldren impulsive → kharovia"``."""

    name: str
    kind: InputKind
    actor: str
    target: str | None = None
    dimension: Dimension | None = None
    belief: Distribution | None = None
    probability: float = 0.0  # impulsive only

    @property
    def key(self) -> int:
        digest = hashlib.blake2b(self.name.encode(), digest_size=8).digest()
        return int.from_bytes(digest, "little")

    def values(self, uniforms: FloatArray) -> FloatArray:
        """The input's value in each member, from that member's U ~ U(0, 1)."""
        if self.kind == "impulsive":
            return (uniforms < self.probability).astype(np.float64)
        assert self.belief is not None
        return quantile(self.belief, uniforms)


def quantile(belief: Distribution, u: FloatArray) -> FloatArray:
    """The belief's quantile function (inverse CDF) at ``u``."""
    if isinstance(belief, Uniform):
        return np.asarray(belief.low + u * (belief.high - belief.low), dtype=np.float64)
    assert isinstance(belief, Beta)
    a, b = belief.shape()
    return np.asarray(beta_distribution.ppf(u, a, b), dtype=np.float64)


def uncertain_inputs(world: World, as_of: date | None = None) -> tuple[UncertainInput, ...]:
    """The uncertain inputs that matter on ``as_of``: beliefs on the ties in
    force, protection beliefs, impulsive actors — in a canonical order."""
    found: list[UncertainInput] = []
    for tie in world.ties_in_force(as_of):
        for dimension, belief in tie.ranges:
            found.append(
                UncertainInput(
                    f"{tie.source}→{tie.target} {dimension.value}",
                    "tie",
                    tie.source,
                    tie.target,
                    dimension,
                    belief,
                )
            )
    for actor in world.actors:
        if actor.protection_range is not None:
            found.append(
                UncertainInput(
                    f"{actor.id} protection", "protection", actor.id, belief=actor.protection_range
                )
            )
        if actor.impulsive > 0.0 and actor.impulsive_to is not None:
            found.append(
                UncertainInput(
                    f"{actor.id} impulsive → {actor.impulsive_to}",
                    "impulsive",
                    actor.id,
                    actor.impulsive_to,
                    probability=actor.impulsive,
                )
            )
    return tuple(sorted(found, key=lambda x: x.name))


@dataclass(frozen=True, eq=False)
class Ensemble:
    """M members over ``inputs``: ``values[j, i]`` is input i in member j."""

    inputs: tuple[UncertainInput, ...]
    values: FloatArray
    seed: int
    as_of: date | None

    @property
    def size(self) -> int:
        return int(self.values.shape[0])

    def member(self, world: World, j: int) -> World:
        """Member j: ``world`` with every uncertain input set to its value and
        every belief dropped (a certain world; an impulsive actor either jumped,
        impulsive = 1, or did not, impulsive = 0)."""
        return member_world(world, self.inputs, self.values[j], self.as_of)


def draw_ensemble(
    world: World, *, as_of: date | None = None, members: int = DEFAULT_MEMBERS, seed: int = 0
) -> Ensemble:
    if members < 1:
        raise ValueError("an ensemble needs at least one member")
    inputs = uncertain_inputs(world, as_of)
    values = np.empty((members, len(inputs)), dtype=np.float64)
    for i, item in enumerate(inputs):
        stream = np.random.Generator(
            np.random.PCG64(np.random.SeedSequence([seed, ENSEMBLE_STREAM, item.key]))
        )
        values[:, i] = item.values(stream.random(members))
    values.setflags(write=False)
    return Ensemble(inputs, values, seed, as_of)


def member_world(
    world: World, inputs: Sequence[UncertainInput], row: FloatArray, as_of: date | None
) -> World:
    """``world`` with the inputs set to ``row`` (see ``Ensemble.member``)."""
    planes: dict[tuple[str, str], dict[str, float]] = {}
    protection: dict[str, float] = {}
    jumped: dict[str, float] = {}
    for item, value in zip(inputs, row, strict=True):
        if item.kind == "tie":
            assert item.target is not None
            assert item.dimension is not None
            planes.setdefault((item.actor, item.target), {})[item.dimension.value] = float(value)
        elif item.kind == "protection":
            protection[item.actor] = float(value)
        else:
            jumped[item.actor] = float(value)
    in_force = {(t.source, t.target, t.as_of) for t in world.ties_in_force(as_of)}

    def tie(t: Tie) -> Tie:
        if not t.ranges:
            return t
        if (t.source, t.target, t.as_of) in in_force:
            changes: dict[str, object] = dict(planes.get((t.source, t.target), {}))
            return dataclasses.replace(t, ranges=(), **changes)  # type: ignore[arg-type]
        return dataclasses.replace(t, ranges=())

    def actor(a: Actor) -> Actor:
        if not a.uncertain:
            return a
        return dataclasses.replace(
            a,
            protection=protection.get(a.id, a.protection),
            protection_range=None,
            impulsive=jumped.get(a.id, 0.0),  # 1 (jumped) or 0 in a member
            impulsive_to=a.impulsive_to if jumped.get(a.id) else None,
        )

    # Same order as ``world`` (element by element), so no re-sorting is needed.
    return dataclasses.replace(
        world, actors=tuple(actor(a) for a in world.actors), ties=tuple(tie(t) for t in world.ties)
    )


def protective_world(world: World, as_of: date | None, quantile: float) -> World:
    """The certain world at which decisions read an uncertain one: every
    input at its level-``quantile^(1/n)`` point in the direction that raises
    risk (a tie's plane high, a protection low, a jump taken when its
    probability exceeds 1 − that level, else folded in as a probability as the
    point figures do), n the number of inputs.

    Reach and cumulative risk are nondecreasing in every tie plane and jump
    and nonincreasing in protection, and the inputs are independent, so
    P(figure ≤ figure at this point) ≥ Π_i P(X_i on the safe side of its
    point) = quantile: each such figure here is at least its ``quantile``-th
    percentile over the ensemble — a protective bound, exact for one input.
    Raising any belief raises the point, so decisions stay monotone. A world
    without uncertain inputs is returned unchanged.
    """
    inputs = uncertain_inputs(world, as_of)
    if not inputs:
        return world
    level = quantile ** (1.0 / len(inputs))
    row = np.empty(len(inputs), dtype=np.float64)
    for i, item in enumerate(inputs):
        u = np.array([1.0 - level if item.kind == "protection" else level])
        if item.kind != "impulsive":
            row[i] = float(item.values(u)[0])
        else:
            # A jump past the level is taken; one below it stays folded in as
            # its probability (never below the mean over the jump).
            row[i] = 1.0 if item.probability > 1.0 - level else item.probability
    return member_world(world, inputs, row, as_of)


# -- summaries -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Interval:
    """A figure's spread over the ensemble: its ``low``, ``median`` and ``high``
    percentiles (``quantiles`` says which)."""

    low: float
    median: float
    high: float
    quantiles: tuple[float, float, float] = DEFAULT_QUANTILES

    def at(self, which: Literal["low", "median", "high"]) -> float:
        return float(getattr(self, which))


def interval(
    samples: Sequence[float] | FloatArray, quantiles: tuple[float, float, float] = DEFAULT_QUANTILES
) -> Interval:
    """Percentiles of ``samples`` (linear interpolation between order statistics,
    so each lies between the smallest and largest member)."""
    data = np.asarray(samples, dtype=np.float64)
    low, median, high = (float(x) for x in np.quantile(data, quantiles))
    return Interval(low, median, high, quantiles)


def intervals(
    samples: FloatArray, quantiles: tuple[float, float, float] = DEFAULT_QUANTILES
) -> list[Interval]:
    """One interval per column of ``samples`` (members × figures)."""
    return [interval(samples[:, k], quantiles) for k in range(samples.shape[1])]


def first_order(values: FloatArray, output: FloatArray, bins: int | None = None) -> FloatArray:
    """First-order Sobol index of each input (column of ``values``) for
    ``output`` (one value per member), by the given-data estimator in the
    module docstring. All zeros when the output does not vary."""
    members, count = values.shape
    result = np.zeros(count, dtype=np.float64)
    total = float(np.var(output))
    if members < 2 or total <= 1e-300:
        return result
    bins = bins or max(2, int(math.sqrt(members)))
    mean = float(np.mean(output))
    for i in range(count):
        column = values[:, i]
        distinct = np.unique(column)
        if len(distinct) <= bins:
            labels = np.searchsorted(distinct, column)
        else:
            order = np.argsort(column, kind="stable")
            labels = np.empty(members, dtype=np.intp)
            labels[order] = np.arange(members) * bins // members
        sums = np.bincount(labels, weights=output)
        counts = np.bincount(labels)
        used = counts > 0
        between = float(np.sum(counts[used] * (sums[used] / counts[used] - mean) ** 2)) / members
        bias = (int(np.count_nonzero(used)) - 1) / (members - 1)
        raw = between / total
        result[i] = min(1.0, max(0.0, (raw - bias) / (1.0 - bias) if bias < 1.0 else 0.0))
    return result


def attribution(
    inputs: Sequence[UncertainInput], values: FloatArray, output: FloatArray, top: int = 3
) -> list[tuple[str, float]]:
    """The inputs that contribute most to ``output``'s spread, as
    (input name, first-order index), largest first, zero shares left out."""
    shares = first_order(values, output)
    ranked = sorted(zip((x.name for x in inputs), shares, strict=True), key=lambda p: -p[1])
    return [(name, float(share)) for name, share in ranked[:top] if share > 0.0]
