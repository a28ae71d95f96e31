"""Composite types: attributes added, dropped or retyped in place (ALTER TYPE ... ATTRIBUTE)."""

from __future__ import annotations

from collections.abc import Iterator

from pgshape.migrate.diff._match import match, same_except
from pgshape.migrate.diff.context import Context
from pgshape.migrate.ops import AlterCompositeType, CreateType, DropType, Operation


def diff(ctx: Context) -> Iterator[Operation]:
    for before, after in match(ctx.before.composite_types, ctx.after.composite_types, lambda c: c.key):
        if after is None and before is not None:
            yield DropType(before)
        elif before is None and after is not None:
            yield CreateType(after)
        elif before is not None and after is not None and not same_except(before, after, "comment"):
            yield AlterCompositeType(before, after)
