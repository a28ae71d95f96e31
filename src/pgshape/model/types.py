"""User-defined types: enums, domains, composite types; plus sequences."""

from __future__ import annotations

from dataclasses import dataclass

from pgshape.model.base import Origin, freeze, origin_field, sorted_by_name
from pgshape.model.constraints import CheckConstraint


@dataclass(frozen=True)
class EnumType:
    schema: str
    name: str
    labels: tuple[str, ...]  # in sort order, which is declaration order for enums
    comment: str | None = None
    origin: Origin | None = origin_field()

    @property
    def key(self) -> tuple[str, str]:
        return (self.schema, self.name)


@dataclass(frozen=True)
class Domain:
    schema: str
    name: str
    base_type: str  # canonical, as Column.type
    nullable: bool = True
    default: str | None = None
    collation: str | None = None
    checks: tuple[CheckConstraint, ...] = ()
    comment: str | None = None
    origin: Origin | None = origin_field()

    def __post_init__(self) -> None:
        freeze(self, "checks", sorted_by_name(self.checks))

    @property
    def key(self) -> tuple[str, str]:
        return (self.schema, self.name)


@dataclass(frozen=True)
class CompositeAttribute:
    name: str
    type: str
    collation: str | None = None


@dataclass(frozen=True)
class CompositeType:
    schema: str
    name: str
    attributes: tuple[CompositeAttribute, ...]
    comment: str | None = None
    origin: Origin | None = origin_field()

    @property
    def key(self) -> tuple[str, str]:
        return (self.schema, self.name)


@dataclass(frozen=True)
class Sequence:
    """A standalone sequence (identity sequences belong to their column's ``Identity``).

    ``owned_by`` is (schema, table, column) for ``serial``-style sequences.
    """

    schema: str
    name: str
    type: str = "bigint"
    start: int = 1
    increment: int = 1
    min_value: int | None = None  # None = the default for the type and direction
    max_value: int | None = None
    cache: int = 1
    cycle: bool = False
    owned_by: tuple[str, str, str] | None = None
    comment: str | None = None
    origin: Origin | None = origin_field()

    @property
    def key(self) -> tuple[str, str]:
        return (self.schema, self.name)


@dataclass(frozen=True)
class Extension:
    """An installed extension. The version is informative only: servers differ."""

    name: str
    schema: str = "public"
    version: str | None = None
    origin: Origin | None = origin_field()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Extension):
            return NotImplemented
        return (self.name, self.schema) == (other.name, other.schema)

    def __hash__(self) -> int:
        return hash((self.name, self.schema))


@dataclass(frozen=True)
class SchemaInfo:
    """A PostgreSQL schema (namespace)."""

    name: str
    comment: str | None = None
    origin: Origin | None = origin_field()
