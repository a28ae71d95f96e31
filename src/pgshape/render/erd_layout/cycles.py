"""Cycle breaking: which edges to turn around so the parent → child relation is acyclic.

Foreign keys form cycles (mutual references, longer loops). A layered layout needs a DAG, so a
depth-first search in a fixed order (sorted ids) reverses every edge that closes a cycle. The
result depends only on the ids, never on hashing or input order.
"""

from __future__ import annotations

from collections.abc import Iterable


def feedback_edges(nodes: Iterable[str], arcs: Iterable[tuple[str, str, str]]) -> set[str]:
    """Ids of the arcs ``(id, parent, child)`` to reverse. Self-loops are not passed in."""
    children: dict[str, list[tuple[str, str]]] = {node: [] for node in nodes}
    for arc_id, parent, child in arcs:
        children[parent].append((child, arc_id))
    for outgoing in children.values():
        outgoing.sort()

    reversed_ids: set[str] = set()
    state: dict[str, int] = {}  # 1 = on the DFS stack, 2 = finished
    for root in sorted(children):
        if root in state:
            continue
        # Iterative DFS: schemas can have chains far longer than Python's recursion limit.
        stack: list[tuple[str, int]] = [(root, 0)]
        state[root] = 1
        while stack:
            node, index = stack[-1]
            outgoing = children[node]
            if index == len(outgoing):
                stack.pop()
                state[node] = 2
                continue
            stack[-1] = (node, index + 1)
            child, arc_id = outgoing[index]
            seen = state.get(child)
            if seen == 1:
                reversed_ids.add(arc_id)
            elif seen is None:
                state[child] = 1
                stack.append((child, 0))
    return reversed_ids
