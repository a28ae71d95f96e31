"""Indexes of tables (materialized views' indexes are the ``matviews`` comparator's), by name.
A changed index is dropped and built again; the planner makes both concurrent."""

from __future__ import annotations

from collections.abc import Iterator

from pgshape.migrate.diff._match import match, renamed_pairs, same_except
from pgshape.migrate.diff.context import Context
from pgshape.migrate.ops import CreateIndex, DropIndex, Operation, RenameIndex
from pgshape.model import Index


def diff_indexes(
    key: tuple[str, str], before: tuple[Index, ...], after: tuple[Index, ...]
) -> Iterator[Operation]:
    pairs = list(match(before, after, lambda i: i.name))
    removed = [a for a, b in pairs if b is None and a is not None]
    added = [b for a, b in pairs if a is None and b is not None]
    renamed = renamed_pairs(removed, added, "comment")
    for old, new in renamed:
        yield RenameIndex(key, old.name, new.name)
    gone = {id(x) for pair in renamed for x in pair}
    for a, b in pairs:
        if id(a) in gone or id(b) in gone:
            continue
        if b is None and a is not None:
            yield DropIndex(key, a)
        elif a is None and b is not None:
            yield CreateIndex(key, b)
        elif a is not None and b is not None and not same_except(a, b, "comment"):
            yield DropIndex(key, a)
            yield CreateIndex(key, b)


def diff(ctx: Context) -> Iterator[Operation]:
    for before, after in ctx.common_tables:
        yield from diff_indexes(after.key, before.indexes, after.indexes)
