"""Domains. Default, NOT NULL and checks are altered in place; a new base type or collation
means dropping and creating the domain (refused while columns use it)."""

from __future__ import annotations

from collections.abc import Iterator

from pgshape.migrate.diff._match import match, same_except
from pgshape.migrate.diff.context import Context
from pgshape.migrate.ops import AlterDomain, CreateType, DropType, Operation


def diff(ctx: Context) -> Iterator[Operation]:
    for before, after in match(ctx.before.domains, ctx.after.domains, lambda d: d.key):
        if after is None and before is not None:
            yield DropType(before)
        elif before is None and after is not None:
            yield CreateType(after)
        elif before is not None and after is not None and not same_except(before, after, "comment"):
            if (before.base_type, before.collation) != (after.base_type, after.collation):
                yield DropType(before)
                yield CreateType(after)
            else:
                yield AlterDomain(before, after)
