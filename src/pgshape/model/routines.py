"""Views, materialized views and functions: kept as the definitions PostgreSQL prints."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pgshape.model.base import Origin, freeze, origin_field, sorted_by_name
from pgshape.model.column import Column
from pgshape.model.index import Index
from pgshape.model.table import Trigger


@dataclass(frozen=True)
class View:
    """A view or materialized view.

    ``definition`` is ``pg_get_viewdef`` output (the SELECT). ``columns`` are the output
    columns (name and type only) for consumers such as ERDs. ``depends_on`` lists the
    relations (schema, name) the view reads, so renderers can order views.
    """

    schema: str
    name: str
    definition: str
    materialized: bool = False
    columns: tuple[Column, ...] = ()
    options: tuple[str, ...] = ()  # e.g. ("security_barrier=true", "check_option=local")
    indexes: tuple[Index, ...] = ()  # materialized views only
    triggers: tuple[Trigger, ...] = ()  # INSTEAD OF triggers on views
    depends_on: tuple[tuple[str, str], ...] = ()
    comment: str | None = None
    origin: Origin | None = origin_field()

    def __post_init__(self) -> None:
        freeze(self, "indexes", sorted_by_name(self.indexes))
        freeze(self, "triggers", sorted_by_name(self.triggers))
        freeze(self, "options", tuple(sorted(self.options)))
        freeze(self, "depends_on", tuple(sorted(set(self.depends_on))))

    @property
    def key(self) -> tuple[str, str]:
        return (self.schema, self.name)


@dataclass(frozen=True)
class Function:
    """A function, procedure or aggregate, identified by its signature.

    ``definition`` is a complete, executable CREATE statement (``pg_get_functiondef`` for
    functions and procedures; CREATE AGGREGATE for aggregates). ``arguments`` is
    ``pg_get_function_identity_arguments`` and, with schema and name, the identity.
    ``config`` holds ``SET`` options such as ``search_path=pg_catalog``.
    """

    schema: str
    name: str
    arguments: str
    definition: str
    kind: Literal["function", "procedure", "aggregate", "window"] = "function"
    returns: str | None = None
    language: str = "sql"
    security_definer: bool = False
    volatility: Literal["immutable", "stable", "volatile"] = "volatile"
    config: tuple[str, ...] = ()
    # Relations and types (schema, name) the signature or an SQL-standard body needs first.
    depends_on: tuple[tuple[str, str], ...] = ()
    comment: str | None = None
    origin: Origin | None = origin_field()

    def __post_init__(self) -> None:
        freeze(self, "depends_on", tuple(sorted(set(self.depends_on))))

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.schema, self.name, self.arguments)

    @property
    def signature(self) -> str:
        return f"{self.schema}.{self.name}({self.arguments})"
