"""Extensions, by name. A changed schema is dropped and created again (rare, and destructive)."""

from __future__ import annotations

from collections.abc import Iterator

from pgshape.migrate.diff._match import match
from pgshape.migrate.diff.context import Context
from pgshape.migrate.ops import CreateExtension, DropExtension, Operation


def diff(ctx: Context) -> Iterator[Operation]:
    for before, after in match(ctx.before.extensions, ctx.after.extensions, lambda e: e.name):
        if before is not None and (after is None or after.schema != before.schema):
            yield DropExtension(before)
        if after is not None and (before is None or after.schema != before.schema):
            yield CreateExtension(after)
