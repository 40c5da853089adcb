"""Batched release assessment: the risk figures of many candidates at once, and
what-ifs that reuse them.

``assess_release`` builds the graph, the worlds and the reach masks for every
candidate. The figures of a whole decision matrix share all of that, and the
mosaic has a structure that makes the rest cheap. For a source s, an
adversary A and a candidate c disclosing levels L_c about s, released to P:

    after_A(P) = E_w[ f(k_hist(w) ⊕ L_c) if w ∈ R_{P,A} else f(k_hist(w)) ]
               = before_A + E_w[ [w ∈ R_{P,A}] · d_c(w) ],
    d_c(w)     = f(k_hist(w) ⊕ L_c) − f(k_hist(w)),   f(k) = min(1, capacity_A / k)

where k_hist(w) is what the history that reached A in world w leaves. d_c does
not depend on P, and it depends on w only through the level the history
discloses each attribute at in w (the *history state*). The worlds fall into
a few *atoms* of equal state (one, all worlds, when s has no history), so

    after_A(P) = before_A + Σ_u d_c(u) · J[u, P],   J[u, P] = P(atom u ∧ R_{P,A}).

J is computed once per (s, A) with popcounts, for every actor as P at once;
a candidate then costs one small vector-matrix product for all partners.
Adversaries combine per source as 1 − Π(1 − r_A) and the report's figures
are the largest over its sources, as in ``assess_release``.

**Same worlds as assess_release.** Each candidate gets the world set
``assess_release`` would give it: the shared common-random-number sample, or,
when the edges relevant to its pairs hold at most ``ENUM_MAX_EDGES``
uncertain edges, the enumeration of exactly those edges (candidates with the
same edge set share it). The results equal ``assess_release``'s to rounding
(≈1e-16, tested to 1e-12), not bit for bit: the sums run in another order.

**What-ifs** (``with_changed_world``): a sample keeps every edge's open mask
whose sampled probability did not change (each edge has its own random
stream, ``sampling``), so only changed edges are redrawn and the result is
bit for bit the sample of the changed graph. Reach masks are recomputed
(milliseconds); an (s, A) whose history partners' masks are unchanged keeps
its atoms and recomputes only the J columns of actors whose reach to A
changed, and a (report, version) row none of whose adversaries changed is
reused as it is. Enumerations are redone when the graph changes.

Assumes selectivities grow with the level (the scenario validator enforces
it) and levels are indexes (≥ 0): then "most specific level wins" commutes
with dropping levels whose selectivity is 1, which is what lets a
candidate's levels be applied to the history state atom by atom.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from tearline.domain import NotFoundError, Report, Source, Version, World
from tearline.risk.assess import RiskOptions
from tearline.risk.batch_state import (
    Codes,
    IntArray,
    Key,
    Pair,
    Row,
    _Atoms,
    _bits_of,
    _Block,
    _Copy,
    _Indexed,
    _joint,
    _Layout,
    _pieces,
    _relevant_bits,
    _resample,
    _row_max,
    _same_structure,
    _SourceView,
    _WorldState,
)
from tearline.risk.disclosure import Disclosed
from tearline.risk.leak import LeakGraph
from tearline.risk.matrix import CandidateRisk, RiskMatrix, SourceRisk
from tearline.risk.sampling import first_worlds_mask
from tearline.risk.worlds import ENUM_MAX_EDGES, enumerate_worlds, sample_worlds

# -- the evaluator ------------------------------------------------------------------


class BatchAssessor:
    """``assess_release``'s figures for many candidates in one world, computed
    together; ``with_changed_world`` answers a what-if reusing what the change
    leaves alone. Pure: no I/O; caches grow with what is asked."""

    def __init__(self, world: World, options: RiskOptions | None = None) -> None:
        self.world = world
        self.options = options or RiskOptions()
        self.graph = LeakGraph.from_world(world, self.options.as_of)
        self._reports = {r.id: r for r in world.reports}
        self._sources = {s.id: s for s in world.sources}
        self._actors = {a.id: a for a in world.actors}
        self._copies: dict[str, list[_Copy]] | None = None
        self._views: dict[str, _SourceView] = {}
        self._disclosed: dict[tuple[str, Version], Disclosed] = {}
        self._plans: dict[tuple[str, Version], list[tuple[str, Codes | None, list[int]]]] = {}
        self._layouts: dict[tuple[tuple[str, Version], ...], _Layout] = {}
        self._relevant: dict[tuple[int, int], int] = {}  # (partner, adversary) -> edge bits
        self._edge_sets: dict[tuple[int, tuple[int, ...]], int] = {}
        self._bases: dict[str, tuple[tuple[int, ...], int]] = {}
        self._indexed: _Indexed | None = None
        self._states: dict[Key, _WorldState] = {}
        self._previous: BatchAssessor | None = None

    def assess(
        self, pairs: Iterable[Pair], versions: Sequence[Version] = tuple(Version)
    ) -> RiskMatrix:
        """The figures of every (report, partner) in ``pairs``, each version."""
        pairs = list(pairs)
        versions = tuple(versions)
        indexed = self._index(pairs)
        cols, by_report = indexed.cols, indexed.by_report
        by_key: dict[Key, list[tuple[str, IntArray]]] = defaultdict(list)
        for report, key, positions in indexed.placed:
            by_key[key].append((report, positions))
        matrix = RiskMatrix(self, pairs, versions)
        matrix.reports, matrix.partner_nodes = list(by_report), cols
        matrix.report_index = indexed.report_index
        for key, members in by_key.items():
            state = self._state(key)
            self._fill_rows(state, [(r, v) for r, _ in members for v in versions])
            matrix._fill(state, members, cols)
        return matrix

    def disclosed(self, report: str, version: Version) -> Disclosed:
        """What ``version`` of ``report`` discloses (the options' disclosure model)."""
        found = self._disclosed.get((report, version))
        if found is None:
            found = self.options.disclosure(self._report(report), self.sources_of(report), version)
            self._disclosed[(report, version)] = found
        return found

    def report(self, report: str) -> Report:
        return self._report(report)

    def sources_of(self, report: str) -> list[Source]:
        return [self._source(s) for s in self._report(report).sources]

    def with_changed_world(self, changed: World) -> BatchAssessor:
        """An assessor for ``changed`` (this world after a what-if: ties,
        protections, releases, ...) that reuses what the change leaves alone."""
        new = BatchAssessor(changed, self.options)
        new._previous = self
        old, graph = self.graph, new.graph
        same_texts = changed.reports == self.world.reports and changed.sources == self.world.sources
        if same_texts:
            new._disclosed = self._disclosed
        if same_texts and changed.releases == self.world.releases:
            new._copies = self._copies
            if changed.actors == self.world.actors and changed.model == self.world.model:
                new._views = self._views
        if old.ids != graph.ids:
            return new
        if new._views is self._views:
            # same sources, disclosures and actor indices
            new._plans, new._layouts = self._plans, self._layouts
        if _same_structure(old, graph):
            new._relevant, new._edge_sets = self._relevant, self._edge_sets
            if new._views is self._views:  # then the placement only moves with uncertainty
                new._bases, new._indexed = self._bases, self._indexed
        if _same_structure(old, graph) and np.array_equal(old.prob, graph.prob):
            new._states = {k: _WorldState(s.worlds, s) for k, s in self._states.items()}
            if new._views is self._views and new._disclosed is self._disclosed:
                for state in new._states.values():  # nothing the risk reads changed
                    assert state.previous is not None
                    state.rows, state.atoms = dict(state.previous.rows), dict(state.previous.atoms)
        elif None in self._states:  # the sample survives, redrawn where the graph moved
            before = self._states[None]
            new._states[None] = _WorldState(_resample(before.worlds, graph), before)
        return new

    # -- placement: the world set of each candidate, as assess_release picks it --------

    def _index(self, pairs: list[Pair]) -> _Indexed:
        """Each pair's partner node, the pairs by report and their world sets;
        kept for the last list of pairs (a what-if asks for the same ones)."""
        uncertain = _bits_of(np.flatnonzero((self.graph.prob > 0) & (self.graph.prob < 1)))
        known = self._indexed
        if known is not None and known.uncertain == uncertain and known.pairs == pairs:
            return known
        index = self.graph.index
        try:
            cols = np.array([index[p] for _, p in pairs], dtype=np.intp)
        except KeyError as missing:
            raise NotFoundError("actor", str(missing.args[0])) from None
        by_report: dict[str, list[int]] = defaultdict(list)
        for i, (report, _) in enumerate(pairs):
            by_report[report].append(i)
        placed = self._place(by_report, cols, uncertain)
        report_index = np.zeros(len(pairs), dtype=np.intp)
        for k, mine in enumerate(by_report.values()):
            report_index[mine] = k
        self._indexed = _Indexed(pairs, uncertain, cols, report_index, dict(by_report), placed)
        return self._indexed

    def _place(
        self, by_report: Mapping[str, list[int]], cols: IntArray, uncertain: int
    ) -> list[tuple[str, Key, IntArray]]:
        """(report, world set, positions of its pairs); ``uncertain``: the bits
        of the edges with 0 < p < 1."""
        if self.options.exact is False:
            return [(r, None, np.array(ps, dtype=np.intp)) for r, ps in by_report.items()]
        out: list[tuple[str, Key, IntArray]] = []
        wanted: list[tuple[str, int, int]] = []  # report, position, edges to enumerate
        for report, positions in by_report.items():
            adversaries, base = self._basis(report)
            sampled = positions
            if (base & uncertain).bit_count() <= ENUM_MAX_EDGES:
                keys: dict[int, int | None] = {}  # per partner: the edges to enumerate
                for col in set(cols[positions].tolist()):
                    edges = base | self._edges(col, adversaries)
                    many = (edges & uncertain).bit_count() > ENUM_MAX_EDGES
                    keys[col] = None if many else edges
                sampled = []
                for pos in positions:
                    key = keys[int(cols[pos])]
                    if key is None:
                        sampled.append(pos)
                    else:
                        wanted.append((report, pos, key))
            if sampled:
                if self.options.exact:
                    raise ValueError(
                        f"more than {ENUM_MAX_EDGES} uncertain edges: cannot enumerate"
                    )
                out.append((report, None, np.array(sampled, dtype=np.intp)))
        grouped: dict[tuple[str, int], list[int]] = defaultdict(list)
        for report, pos, bits in wanted:
            grouped[(report, bits)].append(pos)
        out.extend((r, k, np.array(ps, dtype=np.intp)) for (r, k), ps in grouped.items())
        return out

    def _basis(self, report: str) -> tuple[tuple[int, ...], int]:
        """The adversaries of the report's sources, and the edges relevant to
        the history's partners reaching them: what every candidate of the
        report puts in play before its own partner."""
        found = self._bases.get(report)
        if found is None:
            views = [self._view(s) for s in self._report(report).sources]
            adversaries = tuple(sorted({self.graph.node(a) for v in views for a in v.adversaries}))
            base = 0
            for partner in {p for v in views for p in v.world_partners}:
                base |= self._edges(self.graph.node(partner), adversaries)
            found = self._bases[report] = (adversaries, base)
        return found

    def _edges(self, partner: int, adversaries: tuple[int, ...]) -> int:
        """Edges relevant to partner → any of ``adversaries`` (bits)."""
        found = self._edge_sets.get((partner, adversaries))
        if found is None:
            found = 0
            for adversary in adversaries:
                if partner != adversary:
                    bits = self._relevant.get((partner, adversary))
                    if bits is None:
                        bits = _relevant_bits(self.graph, partner, adversary)
                        self._relevant[(partner, adversary)] = bits
                    found |= bits
            self._edge_sets[(partner, adversaries)] = found
        return found

    def _state(self, key: Key) -> _WorldState:
        state = self._states.get(key)
        if state is None:
            if key is None:
                worlds = sample_worlds(self.graph, self.options.samples, self.options.seed)
            else:
                edges = np.array([e for e in range(self.graph.m) if key >> e & 1], dtype=np.intp)
                worlds = enumerate_worlds(self.graph, edges)
            state = self._states[key] = _WorldState(worlds)
        return state

    # -- rows ------------------------------------------------------------------------

    def _fill_rows(self, state: _WorldState, wanted: Iterable[tuple[str, Version]]) -> None:
        """Compute the rows ``wanted`` that ``state`` lacks (and cannot take
        from before a what-if) in one block."""
        rows = list(dict.fromkeys(wanted))
        todo = np.zeros(len(rows), dtype=bool)
        reusable = any(len(c) == 0 for c in state.changed.values())
        for i, item in enumerate(rows):
            if item not in state.rows:
                found = self._reused_row(state, *item) if reusable else None
                if found is None:
                    todo[i] = True
                else:
                    state.rows[item] = found
        if todo.any():
            block = self._block(state, self._layout(rows), todo)
            for j, i in enumerate(np.flatnonzero(todo).tolist()):
                state.rows[rows[i]] = (block, j)

    def _layout(self, rows: list[tuple[str, Version]]) -> _Layout:
        key = tuple(rows)
        layout = self._layouts.get(key)
        if layout is not None:
            return layout
        slot_row: list[int] = []
        max_risk: list[float] = []
        steps: dict[tuple[int, str, int], tuple[list[int], dict[Codes, int], list[int]]] = {}
        for i, item in enumerate(rows):
            for sid, codes, adversaries in self._plan(*item):
                max_risk.append(self._view(sid).max_risk)
                for rank, adversary in enumerate(adversaries):
                    slots, distinct, member = steps.setdefault((rank, sid, adversary), ([], {}, []))
                    slots.append(len(slot_row))
                    member.append(
                        -1 if codes is None else distinct.setdefault(codes, len(distinct))
                    )
                slot_row.append(i)
        order = sorted(steps, key=lambda step: step[0])
        layout = self._layouts[key] = _Layout(
            np.array(slot_row, dtype=np.intp),
            np.array(max_risk, dtype=np.float64),
            order,
            [np.array(steps[k][0], dtype=np.intp) for k in order],
            [list(steps[k][1]) for k in order],
            [np.array(steps[k][2], dtype=np.intp) for k in order],
        )
        return layout

    def _block(self, state: _WorldState, layout: _Layout, todo: NDArray[np.bool_]) -> _Block:
        """The rows ``todo`` of ``layout``, vectorised: per step, after_A for all
        its slots and every partner at once is before_A + (D @ J)[levels]."""
        n = self.graph.n
        chosen = todo[layout.slot_row]
        renumber = np.cumsum(chosen) - 1  # slot -> slot of the block
        slot_row = (np.cumsum(todo) - 1)[layout.slot_row[chosen]]
        keep_before, keep_after = np.ones(len(slot_row)), np.ones((len(slot_row), n))
        reach = np.full((int(todo.sum()), n), np.nan)
        for (rank, sid, adversary), slots, codes, member in zip(
            layout.steps, layout.slots, layout.codes, layout.member, strict=True
        ):
            keep = chosen[slots]
            if not keep.any():
                continue
            slots, member = renumber[slots[keep]], member[keep]
            view = self._view(sid)
            atoms = self._atoms(state, view, adversary)
            keep_before[slots] *= 1.0 - atoms.before
            if codes:
                risk = atoms.before + atoms.delta(view, view.capacities[rank], codes) @ atoms.joint
                after = np.where(member[:, None] >= 0, risk[member], atoms.before)
                keep_after[slots] *= 1.0 - after
            else:
                keep_after[slots] *= 1.0 - atoms.before
            rows = slot_row[slots]
            reach[rows] = np.fmax(reach[rows], state.reach_prob[adversary])
        before, after_all = 1.0 - keep_before, 1.0 - keep_after
        counts = np.bincount(slot_row, minlength=len(reach))
        bounds = np.r_[0, np.cumsum(counts)].astype(np.intp)
        marginal = _row_max(after_all - before[:, None], bounds)
        cumulative = _row_max(after_all, bounds)
        max_risk = layout.max_risk[chosen]
        return _Block(marginal, cumulative, reach, before, after_all, max_risk, bounds)

    def _plan(self, report: str, version: Version) -> list[tuple[str, Codes | None, list[int]]]:
        """Per source of the report: what ``version`` discloses about it (codes)
        and its adversaries' nodes, in order."""
        plan = self._plans.get((report, version))
        if plan is None:
            disclosed = self.disclosed(report, version)
            plan = []
            for sid in self._report(report).sources:
                view = self._view(sid)
                mine = {name: lv for (s, name), lv in disclosed.items() if s == sid}
                nodes = [self.graph.node(a) for a in view.adversaries]
                plan.append((sid, view.codes(mine), nodes))
            self._plans[(report, version)] = plan
        return plan

    def _reused_row(self, state: _WorldState, report: str, version: Version) -> Row | None:
        """The row from before a what-if, if nothing it depends on changed."""
        old, previous = state.previous, self._previous
        row = None if old is None else old.rows.get((report, version))
        if row is None or previous is None:
            return None
        for sid in self._report(report).sources:
            view, before = self._view(sid), previous._views.get(sid)
            if not all(state.unchanged(self.graph.node(a)) for a in view.adversaries):
                return None
            if before is None or not view.same(before):
                return None
        if self._report(report) != previous._reports.get(report):
            return None
        if self.disclosed(report, version) != previous.disclosed(report, version):
            return None
        return row

    # -- atoms -----------------------------------------------------------------------

    def _atoms(self, state: _WorldState, view: _SourceView, adversary: int) -> _Atoms:
        atoms = state.atoms.get((view.source.id, adversary))
        if atoms is None:
            atoms = self._reused_atoms(state, view, adversary) or self._new_atoms(
                state, view, adversary
            )
            state.atoms[(view.source.id, adversary)] = atoms
        return atoms

    def _reused_atoms(self, state: _WorldState, view: _SourceView, adversary: int) -> _Atoms | None:
        """Atoms from before a what-if when the history still reaches the
        adversary in the same worlds; J's columns are redone where reach moved."""
        old, previous = state.previous, self._previous
        atoms = None if old is None else old.atoms.get((view.source.id, adversary))
        changed = state.changed.get(adversary)
        before = None if previous is None else previous._views.get(view.source.id)
        if atoms is None or changed is None or before is None or not view.same(before):
            return None
        if atoms.partners.intersection(changed.tolist()):
            return None
        if len(changed) == 0:
            return atoms
        joint = atoms.joint.copy()
        joint[:, changed] = _joint(state, atoms.masks, adversary, changed)
        return dataclasses.replace(atoms, joint=joint)

    def _new_atoms(self, state: _WorldState, view: _SourceView, adversary: int) -> _Atoms:
        """Split the worlds attribute by attribute by the level the history
        discloses it at (the most specific level among the copies that reach)."""
        worlds = state.worlds
        reach = state.masks_to(adversary)
        every = first_worlds_mask(worlds.count, worlds.words)
        masks, codes = [every], [[view.none] * view.width]
        groups = [(reach[self.graph.node(p)], c) for p, c in view.history]
        for i in range(view.width):
            pieces = _pieces(groups, i, view.none, every)
            if len(pieces) > 1 or pieces[0][1] != view.none:  # one piece: all worlds, one level
                split = [
                    (part, [*code[:i], level, *code[i + 1 :]])
                    for mask, code in zip(masks, codes, strict=True)
                    for piece, level in pieces
                    if (part := mask & piece).any()
                ]
                masks, codes = [m for m, _ in split], [c for _, c in split]
        stacked = np.stack(masks)
        code_array = np.array(codes, dtype=np.intp).reshape(len(codes), view.width)
        capacity = view.capacities[view.adversaries.index(self.graph.ids[adversary])]
        f = view.identified(capacity, code_array)
        before = float(worlds.probability(stacked) @ f)
        if len(masks) == 1:  # no history reaches: J is the reach itself
            joint = state.reach_prob[adversary][None, :].copy()
        else:
            joint = _joint(state, stacked, adversary, np.arange(self.graph.n))
        partners = frozenset(self.graph.node(p) for p, _ in view.history)
        return _Atoms(stacked, code_array, f, before, partners, joint)

    # -- lookups ---------------------------------------------------------------------

    def _report(self, report: str) -> Report:
        try:
            return self._reports[report]
        except KeyError:
            raise NotFoundError("report", report) from None

    def _source(self, source: str) -> Source:
        try:
            return self._sources[source]
        except KeyError:
            raise NotFoundError("source", source) from None

    def _view(self, source: str) -> _SourceView:
        view = self._views.get(source)
        if view is None:
            copies = self._history().get(source, [])
            view = self._views[source] = _SourceView.build(
                self.world, self._actors, self._source(source), copies
            )
        return view

    def _history(self) -> dict[str, list[_Copy]]:
        """Past copies per source id, as ``assess._copies`` makes them."""
        if self._copies is None:
            copies: dict[str, list[_Copy]] = defaultdict(list)
            as_of = self.options.as_of
            for release in self.world.releases:
                if as_of is None or release.at.date() <= as_of:
                    copy = _Copy(release.partner, self.disclosed(release.report, release.version))
                    for sid in {sid for sid, _ in copy.disclosed}:
                        copies[sid].append(copy)
            self._copies = dict(copies)
        return self._copies


__all__ = ["BatchAssessor", "CandidateRisk", "RiskMatrix", "SourceRisk"]
