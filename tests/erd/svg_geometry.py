"""Reading an ERD SVG back: table boxes, edge paths and their points, from the SVG text alone.

The tests judge the diagram by what it draws, not by the layout's internal numbers: boxes are
the ``rect.erd-box`` of each ``g.erd-table``, edges the ``path.erd-line`` of each ``g.erd-edge``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from conftest import CORPUS
from pgshape.model import Database
from pgshape.sources.load import LoadOptions, load

SVG = "{http://www.w3.org/2000/svg}"


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    def overlaps(self, other: Rect) -> bool:
        return (
            self.x < other.right and other.x < self.right and self.y < other.bottom and other.y < self.bottom
        )

    def strictly_contains(self, x: float, y: float, margin: float = 1.0) -> bool:
        return self.x + margin < x < self.right - margin and self.y + margin < y < self.bottom - margin

    def on_side(self, x: float, y: float, tolerance: float = 0.11) -> bool:
        on_vertical = abs(x - self.x) <= tolerance or abs(x - self.right) <= tolerance
        return on_vertical and self.y - tolerance <= y <= self.bottom + tolerance


@dataclass(frozen=True)
class EdgePath:
    child: str
    parent: str
    d: str
    child_end: str
    parent_end: str

    @property
    def start(self) -> tuple[float, float]:
        numbers = _numbers(self.d)
        return numbers[0], numbers[1]

    @property
    def end(self) -> tuple[float, float]:
        numbers = _numbers(self.d)
        return numbers[-2], numbers[-1]

    def samples(self, per_curve: int = 12) -> list[tuple[float, float]]:
        """Points along the path (M, L and C commands, absolute, as the renderer writes them)."""
        points: list[tuple[float, float]] = []
        current = (0.0, 0.0)
        for command, args in re.findall(r"([MLC])([^MLC]*)", self.d):
            values = [float(v) for v in args.split()]
            if command == "M":
                current = (values[0], values[1])
                points.append(current)
            elif command == "L":
                end = (values[0], values[1])
                for i in range(1, per_curve + 1):
                    t = i / per_curve
                    points.append(
                        (current[0] + (end[0] - current[0]) * t, current[1] + (end[1] - current[1]) * t)
                    )
                current = end
            else:
                c1, c2, end = (values[0], values[1]), (values[2], values[3]), (values[4], values[5])
                for i in range(1, per_curve + 1):
                    t = i / per_curve
                    u = 1 - t
                    points.append(
                        (
                            u**3 * current[0] + 3 * u * u * t * c1[0] + 3 * u * t * t * c2[0] + t**3 * end[0],
                            u**3 * current[1] + 3 * u * u * t * c1[1] + 3 * u * t * t * c2[1] + t**3 * end[1],
                        )
                    )
                current = end
        return points


def _numbers(d: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", d)]


@dataclass(frozen=True)
class Drawing:
    root: ET.Element
    boxes: dict[str, Rect]
    edges: list[EdgePath]
    width: float
    height: float


def parse(svg: str) -> Drawing:
    root = ET.fromstring(svg)  # raises on invalid XML
    assert root.tag == f"{SVG}svg"
    boxes: dict[str, Rect] = {}
    for group in root.iter(f"{SVG}g"):
        if "erd-table" in (group.get("class") or "").split():
            rect = next(r for r in group.iter(f"{SVG}rect") if r.get("class") == "erd-box")
            name = group.get("data-table") or ""
            assert name not in boxes, f"table drawn twice: {name}"
            boxes[name] = Rect(*(float(rect.get(k) or "nan") for k in ("x", "y", "width", "height")))
    edges: list[EdgePath] = []
    for group in root.iter(f"{SVG}g"):
        if "erd-edge" in (group.get("class") or "").split():
            line = next(p for p in group.iter(f"{SVG}path") if p.get("class") == "erd-line")
            edges.append(
                EdgePath(
                    group.get("data-from") or "",
                    group.get("data-to") or "",
                    line.get("d") or "",
                    group.get("data-child-end") or "",
                    group.get("data-parent-end") or "",
                )
            )
    return Drawing(root, boxes, edges, float(root.get("width") or 0), float(root.get("height") or 0))


def overlapping_pairs(boxes: dict[str, Rect]) -> list[tuple[str, str]]:
    items = sorted(boxes.items(), key=lambda kv: kv[1].x)
    found = []
    for i, (a, ra) in enumerate(items):
        for b, rb in items[i + 1 :]:
            if rb.x >= ra.right:
                break
            if ra.overlaps(rb):
                found.append((a, b))
    return found


def misplaced_edge_ends(drawing: Drawing) -> list[str]:
    problems = []
    for edge in drawing.edges:
        if not drawing.boxes[edge.child].on_side(*edge.start):
            problems.append(f"{edge.child} → {edge.parent}: starts at {edge.start}, not on {edge.child}")
        if not drawing.boxes[edge.parent].on_side(*edge.end):
            problems.append(f"{edge.child} → {edge.parent}: ends at {edge.end}, not on {edge.parent}")
    return problems


def edges_through_boxes(drawing: Drawing, edges: list[EdgePath] | None = None) -> list[str]:
    """Edges with a sampled point strictly inside any box (their own boxes included)."""
    problems = []
    boxes = list(drawing.boxes.items())
    for edge in drawing.edges if edges is None else edges:
        for x, y in edge.samples():
            hit = next((name for name, rect in boxes if rect.strictly_contains(x, y)), None)
            if hit is not None:
                problems.append(f"{edge.child} → {edge.parent} passes through {hit} at ({x:.1f}, {y:.1f})")
                break
    return problems


# The corpus -------------------------------------------------------------------------------

CORPUS_SCHEMAS = ["chinook", "synapse", "pagila", "danbooru"]


@cache
def _load(path: str, server: str) -> Database:
    return load(path, LoadOptions(scratch_url=server, warn=lambda _: None))


def unavailable(name: str, major: int, extensions: frozenset[str]) -> str | None:
    """Why ``name`` cannot load on this server (tests/test_corpus.py checks the clear error)."""
    if name == "pagila" and major < 18:
        return "pagila needs PostgreSQL 18 (VIRTUAL generated columns); it runs on the default server"
    if name == "danbooru" and "pgcrypto" not in extensions:
        return "danbooru needs pgcrypto; run with PGSHAPE_PG_BIN=/usr/lib/postgresql/15/bin"
    return None


def corpus_database(name: str, server: str, major: int, extensions: frozenset[str]) -> Database | None:
    """The schema loaded on the test server, or None when it cannot load there."""
    if unavailable(name, major, extensions):
        return None
    return _load(str(Path(CORPUS) / f"{name}.sql"), server)
