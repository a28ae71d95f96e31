"""Tables (plain, unlogged, partitioned, partitions) with what hangs off them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pgshape.model.base import Origin, freeze, origin_field, sorted_by_name
from pgshape.model.column import Column
from pgshape.model.constraints import (
    CheckConstraint,
    ExclusionConstraint,
    ForeignKey,
    PrimaryKey,
    UniqueConstraint,
)
from pgshape.model.index import Index

PolicyCommand = Literal["ALL", "SELECT", "INSERT", "UPDATE", "DELETE"]


@dataclass(frozen=True)
class Trigger:
    """A trigger; ``definition`` is ``pg_get_triggerdef`` output (a full CREATE TRIGGER).

    The parsed facts (timing, events, level, function) are kept for review rules.
    """

    name: str
    definition: str
    timing: Literal["BEFORE", "AFTER", "INSTEAD OF"] = "BEFORE"
    events: tuple[str, ...] = ()  # subset of INSERT, UPDATE, DELETE, TRUNCATE
    for_each_row: bool = True
    function: str = ""  # schema-qualified function name
    enabled: Literal["ORIGIN", "DISABLED", "REPLICA", "ALWAYS"] = "ORIGIN"
    comment: str | None = None
    origin: Origin | None = origin_field()


@dataclass(frozen=True)
class Policy:
    """A row-level security policy. ``roles`` is ``("public",)`` when it applies to everyone."""

    name: str
    command: PolicyCommand = "ALL"
    permissive: bool = True
    roles: tuple[str, ...] = ("public",)
    using: str | None = None
    with_check: str | None = None
    comment: str | None = None
    origin: Origin | None = origin_field()

    def __post_init__(self) -> None:
        freeze(self, "roles", tuple(sorted(self.roles)))


@dataclass(frozen=True)
class PartitionOf:
    """This table is a partition of ``schema.table``; ``bound`` is ``pg_get_expr(relpartbound)``,
    e.g. ``FOR VALUES FROM ('2022-01-01') TO ('2022-02-01')`` or ``DEFAULT``."""

    schema: str
    table: str
    bound: str


@dataclass(frozen=True)
class Table:
    schema: str
    name: str
    columns: tuple[Column, ...] = ()
    primary_key: PrimaryKey | None = None
    foreign_keys: tuple[ForeignKey, ...] = ()
    unique_constraints: tuple[UniqueConstraint, ...] = ()
    check_constraints: tuple[CheckConstraint, ...] = ()
    exclusion_constraints: tuple[ExclusionConstraint, ...] = ()
    indexes: tuple[Index, ...] = ()
    triggers: tuple[Trigger, ...] = ()
    policies: tuple[Policy, ...] = ()
    rls_enabled: bool = False
    rls_forced: bool = False
    unlogged: bool = False
    # ``pg_get_partkeydef`` output, e.g. ``RANGE (payment_date)``, when the table is partitioned.
    partition_by: str | None = None
    partition_of: PartitionOf | None = None
    # Legacy table inheritance (``INHERITS``), as (schema, table) pairs in declaration order.
    inherits: tuple[tuple[str, str], ...] = ()
    options: tuple[str, ...] = ()  # storage parameters, e.g. ("fillfactor=70",)
    comment: str | None = None
    origin: Origin | None = origin_field()

    def __post_init__(self) -> None:
        # Column order is meaningful and kept; everything else is a set kept sorted by name.
        for name in (
            "foreign_keys",
            "unique_constraints",
            "check_constraints",
            "exclusion_constraints",
            "indexes",
            "triggers",
            "policies",
        ):
            freeze(self, name, sorted_by_name(getattr(self, name)))
        freeze(self, "columns", tuple(self.columns))
        freeze(self, "options", tuple(sorted(self.options)))

    @property
    def key(self) -> tuple[str, str]:
        return (self.schema, self.name)

    @property
    def is_partitioned(self) -> bool:
        return self.partition_by is not None

    @property
    def is_partition(self) -> bool:
        return self.partition_of is not None

    def column(self, name: str) -> Column | None:
        for column in self.columns:
            if column.name == name:
                return column
        return None

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @property
    def constraint_names(self) -> tuple[str, ...]:
        names = [c.name for c in self.foreign_keys]
        names += [c.name for c in self.unique_constraints]
        names += [c.name for c in self.check_constraints]
        names += [c.name for c in self.exclusion_constraints]
        if self.primary_key is not None:
            names.append(self.primary_key.name)
        return tuple(sorted(names))
