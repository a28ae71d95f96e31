"""The whole schema model: everything pgshape knows about one database design.

Named ``Database`` rather than ``Schema`` because a design spans several PostgreSQL schemas
(namespaces); ``SchemaInfo`` is one namespace.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

from pgshape.model.base import freeze, sorted_by_name, sorted_by_qualified_name
from pgshape.model.routines import Function, View
from pgshape.model.table import Table
from pgshape.model.types import (
    CompositeType,
    Domain,
    EnumType,
    Extension,
    SchemaInfo,
    Sequence,
)


@dataclass(frozen=True)
class Database:
    """A schema design. Collections are kept sorted by (schema, name); equality ignores origins.

    ``expressions_canonical`` tells whether expressions (defaults, checks, predicates, view
    bodies) are already in PostgreSQL's printed form — true for anything read from a server,
    false for hand-written sources, whose expressions are normalised on a scratch server before
    they are compared. It is metadata about the model, not part of the schema, so it is not
    compared.
    """

    schemas: tuple[SchemaInfo, ...] = ()
    extensions: tuple[Extension, ...] = ()
    enums: tuple[EnumType, ...] = ()
    domains: tuple[Domain, ...] = ()
    composite_types: tuple[CompositeType, ...] = ()
    sequences: tuple[Sequence, ...] = ()
    tables: tuple[Table, ...] = ()
    views: tuple[View, ...] = ()
    functions: tuple[Function, ...] = ()
    expressions_canonical: bool = field(default=True, compare=False)

    def __post_init__(self) -> None:
        freeze(self, "schemas", sorted_by_name(self.schemas))
        freeze(self, "extensions", sorted_by_name(self.extensions))
        for name in ("enums", "domains", "composite_types", "sequences", "tables", "views"):
            freeze(self, name, sorted_by_qualified_name(getattr(self, name)))
        freeze(self, "functions", tuple(sorted(self.functions, key=lambda f: f.key)))

    # Lookups -----------------------------------------------------------------------------

    @cached_property
    def tables_by_key(self) -> dict[tuple[str, str], Table]:
        return {table.key: table for table in self.tables}

    @cached_property
    def views_by_key(self) -> dict[tuple[str, str], View]:
        return {view.key: view for view in self.views}

    def table(self, schema: str, name: str) -> Table | None:
        return self.tables_by_key.get((schema, name))

    def find_table(self, name: str) -> Table | None:
        """Look a table up by ``name`` or ``schema.name`` (unquoted)."""
        if "." in name:
            schema, _, bare = name.partition(".")
            found = self.table(schema, bare)
            if found is not None:
                return found
        matches = [table for table in self.tables if table.name == name]
        return matches[0] if len(matches) == 1 else None

    def referencing(self, schema: str, name: str) -> list[tuple[Table, str]]:
        """(table, foreign key name) pairs whose foreign keys point at ``schema.name``."""
        return [
            (table, fk.name)
            for table in self.tables
            for fk in table.foreign_keys
            if fk.referenced == (schema, name)
        ]

    @property
    def schema_names(self) -> tuple[str, ...]:
        names = {s.name for s in self.schemas}
        for collection in (self.tables, self.views, self.enums, self.domains, self.sequences):
            names.update(obj.schema for obj in collection)
        return tuple(sorted(names))

    def with_changes(self, **changes: object) -> Database:
        return replace(self, **changes)  # type: ignore[arg-type]
