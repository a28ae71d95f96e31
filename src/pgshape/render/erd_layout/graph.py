"""What the layout reads (boxes with sizes, directed edges with anchor rows) and what it returns.

The layout knows nothing about tables: a node is a box of a given size, an edge joins an anchor
row of one box (``source_port``, a y offset from the box's top) to an anchor row of another.
Edges point from the referencing box (the child) to the referenced one (the parent); parents are
placed to the left of their children.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Node:
    id: str
    width: float
    height: float
    group: str = ""  # boxes of one group (a schema) are laid out together inside one frame


@dataclass(frozen=True)
class Edge:
    id: str
    source: str  # the child: the box holding the reference
    target: str  # the parent: the referenced box
    source_port: float = 0.0  # y offset of the anchor row, from the top of the source box
    target_port: float = 0.0


@dataclass(frozen=True)
class Box:
    id: str
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


Point = tuple[float, float]


@dataclass(frozen=True)
class Route:
    """An edge's path from the source's side to the target's side.

    ``kind`` ``spline``: consecutive points are joined by cubic curves with horizontal tangents
    (a straight line where two points share a y). ``loop``: a self-reference leaving and entering
    the right side of one box. ``start_side``/``end_side`` are ``left`` or ``right``: the
    direction in which the edge leaves the box at each end.
    """

    edge_id: str
    points: tuple[Point, ...]
    kind: str = "spline"
    start_side: str = "left"
    end_side: str = "right"


@dataclass(frozen=True)
class Frame:
    """A labelled rectangle around the boxes of one group."""

    name: str
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Layout:
    boxes: dict[str, Box]
    routes: dict[str, Route]
    frames: tuple[Frame, ...] = ()
    width: float = 0.0
    height: float = 0.0
    extras: dict[str, float] = field(default_factory=dict)  # timings and counts, for benchmarks


@dataclass(frozen=True)
class Spacing:
    """Distances in the same unit as the box sizes (SVG pixels)."""

    node_gap: float = 28.0  # vertical gap between boxes of one layer
    dummy_gap: float = 6.0  # vertical gap around an edge passing through a layer
    dummy_height: float = 4.0
    layer_gap: float = 84.0  # minimum horizontal gap between layers
    component_gap: float = 56.0
    frame_padding: float = 24.0
    frame_label: float = 30.0  # room above a frame's boxes for its label
    loop_reach: float = 26.0  # how far a self-reference loop sticks out of its box
    aspect: float = 1.6  # target width / height of one laid-out component
