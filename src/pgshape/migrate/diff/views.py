"""Plain views. A changed view is dropped and created again, together with what hangs off it
(INSTEAD OF triggers); views that read a changed view are the planner's (``plan``)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from pgshape.migrate.diff._match import match
from pgshape.migrate.diff.context import Context
from pgshape.migrate.diff.indexes import diff_indexes
from pgshape.migrate.diff.triggers import diff_triggers
from pgshape.migrate.ops import CreateIndex, CreateTrigger, CreateView, Operation
from pgshape.model import View


def build(view: View) -> list[Operation]:
    """The operations that create ``view`` from nothing (with its indexes and triggers)."""
    ops: list[Operation] = [CreateView(view)]
    ops += [CreateIndex(view.key, index) for index in view.indexes]
    ops += [CreateTrigger(view.key, trigger) for trigger in view.triggers]
    return ops


def unbuild(view: View) -> list[Operation]:
    return [op.reverse() for op in reversed(build(view))]


def _body(view: View) -> View:
    """What a CREATE VIEW itself defines (comments, indexes and triggers are separate)."""
    columns = tuple(replace(c, comment=None) for c in view.columns)
    return replace(view, comment=None, columns=columns, indexes=(), triggers=(), origin=None)


def diff_kind(ctx: Context, materialized: bool) -> Iterator[Operation]:
    before = [v for v in ctx.before.views if v.materialized == materialized]
    after = [v for v in ctx.after.views if v.materialized == materialized]
    for a, b in match(before, after, lambda v: v.key):
        if b is None and a is not None:
            yield from unbuild(a)
        elif a is None and b is not None:
            yield from build(b)
        elif a is not None and b is not None and a != b:
            if _body(a) != _body(b):
                yield from unbuild(a)
                yield from build(b)
            else:
                yield from diff_indexes(b.key, a.indexes, b.indexes)
                yield from diff_triggers(b.key, a.triggers, b.triggers)


def diff(ctx: Context) -> Iterator[Operation]:
    yield from diff_kind(ctx, materialized=False)
