"""ERD facts shared by every diagram renderer (Mermaid, DBML, DOT, PlantUML, SVG, HTML).

Renderers never derive keys or cardinalities themselves: they call :func:`build_erd` and draw
what it returns, so every format shows the same diagram.

The API is three things:

- :class:`ErdOptions` — what to show (frozen, shared by all formats);
- :func:`build_erd` — ``Database`` + options → :class:`Erd`;
- :class:`Erd` — the tables to draw (:class:`ErdTable` with the selected :class:`ErdColumn`\\ s and
  their key markers) and the edges (:class:`Relationship` with crow's-foot ends).

Rules (documented in docs/erd-sources.md):

- markers: ``PK`` for primary-key columns, ``FK`` for columns of any foreign key, ``UK`` for
  columns of a UNIQUE constraint or of a unique, non-partial, column-only index;
- the end at the referenced (parent) table is ``exactly_one`` when every FK column is NOT NULL,
  else ``zero_or_one`` (optional parent);
- the end at the referencing (child) table is ``zero_or_one`` when the FK columns contain a
  unique key of the child (PK, UNIQUE, unique index): a one-to-one relationship; otherwise
  ``zero_or_many``. A schema cannot force "at least one child", so no edge built from a schema
  has a ``one_or_many`` end (the value exists for sketches read from Mermaid);
- a relationship is *identifying* when the FK columns are part of the child's primary key;
- a *link table* has exactly two foreign keys on disjoint columns whose union is its primary key
  or a unique key, no other columns than those and columns filled by the database (a default,
  identity or generated value: surrogate ids, ``created_at``), and nothing references it. With
  ``collapse_links`` it is replaced by one ``zero_or_many``/``zero_or_many`` edge between the
  two parents, labelled with the link table's name;
- partitions are left out (their partitioned parent stands for them) unless ``partitions``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from pgshape.model import Column, Database, ForeignKey, Table

ColumnsMode = Literal["all", "keys", "none"]
End = Literal["exactly_one", "zero_or_one", "zero_or_many", "one_or_many"]
Marker = Literal["PK", "FK", "UK"]
TableKey = tuple[str, str]


@dataclass(frozen=True)
class ErdOptions:
    """What an ERD shows. Every renderer accepts the same options; defaults suit a diagram.

    ``tables`` restricts the diagram to a subset of (schema, name) keys (the ``erd`` command
    computes it from globs, ``--focus``/``--depth``); ``None`` means every table. Edges are drawn
    only between tables of the subset.
    """

    columns: ColumnsMode = "all"
    show_types: bool = True
    show_nullability: bool = False
    show_defaults: bool = False
    show_comments: bool = True
    show_enum_values: bool = False
    collapse_links: bool = False
    partitions: bool = False
    tables: frozenset[TableKey] | None = None


@dataclass(frozen=True)
class ErdColumn:
    column: Column
    markers: tuple[Marker, ...]  # subset of ("PK", "FK", "UK"), in that order
    enum_values: tuple[str, ...] | None = None  # labels when the column's type is an enum

    @property
    def is_key(self) -> bool:
        return bool(self.markers)


@dataclass(frozen=True)
class ErdTable:
    table: Table
    columns: tuple[ErdColumn, ...]  # the columns selected by ``ErdOptions.columns``, in order
    is_link: bool = False

    @property
    def key(self) -> TableKey:
        return self.table.key


@dataclass(frozen=True)
class Relationship:
    """One edge. ``child`` holds the foreign key; ``parent`` is the referenced table.

    ``parent_end``: how many parent rows one child row has (``exactly_one`` | ``zero_or_one``).
    ``child_end``: how many child rows one parent row has (``zero_or_one`` | ``zero_or_many``).
    For a collapsed many-to-many edge ``foreign_key`` is ``None``, ``via`` is the link table,
    ``child``/``parent`` are the link's two parents (ordered by (schema, name)), and both ends
    are ``zero_or_many``.
    """

    child: TableKey
    parent: TableKey
    child_end: End
    parent_end: End
    label: str
    columns: tuple[str, ...] = ()
    referenced_columns: tuple[str, ...] = ()
    identifying: bool = False
    foreign_key: ForeignKey | None = None
    via: TableKey | None = None

    @property
    def is_many_to_many(self) -> bool:
        return self.via is not None


@dataclass(frozen=True)
class Erd:
    options: ErdOptions
    tables: tuple[ErdTable, ...]  # sorted by (schema, name); collapsed link tables left out
    relationships: tuple[Relationship, ...]  # sorted by (child, label)
    # Labels of every enum of the model by (schema, name), for legends and tooltips.
    enums: dict[TableKey, tuple[str, ...]] = field(default_factory=dict)

    @property
    def schemas(self) -> tuple[str, ...]:
        return tuple(sorted({t.table.schema for t in self.tables}))


# Keys -------------------------------------------------------------------------------------


def one_line(text: str, limit: int) -> str:
    """``text`` on one line (each run of whitespace one space), cut to ``limit`` characters
    with a trailing ``…`` when longer: how text-based diagrams show defaults and comments."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def unique_keys(table: Table) -> list[frozenset[str]]:
    """Column sets that are unique in ``table``: PK, UNIQUE constraints, unique indexes on plain
    columns without a predicate (a partial unique index does not make the columns a key)."""
    keys: list[frozenset[str]] = []
    if table.primary_key is not None:
        keys.append(frozenset(table.primary_key.columns))
    keys.extend(frozenset(u.columns) for u in table.unique_constraints)
    for index in table.indexes:
        if index.unique and index.predicate is None and all(c is not None for c in index.columns):
            keys.append(frozenset(c for c in index.columns if c is not None))
    return keys


def column_markers(table: Table) -> dict[str, tuple[Marker, ...]]:
    """``{column: markers}`` for every column of ``table`` (empty tuple for plain columns)."""
    pk = set(table.primary_key.columns) if table.primary_key else set()
    fk = {c for f in table.foreign_keys for c in f.columns}
    uk: set[str] = set()
    for key in unique_keys(table)[1 if table.primary_key else 0 :]:
        uk |= key
    result: dict[str, tuple[Marker, ...]] = {}
    for column in table.columns:
        marks: list[Marker] = []
        if column.name in pk:
            marks.append("PK")
        if column.name in fk:
            marks.append("FK")
        if column.name in uk:
            marks.append("UK")
        result[column.name] = tuple(marks)
    return result


def is_one_to_one(table: Table, fk: ForeignKey) -> bool:
    """The FK columns contain a unique key of ``table``: each parent row has at most one child."""
    columns = set(fk.columns)
    return any(key <= columns for key in unique_keys(table))


def is_mandatory(table: Table, fk: ForeignKey) -> bool:
    """Every FK column is NOT NULL: each child row has exactly one parent."""
    for name in fk.columns:
        column = table.column(name)
        if column is None or column.nullable:
            return False
    return True


def is_link_table(table: Table, referenced: Iterable[TableKey] = ()) -> bool:
    """See the module docstring. ``referenced``: keys of tables some FK points at."""
    if len(table.foreign_keys) != 2 or table.key in set(referenced):
        return False
    first, second = table.foreign_keys
    if set(first.columns) & set(second.columns):
        return False
    fk_columns = frozenset(first.columns) | frozenset(second.columns)
    if fk_columns not in unique_keys(table):
        return False
    for column in table.columns:
        if column.name in fk_columns:
            continue
        if column.default is None and column.identity is None and column.generated is None:
            return False
    return True


def enum_labels(database: Database) -> dict[str, tuple[str, ...]]:
    """``{type spelling: labels}`` for every enum, keyed as column types spell them
    (``public.mood``); arrays of enums are looked up by stripping ``[]``."""
    return {f"{e.schema}.{e.name}": e.labels for e in database.enums}


def _enum_for(type_name: str, labels: dict[str, tuple[str, ...]]) -> tuple[str, ...] | None:
    base = type_name
    while base.endswith("[]"):
        base = base[:-2]
    return labels.get(base)


# Building ---------------------------------------------------------------------------------


def build_erd(database: Database, options: ErdOptions | None = None) -> Erd:
    """The diagram for ``database``: deterministic for a given model and options."""
    options = options or ErdOptions()
    chosen = [
        t
        for t in database.tables
        if (options.partitions or not t.is_partition) and (options.tables is None or t.key in options.tables)
    ]
    keys = {t.key for t in chosen}
    referenced = {fk.referenced for t in database.tables for fk in t.foreign_keys if t.key != fk.referenced}
    labels = enum_labels(database)

    links: dict[TableKey, Table] = {}
    if options.collapse_links:
        for table in chosen:
            parents = [fk.referenced for fk in table.foreign_keys]
            if is_link_table(table, referenced) and all(p in keys for p in parents):
                links[table.key] = table

    tables = tuple(
        _erd_table(t, options, labels, t.key in links or is_link_table(t, referenced))
        for t in chosen
        if t.key not in links
    )
    relationships: list[Relationship] = []
    for table in chosen:
        if table.key in links:
            continue
        for fk in table.foreign_keys:
            if fk.referenced in keys and fk.referenced not in links:
                relationships.append(_relationship(table, fk))
    for key, table in sorted(links.items()):
        # Parents in a fixed order (not by FK name, which a sketch round trip renames).
        first, second = sorted(table.foreign_keys, key=lambda fk: (fk.referenced, fk.columns))
        relationships.append(
            Relationship(
                child=first.referenced,
                parent=second.referenced,
                child_end="zero_or_many",
                parent_end="zero_or_many",
                label=table.name,
                columns=first.referenced_columns,
                referenced_columns=second.referenced_columns,
                via=key,
            )
        )
    relationships.sort(key=lambda r: (r.child, r.label, r.parent))
    enums = {e.key: e.labels for e in database.enums}
    return Erd(options=options, tables=tables, relationships=tuple(relationships), enums=enums)


def _erd_table(table: Table, options: ErdOptions, labels: dict[str, tuple[str, ...]], link: bool) -> ErdTable:
    markers = column_markers(table)
    columns = []
    for column in table.columns:
        marks = markers[column.name]
        if options.columns == "none" or (options.columns == "keys" and not marks):
            continue
        columns.append(ErdColumn(column, marks, _enum_for(column.type, labels)))
    return ErdTable(table=table, columns=tuple(columns), is_link=link)


def _relationship(table: Table, fk: ForeignKey) -> Relationship:
    pk = set(table.primary_key.columns) if table.primary_key else set()
    return Relationship(
        child=table.key,
        parent=fk.referenced,
        child_end="zero_or_one" if is_one_to_one(table, fk) else "zero_or_many",
        parent_end="exactly_one" if is_mandatory(table, fk) else "zero_or_one",
        label=fk.name,
        columns=fk.columns,
        referenced_columns=fk.referenced_columns,
        identifying=bool(pk) and set(fk.columns) <= pk,
        foreign_key=fk,
    )
