"""Small shared readings of the IR that several rule groups need (paths, shapes, types).

Pure functions over the model; no I/O. Rule modules of every group may import them.
"""

from __future__ import annotations

import functools
import re

from pgshape.model import Column, Database, Index, Table

# --- object paths (what findings name and suppressions match) ------------------------------


def table_path(table: Table) -> str:
    return f"{table.schema}.{table.name}"


def column_path(table: Table, column: str) -> str:
    return f"{table.schema}.{table.name}.{column}"


def object_path(table: Table, name: str) -> str:
    """An index or constraint of ``table``."""
    return f"{table.schema}.{table.name}.{name}"


# --- types -----------------------------------------------------------------------------------

_MODIFIERS = re.compile(r"\(.*?\)")


@functools.lru_cache(maxsize=4096)
def base_type(type_: str) -> str:
    """``character varying(255)`` → ``character varying``; arrays keep their ``[]``."""
    return _MODIFIERS.sub("", type_).replace("  ", " ").strip()


INTEGER_TYPES = frozenset({"smallint", "integer", "bigint"})
TIMESTAMP_TYPES = frozenset({"timestamp without time zone", "timestamp with time zone"})
TEXT_TYPES = frozenset({"text", "character varying", "character", "citext", "public.citext"})


def is_boolean(column: Column) -> bool:
    return column.type == "boolean"


def is_timestamp(column: Column) -> bool:
    return base_type(column.type) in TIMESTAMP_TYPES


def is_texty(column: Column) -> bool:
    return base_type(column.type) in TEXT_TYPES


def sequence_default(column: Column) -> bool:
    """A ``serial``-style default: ``nextval('…'::regclass)``."""
    return column.default is not None and column.default.startswith("nextval(")


# --- table shapes ------------------------------------------------------------------------------


def is_link_table(table: Table) -> bool:
    """A many-to-many link: at least two FKs, and every column is part of an FK or the key
    (apart from bookkeeping columns such as created_at / position)."""
    if len(table.foreign_keys) < 2:
        return False
    fk_columns = {c for fk in table.foreign_keys for c in fk.columns}
    pk_columns = set(table.primary_key.columns) if table.primary_key else set()
    other = [c for c in table.column_names if c not in fk_columns]
    bookkeeping = {"id", "created_at", "updated_at", "position", "sort_order", "ordinal", "rank"}
    return all(c in bookkeeping or (c in pk_columns and c not in {"id"}) for c in other) or not other


def user_tables(database: Database) -> tuple[Table, ...]:
    """Tables a reviewer owns: partitions are judged through their parent.

    Every rule asks, so the answer is kept on the (immutable) model object itself.
    """
    cached = database.__dict__.get("_lint_user_tables")
    if cached is None:
        cached = tuple(table for table in database.tables if table.partition_of is None)
        database.__dict__["_lint_user_tables"] = cached
    return cached  # type: ignore[no-any-return]


def index_column_lists(table: Table) -> list[tuple[str, tuple[str | None, ...], str | None]]:
    """Every btree-usable key list of the table: (name, columns, predicate), including the
    indexes behind the primary key and the unique constraints (those are not in ``indexes``)."""
    found: list[tuple[str, tuple[str | None, ...], str | None]] = []
    if table.primary_key is not None:
        found.append((table.primary_key.name, table.primary_key.columns, None))
    for unique in table.unique_constraints:
        found.append((unique.name, unique.columns, None))
    for index in table.indexes:
        found.append((index.name, index.columns, index.predicate))
    return found


def plain_column_index(index: Index) -> bool:
    """An index on plain columns only (no expressions)."""
    return all(key.column is not None for key in index.keys)
