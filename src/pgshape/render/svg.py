"""An ERD as a standalone SVG: table boxes with their key columns, crow's-foot edges.

No Graphviz, no system package: boxes are measured here (a monospace font makes text width a
matter of counting characters), placed by :mod:`pgshape.render.erd_layout` and drawn as plain
SVG. The output is deterministic (same model and options → the same bytes), valid XML with all
text escaped, and themable: every colour is a CSS variable with light values as presentation
attributes (so renderers without CSS support, such as the PNG export, still get colours) and
dark values under ``prefers-color-scheme`` or ``data-theme="dark"``.

Elements carry ``data-*`` attributes (``data-table``, ``data-column``, ``data-from``,
``data-to``…) so that the interactive HTML page can find tables, columns and edges.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from unicodedata import east_asian_width

from pgshape.model import Database
from pgshape.render.erd_common import Erd, ErdColumn, ErdOptions, ErdTable, Relationship, build_erd
from pgshape.render.erd_layout import Edge, Layout, Node, Route, layout
from pgshape.render.svg_style import FONT_FAMILY, PALETTES, style_sheet

# Geometry of a table box, in SVG pixels. Text is monospace: CHAR_WIDTH is 0.6 em, the advance
# of the common monospace faces, rounded up so the estimate never undershoots.
FONT_SIZE = 12.0
TITLE_SIZE = 13.0
CHAR_WIDTH = 0.62 * FONT_SIZE
TITLE_CHAR_WIDTH = 0.64 * TITLE_SIZE
ROW_HEIGHT = 20.0
HEADER_HEIGHT = 28.0
PAD = 10.0
KEY_CHAR_WIDTH = 6.4  # the markers are set in 10 px bold
MIN_WIDTH = 140.0
MAX_TEXT = 36  # characters of a name or type before it is shortened with "…"
BADGE_WIDTH = 28.0

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def escape(text: str) -> str:
    """Text for element content or a double-quoted attribute (characters XML refuses dropped)."""
    text = _INVALID_XML.sub("\ufffd", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def columns(text: str) -> int:
    """Character cells ``text`` takes in a monospace font: East Asian wide characters take two."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0x10FF and east_asian_width(ch) in "WF")


def shorten(text: str, limit: int = MAX_TEXT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def qualified(key: tuple[str, str]) -> str:
    return f"{key[0]}.{key[1]}"


@dataclass(frozen=True)
class Row:
    """One drawn column row: the texts as shown (shortened) and the full column."""

    name: str
    markers: str
    detail: str  # type plus the optional facts, as shown
    column: ErdColumn


@dataclass(frozen=True)
class TableBox:
    table: ErdTable
    title: str
    rows: tuple[Row, ...]
    width: float
    height: float
    name_width: float  # x offset of the type column from the name column
    key_width: float  # x offset of the name column from the markers

    def row_y(self, column: str) -> float | None:
        """y offset (from the box top) of the middle of ``column``'s row, if drawn."""
        for index, row in enumerate(self.rows):
            if row.column.column.name == column:
                return HEADER_HEIGHT + ROW_HEIGHT * index + ROW_HEIGHT / 2
        return None


def _detail(column: ErdColumn, options: ErdOptions) -> str:
    parts: list[str] = []
    if options.show_types:
        text = column.column.type
        if options.show_nullability and column.column.nullable:
            text += "?"
        parts.append(text)
    elif options.show_nullability and column.column.nullable:
        parts.append("null")
    if options.show_defaults and column.column.default is not None:
        parts.append(f"= {column.column.default}")
    if options.show_enum_values and column.enum_values:
        parts.append("{" + ",".join(column.enum_values) + "}")
    return shorten(" ".join(parts))


def measure(table: ErdTable, options: ErdOptions, qualify: bool, badge: bool = False) -> TableBox:
    key = table.key
    title = shorten(qualified(key) if qualify else key[1], 48)
    rows = tuple(
        Row(
            shorten(c.column.name),
            " ".join(c.markers),
            _detail(c, options),
            c,
        )
        for c in table.columns
    )
    key_chars = max((len(r.markers) for r in rows), default=0)
    key_width = key_chars * KEY_CHAR_WIDTH + 8 if key_chars else 0.0
    name_chars = max((columns(r.name) for r in rows), default=0)
    detail_chars = max((columns(r.detail) for r in rows), default=0)
    name_width = name_chars * CHAR_WIDTH + (2 * CHAR_WIDTH if detail_chars else 0)
    body = PAD + key_width + name_width + detail_chars * CHAR_WIDTH + PAD
    header = PAD + columns(title) * TITLE_CHAR_WIDTH + PAD + (BADGE_WIDTH if badge else 0)
    width = float(round(max(MIN_WIDTH, body, header)))
    height = HEADER_HEIGHT + ROW_HEIGHT * len(rows) + (6.0 if rows else 0.0)
    return TableBox(table, title, rows, width, height, name_width, key_width)


def _anchor(box: TableBox, columns: tuple[str, ...]) -> float:
    for name in columns:
        y = box.row_y(name)
        if y is not None:
            return y
    return HEADER_HEIGHT / 2


def edge_id(relationship: Relationship) -> str:
    via = qualified(relationship.via) if relationship.via else ""
    return f"{qualified(relationship.child)}\x1f{relationship.label}\x1f{via}"


@dataclass(frozen=True)
class Diagram:
    """Everything drawn: measured boxes, the layout and the ERD facts (used by the HTML page)."""

    erd: Erd
    boxes: dict[tuple[str, str], TableBox]
    layout: Layout
    ids: dict[tuple[str, str], str]  # element id of each table group


def build_diagram(erd: Erd, badged: frozenset[tuple[str, str]] = frozenset()) -> Diagram:
    qualify = erd.schemas != ("public",)
    boxes = {t.key: measure(t, erd.options, qualify, t.key in badged) for t in erd.tables}
    drawn = [r for r in erd.relationships if r.child in boxes and r.parent in boxes]
    edges = [
        Edge(
            edge_id(r),
            qualified(r.child),
            qualified(r.parent),
            _anchor(boxes[r.child], r.columns),
            _anchor(boxes[r.parent], r.referenced_columns),
        )
        for r in drawn
    ]
    # A frame per schema helps when schemas are mostly self-contained. When most relationships
    # cross schemas, frames would push those edges across other tables: lay out as one graph.
    crossing = sum(1 for r in drawn if r.child[0] != r.parent[0])
    by_schema = crossing * 2 <= len(drawn)
    nodes = [Node(qualified(k), b.width, b.height, k[0] if by_schema else "") for k, b in boxes.items()]
    placed = layout(nodes, edges)
    ids = {key: f"t{index}" for index, key in enumerate(sorted(boxes))}
    return Diagram(erd, boxes, placed, ids)


# Drawing ----------------------------------------------------------------------------------


def _n(value: float) -> str:
    """Coordinates with one decimal, no trailing zeros: short and stable."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def path_data(route: Route) -> str:
    points = route.points
    (x0, y0) = points[0]
    parts = [f"M{_n(x0)} {_n(y0)}"]
    if route.kind == "loop":
        (x1, y1) = points[-1]
        reach = 26.0 + abs(y1 - y0) * 0.15
        sign = 1 if route.start_side == "right" else -1
        parts.append(f"C{_n(x0 + sign * reach)} {_n(y0)} {_n(x1 + sign * reach)} {_n(y1)} {_n(x1)} {_n(y1)}")
        return " ".join(parts)
    for x1, y1 in points[1:]:
        if abs(y1 - y0) < 0.05:
            parts.append(f"L{_n(x1)} {_n(y1)}")
        else:
            middle = (x0 + x1) / 2
            parts.append(f"C{_n(middle)} {_n(y0)} {_n(middle)} {_n(y1)} {_n(x1)} {_n(y1)}")
        x0, y0 = x1, y1
    return " ".join(parts)


def end_marker(end: str, point: tuple[float, float], side: str) -> tuple[str, str]:
    """Path data of a crow's-foot end at ``point`` on a box side (``side``: the direction the
    line leaves in), as (strokes, circles); circles are filled with the background."""
    x, y = point
    o = 1.0 if side == "right" else -1.0  # outward, away from the box

    def bar(distance: float) -> str:
        return f"M{_n(x + o * distance)} {_n(y - 6)}V{_n(y + 6)}"

    def circle(distance: float) -> str:
        return f"M{_n(x + o * distance - 4)} {_n(y)}a4 4 0 1 0 8 0a4 4 0 1 0 -8 0"

    foot = f"M{_n(x + o * 12)} {_n(y)}L{_n(x)} {_n(y - 7)}M{_n(x + o * 12)} {_n(y)}L{_n(x)} {_n(y + 7)}"
    if end == "exactly_one":
        return bar(7) + bar(12), ""
    if end == "zero_or_one":
        return bar(7), circle(16)
    if end == "one_or_many":
        return foot + bar(16), ""
    return foot, circle(20)  # zero_or_many


def render_diagram(
    diagram: Diagram,
    *,
    theme: str = "light",
    badges: Mapping[tuple[str, str], tuple[int, str]] | None = None,
    stylesheet: bool = True,
) -> str:
    """The SVG text. ``badges``: per table, (finding count, highest severity) to show.
    ``stylesheet=False`` leaves the CSS out, for renderers that resolve CSS variables wrongly
    (resvg paints ``var(...)`` black); the presentation attributes carry the ``theme``."""
    palette = PALETTES["dark" if theme == "dark" else "light"]
    placed = diagram.layout
    width, height = max(placed.width, 1.0), max(placed.height, 1.0)
    out: list[str] = [
        '<svg xmlns="http://www.w3.org/2000/svg" class="pgshape-erd"'
        f' viewBox="0 0 {_n(width)} {_n(height)}" width="{_n(width)}" height="{_n(height)}"'
        f' font-family="{escape(FONT_FAMILY)}" font-size="{_n(FONT_SIZE)}"'
        f' data-tables="{len(diagram.boxes)}" data-edges="{len(placed.routes)}"'
        + (' data-theme="dark"' if theme == "dark" else "")
        + ">",
        f"<style>{style_sheet()}</style>" if stylesheet else "",
        f'<rect class="erd-bg" width="{_n(width)}" height="{_n(height)}" fill="{palette["bg"]}"/>',
    ]
    if placed.frames:
        out.append('<g class="erd-frames">')
        for frame in placed.frames:
            out.append(
                f'<g class="erd-frame" data-schema="{escape(frame.name)}">'
                f'<rect x="{_n(frame.x)}" y="{_n(frame.y)}" width="{_n(frame.width)}"'
                f' height="{_n(frame.height)}" rx="10" fill="{palette["frame"]}"'
                f' stroke="{palette["frame-line"]}"/>'
                f'<text x="{_n(frame.x + 14)}" y="{_n(frame.y + 22)}" font-size="{_n(TITLE_SIZE + 1)}"'
                f' font-weight="bold" fill="{palette["muted"]}">{escape(frame.name)}</text></g>'
            )
        out.append("</g>")

    out.append('<g class="erd-edges" fill="none">')
    by_id = {edge_id(r): r for r in diagram.erd.relationships}
    for key, route in placed.routes.items():
        relationship = by_id[key]
        out.append(_edge(relationship, route, diagram.ids, palette))
    out.append("</g>")

    out.append('<g class="erd-tables">')
    for key in sorted(diagram.boxes):
        badge = (badges or {}).get(key)
        out.append(_table(diagram, key, palette, badge))
    out.append("</g></svg>")
    return "\n".join(out) + "\n"


def _edge(
    r: Relationship, route: Route, ids: Mapping[tuple[str, str], str], palette: Mapping[str, str]
) -> str:
    start, end = route.points[0], route.points[-1]
    child_strokes, child_circles = end_marker(r.child_end, start, route.start_side)
    parent_strokes, parent_circles = end_marker(r.parent_end, end, route.end_side)
    attributes = [
        f'class="erd-edge{" erd-m2m" if r.via else ""}"',
        f'data-from="{escape(qualified(r.child))}"',
        f'data-to="{escape(qualified(r.parent))}"',
        f'data-from-id="{ids[r.child]}"',
        f'data-to-id="{ids[r.parent]}"',
        f'data-label="{escape(r.label)}"',
        f'data-columns="{escape(",".join(r.columns))}"',
        f'data-child-end="{r.child_end}"',
        f'data-parent-end="{r.parent_end}"',
    ]
    if r.via:
        attributes.append(f'data-via="{escape(qualified(r.via))}"')
    title = f"{qualified(r.child)} ({', '.join(r.columns)}) → {qualified(r.parent)}"
    if r.via:
        title = f"{qualified(r.child)} ⟷ {qualified(r.parent)} via {qualified(r.via)}"
    line = palette["edge"]
    parts = [
        f"<g {' '.join(attributes)}><title>{escape(title)}</title>",
        f'<path class="erd-line" d="{path_data(route)}" stroke="{line}" stroke-width="1.4"/>',
        f'<path class="erd-end" d="{child_strokes}{parent_strokes}" stroke="{line}" stroke-width="1.4"/>',
    ]
    circles = child_circles + parent_circles
    if circles:
        parts.append(
            f'<path class="erd-end-circle" d="{circles}" stroke="{line}" stroke-width="1.4"'
            f' fill="{palette["bg"]}"/>'
        )
    parts.append("</g>")
    return "".join(parts)


def _table(
    diagram: Diagram,
    key: tuple[str, str],
    palette: Mapping[str, str],
    badge: tuple[int, str] | None,
) -> str:
    box = diagram.boxes[key]
    place = diagram.layout.boxes[qualified(key)]
    x, y, w, h = place.x, place.y, place.width, place.height
    table = box.table.table
    classes = "erd-table" + (" erd-link" if box.table.is_link else "")
    out = [
        f'<g class="{classes}" id="{diagram.ids[key]}" data-table="{escape(qualified(key))}"'
        f' data-schema="{escape(key[0])}" data-name="{escape(key[1])}">'
    ]
    tooltip = qualified(key) + (
        f"\n{table.comment}" if table.comment and diagram.erd.options.show_comments else ""
    )
    out.append(f"<title>{escape(tooltip)}</title>")
    out.append(
        f'<rect class="erd-box" x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" rx="6"'
        f' fill="{palette["box"]}" stroke="{palette["box-line"]}" stroke-width="1.2"/>'
    )
    out.append(
        f'<path class="erd-header" d="M{_n(x)} {_n(y + HEADER_HEIGHT)}V{_n(y + 6)}a6 6 0 0 1 6 -6'
        f'H{_n(x + w - 6)}a6 6 0 0 1 6 6V{_n(y + HEADER_HEIGHT)}Z" fill="{palette["header"]}"/>'
    )
    out.append(
        f'<text class="erd-title" x="{_n(x + PAD)}" y="{_n(y + 19)}" font-size="{_n(TITLE_SIZE)}"'
        f' font-weight="bold" fill="{palette["header-text"]}">{escape(box.title)}</text>'
    )
    if badge is not None:
        count, severity = badge
        colour = palette.get("badge-" + severity, palette["badge-info"])
        out.append(
            f'<g class="erd-badge erd-badge-{escape(severity)}" data-count="{count}"'
            f' data-severity="{escape(severity)}">'
            f'<rect x="{_n(x + w - BADGE_WIDTH - 4)}" y="{_n(y + 6)}" width="{_n(BADGE_WIDTH)}" height="16"'
            f' rx="8" fill="{colour}"/>'
            f'<text x="{_n(x + w - 4 - BADGE_WIDTH / 2)}" y="{_n(y + 18)}" text-anchor="middle"'
            f' font-size="11" font-weight="bold" fill="#ffffff">{count}</text></g>'
        )
    name_x = x + PAD + box.key_width
    for index, row in enumerate(box.rows):
        top = y + HEADER_HEIGHT + index * ROW_HEIGHT
        baseline = top + 14
        column = row.column.column
        markers = " ".join(row.column.markers)
        out.append(
            f'<g class="erd-column{" erd-keycol" if row.column.markers else ""}"'
            f' data-column="{escape(column.name)}" data-markers="{markers}">'
        )
        if column.comment and diagram.erd.options.show_comments:
            out.append(f"<title>{escape(column.name + ': ' + column.comment)}</title>")
        out.append(
            f'<rect class="erd-row" x="{_n(x + 1)}" y="{_n(top)}" width="{_n(w - 2)}"'
            f' height="{_n(ROW_HEIGHT)}" fill="transparent"/>'
        )
        if row.markers:
            out.append(
                f'<text class="erd-key" x="{_n(x + PAD)}" y="{_n(baseline)}" font-size="10"'
                f' font-weight="bold" fill="{palette["key"]}">{escape(row.markers)}</text>'
            )
        out.append(
            f'<text class="erd-name" x="{_n(name_x)}" y="{_n(baseline)}"'
            f' fill="{palette["text"]}">{escape(row.name)}</text>'
        )
        if row.detail:
            out.append(
                f'<text class="erd-type" x="{_n(name_x + box.name_width)}" y="{_n(baseline)}"'
                f' fill="{palette["muted"]}">{escape(row.detail)}</text>'
            )
        out.append("</g>")
    out.append("</g>")
    return "".join(out)


def render_svg(database: Database, options: ErdOptions | None = None, *, theme: str = "light") -> str:
    """The ERD of ``database`` as SVG text (``theme``: colours of the presentation attributes,
    used where CSS is not applied; browsers follow ``prefers-color-scheme``)."""
    erd = build_erd(database, options or ErdOptions())
    return render_diagram(build_diagram(erd), theme=theme)


render = render_svg
