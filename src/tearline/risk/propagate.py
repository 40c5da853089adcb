"""Bit-parallel reachability: in which worlds does each node reach a target?

For a target t and edge masks M (bit w of M[e] = edge e open in world w) the
masks R[x] = {worlds in which x reaches t} are the least fixpoint of

    R[t] = all worlds,   R[x] = ∪_{e = (x→y)} M[e] ∩ R[y]

computed by Jacobi sweeps over the edges, 64 worlds per uint64 word, all words
at once with NumPy. A sweep costs O(m · W) word operations; the number of
sweeps is the depth of the deepest shortest open path in any world of a word,
so two refinements keep the cost down:

* only edges into nodes that changed in the previous sweep are relaxed
  (semi-naive evaluation), and
* words that stopped changing are set aside and the sweep continues on the
  compacted rest (a word has converged once a sweep changes none of its bits).

Run it on the reversed edges to get forward reachability from a source.

**Compiled kernel** (``_sweep``, with numba, see ``kernels``). The same least
fixpoint, computed differently: nodes are ranked by breadth-first distance to
the target (rank 0 is the target) and swept in rank order, Gauss-Seidel: a
node whose mask grew pushes it over its in-edges, R[u] |= R[v] & M[u→v], and
marks u when R[u] grew. A change to a node of higher rank is picked up later
in the same sweep, so one sweep carries a change along any run of edges
leading away from the target in rank; only a change to a node already passed
needs another sweep (about 16 on the benchmark graph). ``LANES`` = 32 words
(2,048 worlds) are updated together because the per-edge update is then a
vectorised loop: LLVM vectorises it from 32 lanes on, and 8 or 16 scalar lanes
measured 2.5x slower, although fewer lanes converge in fewer sweeps. Same
masks as the NumPy sweeps, about 25x faster on the benchmark graph.
"""

from __future__ import annotations

from collections import deque

import numpy as np
from numpy.typing import NDArray

from tearline.risk.kernels import Backend, Kernel, resolve

Masks = NDArray[np.uint64]
IntArray = NDArray[np.intp]

CHUNK_WORDS = 128
"""Words processed together: 128 words × ~1,000 edges × 8 bytes ≈ 1 MB, which keeps
the gathered working set in cache. Larger chunks measured slower on the
benchmark graph, smaller ones pay more NumPy call overhead."""

LANES = 32
"""Words (64 worlds each) the compiled kernel propagates together."""

_ONES = np.uint64(0xFFFFFFFFFFFFFFFF)


def coreaching(n: int, src: IntArray, dst: IntArray, target: int) -> NDArray[np.bool_]:
    """Nodes from which ``target`` can be reached over the given edges."""
    seen = np.zeros(n, dtype=bool)
    seen[by_distance(n, src, dst, target)] = True
    return seen


def by_distance(n: int, src: IntArray, dst: IntArray, target: int) -> IntArray:
    """The nodes that reach ``target`` over the given edges, in breadth-first
    order from it (the target first, then its in-neighbours, ...)."""
    order = np.argsort(dst, kind="stable")
    ptr = np.searchsorted(dst[order], np.arange(n + 1))
    seen = np.zeros(n, dtype=bool)
    seen[target] = True
    found = [target]
    queue = deque([target])
    while queue:
        y = queue.popleft()
        for e in order[ptr[y] : ptr[y + 1]]:
            x = int(src[e])
            if not seen[x]:
                seen[x] = True
                found.append(x)
                queue.append(x)
    return np.asarray(found, dtype=np.intp)


class ReachPlan:
    """The edges that matter for reaching one target, sorted by their tail.

    An edge matters when it can be open (p > 0), does not leave the target
    (a path is done once it arrives) and its head can reach the target at all.
    ``backend`` chooses the compiled kernel or this module's NumPy sweeps
    (``kernels``); both give the same masks.
    """

    def __init__(
        self,
        n: int,
        src: IntArray,
        dst: IntArray,
        possible: NDArray[np.bool_],
        target: int,
        backend: Backend = "auto",
    ) -> None:
        self.n = n
        self.target = target
        live = np.nonzero(possible & (src != target))[0]
        ranked = by_distance(n, src[live], dst[live], target)
        ok = np.zeros(n, dtype=bool)
        ok[ranked] = True
        live = live[ok[dst[live]] & ok[src[live]]]
        live = live[np.argsort(src[live], kind="stable")]
        self.edges: IntArray = live
        self.src: IntArray = src[live]
        self.dst: IntArray = dst[live]
        self.nodes: NDArray[np.bool_] = ok
        self.backend = backend
        self._ranked = ranked
        self._layout: tuple[IntArray, IntArray, IntArray] | None = None

    def _compiled_layout(self) -> tuple[IntArray, IntArray, IntArray]:
        """For ``_sweep``: the edges grouped by head rank, as (ptr, tail ranks, edges)."""
        if self._layout is None:
            ranked = self._ranked
            rank = np.full(self.n, -1, dtype=np.intp)
            rank[ranked] = np.arange(len(ranked))
            heads, tails = rank[self.dst], rank[self.src]
            by_head = np.lexsort((tails, heads))
            ptr = np.searchsorted(heads[by_head], np.arange(len(ranked) + 1))
            self._layout = (
                ptr.astype(np.intp),
                np.ascontiguousarray(tails[by_head]),
                np.ascontiguousarray(self.edges[by_head]),
            )
        return self._layout

    def run(self, masks: Masks, out: Masks | None = None) -> Masks:
        """R, shape (n, W): bit w of R[x] set iff x reaches the target in world w."""
        words = masks.shape[1]
        reach = np.zeros((self.n, words), dtype=np.uint64) if out is None else out
        reach[:] = 0
        reach[self.target] = _ONES
        if len(self.edges) == 0:
            return reach
        sweep = _SWEEP.get(self.backend, len(self.edges) * words)
        if sweep is not None:
            into = reach if reach.flags.c_contiguous else np.ascontiguousarray(reach)
            masks = np.ascontiguousarray(masks, dtype=np.uint64)
            sweep(masks, *self._compiled_layout(), self._ranked, into)
            if into is not reach:
                reach[:] = into
            return reach
        work = _Workspace(len(self.edges), self.n, min(words, CHUNK_WORDS))
        for lo in range(0, words, CHUNK_WORDS):
            hi = min(words, lo + CHUNK_WORDS)
            np.take(
                masks[:, lo:hi],
                self.edges,
                axis=0,
                out=work.view("masks", len(self.edges), hi - lo),
            )
            reach[:, lo:hi] = self._fixpoint(work, hi - lo)
        return reach

    def _fixpoint(self, work: _Workspace, words: int) -> Masks:
        n, target = self.n, self.target
        masks = work.view("masks", len(self.edges), words)
        full = np.zeros((n, words), dtype=np.uint64)
        full[target] = _ONES
        reach = full
        cols: IntArray | None = None  # columns of ``full`` that ``reach`` holds
        active = np.arange(len(self.edges))
        while len(active):
            width = reach.shape[1]
            tails = self.src[active]
            starts = np.flatnonzero(np.r_[True, tails[1:] != tails[:-1]])
            heads_of = tails[starts]
            gathered = work.view("gathered", len(active), width)
            np.take(reach, self.dst[active], axis=0, out=gathered)
            if len(active) == len(self.edges):
                gathered &= masks
            else:
                edge_masks = work.view("edge", len(active), width)
                np.take(masks, active, axis=0, out=edge_masks)
                gathered &= edge_masks
            new = work.view("new", len(starts), width)
            np.bitwise_or.reduceat(gathered, starts, axis=0, out=new)
            old = work.view("old", len(starts), width)
            np.take(reach, heads_of, axis=0, out=old)
            new |= old
            changed = new != old
            reach[heads_of] = new
            node_changed = changed.any(axis=1)
            if not node_changed.any():
                break
            # semi-naive: the next sweep relaxes only edges into nodes that changed
            dirty = np.zeros(n, dtype=bool)
            dirty[heads_of[node_changed]] = True
            active = np.flatnonzero(dirty[self.dst])
            col_changed = changed.any(axis=0)
            if int(col_changed.sum()) <= width // 2:
                # a word no sweep changed has converged: set it aside, go on with the rest
                if cols is None:
                    cols = np.arange(words)
                else:
                    full[:, cols] = reach
                keep = np.flatnonzero(col_changed)
                cols = cols[keep]
                reach = np.ascontiguousarray(reach[:, keep])
                compact = work.view("compact", len(self.edges), len(keep))
                np.take(masks, keep, axis=1, out=compact)
                masks = work.view("masks", len(self.edges), len(keep))
                masks[:] = compact
        if cols is not None:
            full[:, cols] = reach
        return full


class _Workspace:
    """Reused scratch buffers. Fresh multi-megabyte arrays cost page faults on
    every sweep (measured: a fresh 128 MB buffer costs 5x its fill time), so
    the kernel writes into views of buffers allocated once per run."""

    def __init__(self, edges: int, nodes: int, words: int) -> None:
        rows = max(edges, nodes)
        self._buffers = {
            name: np.empty(rows * words, dtype=np.uint64)
            for name in ("masks", "gathered", "edge", "new", "old", "compact")
        }

    def view(self, name: str, rows: int, words: int) -> Masks:
        return self._buffers[name][: rows * words].reshape(rows, words)


def _sweep(
    masks: Masks, ptr: IntArray, tail: IntArray, edge: IntArray, node: IntArray, out: Masks
) -> None:
    """Compiled twin of ``ReachPlan._fixpoint``: rows ``node`` of ``out`` (n, W)
    get the worlds in which each node reaches node[0], the target.

    Rank r stands for node[r]; the edges into rank v are ``ptr[v]:ptr[v + 1]``,
    each with its tail's rank ``tail[j]`` and its row ``edge[j]`` of ``masks``.
    """
    ones = np.uint64(0xFFFFFFFFFFFFFFFF)
    zero = np.uint64(0)
    nodes, words, edges = node.shape[0], masks.shape[1], edge.shape[0]
    cur = np.zeros((nodes, LANES), dtype=np.uint64)
    open_ = np.zeros((edges, LANES), dtype=np.uint64)
    head = np.zeros(LANES, dtype=np.uint64)
    dirty = np.zeros(nodes, dtype=np.uint8)
    for w0 in range(0, words, LANES):
        width = min(LANES, words - w0)
        for j in range(edges):
            e = edge[j]
            if width == LANES:  # the common case as a fixed-length (vectorised) copy
                for lane in range(LANES):
                    open_[j, lane] = masks[e, w0 + lane]
            else:
                for lane in range(LANES):
                    open_[j, lane] = masks[e, w0 + lane] if lane < width else zero
        for r in range(nodes):
            for lane in range(LANES):
                cur[r, lane] = zero
            dirty[r] = 0
        for lane in range(LANES):
            cur[0, lane] = ones
        dirty[0] = 1
        again = np.uint8(1)
        while again:
            again = np.uint8(0)
            for v in range(nodes):
                if dirty[v] == 0:
                    continue
                dirty[v] = 0
                for lane in range(LANES):
                    head[lane] = cur[v, lane]
                for j in range(ptr[v], ptr[v + 1]):
                    u = tail[j]
                    grew = zero
                    for lane in range(LANES):
                        old = cur[u, lane]
                        new = old | (head[lane] & open_[j, lane])
                        cur[u, lane] = new
                        grew |= new ^ old
                    flag = np.uint8(grew != zero)
                    dirty[u] |= flag
                    again |= flag & np.uint8(u <= v)  # u already passed: sweep again
        for r in range(nodes):
            x = node[r]
            for lane in range(width):
                out[x, w0 + lane] = cur[r, lane]


_SWEEP = Kernel(
    _sweep,
    lambda: (
        np.zeros((1, 1), dtype=np.uint64),
        np.zeros(2, dtype=np.intp),
        np.zeros(1, dtype=np.intp),
        np.zeros(1, dtype=np.intp),
        np.zeros(1, dtype=np.intp),
        np.zeros((1, 1), dtype=np.uint64),
    ),
)


def reach_masks(
    n: int,
    src: IntArray,
    dst: IntArray,
    masks: Masks,
    targets: list[int],
    backend: Backend = "auto",
) -> Masks:
    """Backward reach masks for several targets: shape (len(targets), n, W)."""
    possible = np.asarray(masks.any(axis=1), dtype=bool)
    out = np.empty((len(targets), n, masks.shape[1]), dtype=np.uint64)
    path = resolve(backend, len(src) * masks.shape[1] * len(targets))
    for i, t in enumerate(targets):
        ReachPlan(n, src, dst, possible, t, path).run(masks, out[i])
    return out


def forward_masks(
    n: int,
    src: IntArray,
    dst: IntArray,
    masks: Masks,
    sources: list[int],
    backend: Backend = "auto",
) -> Masks:
    """Forward masks: out[i, x] = worlds in which sources[i] reaches x."""
    return reach_masks(n, dst, src, masks, sources, backend)
