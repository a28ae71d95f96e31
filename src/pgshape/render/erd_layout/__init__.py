"""A deterministic layered layout for ERDs, in pure Python.

``layout(nodes, edges)`` places boxes of known sizes (tables with their column rows) so that no
two overlap, and routes every edge from an anchor row of one box to an anchor row of another:

1. boxes are split into groups (schemas) and each group into connected components;
2. each component gets a layered layout (``layered``): parents left of children, crossings
   reduced by barycenter sweeps, rows aligned with the rows they connect to;
3. boxes with no edges are stacked into balanced columns; components and groups are packed in
   rows towards a pleasant aspect ratio (``packing``), groups inside labelled frames;
4. edges between groups are drawn as plain curves between the facing sides.

Same input, same output: ids are sorted everywhere, and nothing depends on hashing or time.
"""

from __future__ import annotations

from collections.abc import Iterable

from pgshape.render.erd_layout.graph import Box, Edge, Frame, Layout, Node, Point, Route, Spacing
from pgshape.render.erd_layout.layered import layout_component
from pgshape.render.erd_layout.packing import column_pack, shelf_pack

__all__ = ["Box", "Edge", "Frame", "Layout", "Node", "Route", "Spacing", "layout"]


class _Piece:
    """Boxes and routes laid out relative to (0, 0), to be moved as one."""

    def __init__(self, boxes: dict[str, Box], routes: dict[str, Route], width: float, height: float):
        self.boxes = boxes
        self.routes = routes
        self.width = width
        self.height = height

    def moved(self, dx: float, dy: float) -> _Piece:
        boxes = {k: Box(b.id, b.x + dx, b.y + dy, b.width, b.height) for k, b in self.boxes.items()}
        routes = {
            k: Route(r.edge_id, _moved(r.points, dx, dy), r.kind, r.start_side, r.end_side)
            for k, r in self.routes.items()
        }
        return _Piece(boxes, routes, self.width, self.height)


def _components(nodes: list[Node], edges: list[Edge]) -> list[list[str]]:
    parent = {node.id: node.id for node in nodes}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for edge in edges:
        a, b = find(edge.source), find(edge.target)
        if a != b:
            parent[max(a, b)] = min(a, b)
    members: dict[str, list[str]] = {}
    for node in nodes:
        members.setdefault(find(node.id), []).append(node.id)
    return [sorted(ids) for _, ids in sorted(members.items())]


def _merge(pieces: list[_Piece], corners: list[tuple[float, float]], width: float, height: float) -> _Piece:
    boxes: dict[str, Box] = {}
    routes: dict[str, Route] = {}
    for piece, (x, y) in zip(pieces, corners, strict=True):
        moved = piece.moved(x, y)
        boxes.update(moved.boxes)
        routes.update(moved.routes)
    return _Piece(boxes, routes, width, height)


def _layout_group(nodes: list[Node], edges: list[Edge], spacing: Spacing) -> _Piece:
    by_id = {node.id: node for node in nodes}
    edges_by_root: dict[str, list[Edge]] = {}
    components = _components(nodes, edges)
    root_of = {node_id: ids[0] for ids in components for node_id in ids}
    for edge in edges:
        edges_by_root.setdefault(root_of[edge.source], []).append(edge)

    pieces: list[_Piece] = []
    lonely: list[Node] = []
    for ids in components:
        own = edges_by_root.get(ids[0], [])
        if not own:
            lonely.append(by_id[ids[0]])
            continue
        boxes, routes, width, height = layout_component([by_id[i] for i in ids], own, spacing)
        pieces.append(_Piece(boxes, routes, width, height))
    if lonely:
        corners, width, height = column_pack(
            [(n.width, n.height) for n in lonely], gap=spacing.node_gap, aspect=spacing.aspect
        )
        boxes = {n.id: Box(n.id, x, y, n.width, n.height) for n, (x, y) in zip(lonely, corners, strict=True)}
        pieces.append(_Piece(boxes, {}, width, height))
    corners, width, height = shelf_pack(
        [(p.width, p.height) for p in pieces], gap=spacing.component_gap, aspect=spacing.aspect
    )
    return _merge(pieces, corners, width, height)


def _direct_route(edge: Edge, child: Box, parent: Box) -> Route:
    """A curve between the facing sides of two boxes in different groups."""
    start_y, end_y = child.y + edge.source_port, parent.y + edge.target_port
    if parent.x >= child.right:
        return Route(edge.id, ((child.right, start_y), (parent.x, end_y)), "spline", "right", "left")
    if parent.right <= child.x:
        return Route(edge.id, ((child.x, start_y), (parent.right, end_y)), "spline", "left", "right")
    # Overlapping columns: leave and enter on the right and bow outwards.
    return Route(edge.id, ((child.right, start_y), (parent.right, end_y)), "loop", "right", "right")


def layout(nodes: Iterable[Node], edges: Iterable[Edge], spacing: Spacing | None = None) -> Layout:
    spacing = spacing or Spacing()
    node_list = sorted(nodes, key=lambda n: n.id)
    edge_list = sorted(edges, key=lambda e: e.id)
    ids = [n.id for n in node_list]
    if len(set(ids)) != len(ids):
        raise ValueError("node ids must be unique")
    known = set(ids)
    for edge in edge_list:
        if edge.source not in known or edge.target not in known:
            raise ValueError(f"edge {edge.id!r} joins an unknown node")
    if len({e.id for e in edge_list}) != len(edge_list):
        raise ValueError("edge ids must be unique")
    if not node_list:
        return Layout({}, {}, (), 0.0, 0.0)

    group_of = {n.id: n.group for n in node_list}
    groups = sorted(set(group_of.values()))
    inner = [e for e in edge_list if group_of[e.source] == group_of[e.target]]
    if len(groups) == 1:
        piece = _layout_group(node_list, inner, spacing)
        frames: tuple[Frame, ...] = ()
        pad = 0.0
        total = piece
    else:
        pieces = []
        pad = spacing.frame_padding
        for group in groups:
            members = [n for n in node_list if n.group == group]
            own = [e for e in inner if group_of[e.source] == group]
            piece = _layout_group(members, own, spacing).moved(pad, pad + spacing.frame_label)
            piece.width += 2 * pad
            piece.height += 2 * pad + spacing.frame_label
            pieces.append(piece)
        corners, width, height = shelf_pack(
            [(p.width, p.height) for p in pieces], gap=spacing.component_gap, aspect=spacing.aspect
        )
        frames = tuple(
            Frame(group, x, y, piece.width, piece.height)
            for group, piece, (x, y) in zip(groups, pieces, corners, strict=True)
        )
        total = _merge(pieces, corners, width, height)

    routes = dict(total.routes)
    for edge in edge_list:
        if group_of[edge.source] != group_of[edge.target]:
            routes[edge.id] = _direct_route(edge, total.boxes[edge.source], total.boxes[edge.target])
    # A margin so that loops and curves at the border stay inside the canvas.
    margin = spacing.loop_reach + 8.0
    final = total.moved(margin, margin)
    frames = tuple(Frame(f.name, f.x + margin, f.y + margin, f.width, f.height) for f in frames)
    routes = {
        k: Route(r.edge_id, tuple(_shift(p, margin) for p in r.points), r.kind, r.start_side, r.end_side)
        for k, r in routes.items()
    }
    return Layout(
        boxes=final.boxes,
        routes={k: routes[k] for k in sorted(routes)},
        frames=frames,
        width=total.width + 2 * margin,
        height=total.height + 2 * margin,
    )


def _shift(point: Point, by: float) -> Point:
    return (point[0] + by, point[1] + by)


def _moved(points: tuple[Point, ...], dx: float, dy: float) -> tuple[Point, ...]:
    return tuple((x + dx, y + dy) for x, y in points)
