"""Standalone sequences (identity sequences belong to their column). Ownership (``OWNED BY``)
is set by a separate AlterSequence once the owning column exists."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from pgshape.migrate.diff._match import match, same_except
from pgshape.migrate.diff.context import Context
from pgshape.migrate.ops import AlterSequence, CreateSequence, DropSequence, Operation


def diff(ctx: Context) -> Iterator[Operation]:
    for before, after in match(ctx.before.sequences, ctx.after.sequences, lambda s: s.key):
        if after is None and before is not None:
            if before.owned_by is not None:
                yield AlterSequence(before, replace(before, owned_by=None))
            yield DropSequence(replace(before, owned_by=None))
        elif before is None and after is not None:
            yield CreateSequence(replace(after, owned_by=None))
            if after.owned_by is not None:
                yield AlterSequence(replace(after, owned_by=None), after)
        elif before is not None and after is not None and not same_except(before, after, "comment"):
            yield AlterSequence(before, after)
