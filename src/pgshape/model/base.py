"""Building blocks shared by every IR object: origins and canonical ordering."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Origin:
    """Where an object was defined: a file (or module) and a 1-based line/column.

    Origins are carried so findings can point at source lines, but they never take part in
    equality: two schemas are equal when PostgreSQL would describe them identically.
    """

    file: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


def origin_field() -> Any:
    """A dataclass field for an optional origin that is excluded from equality and hashing."""
    return field(default=None, compare=False, hash=False, repr=False)


def sorted_by_name(items: Iterable[T]) -> tuple[T, ...]:
    """Objects whose order carries no meaning are kept sorted by name, so equality is stable."""
    return tuple(sorted(items, key=lambda item: item.name))  # type: ignore[attr-defined]


def sorted_by_qualified_name(items: Iterable[T]) -> tuple[T, ...]:
    return tuple(sorted(items, key=lambda item: (item.schema, item.name)))  # type: ignore[attr-defined]


def freeze(obj: object, name: str, value: object) -> None:
    """Assign inside ``__post_init__`` of a frozen dataclass (used only to canonicalise)."""
    object.__setattr__(obj, name, value)
