"""Row-level security policies, by name; a changed policy is dropped and created again (in one
transaction, so no moment without it is visible)."""

from __future__ import annotations

from collections.abc import Iterator

from pgshape.migrate.diff._match import match, same_except
from pgshape.migrate.diff.context import Context
from pgshape.migrate.ops import CreatePolicy, DropPolicy, Operation


def diff(ctx: Context) -> Iterator[Operation]:
    for before, after in ctx.common_tables:
        for a, b in match(before.policies, after.policies, lambda p: p.name):
            if b is None and a is not None:
                yield DropPolicy(before.key, a)
            elif a is None and b is not None:
                yield CreatePolicy(after.key, b)
            elif a is not None and b is not None and not same_except(a, b, "comment"):
                yield DropPolicy(before.key, a)
                yield CreatePolicy(after.key, b)
