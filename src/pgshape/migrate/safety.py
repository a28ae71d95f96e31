"""Data safety: a plan that can lose data is refused unless the user allows it explicitly.

Destructive operations are those whose ``destructive`` flag is set (``migrate.ops``): dropping a
table, column, type, sequence, schema or extension; a type change that can fail or truncate
(narrowing, or a conversion such as text → integer); removing enum labels. The refusal names
every one of them, and the likely renames (``migrate.rename.suggest``), since a rename written
as a drop and an add is the commonest way to lose a column.

A refusal is an input error (exit code 2): nothing is written, and the user either passes
``--allow-destructive`` or corrects the input (a ``--rename`` hint).
"""

from __future__ import annotations

from collections.abc import Iterable

from pgshape.errors import InputError
from pgshape.migrate.ops import Operation
from pgshape.migrate.rename import Suggestion


class DestructiveChangeError(InputError):
    """The plan would lose data and ``--allow-destructive`` was not given."""

    def __init__(self, operations: list[Operation], suggestions: list[Suggestion]) -> None:
        names = "; ".join(op.describe() for op in operations)
        message = f"refusing {len(operations)} destructive change(s): {names}"
        if suggestions:
            message += " — if these are renames, say so: " + "; ".join(str(s) for s in suggestions)
        message += " (pass --allow-destructive to accept data loss)"
        super().__init__(message)
        self.operations = operations
        self.suggestions = suggestions


def destructive(operations: Iterable[Operation]) -> list[Operation]:
    return [op for op in operations if op.destructive]


def check(operations: Iterable[Operation], *, allow: bool, suggestions: list[Suggestion]) -> None:
    """Raise :class:`DestructiveChangeError` unless ``allow`` or nothing is destructive."""
    found = destructive(operations)
    if found and not allow:
        raise DestructiveChangeError(found, suggestions)
