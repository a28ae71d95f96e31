"""Enum types. New labels become ``ADD VALUE`` (no rewrite, no lock); removed or reordered
labels need the type recreated under its columns."""

from __future__ import annotations

from collections.abc import Iterator

from pgshape.migrate.diff._match import match
from pgshape.migrate.diff.context import Context
from pgshape.migrate.ops import (
    AddEnumValue,
    CreateType,
    DropType,
    EnumUsage,
    Operation,
    RecreateEnum,
)
from pgshape.model import Database, EnumType
from pgshape.render.identifiers import qualified


def usages(db: Database, enum: EnumType) -> tuple[EnumUsage, ...]:
    """Every table column of type ``enum`` or ``enum[]`` (own columns only: a partition's
    column follows its parent's)."""
    name = qualified(*enum.key)
    found = []
    for table in db.tables:
        for column in table.columns:
            if column.inherited:
                continue
            if column.type in (name, f"{name}[]"):
                found.append(EnumUsage(table.key, column.name, column.type.endswith("]"), column.default))
    return tuple(found)


def _is_extension(before: tuple[str, ...], after: tuple[str, ...]) -> bool:
    """``after`` keeps every label of ``before`` in the same relative order."""
    kept = [label for label in after if label in before]
    return kept == list(before)


def diff(ctx: Context) -> Iterator[Operation]:
    for before, after in match(ctx.before.enums, ctx.after.enums, lambda e: e.key):
        if after is None and before is not None:
            yield DropType(before)
        elif before is None and after is not None:
            yield CreateType(after)
        elif before is not None and after is not None and before.labels != after.labels:
            old_users, new_users = usages(ctx.before, before), usages(ctx.after, after)
            if _is_extension(before.labels, after.labels):
                current = before
                for label in after.labels:
                    if label in current.labels:
                        continue
                    # Each step's enum has the labels added so far, in their final order.
                    labels = tuple(x for x in after.labels if x in current.labels or x == label)
                    step = EnumType(after.schema, after.name, labels, before.comment)
                    yield AddEnumValue(current, step, label, new_users, old_users)
                    current = step
            else:
                yield RecreateEnum(before, after, old_users, new_users)
