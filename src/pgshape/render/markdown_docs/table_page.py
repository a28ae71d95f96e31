"""One page of the data dictionary: everything about one table, with links to its neighbours."""

from __future__ import annotations

from dataclasses import replace

from pgshape.model import Database, Table
from pgshape.model.index import Index
from pgshape.render import mermaid
from pgshape.render.erd_common import ErdOptions, column_markers
from pgshape.render.erd_select import neighbourhood
from pgshape.render.markdown_block import fence
from pgshape.render.markdown_docs.text import cell, code, escape, link, qualified, table


def render_table_page(database: Database, target: Table, options: ErdOptions) -> str:
    key = target.key
    lines = [f"# {escape(qualified(key))}", "", "[← all tables](../index.md)", ""]
    if target.comment:
        lines += [cell(target.comment), ""]
    facts = []
    if target.partition_of is not None:
        parent = (target.partition_of.schema, target.partition_of.table)
        facts.append(f"Partition of {_table_ref(database, parent)} for {code(target.partition_of.bound)}.")
    if target.partition_by:
        facts.append(f"Partitioned by {code(target.partition_by)}.")
    if target.inherits:
        facts.append("Inherits " + ", ".join(_table_ref(database, k) for k in target.inherits) + ".")
    if target.unlogged:
        facts.append("Unlogged.")
    if facts:
        lines += [" ".join(facts), ""]
    lines += _columns(target)
    lines += _keys(database, target)
    lines += _indexes(target.indexes)
    lines += _constraints(target)
    lines += _triggers(target)
    lines += _policies(target)
    lines += _referenced_by(database, target)
    lines += _diagram(database, target, options)
    return "\n".join(lines)


def _table_ref(database: Database, key: tuple[str, str]) -> str:
    """A link when the table has a page here, else its name (a table outside the model)."""
    if database.table(*key) is not None:
        return link(key, "tables")
    return escape(qualified(key))


def _columns(target: Table) -> list[str]:
    markers = column_markers(target)
    rows = []
    for number, column in enumerate(target.columns, 1):
        default = column.default
        if column.identity is not None:
            default = f"generated {'always' if column.identity.always else 'by default'} as identity"
        elif column.generated is not None:
            default = f"generated always as ({column.generated.expression}) {column.generated.kind}"
        rows.append(
            [
                str(number),
                f"**{escape(column.name)}**" if "PK" in markers[column.name] else escape(column.name),
                code(column.type),
                "yes" if column.nullable else "no",
                code(default),
                " ".join(markers[column.name]),
                cell(column.comment),
            ]
        )
    header = ["#", "Column", "Type", "Nullable", "Default", "Keys", "Comment"]
    return ["## Columns", "", *table(header, rows), ""]


def _keys(database: Database, target: Table) -> list[str]:
    lines: list[str] = []
    if target.primary_key is not None:
        pk = target.primary_key
        lines.append(f"- Primary key {code(pk.name)}: {_names(pk.columns)}")
    for unique in target.unique_constraints:
        lines.append(f"- Unique {code(unique.name)}: {_names(unique.columns)}")
    for fk in target.foreign_keys:
        actions = []
        if fk.on_delete != "NO ACTION":
            actions.append(f"on delete {fk.on_delete.lower()}")
        if fk.on_update != "NO ACTION":
            actions.append(f"on update {fk.on_update.lower()}")
        suffix = f" ({', '.join(actions)})" if actions else ""
        lines.append(
            f"- Foreign key {code(fk.name)}: {_names(fk.columns)} → "
            f"{_table_ref(database, fk.referenced)} {_names(fk.referenced_columns)}{suffix}"
        )
    return ["## Keys", "", *lines, ""] if lines else []


def _names(columns: tuple[str, ...]) -> str:
    return "(" + ", ".join(escape(c) for c in columns) + ")"


def _index_definition(index: Index) -> str:
    keys = []
    for key in index.keys:
        text = key.column if key.column is not None else f"({key.expression})"
        if key.descending:
            text += " DESC"
        keys.append(text)
    text = f"{index.method} ({', '.join(keys)})"
    if index.include:
        text += f" INCLUDE ({', '.join(index.include)})"
    if index.predicate:
        text += f" WHERE {index.predicate}"
    return text


def _indexes(indexes: tuple[Index, ...]) -> list[str]:
    if not indexes:
        return []
    rows = [[code(i.name), "yes" if i.unique else "", code(_index_definition(i))] for i in indexes]
    return ["## Indexes", "", *table(["Index", "Unique", "Definition"], rows), ""]


def _constraints(target: Table) -> list[str]:
    rows = [[code(c.name), "check", code(c.expression)] for c in target.check_constraints]
    rows += [[code(c.name), "exclude", code(c.definition)] for c in target.exclusion_constraints]
    if not rows:
        return []
    return ["## Constraints", "", *table(["Constraint", "Kind", "Definition"], rows), ""]


def _triggers(target: Table) -> list[str]:
    if not target.triggers:
        return []
    rows = [
        [
            code(t.name),
            f"{t.timing} {' OR '.join(t.events)} FOR EACH {'ROW' if t.for_each_row else 'STATEMENT'}",
            code(t.function),
            "" if t.enabled == "ORIGIN" else t.enabled.lower(),
        ]
        for t in target.triggers
    ]
    return ["## Triggers", "", *table(["Trigger", "When", "Function", "Enabled"], rows), ""]


def _policies(target: Table) -> list[str]:
    if not (target.policies or target.rls_enabled):
        return []
    state = "enabled" if target.rls_enabled else "disabled"
    lines = [
        "## Row-level security",
        "",
        f"Row-level security is {state}{' and forced' if target.rls_forced else ''}.",
        "",
    ]
    rows = [
        [
            code(p.name),
            p.command,
            "permissive" if p.permissive else "restrictive",
            escape(", ".join(p.roles)),
            code(p.using),
            code(p.with_check),
        ]
        for p in target.policies
    ]
    if rows:
        lines += [*table(["Policy", "Command", "Kind", "Roles", "Using", "With check"], rows), ""]
    return lines


def _referenced_by(database: Database, target: Table) -> list[str]:
    rows = []
    for other in sorted(database.tables, key=lambda t: t.key):
        for fk in other.foreign_keys:
            if fk.referenced == target.key:
                rows.append([link(other.key, "tables"), code(fk.name), _names(fk.columns)])
    if not rows:
        return []
    return ["## Referenced by", "", *table(["Table", "Foreign key", "Columns"], rows), ""]


def _diagram(database: Database, target: Table, options: ErdOptions) -> list[str]:
    near = neighbourhood(database, target.key, 1)
    local = replace(options, tables=near, partitions=options.partitions or target.is_partition)
    text = mermaid.render(database, local)
    return ["## Neighbourhood", "", fence(text, "mermaid"), ""]
