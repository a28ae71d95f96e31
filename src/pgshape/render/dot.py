"""Graphviz DOT from the IR: one node per table with an HTML-like label, crow's-foot edge ends.

- Each table is a ``shape=plain`` node whose label is an HTML-like ``<table>``: a header row with
  the table name (schema-qualified unless every table is in ``public``), then one row per
  selected column — key markers, name, type (with ``NOT NULL`` / ``= default`` / enum labels when
  asked) — each row a port (``c0``, ``c1``, …) so edges attach to the foreign-key column and to
  the referenced column;
- each relationship is one edge child → parent with ``dir=both``: ``arrowtail`` is the child end
  and ``arrowhead`` the parent end, drawn with Graphviz's crow's-foot shapes (``teetee`` exactly
  one, ``teeodot`` zero or one, ``crowodot`` zero or many, ``crowtee`` one or many); edges of
  non-identifying foreign keys are dashed; a collapsed many-to-many edge is labelled with its
  link table;
- groups (by schema or configured) become ``cluster_`` subgraphs.

Node ids are the quoted ``schema.name``; all text is escaped for its context, so any identifier
renders. The output is deterministic.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

from pgshape.model import Database
from pgshape.render.erd_common import (
    End,
    Erd,
    ErdColumn,
    ErdOptions,
    ErdTable,
    Relationship,
    TableKey,
    build_erd,
    one_line,
)

ARROWS: dict[End, str] = {
    "exactly_one": "teetee",
    "zero_or_one": "teeodot",
    "zero_or_many": "crowodot",
    "one_or_many": "crowtee",
}
HEADER_COLOUR = "#dbe4f0"
MAX_LABEL = 60  # characters of a default or comment shown in a cell before "…"


def render(
    database: Database,
    options: ErdOptions | None = None,
    groups: Mapping[str, Sequence[TableKey]] | None = None,
) -> str:
    """The diagram as DOT text (ends with a newline). ``groups``: cluster name → member tables."""
    return render_erd(build_erd(database, options), groups)


def render_erd(erd: Erd, groups: Mapping[str, Sequence[TableKey]] | None = None) -> str:
    qualify = any(t.table.schema != "public" for t in erd.tables)
    ports = {t.key: {c.column.name: f"c{i}" for i, c in enumerate(t.columns)} for t in erd.tables}
    nodes = {t.key: _node(t, erd.options, qualify) for t in erd.tables}
    lines = [
        "digraph erd {",
        '  graph [rankdir=LR, splines=true, nodesep=0.4, ranksep=1.0, fontname="Helvetica"];',
        '  node [shape=plain, fontname="Helvetica", fontsize=11];',
        '  edge [fontname="Helvetica", fontsize=9, color="#555555"];',
    ]
    placed: set[TableKey] = set()
    for index, (name, members) in enumerate((groups or {}).items()):
        inside = [key for key in members if key in nodes and key not in placed]
        if not inside:
            continue
        lines.append(f"  subgraph cluster_{index} {{")
        lines.append(f'    graph [label={_quote(name)}, style="rounded,dashed", color="#888888"];')
        for key in inside:
            lines.append("    " + nodes[key])
            placed.add(key)
        lines.append("  }")
    for table in erd.tables:
        if table.key not in placed:
            lines.append("  " + nodes[table.key])
    for relationship in erd.relationships:
        lines.append("  " + _edge(relationship, ports))
    lines.append("}")
    return "\n".join(lines) + "\n"


def node_id(key: TableKey) -> str:
    return _quote(f"{key[0]}.{key[1]}")


def _quote(text: str) -> str:
    """A DOT double-quoted string: only ``"`` is an escape for the lexer; a backslash is doubled
    so that one at the end cannot swallow the closing quote, line breaks become ``\\n``."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "").replace("\n", "\\n")
    return f'"{escaped}"'


def _h(text: str) -> str:
    """Text inside an HTML-like label (an XML fragment for Graphviz)."""
    return html.escape(text, quote=True).replace("\n", "<br/>") if text else " "


def _shorten(text: str) -> str:
    return one_line(text, MAX_LABEL)


def _node(table: ErdTable, options: ErdOptions, qualify: bool) -> str:
    key = table.key
    title = f"{key[0]}.{key[1]}" if qualify else key[1]
    rows = [
        f'<tr><td bgcolor="{HEADER_COLOUR}" colspan="3"><b>{_h(title)}</b></td></tr>',
    ]
    for index, column in enumerate(table.columns):
        rows.append(_row(index, column, options))
    label = '<table border="0" cellborder="1" cellspacing="0" cellpadding="4">' + "".join(rows) + "</table>"
    attributes = [f"label=<{label}>"]
    if options.show_comments and table.table.comment:
        attributes.append(f"tooltip={_quote(table.table.comment)}")
    return f"{node_id(key)} [{', '.join(attributes)}];"


def _row(index: int, erd_column: ErdColumn, options: ErdOptions) -> str:
    column = erd_column.column
    markers = " ".join(erd_column.markers)
    detail = column.type if options.show_types else ""
    extras = []
    if options.show_nullability and not column.nullable:
        extras.append("NOT NULL")
    if options.show_defaults and column.default is not None:
        extras.append("= " + _shorten(column.default))
    if options.show_enum_values and erd_column.enum_values:
        extras.append("{" + ", ".join(erd_column.enum_values) + "}")
    detail = " ".join(part for part in [detail, *extras] if part)
    tooltip = (
        f' title="{html.escape(_shorten(column.comment), quote=True)}"'
        if options.show_comments and column.comment
        else ""
    )
    name = f"<b>{_h(column.name)}</b>" if "PK" in erd_column.markers else _h(column.name)
    return (
        f'<tr><td align="left">{_h(markers)}</td>'
        f'<td align="left" port="c{index}"{tooltip}>{name}</td>'
        f'<td align="left">{_h(detail)}</td></tr>'
    )


def _endpoint(key: TableKey, columns: tuple[str, ...], ports: dict[TableKey, dict[str, str]]) -> str:
    port = next((ports[key][c] for c in columns if c in ports.get(key, {})), None)
    return node_id(key) + (f":{port}" if port else "")


def _edge(relationship: Relationship, ports: dict[TableKey, dict[str, str]]) -> str:
    tail = _endpoint(relationship.child, relationship.columns, ports)
    head = _endpoint(relationship.parent, relationship.referenced_columns, ports)
    attributes = [
        "dir=both",
        f"arrowtail={ARROWS[relationship.child_end]}",
        f"arrowhead={ARROWS[relationship.parent_end]}",
    ]
    if relationship.via is not None:
        attributes.append(f"label={_quote(relationship.via[1])}")
    else:
        attributes.append(f"tooltip={_quote(relationship.label)}")
        if not relationship.identifying:
            attributes.append("style=dashed")
    return f"{tail} -> {head} [{', '.join(attributes)}];"
