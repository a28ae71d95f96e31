"""The layered layout on its own: boxes never overlap, edges leave and enter their boxes on a side
at their anchor rows and never run through a box, cycles and self-references are handled, and
the result does not depend on input order."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pgshape.render.erd_layout import Box, Edge, Layout, Node, Spacing, layout
from pgshape.render.erd_layout.coordinates import _isotonic
from pgshape.render.erd_layout.cycles import feedback_edges
from pgshape.render.erd_layout.ordering import _inversions
from pgshape.render.erd_layout.packing import column_pack, shelf_pack


def overlaps(a: Box, b: Box) -> bool:
    return a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom


def check(result: Layout, nodes: list[Node], edges: list[Edge]) -> None:
    boxes = list(result.boxes.values())
    assert sorted(result.boxes) == sorted(n.id for n in nodes)
    for node in nodes:
        box = result.boxes[node.id]
        assert (box.width, box.height) == (node.width, node.height)
        assert box.x >= 0 and box.y >= 0 and box.right <= result.width and box.bottom <= result.height
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not overlaps(a, b), (a, b)
    groups = {n.id: n.group for n in nodes}
    for edge in edges:
        route = result.routes[edge.id]
        source, target = result.boxes[edge.source], result.boxes[edge.target]
        (x0, y0), (x1, y1) = route.points[0], route.points[-1]
        assert y0 == pytest.approx(source.y + edge.source_port)
        assert y1 == pytest.approx(target.y + edge.target_port) or edge.source == edge.target
        assert x0 == pytest.approx(source.x if route.start_side == "left" else source.right)
        assert x1 == pytest.approx(target.x if route.end_side == "left" else target.right)
        if groups[edge.source] != groups[edge.target] or route.kind == "loop":
            continue
        # Inside a group every waypoint-to-waypoint piece stays clear of all boxes: it is either
        # straight along an anchor row / dummy lane or a curve (with horizontal tangents, so
        # inside the rectangle its two ends span) in a gap between columns.
        for (ax, ay), (bx, by) in zip(route.points, route.points[1:], strict=False):
            left, right = min(ax, bx), max(ax, bx)
            top, bottom = min(ay, by), max(ay, by)
            for box in boxes:
                across = left < box.right - 0.01 and box.x + 0.01 < right
                if abs(ay - by) < 0.05:
                    assert not (across and box.y < ay < box.bottom), (edge.id, box.id)
                else:
                    assert not (across and top < box.bottom and box.y < bottom), (edge.id, box.id)


@st.composite
def graphs(draw: st.DrawFn) -> tuple[list[Node], list[Edge]]:
    count = draw(st.integers(1, 28))
    groups = draw(st.sampled_from([["public"], ["public", "audit"], ["a", "b", "c"]]))
    nodes = []
    for i in range(count):
        rows = draw(st.integers(0, 14))
        nodes.append(
            Node(
                f"n{i:02d}",
                float(draw(st.integers(140, 380))),
                28.0 + 20.0 * rows + (6.0 if rows else 0.0),
                draw(st.sampled_from(groups)),
            )
        )
    edges = []
    for k in range(draw(st.integers(0, count * 2))):
        source = draw(st.sampled_from(nodes))
        target = draw(st.sampled_from(nodes))  # self-references and cycles included
        edges.append(
            Edge(
                f"e{k:03d}",
                source.id,
                target.id,
                draw(st.floats(0, source.height, allow_nan=False)),
                draw(st.floats(0, target.height, allow_nan=False)),
            )
        )
    return nodes, edges


@settings(max_examples=150, deadline=None)
@given(graphs())
def test_random_graphs_never_overlap(graph: tuple[list[Node], list[Edge]]) -> None:
    nodes, edges = graph
    check(layout(nodes, edges), nodes, edges)


@settings(max_examples=40, deadline=None)
@given(graphs(), st.randoms(use_true_random=False))
def test_input_order_does_not_matter(graph: tuple[list[Node], list[Edge]], rnd: random.Random) -> None:
    nodes, edges = graph
    shuffled_nodes, shuffled_edges = list(nodes), list(edges)
    rnd.shuffle(shuffled_nodes)
    rnd.shuffle(shuffled_edges)
    assert layout(shuffled_nodes, shuffled_edges) == layout(nodes, edges)


def test_parents_are_left_of_children_in_a_chain() -> None:
    nodes = [Node(name, 160, 80) for name in ("a", "b", "c", "d")]
    edges = [Edge("1", "b", "a", 40, 40), Edge("2", "c", "b", 40, 40), Edge("3", "d", "c", 40, 40)]
    result = layout(nodes, edges)
    xs = [result.boxes[n].x for n in "abcd"]
    assert xs == sorted(xs) and len(set(xs)) == 4
    # A straight chain with equal anchor rows is drawn level.
    assert len({result.boxes[n].y for n in "abcd"}) == 1
    check(result, nodes, edges)


def test_cycles_and_self_references() -> None:
    nodes = [Node(name, 160, 100) for name in ("a", "b", "c")]
    edges = [
        Edge("ab", "a", "b", 50, 14),
        Edge("bc", "b", "c", 50, 14),
        Edge("ca", "c", "a", 50, 14),
        Edge("aa", "a", "a", 70, 14),
    ]
    result = layout(nodes, edges)
    check(result, nodes, edges)
    assert result.routes["aa"].kind == "loop"
    # The loop stays inside the canvas.
    assert result.boxes["a"].right + Spacing().loop_reach <= result.width


def test_feedback_edges_make_the_graph_acyclic() -> None:
    arcs = [("1", "a", "b"), ("2", "b", "c"), ("3", "c", "a"), ("4", "c", "d"), ("5", "d", "b")]
    flipped = feedback_edges("abcd", arcs)
    kept = [(p, c) for i, p, c in arcs if i not in flipped] + [(c, p) for i, p, c in arcs if i in flipped]
    # Kahn's algorithm consumes every node only when there is no cycle left.
    incoming = {n: 0 for n in "abcd"}
    for _, child in kept:
        incoming[child] += 1
    ready = [n for n, k in incoming.items() if k == 0]
    seen = 0
    while ready:
        node = ready.pop()
        seen += 1
        for parent, child in kept:
            if parent == node:
                incoming[child] -= 1
                if incoming[child] == 0:
                    ready.append(child)
    assert seen == 4
    assert 1 <= len(flipped) <= 2


def test_isotonic_regression() -> None:
    assert _isotonic([3.0, 1.0, 2.0], [1.0, 1.0, 1.0]) == pytest.approx([2.0, 2.0, 2.0])
    assert _isotonic([1.0, 5.0, 2.0], [1.0, 1.0, 3.0]) == pytest.approx([1.0, 2.75, 2.75])
    assert _isotonic([0.0, 1.0, 2.0], [1.0, 1.0, 1.0]) == [0.0, 1.0, 2.0]


def test_inversions() -> None:
    values = [3, 1, 2, 0, 2, 2]
    brute = sum(1 for i in range(6) for j in range(i + 1, 6) if values[i] > values[j])
    assert _inversions(values) == brute == 7


@pytest.mark.parametrize("pack", [shelf_pack, column_pack])
def test_packing_never_overlaps(pack) -> None:  # type: ignore[no-untyped-def]
    rnd = random.Random(3)
    sizes = [(float(rnd.randint(50, 400)), float(rnd.randint(30, 500))) for _ in range(60)]
    corners, width, height = pack(sizes, gap=10.0, aspect=1.6)
    boxes = [Box(str(i), x, y, w, h) for i, ((x, y), (w, h)) in enumerate(zip(corners, sizes, strict=True))]
    for i, a in enumerate(boxes):
        assert a.right <= width + 1e-6 and a.bottom <= height + 1e-6
        for b in boxes[i + 1 :]:
            assert not overlaps(a, b)
    assert 0.5 <= width / height <= 5


def test_invalid_input_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown node"):
        layout([Node("a", 10, 10)], [Edge("e", "a", "b")])
    with pytest.raises(ValueError, match="unique"):
        layout([Node("a", 10, 10), Node("a", 10, 10)], [])
    assert layout([], []).boxes == {}
