"""Columns: one per table attribute, in table order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pgshape.model.base import Origin, origin_field


@dataclass(frozen=True)
class Identity:
    """``GENERATED {ALWAYS | BY DEFAULT} AS IDENTITY`` with its sequence options.

    Options equal to PostgreSQL's defaults for the column type are stored as ``None`` so that a
    hand-written model and an introspected one compare equal.
    """

    always: bool = False
    start: int | None = None
    increment: int | None = None
    min_value: int | None = None
    max_value: int | None = None
    cache: int | None = None
    cycle: bool = False


@dataclass(frozen=True)
class Generated:
    """``GENERATED ALWAYS AS (expression) STORED | VIRTUAL`` (VIRTUAL needs PostgreSQL 18)."""

    expression: str
    kind: Literal["stored", "virtual"] = "stored"


@dataclass(frozen=True)
class Column:
    """A table (or view) column.

    ``type`` is PostgreSQL's canonical spelling as ``format_type`` prints it with an empty
    search_path: ``integer``, ``character varying(255)``, ``timestamp with time zone``,
    ``numeric(12,2)``, ``text[]``, and user types schema-qualified (``public.mood``).
    ``default`` is the expression as ``pg_get_expr`` prints it (also schema-qualified).
    ``collation`` is set only when it differs from the type's default, already quoted for SQL
    (``pg_catalog."C"``). ``inherited`` marks columns a partition or child table receives from
    its parent rather than declaring itself.
    """

    name: str
    type: str
    nullable: bool = True
    default: str | None = None
    identity: Identity | None = None
    generated: Generated | None = None
    collation: str | None = None
    comment: str | None = None
    inherited: bool = False
    origin: Origin | None = origin_field()

    @property
    def is_array(self) -> bool:
        return self.type.endswith("]")
