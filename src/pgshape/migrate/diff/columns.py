"""Columns of tables on both sides: added, dropped, retyped, defaults, NOT NULL, identity.

A changed generation expression is a drop and an add (PostgreSQL 15 and 16 cannot alter it;
nothing is lost, the values are computed). Column order is never changed — PostgreSQL can only
append — and a difference in order alone is reported as a note.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from pgshape.migrate.diff._match import match
from pgshape.migrate.diff.context import Context
from pgshape.migrate.ops import (
    AddColumn,
    AlterColumnDefault,
    AlterColumnIdentity,
    AlterColumnNullable,
    AlterColumnType,
    DropColumn,
    Operation,
)
from pgshape.migrate.types import classify_type_change
from pgshape.model import Column, Table
from pgshape.render.identifiers import qualified


def _changed(table: Table, a: Column, b: Column) -> Iterator[Operation]:
    key = table.key
    if a.generated != b.generated:
        yield DropColumn(key, a)
        yield AddColumn(key, b)
        return
    retyped = (a.type, a.collation) != (b.type, b.collation)
    if retyped:
        change, using = classify_type_change(a, b)
        yield AlterColumnType(key, a, b, change, using)
    dropping_identity = a.identity is not None and b.identity is None
    if dropping_identity:
        yield AlterColumnIdentity(key, a, b)
    if a.default != b.default and not retyped:
        yield AlterColumnDefault(key, a.name, a.default, b.default)
    if a.identity is not None and b.identity is not None and a.identity != b.identity:
        yield AlterColumnIdentity(key, a, b)
    if a.identity is None and b.identity is not None:
        if a.nullable:
            # An identity column is NOT NULL. Setting it first, as its own step, lets the planner
            # prove it with a validated CHECK instead of a scan under ACCESS EXCLUSIVE.
            yield AlterColumnNullable(key, a.name, False)
            a = replace(a, nullable=False)
        yield AlterColumnIdentity(key, a, b)
    if a.nullable != b.nullable and b.identity is None and a.identity is None:
        yield AlterColumnNullable(key, a.name, b.nullable)


def _constrained_domain(ctx: Context, type_name: str) -> bool:
    """Whether ``type_name`` (canonical, schema-qualified for user types) is a domain whose
    constraints PostgreSQL must check on every existing row when a column of it is added."""
    for domain in ctx.after.domains:
        if type_name in (qualified(domain.schema, domain.name), domain.name):
            return bool(domain.checks) or not domain.nullable
    return False


def _order_note(ctx: Context, before: Table, after: Table) -> None:
    dropped = {c.name for c in before.columns} - {c.name for c in after.columns}
    kept = [c.name for c in before.columns if c.name not in dropped]
    added = [c.name for c in after.columns if c.name not in kept]
    result = kept + added
    wanted = [c.name for c in after.columns]
    if result != wanted:
        ctx.note(
            f"table {after.schema}.{after.name}: column order will be {', '.join(result)} "
            f"(wanted {', '.join(wanted)}); PostgreSQL appends new columns and pgshape never "
            "rebuilds a table to reorder them"
        )


def diff(ctx: Context) -> Iterator[Operation]:
    for own_before, own_after in ctx.common_tables:
        if own_before.partition_of is not None and own_after.partition_of is not None:
            continue  # a partition's columns are its parent's
        # All columns, inherited ones included: a table that is attached or detached keeps its
        # columns, only their ``inherited`` flag changes (and PostgreSQL sets that itself).
        before = ctx.before.tables_by_key[own_before.key]
        after = ctx.after.tables_by_key[own_after.key]
        for a, b in match(before.columns, after.columns, lambda c: c.name):
            if (a is None or a.inherited) and (b is None or b.inherited):
                continue  # comes and goes with the parent
            if b is None and a is not None:
                yield DropColumn(before.key, a)
            elif a is None and b is not None:
                if not b.nullable and b.default is None and b.identity is None and b.generated is None:
                    ctx.note(
                        f"column {after.schema}.{after.name}.{b.name} is NOT NULL without a default: "
                        "adding it fails if the table has rows (add it nullable, backfill, then SET NOT NULL)"
                    )
                yield AddColumn(after.key, b, constrained_domain=_constrained_domain(ctx, b.type))
            elif a is not None and b is not None:
                yield from _changed(after, a, b)  # ``inherited`` is PostgreSQL's to set
        _order_note(ctx, before, after)
