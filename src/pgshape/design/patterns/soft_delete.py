"""``soft_delete``: rows are marked deleted (``deleted_at``) instead of removed.

Every unique constraint of such a table becomes a partial unique index
``WHERE deleted_at IS NULL`` — otherwise a deleted row would block creating its value again —
and every other index becomes partial too, because queries on live rows never read the dead
ones. Indexes that serve a foreign key stay full: ON DELETE / ON UPDATE checks must find the
deleted rows as well.
"""

from __future__ import annotations

from dataclasses import replace

from pgshape.design.patterns.base import Draft, PatternError, TableKey, timestamp_column, with_column
from pgshape.design.patterns.spec import SoftDeleteOptions
from pgshape.model import Index, IndexKey, Table, UniqueConstraint


def choice(value: list[str] | SoftDeleteOptions | None) -> tuple[list[str], str] | None:
    if value is None:
        return None
    if isinstance(value, list):
        return value, "deleted_at"
    return value.tables, value.column


def apply(draft: Draft, tables: list[str], column: str) -> None:
    for key in draft.resolve("soft_delete", tables):
        draft.put(soft_delete_table(draft, key, column))


def soft_delete_table(draft: Draft, key: TableKey, column: str) -> Table:
    table = draft.table(key)
    existing = table.column(column)
    if existing is None:
        table = with_column(table, timestamp_column(column, nullable=True))
    elif existing.type != "timestamp with time zone" or not existing.nullable:
        raise PatternError("soft_delete", f"{key[0]}.{key[1]}.{column} must be a nullable timestamptz")
    live = f"{column} IS NULL"
    referenced = _referenced_column_sets(draft, key)
    indexes = [_partial(index, live, table, column) for index in table.indexes]
    for unique in table.unique_constraints:
        if unique.columns in referenced:
            raise PatternError(
                "soft_delete",
                f"unique {unique.name} on {key[0]}.{key[1]} is referenced by a "
                "foreign key, and a partial unique index cannot back a foreign key",
            )
        indexes.append(_unique_index(unique, live, key))
    return replace(table, unique_constraints=(), indexes=tuple(indexes))


def _referenced_column_sets(draft: Draft, key: TableKey) -> set[tuple[str, ...]]:
    return {
        fk.referenced_columns
        for table in draft.tables.values()
        for fk in table.foreign_keys
        if fk.referenced == key
    }


def _unique_index(unique: UniqueConstraint, live: str, key: TableKey) -> Index:
    if unique.deferrable is not None:
        raise PatternError(
            "soft_delete",
            f"unique {unique.name} on {key[0]}.{key[1]} is DEFERRABLE; a partial unique index cannot be",
        )
    # The index keeps the constraint's name: both live in the schema's relation namespace.
    return Index(
        name=unique.name,
        keys=tuple(IndexKey(column=column) for column in unique.columns),
        unique=True,
        include=unique.include,
        nulls_not_distinct=unique.nulls_not_distinct,
        predicate=live,
        comment=unique.comment,
        origin=unique.origin,
    )


def _serves_foreign_key(index: Index, table: Table) -> bool:
    leading = index.columns
    return any(tuple(leading[: len(fk.columns)]) == fk.columns for fk in table.foreign_keys)


def _partial(index: Index, live: str, table: Table, column: str) -> Index:
    if index.columns == (column,) or (not index.unique and _serves_foreign_key(index, table)):
        return index
    if index.predicate is None:
        return replace(index, predicate=live)
    if live in index.predicate:
        return index
    return replace(index, predicate=f"({index.predicate}) AND {live}")
