"""Table constraints: primary key, foreign keys, unique, check and exclusion constraints.

Names are always stored exactly as PostgreSQL has them (sources that let PostgreSQL choose a
name compute the name PostgreSQL would choose). Expressions are stored as PostgreSQL prints
them with ``pg_get_expr`` / ``pg_get_constraintdef``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pgshape.model.base import Origin, origin_field

ReferentialAction = Literal["NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT"]
MatchType = Literal["SIMPLE", "FULL", "PARTIAL"]


@dataclass(frozen=True)
class Deferral:
    """``DEFERRABLE [INITIALLY DEFERRED]``; absent (``None`` on the constraint) = NOT DEFERRABLE."""

    initially_deferred: bool = False


@dataclass(frozen=True)
class PrimaryKey:
    name: str
    columns: tuple[str, ...]
    include: tuple[str, ...] = ()
    deferrable: Deferral | None = None
    comment: str | None = None
    origin: Origin | None = origin_field()


@dataclass(frozen=True)
class ForeignKey:
    name: str
    columns: tuple[str, ...]
    referenced_schema: str
    referenced_table: str
    referenced_columns: tuple[str, ...]
    on_delete: ReferentialAction = "NO ACTION"
    on_update: ReferentialAction = "NO ACTION"
    match: MatchType = "SIMPLE"
    deferrable: Deferral | None = None
    validated: bool = True
    # PostgreSQL 15+: ON DELETE SET NULL (col, ...) limits the columns that are reset.
    on_delete_columns: tuple[str, ...] = ()
    comment: str | None = None
    origin: Origin | None = origin_field()

    @property
    def referenced(self) -> tuple[str, str]:
        return (self.referenced_schema, self.referenced_table)


@dataclass(frozen=True)
class UniqueConstraint:
    name: str
    columns: tuple[str, ...]
    include: tuple[str, ...] = ()
    nulls_not_distinct: bool = False
    deferrable: Deferral | None = None
    comment: str | None = None
    origin: Origin | None = origin_field()


@dataclass(frozen=True)
class CheckConstraint:
    """``expression`` is what ``pg_get_expr(conbin, conrelid)`` prints, e.g. ``(price > 0)``."""

    name: str
    expression: str
    validated: bool = True
    no_inherit: bool = False
    comment: str | None = None
    origin: Origin | None = origin_field()


@dataclass(frozen=True)
class ExclusionConstraint:
    """``definition`` is ``pg_get_constraintdef`` output: ``EXCLUDE USING gist (room WITH =)``.

    Exclusion constraints are rare and their parts (elements, operators, predicate) are only
    ever rendered back, so one canonical text is the honest representation.
    """

    name: str
    definition: str
    deferrable: Deferral | None = None
    comment: str | None = None
    origin: Origin | None = origin_field()
