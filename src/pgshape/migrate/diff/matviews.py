"""Materialized views: like views, plus their indexes. A created one is populated (it runs its
query once); a changed one is dropped and built again."""

from __future__ import annotations

from collections.abc import Iterator

from pgshape.migrate.diff.context import Context
from pgshape.migrate.diff.views import diff_kind
from pgshape.migrate.ops import Operation


def diff(ctx: Context) -> Iterator[Operation]:
    yield from diff_kind(ctx, materialized=True)
