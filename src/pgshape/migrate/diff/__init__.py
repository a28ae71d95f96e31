"""Compare two models into operations, one comparator per object kind.

``diff(before, after)`` runs every comparator of ``COMPARATORS`` on the same :class:`Context`
and returns the operations in comparator order (the planner orders them for execution) with
the notes the comparators left (column order, changes PostgreSQL cannot make in place).
Comparators only yield operations; they never render or execute anything.

Identity is by (schema, name) — columns and constraints by name within their table, functions
by signature — never by equality: a changed object is altered, or dropped and re-created, never
guessed to be a renamed one. Renames come only from hints (``migrate.rename``), applied to
``before`` first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from pgshape.migrate.diff import (
    columns,
    comments,
    composites,
    constraints,
    domains,
    enums,
    extensions,
    functions,
    indexes,
    matviews,
    partitions,
    policies,
    schemas,
    sequences,
    tables,
    triggers,
    views,
)
from pgshape.migrate.diff.context import Context
from pgshape.migrate.ops import Operation
from pgshape.model import Database

Comparator = Callable[[Context], Iterable[Operation]]

COMPARATORS: tuple[Comparator, ...] = (
    schemas.diff,
    extensions.diff,
    enums.diff,
    domains.diff,
    composites.diff,
    sequences.diff,
    functions.diff,
    tables.diff,
    partitions.diff,
    columns.diff,
    constraints.diff,
    indexes.diff,
    constraints.diff_foreign_keys,
    triggers.diff,
    policies.diff,
    views.diff,
    matviews.diff,
    comments.diff,
)


@dataclass(frozen=True)
class Diff:
    operations: tuple[Operation, ...]
    notes: tuple[str, ...] = ()


def diff(before: Database, after: Database) -> Diff:
    """The operations that turn ``before`` into ``after`` (both with canonical expressions)."""
    ctx = Context(before, after)
    operations = [op for comparator in COMPARATORS for op in comparator(ctx)]
    return Diff(tuple(operations), tuple(ctx.notes))


__all__ = ["COMPARATORS", "Context", "Diff", "diff"]
