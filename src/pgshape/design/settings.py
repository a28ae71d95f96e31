"""Project-wide settings of a design file: PostgreSQL target, key strategy, naming convention.

This module is the stable interface between the design-file loader and the pattern library:
both read a :class:`ProjectSettings` and name constraints and indexes with its
:class:`NamingConvention`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# PostgreSQL truncates identifiers longer than NAMEDATALEN - 1 bytes without complaint.
MAX_IDENTIFIER_BYTES = 63

NameKind = Literal["pk", "fk", "unique", "index", "check", "exclude"]


def truncate_identifier(name: str, limit: int = MAX_IDENTIFIER_BYTES) -> str:
    """``name`` cut to ``limit`` bytes of UTF-8, never inside a character.

    A cut name ends in ``_`` plus 8 hex digits of a hash of the full name, so two long names
    that share a prefix stay distinct (PostgreSQL would silently make them collide).
    """
    encoded = name.encode("utf-8")
    if len(encoded) <= limit:
        return name
    suffix = "_" + hashlib.sha1(encoded).hexdigest()[:8]
    room = limit - len(suffix)
    prefix = encoded[:room].decode("utf-8", errors="ignore").rstrip("_")
    return prefix + suffix


class NamingConvention(BaseModel):
    """Templates for the names of constraints and indexes the design file does not name.

    Placeholders: ``%(table)s`` (table name), ``%(columns)s`` (key columns joined with ``_``),
    ``%(name)s`` (the check's own short name, or the columns for an unnamed check).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    pk: str = "pk_%(table)s"
    fk: str = "fk_%(table)s_%(columns)s"
    unique: str = "uq_%(table)s_%(columns)s"
    index: str = "ix_%(table)s_%(columns)s"
    check: str = "ck_%(table)s_%(name)s"
    exclude: str = "ex_%(table)s_%(columns)s"

    def render(self, kind: NameKind, table: str, columns: Sequence[str] = (), name: str | None = None) -> str:
        """The name for a ``kind`` object on ``table``, truncated safely to 63 bytes."""
        template: str = getattr(self, kind)
        joined = "_".join(columns)
        values = {"table": table, "columns": joined, "name": name if name is not None else joined}
        return truncate_identifier(template % values)


class ProjectSettings(BaseModel):
    """The ``project:`` section: defaults every table of the design file gets.

    ``schema`` is spelled ``schema_`` in Python (pydantic's BaseModel owns ``schema``); read it
    as :attr:`schema_name`.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    # PostgreSQL major version the schema is written for (uuidv7() needs 18).
    target: int = Field(18, ge=13, le=18)
    # The surrogate key added to every table that declares none; ``none`` adds nothing.
    primary_key: Literal["uuid", "bigint", "none"] = "bigint"
    # created_at / updated_at on every table (the ``timestamps`` pattern of the pattern library).
    timestamps: bool = True
    # Enum columns as PostgreSQL enum types or as text with a CHECK constraint.
    enums: Literal["native", "check"] = "native"
    # Schema of tables, enums, ... that do not name one.
    schema_: str = Field("public", alias="schema")
    # Every foreign key gets an index led by its columns unless an index or key already has them.
    index_foreign_keys: bool = True
    # Refuse what pgshape's review calls an error: reserved words (user, order, …) as names,
    # foreign keys whose type differs from the referenced column, unsatisfiable FK cycles.
    # Files dumped from existing databases turn it off: they describe what is, not a new design.
    strict: bool = True
    naming: NamingConvention = Field(default_factory=NamingConvention)

    @property
    def schema_name(self) -> str:
        return self.schema_

    @property
    def primary_key_type(self) -> str | None:
        """The canonical type of the added ``id`` key (also the default type of FKs to it)."""
        return {"uuid": "uuid", "bigint": "bigint"}.get(self.primary_key)

    @property
    def primary_key_default(self) -> str | None:
        """The default of an added uuid key (``uuidv7()`` from PostgreSQL 18 on)."""
        if self.primary_key == "uuid":
            return "uuidv7()" if self.target >= 18 else "gen_random_uuid()"
        return None
