"""Triggers on tables (INSTEAD OF triggers on views go with their view), by name."""

from __future__ import annotations

from collections.abc import Iterator

from pgshape.migrate.diff._match import match, same_except
from pgshape.migrate.diff.context import Context
from pgshape.migrate.ops import AlterTriggerState, CreateTrigger, DropTrigger, Operation
from pgshape.model import Trigger


def diff_triggers(
    key: tuple[str, str], before: tuple[Trigger, ...], after: tuple[Trigger, ...]
) -> Iterator[Operation]:
    for a, b in match(before, after, lambda t: t.name):
        if b is None and a is not None:
            yield DropTrigger(key, a)
        elif a is None and b is not None:
            yield CreateTrigger(key, b)
        elif a is not None and b is not None and not same_except(a, b, "comment"):
            if same_except(a, b, "comment", "enabled"):
                yield AlterTriggerState(key, a, b)
            else:
                yield DropTrigger(key, a)
                yield CreateTrigger(key, b)


def diff(ctx: Context) -> Iterator[Operation]:
    for before, after in ctx.common_tables:
        yield from diff_triggers(after.key, before.triggers, after.triggers)
