"""Tables created or dropped (with everything on them), and table-level properties: storage
options, LOGGED/UNLOGGED, row-level security.

A created table is one CreateTable (columns and inline keys and checks) followed by its
indexes, foreign keys, triggers and policies; a dropped table is the reverse of that list, so
that the down migration rebuilds it completely. (The planner leaves out the drops that DROP
TABLE makes unnecessary.)
"""

from __future__ import annotations

from collections.abc import Iterator

from pgshape.migrate.diff.context import Context
from pgshape.migrate.ops import (
    AddConstraint,
    AlterTable,
    CreateIndex,
    CreatePolicy,
    CreateTable,
    CreateTrigger,
    Operation,
)
from pgshape.model import Database, Table


def build(db: Database, table: Table, own: Table, parents: tuple[Table, ...]) -> list[Operation]:
    """The operations that create ``table`` from nothing."""
    ops: list[Operation] = [CreateTable(table, parents)]
    ops += [CreateIndex(table.key, index) for index in own.indexes]
    ops += [AddConstraint(table.key, fk) for fk in own.foreign_keys]
    ops += [CreateTrigger(table.key, trigger) for trigger in own.triggers]
    if table.rls_enabled or table.rls_forced:
        plain = Table(table.schema, table.name)
        ops.append(
            AlterTable(
                plain,
                Table(table.schema, table.name, rls_enabled=table.rls_enabled, rls_forced=table.rls_forced),
            )
        )
    ops += [CreatePolicy(table.key, policy) for policy in table.policies]
    return ops


def diff(ctx: Context) -> Iterator[Operation]:
    before_keys, after_keys = set(ctx.before.tables_by_key), set(ctx.after.tables_by_key)
    for table in ctx.before.tables:
        if table.key not in after_keys:
            own = ctx.own(ctx.before, table)
            ops = build(ctx.before, table, own, ctx.parents(ctx.before, table))
            yield from (op.reverse() for op in reversed(ops))
    for table in ctx.after.tables:
        if table.key not in before_keys:
            yield from build(ctx.after, table, ctx.own(ctx.after, table), ctx.parents(ctx.after, table))
    for before, after in ctx.common_tables:
        props = ("options", "unlogged", "rls_enabled", "rls_forced")
        if any(getattr(before, p) != getattr(after, p) for p in props):
            yield AlterTable(before, after)
        if before.partition_by != after.partition_by:
            ctx.note(
                f"table {before.schema}.{before.name}: partitioning changes from "
                f"{before.partition_by or 'none'} to {after.partition_by or 'none'}; PostgreSQL cannot "
                "change it in place (create a new table and move the rows) — not planned"
            )
        if before.inherits != after.inherits:
            ctx.note(f"table {before.schema}.{before.name}: INHERITS changes — not planned")
