"""Vertical coordinates: each layer keeps its order and spacing, and moves its items as close as
possible to where their edges want them (least squares, solved exactly per layer by the
pool-adjacent-violators algorithm). Sweeps alternate directions; the last one listens to both
sides."""

from __future__ import annotations

from pgshape.render.erd_layout.ordering import Grid


def _isotonic(targets: list[float], weights: list[float]) -> list[float]:
    """Non-decreasing values minimising sum(w * (v - t)^2)."""
    sums: list[float] = []  # per block: weighted sum, weight, item count
    masses: list[float] = []
    counts: list[int] = []
    for target, weight in zip(targets, weights, strict=True):
        total, mass, count = target * weight, weight, 1
        # Merge with the previous block while it would sit higher than this one.
        while sums and sums[-1] * mass > total * masses[-1]:
            total += sums.pop()
            mass += masses.pop()
            count += counts.pop()
        sums.append(total)
        masses.append(mass)
        counts.append(count)
    values: list[float] = []
    for total, mass, count in zip(sums, masses, counts, strict=True):
        values.extend([total / mass] * count)
    return values


def _place_layer(
    grid: Grid,
    layer: list[int],
    tops: list[float],
    wanted: dict[int, list[float]],
    node_gap: float,
    dummy_gap: float,
) -> None:
    nodes, heights = grid.nodes, grid.heights
    offsets: list[float] = []
    targets: list[float] = []
    weights: list[float] = []
    y = 0.0
    previous_is_node = False
    for index, item in enumerate(layer):
        is_node = nodes[item] is not None
        if index:
            y += node_gap if (is_node and previous_is_node) else dummy_gap
        offsets.append(y)
        wishes = wanted.get(item)
        if wishes:
            # Dummies weigh more: a long edge should stay straight.
            weights.append(len(wishes) * (1.0 if is_node else 2.0))
            targets.append(sum(wishes) / len(wishes) - y)
        else:
            weights.append(0.05)
            targets.append(tops[item] - y)
        y += heights[item]
        previous_is_node = is_node
    for item, offset, value in zip(layer, offsets, _isotonic(targets, weights), strict=True):
        tops[item] = value + offset


def assign_y(grid: Grid, tops: list[float], *, node_gap: float, dummy_gap: float, rounds: int = 3) -> None:
    layer_count = len(grid.layers)

    def wishes(index: int, left: bool, right: bool) -> dict[int, list[float]]:
        found: dict[int, list[float]] = {}
        if left and index > 0:
            for a, pa, b, pb in grid.segments[index - 1]:
                found.setdefault(b, []).append(tops[a] + pa - pb)
        if right and index < layer_count - 1:
            for a, pa, b, pb in grid.segments[index]:
                found.setdefault(a, []).append(tops[b] + pb - pa)
        return found

    for _ in range(rounds):
        for index in range(layer_count):
            _place_layer(grid, grid.layers[index], tops, wishes(index, True, False), node_gap, dummy_gap)
        for index in range(layer_count - 1, -1, -1):
            _place_layer(grid, grid.layers[index], tops, wishes(index, False, True), node_gap, dummy_gap)
    for index in range(layer_count):
        _place_layer(grid, grid.layers[index], tops, wishes(index, True, True), node_gap, dummy_gap)
