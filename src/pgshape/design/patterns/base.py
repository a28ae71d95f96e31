"""What every pattern shares: a mutable draft of the model, table lookup, names and key columns.

Patterns edit a :class:`Draft` (a working copy of the frozen model's collections) and the
draft builds the new :class:`~pgshape.model.Database` at the end, so a pattern reads like a list
of additions instead of a cascade of ``dataclasses.replace`` calls.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from pgshape.design.errors import DesignError
from pgshape.design.settings import NameKind, ProjectSettings
from pgshape.model import Column, Database, Extension, Function, Identity, Index, IndexKey, Table

TableKey = tuple[str, str]


class PatternError(DesignError):
    """A pattern refusing the design; located at the pattern's key of the design file."""

    def __init__(self, pattern: str, message: str) -> None:
        super().__init__(f"patterns.{pattern}: {message}", ("patterns", pattern))


# Columns a link table may carry besides its key without becoming an entity of its own.
_LINK_TABLE_EXTRA_COLUMNS = frozenset({"created_at"})


@dataclass
class Draft:
    """A working copy of a model that patterns add to; :meth:`build` freezes it again."""

    db: Database
    settings: ProjectSettings
    tables: dict[TableKey, Table] = field(default_factory=dict)
    functions: dict[tuple[str, str, str], Function] = field(default_factory=dict)
    extensions: dict[str, Extension] = field(default_factory=dict)
    # Tables a pattern changed or created: the foreign-key index pass looks only at these.
    touched: set[TableKey] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.tables = {table.key: table for table in self.db.tables}
        self.functions = {function.key: function for function in self.db.functions}
        self.extensions = {extension.name: extension for extension in self.db.extensions}

    # Tables ------------------------------------------------------------------------------

    @property
    def schema(self) -> str:
        return self.settings.schema_name

    def table(self, key: TableKey) -> Table:
        return self.tables[key]

    def put(self, table: Table) -> None:
        self.tables[table.key] = table
        self.touched.add(table.key)

    def resolve(self, pattern: str, names: Iterable[str]) -> list[TableKey]:
        """Table names of a pattern's list → keys; an unknown name is an error with a hint."""
        keys: list[TableKey] = []
        for name in names:
            key = self.key_of(name)
            if key not in self.tables:
                raise PatternError(pattern, f"unknown table {name!r}{self._suggest(name)}")
            if key not in keys:
                keys.append(key)
        return keys

    def key_of(self, name: str) -> TableKey:
        """``table`` (in the project schema) or ``schema.table``; a table of the project schema
        whose own name has a dot wins."""
        if (self.schema, name) in self.tables:
            return (self.schema, name)
        schema, dot, bare = name.partition(".")
        return (schema, bare) if dot else (self.schema, name)

    def _suggest(self, name: str) -> str:
        known = sorted({t.name for t in self.tables.values()} | {f"{s}.{n}" for s, n in self.tables})
        close = difflib.get_close_matches(name, known, n=1)
        return f"; did you mean {close[0]!r}?" if close else f"; tables: {', '.join(known[:12])}"

    # Functions and extensions ------------------------------------------------------------

    def add_function(self, function: Function) -> None:
        self.functions.setdefault(function.key, function)

    def add_extension(self, name: str) -> Extension:
        return self.extensions.setdefault(name, Extension(name=name, schema=self.schema))

    # Names -------------------------------------------------------------------------------

    def name(self, kind: NameKind, table: str, columns: Sequence[str] = (), name: str | None = None) -> str:
        return self.settings.naming.render(kind, table, columns, name)

    def build(self) -> Database:
        return self.db.with_changes(
            tables=tuple(self.tables.values()),
            functions=tuple(self.functions.values()),
            extensions=tuple(self.extensions.values()),
        )


# Facts about tables ----------------------------------------------------------------------------


def is_link_table(table: Table) -> bool:
    """A many-to-many link: a composite key made of foreign key columns and nothing else
    (but a created_at)."""
    pk = table.primary_key
    if pk is None or len(pk.columns) < 2:
        return False
    referencing = {column for fk in table.foreign_keys for column in fk.columns}
    if not set(pk.columns) <= referencing:
        return False
    return set(table.column_names) - set(pk.columns) <= _LINK_TABLE_EXTRA_COLUMNS


def key_column(table: Table, pattern: str) -> Column:
    """The single primary key column other tables reference (an error when there is none)."""
    pk = table.primary_key
    if pk is None or len(pk.columns) != 1:
        raise PatternError(pattern, f"table {table.schema}.{table.name} needs a single-column primary key")
    column = table.column(pk.columns[0])
    assert column is not None  # a primary key names columns of its table
    return column


def new_key_column(settings: ProjectSettings) -> Column:
    """The ``id`` column of a table a pattern creates, following the project's key strategy."""
    if settings.primary_key == "uuid":
        return Column(name="id", type="uuid", nullable=False, default=settings.primary_key_default)
    # ``none`` means "the design declares its keys"; a pattern's own table still needs one.
    return Column(name="id", type="bigint", nullable=False, identity=Identity(always=True))


def timestamp_column(name: str, *, nullable: bool = False) -> Column:
    default = None if nullable else "now()"
    return Column(name=name, type="timestamp with time zone", nullable=nullable, default=default)


def with_column(
    table: Table, column: Column, *, after: str | None = None, before: str | None = None
) -> Table:
    """``table`` with ``column`` added (after/before a named column when it exists, else last)."""
    columns = list(table.columns)
    names = [c.name for c in columns]
    if after is not None and after in names:
        columns.insert(names.index(after) + 1, column)
    elif before is not None and before in names:
        columns.insert(names.index(before), column)
    else:
        columns.append(column)
    return replace(table, columns=tuple(columns))


def leading_columns_covered(table: Table, columns: Sequence[str]) -> bool:
    """Whether a key or a full (non-partial) btree index starts with ``columns`` in order —
    the index a foreign key's ON DELETE / ON UPDATE checks use."""
    wanted = tuple(columns)
    candidates: list[tuple[str | None, ...]] = []
    if table.primary_key is not None:
        candidates.append(table.primary_key.columns)
    candidates += [unique.columns for unique in table.unique_constraints]
    candidates += [
        index.columns for index in table.indexes if index.predicate is None and index.method == "btree"
    ]
    return any(tuple(candidate[: len(wanted)]) == wanted for candidate in candidates)


def plain_index(name: str, columns: Sequence[str], *, method: str = "btree") -> Index:
    return Index(name=name, keys=tuple(IndexKey(column=column) for column in columns), method=method)
