"""Comments on every kind of object that exists on both sides.

Objects that are created carry their comment in the creating operation; objects that are
dropped take theirs with them. A comment op for an object that does not exist on one side is
still emitted (so the reverse restores it) and the planner drops it where DROP makes it moot.
"""

from __future__ import annotations

from collections.abc import Iterator

from pgshape.migrate.diff.context import Context
from pgshape.migrate.ops import Operation, SetComment
from pgshape.model import Database, Table
from pgshape.render import sql_comments


def comment_targets(db: Database) -> dict[str, str | None]:
    """Every commentable object of ``db`` (its COMMENT ON target) and its comment."""
    return dict(sql_comments.comment_targets(db))


def _relevant(db: Database, tables: list[Table]) -> Database:
    """``db`` with only the given tables (the ones that changed): unchanged tables cannot have a
    changed comment, and listing every comment of thousands of tables is the slow part."""
    return Database(
        schemas=db.schemas,
        enums=db.enums,
        domains=db.domains,
        composite_types=db.composite_types,
        sequences=db.sequences,
        tables=tuple(tables),
        views=db.views,
        functions=db.functions,
    )


def diff(ctx: Context) -> Iterator[Operation]:
    changed = [
        (ctx.before.tables_by_key[a.key], ctx.after.tables_by_key[b.key]) for a, b in ctx.common_tables
    ]
    before = comment_targets(_relevant(ctx.before, [a for a, _ in changed]))
    after = comment_targets(_relevant(ctx.after, [b for _, b in changed]))
    for target in sorted(before.keys() & after.keys()):
        if before[target] != after[target]:
            yield SetComment(target, before[target], after[target])
