"""Explanations: the k most probable simple leak paths from a partner to an adversary.

A path's probability is the product of its edge probabilities, so the most
probable path is the shortest under weights −log p (Dijkstra), and the k best
simple paths are Yen's k-shortest loopless paths (Yen 1971) under those
weights. Each is the chance that this particular route is open; they overlap,
so they do not add up to the reach.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

from tearline.risk.leak import LeakGraph

Path = tuple[int, ...]


@dataclass(frozen=True, slots=True)
class LeakPath:
    """A simple path as actor ids, its edge indices and its probability."""

    actors: tuple[str, ...]
    edges: tuple[int, ...]
    probability: float


def _dijkstra(
    graph: LeakGraph,
    source: int,
    target: int,
    banned_nodes: set[int],
    banned_edges: set[int],
) -> tuple[float, Path, tuple[int, ...]] | None:
    """Most probable path avoiding the banned nodes and edges: (−log p, nodes, edges)."""
    best = {source: 0.0}
    back: dict[int, tuple[int, int]] = {}
    heap = [(0.0, source)]
    done: set[int] = set()
    while heap:
        cost, x = heapq.heappop(heap)
        if x in done:
            continue
        done.add(x)
        if x == target:
            nodes, edges = [x], []
            while x != source:
                prev, e = back[x]
                nodes.append(prev)
                edges.append(e)
                x = prev
            return cost, tuple(reversed(nodes)), tuple(reversed(edges))
        for e in range(int(graph.out_ptr[x]), int(graph.out_ptr[x + 1])):
            p = float(graph.prob[e])
            y = int(graph.dst[e])
            if p <= 0.0 or y in banned_nodes or e in banned_edges or y in done:
                continue
            new = cost - math.log(p)
            if new < best.get(y, math.inf):
                best[y] = new
                back[y] = (x, e)
                heapq.heappush(heap, (new, y))
    return None


def top_paths(graph: LeakGraph, source: int, target: int, k: int) -> list[LeakPath]:
    """The ``k`` most probable simple paths source→target, most probable first
    (fewer when fewer exist). Ties in probability are broken by node sequence."""
    if k <= 0 or source == target:
        return []
    first = _dijkstra(graph, source, target, set(), set())
    if first is None:
        return []
    found: list[tuple[float, Path, tuple[int, ...]]] = [first]
    candidates: list[tuple[float, Path, tuple[int, ...]]] = []
    seen: set[Path] = {first[1]}
    while len(found) < k:
        _, nodes, edges = found[-1]
        for i in range(len(nodes) - 1):
            spur, root_nodes, root_edges = nodes[i], nodes[: i + 1], edges[:i]
            # ban the next edge of every found path sharing this root (Yen's spur step)
            banned_edges = {
                path_edges[i]
                for _, path_nodes, path_edges in found
                if path_nodes[: i + 1] == root_nodes
            }
            banned_nodes = set(root_nodes[:-1])
            spur_path = _dijkstra(graph, spur, target, banned_nodes, banned_edges)
            if spur_path is None:
                continue
            total_nodes = root_nodes[:-1] + spur_path[1]
            if total_nodes in seen:
                continue
            seen.add(total_nodes)
            total_edges = root_edges + spur_path[2]
            cost = sum(-math.log(float(graph.prob[e])) for e in total_edges)
            heapq.heappush(candidates, (cost, total_nodes, total_edges))
        if not candidates:
            break
        found.append(heapq.heappop(candidates))
    return [
        LeakPath(
            actors=tuple(graph.ids[x] for x in nodes),
            edges=edges,
            probability=math.prod(float(graph.prob[e]) for e in edges),
        )
        for _, nodes, edges in found
    ]
