"""PlantUML entity diagram (Information Engineering notation) from the IR.

- each table is ``entity "schema.name" as alias { … }``; the alias is the name reduced to
  ``[A-Za-z0-9_]`` (made unique with a ``_2``, ``_3`` suffix), the quoted name is what the
  diagram shows (schema-qualified unless every table is in ``public``);
- primary-key columns come first, then a ``--`` separator, then the others; ``*`` marks
  NOT NULL columns (the IE convention); markers as stereotypes ``<<PK>>``, ``<<FK>>``, ``<<UK>>``;
- relationships use the crow's-foot ends PlantUML shares with Mermaid: ``||`` exactly one,
  ``|o``/``o|`` zero or one, ``}o``/``o{`` zero or many, ``}|``/``|{`` one or many; ``--`` for
  identifying foreign keys, ``..`` otherwise; the label is the foreign key's (or, for a collapsed
  many-to-many edge, the link table's) name;
- groups (by schema or configured) become ``package "name" { … }`` blocks.

Text that PlantUML would read as syntax (braces, ``<<``, a leading ``--``) is escaped with
PlantUML's ``~`` escape character, a backslash (a line continuation or ``\\n`` to PlantUML) as
``<U+005C>``; a ``"`` in a name is shown as ``'``.
"""

from __future__ import annotations

import re
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

LEFT: dict[End, str] = {"exactly_one": "||", "zero_or_one": "|o", "zero_or_many": "}o", "one_or_many": "}|"}
RIGHT: dict[End, str] = {"exactly_one": "||", "zero_or_one": "o|", "zero_or_many": "o{", "one_or_many": "|{"}
_NOT_ALIAS = re.compile(r"[^A-Za-z0-9_]+")
_SYNTAX = re.compile(r"([{}<>~])")
MAX_TEXT = 60


def render(
    database: Database,
    options: ErdOptions | None = None,
    groups: Mapping[str, Sequence[TableKey]] | None = None,
) -> str:
    """The diagram as PlantUML text (``@startuml`` … ``@enduml``, ends with a newline)."""
    return render_erd(build_erd(database, options), groups)


def render_erd(erd: Erd, groups: Mapping[str, Sequence[TableKey]] | None = None) -> str:
    ids = aliases([t.key for t in erd.tables])
    qualify = any(t.table.schema != "public" for t in erd.tables)
    entities = {t.key: _entity(t, ids[t.key], erd.options, qualify) for t in erd.tables}
    lines = ["@startuml", "hide circle", "skinparam linetype ortho", ""]
    placed: set[TableKey] = set()
    for name, members in (groups or {}).items():
        inside = [key for key in members if key in entities and key not in placed]
        if not inside:
            continue
        lines.append(f'package "{_label(name)}" {{')
        for key in inside:
            lines.extend("  " + line for line in entities[key])
            placed.add(key)
        lines.append("}")
    for table in erd.tables:
        if table.key not in placed:
            lines.extend(entities[table.key])
    if erd.relationships:
        lines.append("")
    lines.extend(_relationship(r, ids) for r in erd.relationships)
    lines.append("@enduml")
    return "\n".join(lines) + "\n"


def aliases(keys: Sequence[TableKey]) -> dict[TableKey, str]:
    """A unique PlantUML identifier per table, in a deterministic order."""
    taken: set[str] = set()
    result: dict[TableKey, str] = {}
    for schema, name in sorted(keys):
        base = _NOT_ALIAS.sub("_", f"{schema}_{name}").strip("_") or "t"
        if base[0].isdigit():
            base = "t_" + base
        alias, n = base, 2
        while alias.lower() in taken:  # PlantUML ids are case-insensitive in places: be safe
            alias, n = f"{base}_{n}", n + 1
        taken.add(alias.lower())
        result[(schema, name)] = alias
    return result


def _label(text: str) -> str:
    """A name inside double quotes: no quote, no line break."""
    return " ".join(text.replace('"', "'").split()) or "_"


def _text(text: str) -> str:
    """Free text in an entity body or a label, with PlantUML syntax characters escaped."""
    # A backslash may continue the line or start an escape (``\n``): write it as a code point.
    escaped = _SYNTAX.sub(r"~\1", one_line(text, MAX_TEXT)).replace("\\", "<U+005C>")
    return "~" + escaped if escaped.startswith(("--", "..", "==", "__")) else escaped


def _entity(table: ErdTable, alias: str, options: ErdOptions, qualify: bool) -> list[str]:
    schema, name = table.key
    title = f"{schema}.{name}" if qualify else name
    lines = [f'entity "{_label(title)}" as {alias} {{']
    keys = [c for c in table.columns if "PK" in c.markers]
    rest = [c for c in table.columns if "PK" not in c.markers]
    lines.extend("  " + _attribute(c, options) for c in keys)
    if keys and rest:
        lines.append("  --")
    lines.extend("  " + _attribute(c, options) for c in rest)
    lines.append("}")
    if options.show_comments and table.table.comment and table.table.comment.strip():
        lines.append(f"note top of {alias} : {_text(table.table.comment)}")
    return lines


def _attribute(erd_column: ErdColumn, options: ErdOptions) -> str:
    column = erd_column.column
    text = ("* " if not column.nullable else "") + _text(column.name)
    if options.show_types:
        text += f" : {_text(column.type)}"
    if options.show_defaults and column.default is not None:
        text += f" = {_text(column.default)}"
    if options.show_enum_values and erd_column.enum_values:
        text += f" ~{{{_text(', '.join(erd_column.enum_values))}~}}"
    if erd_column.markers:
        text += " " + " ".join(f"<<{m}>>" for m in erd_column.markers)
    if options.show_comments and column.comment and column.comment.strip():
        text += f" // {_text(column.comment)}"
    return text


def _relationship(relationship: Relationship, ids: dict[TableKey, str]) -> str:
    line = "--" if relationship.identifying or relationship.via is not None else ".."
    arrow = LEFT[relationship.child_end] + line + RIGHT[relationship.parent_end]
    label = relationship.via[1] if relationship.via is not None else relationship.label
    return f"{ids[relationship.child]} {arrow} {ids[relationship.parent]} : {_text(label)}"
