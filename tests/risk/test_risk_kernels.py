"""The compiled kernels (numba) and the NumPy path give the same bits, and the
NumPy path is what runs when numba cannot be imported."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tearline.risk import kernels
from tearline.risk.kernels import Kernel
from tearline.risk.leak import LeakGraph
from tearline.risk.montecarlo import monte_carlo
from tearline.risk.pcg import entropy_words, initial_states
from tearline.risk.propagate import LANES, ReachPlan, forward_masks, reach_masks
from tearline.risk.sampling import EdgeStreams
from tearline.risk.worlds import enumerate_worlds
from tests.risk.risk_brute import any_prob

needs_numba = pytest.mark.skipif(kernels.numba_module() is None, reason="numba is not installed")

# 1 to 5 entropy words each: SeedSequence mixes words past the fourth differently
seeds = st.one_of(
    st.integers(0, 3), st.integers(0, 2**32), st.integers(2**32, 2**96), st.integers(2**96, 2**160)
)
keys = st.one_of(st.integers(0, 2**32), st.integers(2**32, 2**64 - 1))


@st.composite
def edge_arrays(draw: st.DrawFn, max_nodes: int = 24, max_edges: int = 90):
    """(n, src, dst) as raw arrays: self-loops and parallel edges allowed."""
    n = draw(st.integers(1, max_nodes))
    m = draw(st.integers(0, max_edges))
    ends = st.lists(st.integers(0, n - 1), min_size=m, max_size=m)
    return n, np.array(draw(ends), dtype=np.intp), np.array(draw(ends), dtype=np.intp)


def random_masks(rng: np.random.Generator, m: int, words: int) -> np.ndarray:
    """Open masks with a per-edge density between about 1/8 and 7/8."""
    bits = rng.integers(0, 2**64, size=(3, m, words), dtype=np.uint64)
    kind = rng.integers(0, 4, size=(m, 1))
    return np.select(
        [kind == 0, kind == 1, kind == 2],
        [bits[0] & bits[1] & bits[2], bits[0] & bits[1], bits[0]],
        bits[0] | bits[1],
    ).astype(np.uint64)


@needs_numba
@settings(max_examples=60, deadline=None)
@given(
    seeds,
    st.lists(st.tuples(keys, any_prob), max_size=12, unique_by=lambda kp: kp[0]),
    st.lists(st.integers(1, 3), min_size=1, max_size=3),
)
def test_compiled_streams_draw_numpys_masks(seed, edges, draws):
    key = np.array([k for k, _ in edges], dtype=np.uint64)
    prob = np.array([p for _, p in edges], dtype=np.float64)
    compiled = EdgeStreams(key, prob, seed, "numba")
    plain = EdgeStreams(key, prob, seed, "numpy")
    for blocks in draws:  # successive draws continue the same streams
        assert np.array_equal(compiled.draw(blocks), plain.draw(blocks))


@needs_numba
@settings(max_examples=100, deadline=None)
@given(seeds, st.lists(keys, max_size=8))
@example(2**100, [2**64 - 1, 0, 2**32])
def test_initial_states_are_numpys(seed, key_list):
    states = initial_states(seed, key_list)
    for row, key in zip(states, key_list, strict=True):
        state = np.random.PCG64(np.random.SeedSequence([seed, key])).state["state"]
        mask = (1 << 64) - 1
        expected = [state["state"] >> 64, state["state"] & mask, state["inc"] >> 64]
        assert [int(x) for x in row] == [*expected, state["inc"] & mask]


def test_entropy_words_read_integers_as_seed_sequence_does():
    for n in (0, 1, 2**32 - 1, 2**32, 2**64 - 1, 3 * 2**70 + 5):
        expected = np.random.SeedSequence(n).entropy
        assert expected == n
        assert sum(w << (32 * i) for i, w in enumerate(entropy_words(n))) == n
    assert entropy_words(0) == [0]
    assert entropy_words(2**32) == [0, 1]


@needs_numba
@settings(max_examples=80, deadline=None)
@given(edge_arrays(), st.integers(1, 2 * LANES + 5), st.integers(0, 2**32 - 1))
def test_compiled_sweep_gives_numpys_reach_masks(case, words, seed):
    n, src, dst = case
    masks = random_masks(np.random.default_rng(seed), len(src), words)
    targets = list(range(n))
    for fn in (reach_masks, forward_masks):
        compiled = fn(n, src, dst, masks, targets, "numba")
        assert np.array_equal(compiled, fn(n, src, dst, masks, targets, "numpy"))


@needs_numba
def test_compiled_sweep_on_long_paths_and_a_non_contiguous_output():
    n = 300  # a ring and chords: open paths a hundred edges long
    src = np.concatenate([np.arange(n), np.arange(0, n, 7)])
    dst = np.concatenate([(np.arange(n) + 1) % n, (np.arange(0, n, 7) * 5) % n])
    masks = random_masks(np.random.default_rng(1), len(src), 40) | random_masks(
        np.random.default_rng(2), len(src), 40
    )
    possible = np.ones(len(src), dtype=bool)
    plain = ReachPlan(n, src, dst, possible, 0, "numpy").run(masks)
    out = np.zeros((n, 80), dtype=np.uint64)[:, ::2]  # strided: not C-contiguous
    compiled = ReachPlan(n, src, dst, possible, 0, "numba").run(masks, out)
    assert compiled is out
    assert np.array_equal(out, plain)


@needs_numba
@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(0, 2**40))
def test_monte_carlo_estimates_do_not_depend_on_the_backend(graph_seed, seed):
    rng = np.random.default_rng(graph_seed)
    n = int(rng.integers(4, 20))
    pairs = {(int(a), int(b)) for a, b in rng.integers(0, n, size=(4 * n, 2)) if a != b}
    grid = rng.integers(0, 1 << 16, size=len(pairs)) / (1 << 16)
    graph = LeakGraph.from_edges(
        [
            (f"n{a:02d}", f"n{b:02d}", float(p))
            for (a, b), p in zip(sorted(pairs), grid, strict=True)
        ]
    )
    partners, adversaries = list(range(graph.n // 2, graph.n)), list(range(graph.n // 2))
    runs = [
        monte_carlo(graph, partners, adversaries, worlds=3072, seed=seed, backend=backend)
        for backend in ("numba", "numpy")
    ]
    assert np.array_equal(runs[0].reach, runs[1].reach)
    assert np.array_equal(runs[0].lower, runs[1].lower)


@needs_numba
def test_enumerated_worlds_propagate_the_same_on_both_backends():
    edges = [("P", "x", 0.3), ("x", "A", 0.5), ("P", "y", 0.4), ("y", "x", 0.6), ("y", "A", 0.2)]
    worlds = enumerate_worlds(LeakGraph.from_edges(edges))
    assert np.array_equal(worlds.reach([0], "numba"), worlds.reach([0], "numpy"))
    assert np.array_equal(worlds.forward([1, 2], "numba"), worlds.forward([1, 2], "numpy"))


def test_without_numba_auto_is_numpy_and_numba_is_an_error(monkeypatch):
    monkeypatch.setattr(kernels, "numba_module", lambda: None)
    monkeypatch.setattr(kernels, "_KERNELS", list(kernels._KERNELS))  # keep ours out of it
    kernel = Kernel(lambda out: None, lambda: (np.zeros(1),))
    assert kernel.get("auto") is None
    assert kernel.get("numpy") is None
    with pytest.raises(RuntimeError, match="numba"):
        kernel.get("numba")
    assert kernels.warm_up() == 0
    key = np.array([7, 8], dtype=np.uint64)
    prob = np.array([0.25, 0.5])
    streams = EdgeStreams(key, prob, 3)  # "auto"
    assert streams._draw is None
    assert np.array_equal(streams.draw(2), EdgeStreams(key, prob, 3, "numpy").draw(2))


def test_auto_keeps_small_jobs_on_numpy_without_importing_numba(monkeypatch):
    def no_import():
        raise AssertionError("numba imported for a small job")

    monkeypatch.setattr(kernels, "numba_module", no_import)
    assert kernels.resolve("auto", kernels.MIN_WORK - 1) == "numpy"
    assert kernels.resolve("numpy") == "numpy"
    streams = EdgeStreams(np.array([7], dtype=np.uint64), np.array([0.5]), 1, blocks=2)
    assert streams._draw is None
    streams.draw(2)


@needs_numba
def test_auto_compiles_big_jobs_and_unsized_ones():
    assert kernels.resolve("auto", kernels.MIN_WORK) == "numba"
    assert kernels.resolve("auto") == "numba"
    assert kernels.resolve("numba", 1) == "numba"


def test_numba_that_fails_to_import_counts_as_missing(monkeypatch):
    monkeypatch.setitem(sys.modules, "numba", None)  # import numba now raises ImportError
    assert kernels.numba_module.__wrapped__() is None


@needs_numba
def test_warm_up_compiles_every_kernel():
    assert kernels.warm_up("numba") == 3
    assert kernels.warm_up("numpy") == 0
