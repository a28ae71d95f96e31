"""Soft delete (SD): tables that mark rows deleted (``deleted_at``) instead of deleting them.

Live rows are what nearly every query reads, so indexes should cover only them, and
uniqueness must ignore deleted rows or a deleted row blocks re-creating the same one.
"""

from __future__ import annotations

from collections.abc import Iterator

from pgshape.lint.core import Finding, Fix, LintContext, Rule, RuleDoc, Severity, rule
from pgshape.lint.helpers import object_path, user_tables
from pgshape.lint.rules._shapes import (
    derived_name,
    foreign_key_columns,
    mentions_live_rows,
    soft_delete_column,
)
from pgshape.model import Index, Table
from pgshape.render.identifiers import qualified, quote_ident, quote_idents
from pgshape.render.sql_tables import index_key

_HEADER = """\
from datetime import datetime

from sqlalchemy import DateTime, Index, text
from sqlmodel import Field, SQLModel

"""
_POST_FIELDS = """\
    id: int | None = Field(default=None, primary_key=True)
    title: str
    slug: str
    deleted_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
"""
_POST_SQL = """\
CREATE TABLE post (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title text NOT NULL,
    slug text NOT NULL,
    deleted_at timestamp with time zone
);
"""


def _live_predicate(column: str) -> str:
    return f"{quote_ident(column)} IS NULL"


def _touches(index_columns: tuple[str | None, ...], column: str) -> bool:
    return column in index_columns


def _serves_foreign_key(table: Table, index: Index) -> bool:
    """FK checks from the referenced side see deleted rows too, so FK indexes stay full."""
    fk_columns = [fk.columns for fk in table.foreign_keys]
    return any(index.columns[: len(cols)] == cols for cols in fk_columns)


# --- SD001 ---------------------------------------------------------------------------------------


@rule(
    code="SD001",
    name="soft-delete-without-partial-index",
    severity=Severity.WARNING,
    summary="`deleted_at` table whose hot indexes are not partial `WHERE deleted_at IS NULL`",
    doc=RuleDoc(
        what=(
            "On tables with a `deleted_at` column, finds secondary indexes that cover every row rather "
            "than only live ones (`WHERE deleted_at IS NULL`). Indexes that serve a foreign key stay "
            "full on purpose (FK checks see deleted rows too) and are not reported."
        ),
        why=(
            "Queries read live rows (`WHERE deleted_at IS NULL`); a full index also carries every "
            "deleted row, grows without bound, and the planner must filter deleted rows after the "
            "index scan."
        ),
        example_sqlmodel=_HEADER
        + """
class Post(SQLModel, table=True):
    __table_args__ = (Index("post_title_idx", "title"),)

"""
        + _POST_FIELDS,
        example_sql=_POST_SQL + "CREATE INDEX post_title_idx ON post (title);\n",
        use_instead_sqlmodel=_HEADER
        + """
class Post(SQLModel, table=True):
    __table_args__ = (
        Index("post_title_idx", "title", postgresql_where=text("deleted_at IS NULL")),
    )

"""
        + _POST_FIELDS,
        use_instead_sql=_POST_SQL + "CREATE INDEX post_title_idx ON post (title) WHERE deleted_at IS NULL;\n",
        fix=(
            "SQL (safe): `CREATE INDEX CONCURRENTLY … WHERE deleted_at IS NULL` next to the full index; "
            "drop the full one (`DROP INDEX CONCURRENTLY`) once no query needs deleted rows."
        ),
    ),
)
def soft_delete_without_partial_index(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in user_tables(context.database):
        marker = soft_delete_column(table)
        if marker is None:
            continue
        partial_shapes = {i.keys for i in table.indexes if mentions_live_rows(i.predicate, marker.name)}
        for index in table.indexes:
            if index.unique or index.predicate is not None or _touches(index.columns, marker.name):
                continue
            if _serves_foreign_key(table, index) or index.keys in partial_shapes:
                continue
            keys = ", ".join(index_key(k) for k in index.keys)
            name = derived_name(index.name, "_live")
            sql = (
                f"CREATE INDEX CONCURRENTLY {quote_ident(name)} ON {qualified(*table.key)} "
                f"USING {index.method} ({keys}) WHERE {_live_predicate(marker.name)};"
            )
            yield context.finding(
                self,
                object_path(table, index.name),
                f"index {index.name} on soft-delete table {table.name} also covers deleted rows; "
                f"make it partial WHERE {marker.name} IS NULL",
                origin=index.origin or table.origin,
                fixes=(
                    Fix(
                        description=f"add a partial index {name} (then drop {index.name})", safe=True, sql=sql
                    ),
                ),
            )


# --- SD002 ---------------------------------------------------------------------------------------


def _generated_key(table: Table, columns: tuple[str, ...]) -> bool:
    """A unique surrogate (uuid/public id filled by a default) is never re-created by hand."""
    found = [table.column(c) for c in columns]
    return all(c is not None and (c.identity is not None or c.default is not None) for c in found)


@rule(
    code="SD002",
    name="soft-delete-unique-not-partial",
    severity=Severity.ERROR,
    summary="UNIQUE on a soft-delete table that is not partial: a deleted row blocks re-creation",
    doc=RuleDoc(
        what=(
            "On tables with a `deleted_at` column, finds UNIQUE constraints and unique indexes that also "
            "count deleted rows. Keys filled by a default (identity, uuid) are left alone."
        ),
        why=(
            "After a user deletes `slug = 'hello'`, creating a new `'hello'` fails with a duplicate key "
            "error, because the deleted row still holds the value."
        ),
        example_sqlmodel=_HEADER
        + """
class Post(SQLModel, table=True):
    __table_args__ = (Index("post_slug_key", "slug", unique=True),)

"""
        + _POST_FIELDS,
        example_sql=_POST_SQL.replace("\n);", ",\n    CONSTRAINT post_slug_key UNIQUE (slug)\n);"),
        use_instead_sqlmodel=_HEADER
        + """
class Post(SQLModel, table=True):
    __table_args__ = (
        Index("post_slug_key", "slug", unique=True, postgresql_where=text("deleted_at IS NULL")),
    )

"""
        + _POST_FIELDS,
        use_instead_sql=_POST_SQL
        + "CREATE UNIQUE INDEX post_slug_key ON post (slug) WHERE deleted_at IS NULL;\n",
        fix=(
            "SQL (unsafe): build `CREATE UNIQUE INDEX CONCURRENTLY … WHERE deleted_at IS NULL`, then drop "
            "the old constraint/index; between the two steps both apply, and afterwards deleted rows may "
            "share values with live ones."
        ),
    ),
)
def soft_delete_unique_not_partial(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in user_tables(context.database):
        marker = soft_delete_column(table)
        if marker is None:
            continue
        pk = table.primary_key.columns if table.primary_key else ()
        candidates: list[tuple[str, tuple[str, ...], str]] = [
            (u.name, u.columns, f"ALTER TABLE {qualified(*table.key)} DROP CONSTRAINT {quote_ident(u.name)};")
            for u in table.unique_constraints
        ]
        candidates += [
            (
                i.name,
                tuple(c for c in i.columns if c),
                f"DROP INDEX CONCURRENTLY {qualified(table.schema, i.name)};",
            )
            for i in table.indexes
            if i.unique and i.predicate is None and all(c is not None for c in i.columns)
        ]
        for name, columns, drop in candidates:
            if columns == pk or marker.name in columns or _generated_key(table, columns):
                continue
            if set(columns) <= foreign_key_columns(table) and len(columns) == 1:
                continue  # a one-to-one link: the referenced row decides, not the user
            new_name = derived_name(name, "_live")
            sql = (
                f"CREATE UNIQUE INDEX CONCURRENTLY {quote_ident(new_name)} ON {qualified(*table.key)} "
                f"({quote_idents(columns)}) WHERE {_live_predicate(marker.name)};\n{drop}"
            )
            yield context.finding(
                self,
                object_path(table, name),
                f"{name} on soft-delete table {table.name} counts deleted rows: a deleted "
                f"({', '.join(columns)}) blocks creating it again",
                origin=table.origin,
                fixes=(
                    Fix(description=f"make {name} partial WHERE {marker.name} IS NULL", safe=False, sql=sql),
                ),
            )


# --- SD003 ---------------------------------------------------------------------------------------


@rule(
    code="SD003",
    name="soft-delete-plain-deleted-at-index",
    severity=Severity.INFO,
    summary="a full index on `deleted_at` itself (rarely useful)",
    doc=RuleDoc(
        what="Finds a full (non-partial) index whose first key is the soft-delete column itself.",
        why=(
            "Most rows have `deleted_at IS NULL`, so the index is mostly one value and the planner "
            "rarely uses it for live rows; it costs a write on every insert and delete. Partial indexes "
            "on the columns queried (`WHERE deleted_at IS NULL`) serve live rows; a purge job can use a "
            "partial index `WHERE deleted_at IS NOT NULL`."
        ),
        example_sqlmodel=_HEADER
        + """
class Post(SQLModel, table=True):
    __table_args__ = (Index("post_deleted_at_idx", "deleted_at"),)

"""
        + _POST_FIELDS,
        example_sql=_POST_SQL + "CREATE INDEX post_deleted_at_idx ON post (deleted_at);\n",
        use_instead_sqlmodel=_HEADER
        + """
class Post(SQLModel, table=True):
    __table_args__ = (
        Index("post_deleted_at_idx", "deleted_at", postgresql_where=text("deleted_at IS NOT NULL")),
    )

"""
        + _POST_FIELDS,
        use_instead_sql=_POST_SQL
        + "CREATE INDEX post_deleted_at_idx ON post (deleted_at) WHERE deleted_at IS NOT NULL;\n",
        fix="SQL (unsafe): `DROP INDEX CONCURRENTLY …` — check first that no purge query relies on it.",
    ),
)
def soft_delete_plain_deleted_at_index(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in user_tables(context.database):
        marker = soft_delete_column(table)
        if marker is None:
            continue
        for index in table.indexes:
            if index.predicate is not None or not index.keys or index.keys[0].column != marker.name:
                continue
            sql = f"DROP INDEX CONCURRENTLY {qualified(table.schema, index.name)};"
            yield context.finding(
                self,
                object_path(table, index.name),
                f"index {index.name} indexes {marker.name} on every row of {table.name}; it rarely helps",
                origin=index.origin or table.origin,
                fixes=(Fix(description=f"drop {index.name}", safe=False, sql=sql),),
            )
