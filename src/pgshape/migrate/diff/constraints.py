"""Primary keys, unique, check, foreign key and exclusion constraints, by name.

A constraint that only became validated is validated (no drop); one that only lost its
validation is made NOT VALID again; any other change is a drop and an add. Comments are the
``comments`` comparator's.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from pgshape.migrate.diff._match import match, renamed_pairs, same_except
from pgshape.migrate.diff.context import Context
from pgshape.migrate.ops import (
    AddConstraint,
    Constraint,
    DropConstraint,
    InvalidateConstraint,
    Operation,
    RenameConstraint,
    ValidateConstraint,
)
from pgshape.model import CheckConstraint, ForeignKey, Table


def constraints(table: Table) -> list[Constraint]:
    found: list[Constraint] = [table.primary_key] if table.primary_key is not None else []
    found += [*table.unique_constraints, *table.check_constraints, *table.exclusion_constraints]
    return found


def _changed(key: tuple[str, str], a: Constraint, b: Constraint) -> Iterator[Operation]:
    if type(a) is not type(b):
        yield DropConstraint(key, a)
        yield AddConstraint(key, b)
        return
    if same_except(a, b, "comment"):
        return
    validatable = isinstance(a, (CheckConstraint, ForeignKey)) and isinstance(
        b, (CheckConstraint, ForeignKey)
    )
    if validatable and same_except(a, b, "comment", "validated"):
        valid = replace(b, comment=a.comment)
        yield ValidateConstraint(key, valid) if b.validated else InvalidateConstraint(key, valid)  # type: ignore[arg-type]
        return
    yield DropConstraint(key, a)
    yield AddConstraint(key, b)


def _diff_list(
    key: tuple[str, str], before: list[Constraint], after: list[Constraint]
) -> Iterator[Operation]:
    pairs = list(match(before, after, lambda c: c.name))
    removed = [a for a, b in pairs if b is None and a is not None]
    added = [b for a, b in pairs if a is None and b is not None]
    renamed = renamed_pairs(removed, added, "comment")
    for old, new in renamed:
        yield RenameConstraint(key, old.name, new.name)
    gone = {id(x) for pair in renamed for x in pair}
    for a, b in pairs:
        if id(a) in gone or id(b) in gone:
            continue
        if b is None and a is not None:
            yield DropConstraint(key, a)
        elif a is None and b is not None:
            yield AddConstraint(key, b)
        elif a is not None and b is not None:
            yield from _changed(key, a, b)


def diff(ctx: Context) -> Iterator[Operation]:
    """Keys, uniques, checks and exclusions (foreign keys: :func:`diff_foreign_keys`)."""
    for before, after in ctx.common_tables:
        yield from _diff_list(after.key, constraints(before), constraints(after))


def diff_foreign_keys(ctx: Context) -> Iterator[Operation]:
    for before, after in ctx.common_tables:
        yield from _diff_list(after.key, list(before.foreign_keys), list(after.foreign_keys))
