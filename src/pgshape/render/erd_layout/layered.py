"""The layered (Sugiyama-style) layout of one connected component.

Steps: break cycles → assign layers (parents left of children) → add a dummy per layer an edge
passes → reduce crossings → place layers left to right and items top to bottom → route edges.
Every edge leaves and enters its boxes horizontally at its anchor rows, runs straight inside a
layer's column (beside its box, or through the gap its dummy reserved) and curves only in the
empty gaps between columns, so no edge ever passes over a box.
"""

from __future__ import annotations

from pgshape.render.erd_layout.coordinates import assign_y
from pgshape.render.erd_layout.cycles import feedback_edges
from pgshape.render.erd_layout.graph import Box, Edge, Node, Point, Route, Spacing
from pgshape.render.erd_layout.layers import assign_layers
from pgshape.render.erd_layout.ordering import Grid, reduce_crossings


def layout_component(
    nodes: list[Node], edges: list[Edge], spacing: Spacing
) -> tuple[dict[str, Box], dict[str, Route], float, float]:
    """Boxes and routes with the component's top-left corner at (0, 0); and its size."""
    by_id = {node.id: node for node in nodes}
    loops = [edge for edge in edges if edge.source == edge.target]
    looped = {edge.source for edge in loops}
    links = [edge for edge in edges if edge.source != edge.target]

    arcs = [(edge.id, edge.target, edge.source) for edge in links]
    flipped = feedback_edges(by_id, arcs)
    dag = [(c, p) if arc_id in flipped else (p, c) for arc_id, p, c in arcs]
    layer_of = assign_layers(
        {n.id: n.height for n in nodes},
        {n.id: n.width + (spacing.loop_reach if n.id in looped else 0.0) for n in nodes},
        dag,
        node_gap=spacing.node_gap,
        layer_gap=spacing.layer_gap,
        aspect=spacing.aspect,
    )

    grid = Grid()
    item_of: dict[str, int] = {}
    for node in sorted(nodes, key=lambda n: (layer_of[n.id], n.id)):
        item_of[node.id] = grid.add(node.id, node.width, node.height, layer_of[node.id])

    # Each edge as a chain of items from its left end to its right end.
    chains: dict[str, list[int]] = {}
    half = spacing.dummy_height / 2
    for edge in sorted(links, key=lambda e: e.id):
        parent_layer, child_layer = layer_of[edge.target], layer_of[edge.source]
        if parent_layer < child_layer:
            left, left_port, right, right_port = edge.target, edge.target_port, edge.source, edge.source_port
        else:
            left, left_port, right, right_port = edge.source, edge.source_port, edge.target, edge.target_port
        low, high = layer_of[left], layer_of[right]
        chain = [item_of[left]]
        ports = [left_port]
        for layer in range(low + 1, high):
            chain.append(grid.add(None, 0.0, spacing.dummy_height, layer))
            ports.append(half)
        chain.append(item_of[right])
        ports.append(right_port)
        for index in range(len(chain) - 1):
            segment = (chain[index], ports[index], chain[index + 1], ports[index + 1])
            grid.segments[low + index].append(segment)
        chains[edge.id] = chain

    tops = reduce_crossings(grid, node_gap=spacing.node_gap, dummy_gap=spacing.dummy_gap)
    assign_y(grid, tops, node_gap=spacing.node_gap, dummy_gap=spacing.dummy_gap)

    # Columns: as wide as their widest box; the gap after a column grows with its edges.
    lefts: list[float] = []
    rights: list[float] = []
    x = 0.0
    for index, layer in enumerate(grid.layers):
        width = max(grid.widths[item] for item in layer)
        if any(grid.nodes[item] in looped for item in layer):
            width += spacing.loop_reach
        lefts.append(x)
        rights.append(x + width)
        between = len(grid.segments[index]) if index < len(grid.segments) else 0
        x += width + spacing.layer_gap + min(140.0, 3.0 * between)

    shift = -min(tops)
    boxes: dict[str, Box] = {}
    for index, layer in enumerate(grid.layers):
        for item in layer:
            node_id = grid.nodes[item]
            if node_id is not None:
                node = by_id[node_id]
                boxes[node_id] = Box(node_id, lefts[index], tops[item] + shift, node.width, node.height)

    routes: dict[str, Route] = {}
    layer_of_item = {item: i for i, layer in enumerate(grid.layers) for item in layer}
    for edge in sorted(links, key=lambda e: e.id):
        chain = chains[edge.id]
        first, last = boxes[grid.nodes[chain[0]] or ""], boxes[grid.nodes[chain[-1]] or ""]
        left_is_parent = first.id == edge.target
        left_port = edge.target_port if left_is_parent else edge.source_port
        right_port = edge.source_port if left_is_parent else edge.target_port
        points: list[Point] = [(first.right, first.y + left_port)]
        if first.right < rights[layer_of_item[chain[0]]]:
            points.append((rights[layer_of_item[chain[0]]], first.y + left_port))
        for item in chain[1:-1]:
            y = tops[item] + shift + half
            column = layer_of_item[item]
            points += [(lefts[column], y), (rights[column], y)]
        points.append((last.x, last.y + right_port))
        if left_is_parent:
            routes[edge.id] = Route(edge.id, tuple(reversed(points)), "spline", "left", "right")
        else:
            routes[edge.id] = Route(edge.id, tuple(points), "spline", "right", "left")
    for edge in sorted(loops, key=lambda e: e.id):
        box = boxes[edge.source]
        start, end = box.y + edge.source_port, box.y + edge.target_port
        if abs(start - end) < 4:
            end = start + 8 if start + 8 <= box.bottom else start - 8
        routes[edge.id] = Route(edge.id, ((box.right, start), (box.right, end)), "loop", "right", "right")

    width = max(box.right for box in boxes.values())
    if loops:
        width = max(width, max(boxes[e.source].right + spacing.loop_reach for e in loops))
    height = max(max(box.bottom for box in boxes.values()), max(tops) + shift + spacing.dummy_height)
    return boxes, routes, width, height
