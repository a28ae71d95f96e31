"""Crossing reduction: the order of boxes (and edge dummies) inside each layer.

Edges spanning several layers get one small dummy item per layer they pass, so that they run
through gaps between boxes. The order is improved by barycenter sweeps left → right and
right → left; positions are the anchor rows themselves (a box's top plus its port offset), so a
tall box is placed by the rows its edges actually leave from. The best order seen (fewest
crossings) wins; ties keep the earlier one, so the result is deterministic.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field


@dataclass
class Grid:
    """Items in layers. Items are ints; an item is a node (``node`` set) or an edge dummy."""

    heights: list[float] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)
    nodes: list[str | None] = field(default_factory=list)
    layers: list[list[int]] = field(default_factory=list)
    # segments[i]: (left item, left port, right item, right port) between layers i and i + 1
    segments: list[list[tuple[int, float, int, float]]] = field(default_factory=list)

    def add(self, node: str | None, width: float, height: float, layer: int) -> int:
        item = len(self.heights)
        self.heights.append(height)
        self.widths.append(width)
        self.nodes.append(node)
        while len(self.layers) <= layer:
            self.layers.append([])
            self.segments.append([])
        self.layers[layer].append(item)
        return item


def stack(grid: Grid, layer: list[int], tops: list[float], node_gap: float, dummy_gap: float) -> None:
    """Tops for the items of one layer packed in order from y = 0."""
    y = 0.0
    previous_is_node = False
    for index, item in enumerate(layer):
        is_node = grid.nodes[item] is not None
        if index:
            y += node_gap if (is_node and previous_is_node) else dummy_gap
        tops[item] = y
        y += grid.heights[item]
        previous_is_node = is_node


def _inversions(values: list[int]) -> int:
    """Pairs i < j with values[i] > values[j]. Inserting into a sorted list with ``bisect`` is
    quadratic in theory but memmove-fast in practice, and far quicker than a Python merge sort
    for the few thousand segments between two layers."""
    seen: list[int] = []
    count = 0
    for value in values:
        position = bisect.bisect_right(seen, value)
        count += len(seen) - position
        seen.insert(position, value)
    return count


def _slot(position: int, port: float) -> int:
    """One sortable int for (position in layer, anchor row): rows are whole pixels apart."""
    return position * 8192 + min(8191, max(0, int(port)))


def crossings(grid: Grid) -> int:
    total = 0
    for index, segments in enumerate(grid.segments[:-1] if grid.segments else []):
        if not segments:
            continue
        left_pos = {item: p for p, item in enumerate(grid.layers[index])}
        right_pos = {item: p for p, item in enumerate(grid.layers[index + 1])}
        ordered = sorted((_slot(left_pos[a], pa), _slot(right_pos[b], pb)) for a, pa, b, pb in segments)
        total += _inversions([right for _, right in ordered])
    return total


def reduce_crossings(grid: Grid, *, node_gap: float, dummy_gap: float, sweeps: int = 6) -> list[float]:
    """Reorder ``grid.layers`` in place; returns the packed tops of the final order."""
    tops = [0.0] * len(grid.heights)
    for layer in grid.layers:
        stack(grid, layer, tops, node_gap, dummy_gap)

    best = [list(layer) for layer in grid.layers]
    best_crossings = crossings(grid)
    layer_count = len(grid.layers)
    for _ in range(sweeps):
        if best_crossings == 0:
            break
        for index in range(1, layer_count):
            _sort_by_barycenter(grid, index, grid.segments[index - 1], True, tops)
            stack(grid, grid.layers[index], tops, node_gap, dummy_gap)
        for index in range(layer_count - 2, -1, -1):
            _sort_by_barycenter(grid, index, grid.segments[index], False, tops)
            stack(grid, grid.layers[index], tops, node_gap, dummy_gap)
        found = crossings(grid)
        if found < best_crossings:
            best_crossings = found
            best = [list(layer) for layer in grid.layers]
    grid.layers = best
    for layer in grid.layers:
        stack(grid, layer, tops, node_gap, dummy_gap)
    return tops


def _sort_by_barycenter(
    grid: Grid,
    index: int,
    segments: list[tuple[int, float, int, float]],
    from_left: bool,
    tops: list[float],
) -> None:
    sums: dict[int, float] = {}
    counts: dict[int, int] = {}
    for a, pa, b, pb in segments:
        # The top this item would need for its anchor row to line up with the neighbour's.
        item, wanted = (b, tops[a] + pa - pb) if from_left else (a, tops[b] + pb - pa)
        sums[item] = sums.get(item, 0.0) + wanted
        counts[item] = counts.get(item, 0) + 1
    layer = grid.layers[index]
    keyed = []
    for position, item in enumerate(layer):
        key = sums[item] / counts[item] if item in counts else tops[item]
        keyed.append((key, position, item))
    keyed.sort()
    grid.layers[index] = [item for _, _, item in keyed]
