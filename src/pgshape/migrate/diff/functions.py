"""Functions, procedures and aggregates, by signature. A changed body with the same kind and
return type is CREATE OR REPLACE (callers keep working); anything else is dropped and created."""

from __future__ import annotations

from collections.abc import Iterator

from pgshape.migrate.diff._match import match, same_except
from pgshape.migrate.diff.context import Context
from pgshape.migrate.ops import CreateFunction, DropFunction, Operation, ReplaceFunction


def diff(ctx: Context) -> Iterator[Operation]:
    for a, b in match(ctx.before.functions, ctx.after.functions, lambda f: f.key):
        if b is None and a is not None:
            yield DropFunction(a)
        elif a is None and b is not None:
            yield CreateFunction(b)
        elif a is not None and b is not None and not same_except(a, b, "comment"):
            replaceable = a.kind == b.kind and a.returns == b.returns and a.kind in ("function", "procedure")
            if replaceable:
                yield ReplaceFunction(a, b)
            else:
                yield DropFunction(a)
                yield CreateFunction(b)
