"""Comments on every kind of object that exists on both sides.

Objects that are created carry their comment in the creating operation; objects that are
dropped take theirs with them. A comment op for an object that does not exist on one side is
still emitted (so the reverse restores it) and the planner drops it where DROP makes it moot.
"""

from __future__ import annotations

from collections.abc import Iterator

from pgshape.migrate.diff.context import Context
from pgshape.migrate.ops import Operation, SetComment
from pgshape.model import Database
from pgshape.render import sql_comments


def comment_targets(db: Database) -> dict[str, str | None]:
    """Every commentable object of ``db`` (its COMMENT ON target) and its comment."""
    return dict(sql_comments._all(db))


def diff(ctx: Context) -> Iterator[Operation]:
    before, after = comment_targets(ctx.before), comment_targets(ctx.after)
    for target in sorted(before.keys() & after.keys()):
        if before[target] != after[target]:
            yield SetComment(target, before[target], after[target])
