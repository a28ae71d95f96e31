"""Layer assignment: parents in lower layers (further left) than their children.

Plain longest-path layering puts every parentless table in layer 0 and lets one popular parent
pile dozens of children into one layer, which makes a canvas hundreds of boxes tall. Here each
layer has a height budget (from the component's total area and a target aspect ratio): a node
goes to the first layer after all its parents that still has room. Parents are then pulled right,
next to their nearest child, when that layer has room, which shortens edges from lookup tables.
"""

from __future__ import annotations

import heapq
import math


def assign_layers(
    heights: dict[str, float],
    widths: dict[str, float],
    arcs: list[tuple[str, str]],
    *,
    node_gap: float,
    layer_gap: float,
    aspect: float,
) -> dict[str, int]:
    """Layer of every node; ``arcs`` are (parent, child) pairs of an acyclic graph."""
    parents: dict[str, list[str]] = {node: [] for node in heights}
    children: dict[str, list[str]] = {node: [] for node in heights}
    for parent, child in arcs:
        parents[child].append(parent)
        children[parent].append(child)

    # Longest-path rank, in a deterministic topological order.
    rank: dict[str, int] = {}
    waiting = {node: len(set(ps)) for node, ps in parents.items()}
    ready = [(0, node) for node, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        node_rank, node = heapq.heappop(ready)
        rank[node] = node_rank
        order.append(node)
        for child in sorted(set(children[node])):
            waiting[child] -= 1
            if waiting[child] == 0:
                heapq.heappush(ready, (1 + max(rank[p] for p in parents[child]), child))

    area = sum((widths[n] + layer_gap) * (heights[n] + node_gap) for n in heights)
    budget = max(max(heights.values()) + node_gap, math.sqrt(area / aspect))

    layer: dict[str, int] = {}
    load: list[float] = []

    def fits(index: int, node: str) -> bool:
        return index >= len(load) or load[index] == 0 or load[index] + heights[node] + node_gap <= budget

    def put(index: int, node: str) -> None:
        while len(load) <= index:
            load.append(0.0)
        load[index] += heights[node] + node_gap
        layer[node] = index

    for node in order:
        index = 1 + max((layer[p] for p in parents[node]), default=-1)
        while not fits(index, node):
            index += 1
        put(index, node)

    # Pull nodes towards their children (latest first, so chains move together).
    for node in reversed(order):
        if not children[node]:
            continue
        best = min(layer[c] for c in children[node]) - 1
        for index in range(best, layer[node], -1):
            if fits(index, node):
                load[layer[node]] -= heights[node] + node_gap
                put(index, node)
                break

    # Drop layers left empty by the moves.
    used = sorted(set(layer.values()))
    renumber = {old: new for new, old in enumerate(used)}
    return {node: renumber[index] for node, index in layer.items()}
