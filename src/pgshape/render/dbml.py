"""DBML text from the IR (as read by @dbml/core and pydbml).

What is written: enums; tables (``"schema"."name"``) with columns (type — quoted when it is not
one word — and settings ``pk``, ``increment`` for identity columns, ``not null``, ``unique`` for
a single-column UNIQUE constraint with PostgreSQL's default name, ``default: `expr```,
``note``), the table comment as ``Note``, and ``indexes``: a composite primary key
``(a, b) [pk]``, other UNIQUE constraints and indexes with their names (expressions in
backticks, ``type:`` for non-btree methods); foreign keys as standalone named refs
``Ref "name": child.(cols) > parent.(cols) [delete: …, update: …]`` (``-`` for one-to-one).
DBML cannot say partial/INCLUDE/DESC index details, checks, views, functions, triggers or
policies; those are left out.

Column selection follows :class:`ErdOptions` (``none`` is treated as ``keys``: refs need their
columns); types, defaults and comments are always written (DBML is a schema format).
"""

from __future__ import annotations

import re
from dataclasses import replace

from pgshape.model import Database, Table
from pgshape.render.erd_common import Erd, ErdOptions, ErdTable, Relationship, build_erd

_ONE_WORD_TYPE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\(\d+(,\d+)?\))?(\[\])*")
_ACTIONS = {
    "CASCADE": "cascade",
    "RESTRICT": "restrict",
    "SET NULL": "set null",
    "SET DEFAULT": "set default",
}
_METHODS = {"hash", "gin", "gist", "brin", "spgist"}


def render(database: Database, options: ErdOptions | None = None) -> str:
    options = options or ErdOptions()
    if options.columns == "none":
        options = replace(options, columns="keys")
    return render_erd(build_erd(database, options), database)


def render_erd(erd: Erd, database: Database) -> str:
    blocks: list[str] = []
    for enum in database.enums:
        labels = "\n".join("  " + _string(label, quote='"') for label in enum.labels)
        blocks.append(f"Enum {_qualified(enum.schema, enum.name)} {{\n{labels}\n}}")
    for table in erd.tables:
        blocks.append(_table(table))
    refs = [_ref(r) for r in erd.relationships if r.foreign_key is not None]
    for r in erd.relationships:
        if r.via is not None:  # collapsed many-to-many
            left, right = _endpoint(r.child, r.columns), _endpoint(r.parent, r.referenced_columns)
            blocks.append(f"Ref {_name(r.label)}: {left} <> {right}")
    blocks.extend(refs)
    return "\n\n".join(blocks) + "\n"


def _name(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _qualified(schema: str, name: str) -> str:
    return f"{_name(schema)}.{_name(name)}"


def _string(text: str, quote: str = "'") -> str:
    """A DBML string literal: backslash and the quote escaped, control characters as ``\\t``,
    ``\\r``, ``\\uXXXX``; text with line breaks in triple quotes (DBML's multi-line form)."""
    out = []
    for char in text:
        if char in ("\\", quote):
            out.append("\\" + char)
        elif char == "\t":
            out.append("\\t")
        elif char == "\r":
            out.append("\\r")
        elif char != "\n" and (ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 or char in "\u2028\u2029"):
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    escaped = "".join(out)
    if "\n" in escaped and quote == "'":
        return "'''" + escaped + "'''"  # quotes are escaped above: no ''' inside
    return quote + escaped.replace("\n", "\\n") + quote


def _type(column_type: str) -> str:
    if _ONE_WORD_TYPE.fullmatch(column_type):
        return column_type
    schema, dot, name = column_type.partition(".")
    if dot and re.fullmatch(r"[a-z_][a-z0-9_]*", schema) and re.fullmatch(r"[a-z_][a-z0-9_]*(\[\])*", name):
        return column_type  # a user type: public.mood
    return _name(column_type)


def _default_unique_name(table: str, column: str) -> str:
    return f"{table}_{column}_key"


def _table(erd_table: ErdTable) -> str:
    table = erd_table.table
    lines = [f"Table {_qualified(table.schema, table.name)} {{"]
    pk = table.primary_key.columns if table.primary_key else ()
    single_uniques = {
        u.columns[0]
        for u in table.unique_constraints
        if len(u.columns) == 1 and u.name == _default_unique_name(table.name, u.columns[0]) and not u.include
    }
    for erd_column in erd_table.columns:
        column = erd_column.column
        settings = []
        if len(pk) == 1 and column.name in pk:
            settings.append("pk")
        if column.identity is not None:
            settings.append("increment")
        if not column.nullable and not (len(pk) == 1 and column.name in pk):
            settings.append("not null")
        if column.name in single_uniques:
            settings.append("unique")
        if column.default is not None:
            settings.append(f"default: `{column.default}`")
        if column.comment:
            settings.append(f"note: {_string(column.comment)}")
        suffix = f" [{', '.join(settings)}]" if settings else ""
        lines.append(f"  {_name(column.name)} {_type(column.type)}{suffix}")
    if table.comment:
        lines.append(f"  Note: {_string(table.comment)}")
    indexes = _indexes(table, single_uniques, {c.column.name for c in erd_table.columns})
    if indexes:
        lines.append("  indexes {")
        lines.extend(f"    {index}" for index in indexes)
        lines.append("  }")
    lines.append("}")
    return "\n".join(lines)


def _columns(names: tuple[str, ...]) -> str:
    return "(" + ", ".join(_name(n) for n in names) + ")"


def _indexes(table: Table, single_uniques: set[str], shown: set[str]) -> list[str]:
    """Composite primary key first, then UNIQUE constraints and indexes together by name (DBML
    has one ``indexes`` list, and the DBML source reads a named unique entry as an index)."""
    out = []
    if table.primary_key and len(table.primary_key.columns) > 1:
        out.append(f"{_columns(table.primary_key.columns)} [pk]")
    entries: list[tuple[str, str]] = []
    for unique in table.unique_constraints:
        if len(unique.columns) == 1 and unique.columns[0] in single_uniques:
            continue
        if set(unique.columns) <= shown:
            entries.append(
                (unique.name, f"{_columns(unique.columns)} [unique, name: {_string(unique.name)}]")
            )
    for index in table.indexes:
        keys = []
        for key in index.keys:
            if key.column is not None:
                if key.column not in shown:
                    break
                keys.append(_name(key.column))
            else:
                keys.append(f"`{key.expression}`")
        else:
            settings = [f"name: {_string(index.name)}"]
            if index.unique:
                settings.insert(0, "unique")
            if index.method in _METHODS:
                settings.append(f"type: {index.method}")
            entries.append((index.name, f"({', '.join(keys)}) [{', '.join(settings)}]"))
    out.extend(text for _, text in sorted(entries))
    return out


def _endpoint(table: tuple[str, str], columns: tuple[str, ...]) -> str:
    return f"{_qualified(*table)}.{_columns(columns)}"


def _ref(relationship: Relationship) -> str:
    fk = relationship.foreign_key
    assert fk is not None
    relation = "-" if relationship.child_end == "zero_or_one" else ">"
    settings = []
    if fk.on_delete in _ACTIONS:
        settings.append(f"delete: {_ACTIONS[fk.on_delete]}")
    if fk.on_update in _ACTIONS:
        settings.append(f"update: {_ACTIONS[fk.on_update]}")
    suffix = f" [{', '.join(settings)}]" if settings else ""
    child = _endpoint(relationship.child, relationship.columns)
    parent = _endpoint(relationship.parent, relationship.referenced_columns)
    return f"Ref {_name(fk.name)}: {child} {relation} {parent}{suffix}"
