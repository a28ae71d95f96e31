"""Mermaid ``erDiagram`` text from the IR, written so that Mermaid always parses it.

What Mermaid's erDiagram grammar (mermaid 12) accepts, and how each awkward case is written:

- entity ids are bare words (``[A-Za-z_][A-Za-z0-9_]*`` here, avoiding Mermaid's keywords such
  as ``end``, ``style``, ``one``); a table of schema ``public`` with such a name is written bare,
  every other table as ``id["schema.name"]`` (Mermaid's alias form: the id is used by
  relationships, the quoted alias is what the diagram shows). Characters the quoted form cannot
  hold (``"``, ``%``, ``\\``, line breaks) and a ``.`` inside a name part are written as
  entities ``#34;`` (decimal code points), which the Mermaid source decodes;
- attribute types and names are single words (``[A-Za-z_*…][A-Za-z0-9_\\-()[].,*…]*``):
  PostgreSQL's multi-word types are written with their single-word aliases (``timestamptz``,
  ``varchar(255)``, ``float8``, ``numeric(10,2)`` stays); anything else that is not such a word
  (or starts like the key words ``PK``/``FK``/``UK``) is written in backticks;
- markers ``PK``, ``FK``, ``UK`` (``UK`` only for single-column unique keys: Mermaid cannot
  group columns into one key, and the Mermaid source reads each ``UK`` as its own); column
  comments as attribute comments; with ``show_nullability`` / ``show_defaults`` /
  ``show_enum_values`` the comment starts with ``[not null]``, ``[default: …]``,
  ``[enum: a, b]``; a table comment is a ``%% comment:`` line above its entity (Mermaid
  ignores ``%%`` lines; the Mermaid source reads it back);
- relationship labels are the foreign key's name when it is PostgreSQL's default name for its
  columns (so the columns can be read back from it), otherwise ``name (col, …)``.
"""

from __future__ import annotations

import re

from pgshape.model import Database, Table
from pgshape.render.erd_common import (
    End,
    Erd,
    ErdColumn,
    ErdOptions,
    ErdTable,
    Relationship,
    build_erd,
    unique_keys,
)

_BARE_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Words Mermaid's erDiagram lexer reads as something other than an entity name.
_KEYWORDS = """erdiagram style classdef class subgraph end direction one only many zero more or to
    optionally u acctitle accdescr title tb bt rl lr td default"""
MERMAID_KEYWORDS = frozenset(_KEYWORDS.split())
# The ATTRIBUTE_WORD token of the grammar (BMP only: astral characters go in backticks).
_WORD = re.compile(r"[*A-Za-z_\u00c0-\uffff][A-Za-z0-9\-_\[\]().,\u00c0-\uffff*]*")
_KEY_START = re.compile(r"(pk|fk|uk)(?![A-Za-z0-9_])", re.IGNORECASE)
_ENTITY_LIKE = re.compile(r"#(\d+|quot);")

_LEFT: dict[End, str] = {"exactly_one": "||", "zero_or_one": "|o", "zero_or_many": "}o", "one_or_many": "}|"}
_RIGHT: dict[End, str] = {"exactly_one": "||", "zero_or_one": "o|", "zero_or_many": "o{", "one_or_many": "|{"}

# PostgreSQL's canonical multi-word spellings → the one-word aliases PostgreSQL also accepts.
_TYPE_ALIASES = [
    (re.compile(r"^timestamp(\(\d+\))? with time zone"), r"timestamptz\1"),
    (re.compile(r"^timestamp(\(\d+\))? without time zone"), r"timestamp\1"),
    (re.compile(r"^time(\(\d+\))? with time zone"), r"timetz\1"),
    (re.compile(r"^time(\(\d+\))? without time zone"), r"time\1"),
    (re.compile(r"^character varying"), "varchar"),
    (re.compile(r"^character(?=\(|\[|$)"), "char"),
    (re.compile(r"^bit varying"), "varbit"),
    (re.compile(r"^double precision"), "float8"),
]


def render(database: Database, options: ErdOptions | None = None) -> str:
    """The whole diagram as text (ends with a newline)."""
    return render_erd(build_erd(database, options))


def render_erd(erd: Erd) -> str:
    ids = entity_ids(erd.tables)
    lines = ["erDiagram"]
    for table in erd.tables:
        lines.extend(_entity(table, ids[table.key], erd.options))
    if erd.relationships:
        lines.append("")
    for relationship in erd.relationships:
        lines.append(_relationship(relationship, ids))
    return "\n".join(lines) + "\n"


# Names ------------------------------------------------------------------------------------


def encode(text: str, forbidden: str) -> str:
    """``text`` with each character of ``forbidden`` (and a ``#`` that would read as an entity)
    written as ``#code;``."""
    out = []
    for index, char in enumerate(text):
        if char in forbidden or (char == "#" and _ENTITY_LIKE.match(text, index)):
            out.append(f"#{ord(char)};")
        else:
            out.append(char)
    return "".join(out)


# What a quoted entity name cannot hold ('#' is handled by encode() itself).
_QUOTED_FORBIDDEN = '"%\\\r\n\v\b'


def display_name(schema: str, name: str) -> str:
    """The alias text: ``name`` for schema public, else ``schema.name``; dots in parts encoded."""
    part = encode(name, _QUOTED_FORBIDDEN + ".")
    return part if schema == "public" else f"{encode(schema, _QUOTED_FORBIDDEN + '.')}.{part}"


def _line_breaks(text: str) -> str:
    """Characters of ``text`` that end or trim a line somewhere (Python's or JavaScript's
    idea of whitespace other than the plain space)."""
    return "".join(sorted({c for c in text if c.isspace() and c != " "}))


def _encode_line(text: str) -> str:
    """``text`` for a ``%%`` line: one line, ends not trimmable, no ``%`` (Mermaid looks for
    ``%%{`` directives anywhere)."""
    body = encode(text, "%" + _line_breaks(text))
    stripped = body.strip()
    if stripped != body:
        left = len(body) - len(body.lstrip())
        right = len(body) - len(body.rstrip())
        body = "#32;" * left + body.strip() + "#32;" * right
    return body


def _bare_ok(name: str) -> bool:
    return bool(_BARE_ID.fullmatch(name)) and name.lower() not in MERMAID_KEYWORDS


def entity_ids(tables: tuple[ErdTable, ...]) -> dict[tuple[str, str], str]:
    """A unique Mermaid id per table: the bare name where possible, else a sanitised one."""
    ids: dict[tuple[str, str], str] = {}
    taken: set[str] = set()
    for table in tables:
        schema, name = table.key
        if schema == "public" and _bare_ok(name):
            ids[table.key] = name
            taken.add(name.lower())
    for table in tables:
        if table.key in ids:
            continue
        schema, name = table.key
        base = re.sub(r"[^A-Za-z0-9_]", "_", name if schema == "public" else f"{schema}__{name}")
        if not base or base[0].isdigit():
            base = "_" + base
        if base.lower() in MERMAID_KEYWORDS:
            base += "_"
        candidate, number = base, 1
        while candidate.lower() in taken:
            number += 1
            candidate = f"{base}_{number}"
        ids[table.key] = candidate
        taken.add(candidate.lower())
    return ids


def _entity_ref(key: tuple[str, str], ids: dict[tuple[str, str], str]) -> str:
    return ids[key]


# Entities ---------------------------------------------------------------------------------


def _entity(table: ErdTable, entity_id: str, options: ErdOptions) -> list[str]:
    schema, name = table.key
    head = entity_id
    if not (schema == "public" and entity_id == name):
        head = f'{entity_id}["{display_name(schema, name)}"]'
    lines = []
    comment = table.table.comment
    if comment and options.show_comments:
        lines.append(f"    %% comment: {_encode_line(comment)}")
    if not table.columns:
        lines.append(f"    {head}")
        return lines
    lines.append(f"    {head} {{")
    singles = single_unique_columns(table.table)
    lines.extend(f"        {_attribute(column, options, singles)}" for column in table.columns)
    lines.append("    }")
    return lines


def mermaid_type(pg_type: str) -> str:
    """A PostgreSQL type spelled as one Mermaid word (aliases first, backticks as a last resort)."""
    spelled = pg_type
    for pattern, replacement in _TYPE_ALIASES:
        spelled, count = pattern.subn(replacement, spelled)
        if count:
            break
    return word(spelled)


def word(text: str) -> str:
    """``text`` as one ATTRIBUTE_WORD token: bare when the grammar reads it unchanged, else
    in backticks (a backtick itself is encoded)."""
    if _WORD.fullmatch(text) and not _KEY_START.match(text):
        return text
    return "`" + encode(text, "`") + "`"


def single_unique_columns(table: Table) -> set[str]:
    """Columns that are a UNIQUE key on their own. Mermaid's ``UK`` is read back as a
    single-column UNIQUE, so only these columns get the marker (a composite key cannot be said)."""
    keys = unique_keys(table)[1 if table.primary_key else 0 :]
    return {column for key in keys if len(key) == 1 for column in key}


def _attribute(erd_column: ErdColumn, options: ErdOptions, singles: set[str]) -> str:
    column = erd_column.column
    type_word = mermaid_type(column.type) if options.show_types else "_"
    parts = [type_word, word(column.name)]
    markers = [m for m in erd_column.markers if m != "UK" or column.name in singles]
    if markers:
        parts.append(", ".join(markers))
    comment = _comment(erd_column, options)
    if comment:
        parts.append(f'"{comment}"')
    return " ".join(parts)


def _comment(erd_column: ErdColumn, options: ErdOptions) -> str:
    """Facts then the comment, each part encoded once (quotes, ``%``, line breaks; ``[``, ``]``
    and ``,`` inside facts; a comment starting with ``[`` would read as a fact)."""
    column = erd_column.column
    plain = '"%' + _line_breaks(column.comment or "") + _line_breaks(column.default or "")
    facts = []
    if options.show_nullability and not column.nullable:
        facts.append("[not null]")
    if options.show_defaults and column.default is not None:
        facts.append(f"[default: {encode(column.default, '[]' + plain)}]")
    if options.show_enum_values and erd_column.enum_values is not None:
        labels = ", ".join(
            encode(label, "[]," + plain + _line_breaks(label)) for label in erd_column.enum_values
        )
        facts.append(f"[enum: {labels}]")
    if options.show_comments and column.comment:
        text = encode(column.comment, plain)
        if text.startswith("["):
            text = "#91;" + text[1:]
        facts.append(text)
    return " ".join(facts)


# Relationships ----------------------------------------------------------------------------


def relationship_label(relationship: Relationship, default_name: str | None) -> str:
    """The FK name when it is PostgreSQL's default for its columns (the columns can be read
    back from it), else ``name (col, …)``; the link table's name for a many-to-many edge."""
    if relationship.via is not None:
        return relationship.via[1] if relationship.via[0] == "public" else ".".join(relationship.via)
    if default_name is not None and relationship.label == default_name:
        return relationship.label
    return f"{relationship.label} ({', '.join(relationship.columns)})"


def _relationship(relationship: Relationship, ids: dict[tuple[str, str], str]) -> str:
    line = ".." if not relationship.identifying and relationship.via is None else "--"
    left = _LEFT[relationship.parent_end] if relationship.via is None else _LEFT["zero_or_many"]
    right = _RIGHT[relationship.child_end] if relationship.via is None else _RIGHT["zero_or_many"]
    default = None
    if relationship.foreign_key is not None:
        default = default_fk_name(relationship.child[1], relationship.columns)
    label = encode(relationship_label(relationship, default), _QUOTED_FORBIDDEN)
    parent, child = _entity_ref(relationship.parent, ids), _entity_ref(relationship.child, ids)
    if relationship.via is not None:  # many-to-many: the link's first parent on the left
        parent, child = child, parent
    return f'    {parent} {left}{line}{right} {child} : "{label}"'


def default_fk_name(table: str, columns: tuple[str, ...]) -> str:
    """PostgreSQL's name for an unnamed FK (``{table}_{columns}_fkey``), without the numeric
    suffix it adds on a clash (a suffixed name is not recognisable, so the columns are shown).

    A copy of the rule in ``sources/pg_names.py`` (renderers import only the model)."""
    joined = b""
    for name in columns:
        if joined:
            joined += b"_"
        joined += name.encode()[:63]
        if len(joined) >= 64:
            break
    addition = joined.decode("utf-8", errors="ignore")
    available = 63 - len("_fkey") - 1
    first, second = len(table.encode()), len(addition.encode())
    while first + second > available:
        if first > second:
            first -= 1
        else:
            second -= 1
    cut1 = table.encode()[:first].decode("utf-8", errors="ignore")
    cut2 = addition.encode()[:second].decode("utf-8", errors="ignore")
    return f"{cut1}_{cut2}_fkey"
