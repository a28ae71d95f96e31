"""Shared state of the design expansion: the spec, positions, drafts of tables, helpers.

The expansion is one object assembled from small mixins, one per kind of object:
``expand_types`` (types, domains, sequences), ``expand_indexes``, ``expand_routines``
(triggers, views, functions) and ``expand`` itself (tables, keys, constraints).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pgshape.design.errors import DesignError, closest
from pgshape.design.positions import Positions
from pgshape.design.settings import ProjectSettings
from pgshape.design.spec import ColumnSpec, DesignSpec, TableSpec
from pgshape.model import (
    CheckConstraint,
    Column,
    Deferral,
    EnumType,
    ExclusionConstraint,
    Extension,
    ForeignKey,
    Index,
    Origin,
    PrimaryKey,
    Trigger,
    UniqueConstraint,
)

Path = tuple[str | int, ...]

# Types some common extensions provide: written bare in a design, qualified with the schema the
# extension is installed in (format_type prints them that way with an empty search_path).
EXTENSION_TYPES: dict[str, tuple[str, ...]] = {
    "citext": ("citext",),
    "ltree": ("ltree", "lquery", "ltxtquery"),
    "hstore": ("hstore",),
    "vector": ("vector", "halfvec", "sparsevec"),
    "cube": ("cube",),
    "isn": ("isbn", "isbn13", "issn", "issn13", "ean13", "upc", "ismn", "ismn13"),
    "seg": ("seg",),
}
INTEGER_TYPES = {"smallint", "integer", "bigint"}
SIMPLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*")
KEY_WITH_ORDER = re.compile(
    r"^(?P<column>.+?)\s+(?P<order>asc|desc)(?:\s+nulls\s+(?P<nulls>first|last))?$", re.I
)
EXPRESSION_WORDS = re.compile(r"[A-Za-z0-9]+")


@dataclass
class Draft:
    """A table being assembled (mutable until every foreign key type is known)."""

    schema: str
    name: str
    path: Path
    spec: TableSpec
    columns: list[Column] = field(default_factory=list)
    column_specs: dict[str, ColumnSpec] = field(default_factory=dict)
    primary_key: PrimaryKey | None = None
    foreign_keys: list[tuple[ForeignKey, Path, bool]] = field(default_factory=list)
    uniques: list[UniqueConstraint] = field(default_factory=list)
    checks: list[CheckConstraint] = field(default_factory=list)
    exclusions: list[ExclusionConstraint] = field(default_factory=list)
    indexes: list[Index] = field(default_factory=list)
    triggers: list[Trigger] = field(default_factory=list)
    # (column name, reference, path) of columns whose type comes from the referenced column
    untyped: list[tuple[str, Path]] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str]:
        return (self.schema, self.name)

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)


def default_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def deferral(deferrable: bool, initially_deferred: bool) -> Deferral | None:
    if not deferrable and not initially_deferred:
        return None
    return Deferral(initially_deferred=initially_deferred)


class ExpanderBase:
    def __init__(self, spec: DesignSpec, positions: Positions) -> None:
        self.spec = spec
        self.positions = positions
        self.settings: ProjectSettings = spec.project
        self.default_schema = self.settings.schema_name
        self.naming = self.settings.naming
        self.enums: dict[tuple[str, str], EnumType] = {}
        self.enum_check: dict[tuple[str, str], tuple[str, ...]] = {}  # enums: check mode
        self.user_types: dict[tuple[str, str], str] = {}  # (schema, name) → canonical spelling
        self.extensions: list[Extension] = []
        self.drafts: dict[tuple[str, str], Draft] = {}

    def origin(self, path: Path) -> Origin:
        where = self.positions.find(path)
        return Origin(self.positions.file, where[0], where[1]) if where else Origin(self.positions.file)

    def name_of(self, key: str, name: str | None, schema: str | None) -> tuple[str, str]:
        """(schema, name) of a mapping entry: explicit keys win, else ``schema.name`` keys split."""
        if name is not None:
            return (schema or self.default_schema, name)
        if schema is None and "." in key:
            prefix, _, bare = key.partition(".")
            return (prefix, bare)
        return (schema or self.default_schema, key)

    def find_draft(self, text: str, path: Path, schema: str | None = None) -> Draft:
        if schema is not None:
            found = self.drafts.get((schema, text))
        else:
            found = self.drafts.get((self.default_schema, text))
            if found is None and "." in text:
                found = self.drafts.get(tuple(text.split(".", 1)))  # type: ignore[arg-type]
            if found is None:
                matches = [d for (s, n), d in self.drafts.items() if n == text]
                found = matches[0] if len(matches) == 1 else None
        if found is None:
            names = [n for _, n in self.drafts]
            raise DesignError(f"unknown table {text!r}{closest(text, names)}", path)
        return found
