"""Indexes that are not the implementation of a constraint (those live on the constraint)."""

from __future__ import annotations

from dataclasses import dataclass

from pgshape.model.base import Origin, origin_field


@dataclass(frozen=True)
class IndexKey:
    """One key of an index: a column or an expression, with its sort order and options.

    Exactly one of ``column`` / ``expression`` is set. ``nulls_first`` is ``None`` when it is
    the default for the direction (NULLS LAST for ASC, NULLS FIRST for DESC). ``opclass`` and
    ``collation`` are set only when they are not the defaults, qualified and quoted for SQL.
    """

    column: str | None = None
    expression: str | None = None
    descending: bool = False
    nulls_first: bool | None = None
    opclass: str | None = None
    collation: str | None = None

    def __post_init__(self) -> None:
        if (self.column is None) == (self.expression is None):
            raise ValueError("an index key is either a column or an expression")


@dataclass(frozen=True)
class Index:
    name: str
    keys: tuple[IndexKey, ...]
    unique: bool = False
    method: str = "btree"
    include: tuple[str, ...] = ()
    predicate: str | None = None
    nulls_not_distinct: bool = False
    options: tuple[str, ...] = ()  # storage parameters, e.g. ("fillfactor=70",)
    comment: str | None = None
    origin: Origin | None = origin_field()

    @property
    def columns(self) -> tuple[str | None, ...]:
        """The key columns in order; ``None`` for an expression key."""
        return tuple(key.column for key in self.keys)

    @property
    def is_partial(self) -> bool:
        return self.predicate is not None
