"""Decisions made once per database: which tables become classes, what every name is, which
constraints SQLModel/SQLAlchemy can express and which must be attached as DDL.

- A table with a primary key becomes a ``SQLModel`` class; one without becomes a plain
  ``sa.Table`` on ``SQLModel.metadata`` (the ORM cannot map a table without a key).
- Partitions and inheritance children cannot be declared by SQLAlchemy (their columns come from
  the parent), so they are created by DDL after the tables, as is everything that points at them.
- A link table (only the columns of two foreign keys, which are its primary key) becomes the
  ``link_model`` of a many-to-many relationship.
"""

from __future__ import annotations

import keyword
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from pgshape.model import Column, Database, ForeignKey, Table
from pgshape.render.identifiers import qualified
from pgshape.render.sqlmodel import naming
from pgshape.render.sqlmodel.types import TypeMapper

# Names every generated module may define or import at top level.
MODULE_NAMES = frozenset(
    [
        "datetime",
        "decimal",
        "enum",
        "uuid",
        "Any",
        "Optional",
        "sa",
        "postgresql",
        "Field",
        "Relationship",
        "SQLModel",
        "DDL",
        "event",
        "PgType",
        "utcnow",
        "enum_values",
        "BEFORE_CREATE",
        "AFTER_CREATE",
        "statement",
        "int",
        "str",
        "bool",
        "float",
        "bytes",
        "list",
        "dict",
    ]
)
_INTEGER_TYPES = {"integer", "bigint", "smallint"}
_FIELD_ON_DELETE = {"CASCADE", "SET NULL", "RESTRICT"}
MAX_NAME_BYTES = 63

TableKind = Literal["class", "table", "ddl"]
FkRoute = Literal["field", "args", "ddl"]


@dataclass
class TablePlan:
    table: Table
    kind: TableKind
    name: str  # class name or variable name
    attributes: dict[str, str] = field(default_factory=dict)  # column → attribute
    is_link: bool = False
    module: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return self.table.key


def _fits(name: str) -> bool:
    return len(name.encode()) <= MAX_NAME_BYTES


VARIANT_SUFFIXES = ("Base", "Create", "Update", "Public")


def _claim_class(names: naming.Namespace, base: str, *, variants: bool) -> str:
    """A class name; with variants, one whose XBase … XsPublic companions are all free too."""
    if not variants:
        return names.claim(base)
    n = 1
    while True:
        name = base if n == 1 else f"{base}{n}"
        family = [name, *(name + s for s in VARIANT_SUFFIXES), naming.plural_class(name) + "Public"]
        if not any(member in names.taken or keyword.iskeyword(member) for member in family):
            names.taken.update(family)
            return name
        n += 1


# SQLAlchemy naming conventions pgshape recognises (the ones design files and Alembic users use).
CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s",
    "pk": "pk_%(table_name)s",
}


def _detect_convention(db: Database) -> dict[str, str]:
    """The kinds for which the design's names follow CONVENTION more often than PostgreSQL's
    defaults; setting ``SQLModel.metadata.naming_convention`` then lets Field() say them."""
    votes = {"pk": [0, 0], "fk": [0, 0], "uq": [0, 0]}
    for t in db.tables:
        if t.primary_key is not None:
            votes["pk"][0] += t.primary_key.name == f"pk_{t.name}"
            votes["pk"][1] += t.primary_key.name == f"{t.name}_pkey"
        for fk in t.foreign_keys:
            if len(fk.columns) == 1:
                votes["fk"][0] += fk.name == f"fk_{t.name}_{fk.columns[0]}"
                votes["fk"][1] += fk.name == f"{t.name}_{fk.columns[0]}_fkey"
        for u in t.unique_constraints:
            if len(u.columns) == 1:
                votes["uq"][0] += u.name == f"uq_{t.name}_{u.columns[0]}"
                votes["uq"][1] += u.name == f"{t.name}_{u.columns[0]}_key"
    chosen = {kind: CONVENTION[kind] for kind, (ours, default) in votes.items() if ours > default}
    return {"ix": CONVENTION["ix"], **chosen} if chosen else {}


class Plan:
    def __init__(
        self,
        db: Database,
        *,
        variants: bool = False,
        conventions: bool = True,
        python: tuple[int, int] = (3, 11),
    ) -> None:
        self.db = db
        self.python = python
        self.convention = _detect_convention(db) if conventions else {}
        module_names = naming.Namespace(MODULE_NAMES, separator="")
        self.enum_names: dict[tuple[str, str], tuple[str, str]] = {}
        for enum in db.enums:
            cls = module_names.claim(naming.class_name(enum.name) if enum.name else "Enum")
            variable = module_names.claim(f"{naming.snake(enum.name)}_type")
            self.enum_names[enum.key] = (cls, variable)
        self.types = TypeMapper(db, self.enum_names)
        self.tables: dict[tuple[str, str], TablePlan] = {}
        wanted = {t.key: naming.class_name(t.name) for t in db.tables}
        clashing = {n for n, count in Counter(wanted.values()).items() if count > 1}
        modules = naming.Namespace({"_support", "_ddl"})
        for table in db.tables:
            kind = self._kind(table)
            if kind == "class":
                base = wanted[table.key]
                if base in clashing and table.schema != "public":
                    base = naming.pascal(table.schema) + base
                name = _claim_class(module_names, base, variants=variants)
            else:
                name = module_names.claim(f"{naming.shorten(naming.module_name(table.name))}_table")
            plan = TablePlan(table, kind, name, module=modules.claim(naming.module_name(table.name)))
            self.tables[table.key] = plan
        for plan in self.tables.values():
            plan.attributes = self._attributes(plan.table, module_names.taken)
            plan.is_link = self._is_link(plan)
        self.serial_columns = {
            (t.key, c.name) for t in db.tables if self.tables[t.key].kind == "class" for c in self._serial(t)
        }
        self.serial_sequences = {
            (t.schema, self._sequence_of(t, c))
            for t in db.tables
            for c in t.columns
            if (t.key, c.name) in self.serial_columns
        }

    # Tables --------------------------------------------------------------------------------

    def _kind(self, table: Table) -> TableKind:
        if table.partition_of is not None or table.inherits:
            return "ddl"
        if any(c.inherited for c in table.columns):
            return "ddl"
        return "class" if table.primary_key is not None else "table"

    def _attributes(self, table: Table, module_level: set[str]) -> dict[str, str]:
        reserved = set(module_level) | naming.SQLMODEL_ATTRIBUTES
        names = naming.Namespace()
        result = {}
        for column in table.columns:
            wanted = naming.attribute_name(column.name)
            while wanted in reserved:
                wanted += "_"
            result[column.name] = names.claim(wanted)
        return result

    def _is_link(self, plan: TablePlan) -> bool:
        table = plan.table
        if plan.kind != "class" or len(table.foreign_keys) != 2 or table.primary_key is None:
            return False
        fk_columns = [c for fk in table.foreign_keys for c in fk.columns]
        targets = {fk.referenced for fk in table.foreign_keys}
        return (
            len(targets) == 2
            and all(self.fk_route(table, fk) != "ddl" for fk in table.foreign_keys)
            and all(self.class_plan(fk.referenced) is not None for fk in table.foreign_keys)
            and sorted(fk_columns) == sorted(table.column_names)
            and sorted(table.primary_key.columns) == sorted(fk_columns)
        )

    def class_plan(self, key: tuple[str, str]) -> TablePlan | None:
        plan = self.tables.get(key)
        return plan if plan is not None and plan.kind == "class" else None

    def sqlalchemy_tables(self) -> list[TablePlan]:
        return [p for p in self.tables.values() if p.kind != "ddl"]

    # Columns -------------------------------------------------------------------------------

    def _sequence_of(self, table: Table, column: Column) -> str:
        return f"{table.name}_{column.name}_seq"

    def _serial(self, table: Table) -> list[Column]:
        """The column SQLAlchemy renders as SERIAL: the single integer primary key whose default
        is the sequence PostgreSQL's ``serial`` would create, with its default options."""
        pk = table.primary_key
        if pk is None or len(pk.columns) != 1:
            return []
        column = table.column(pk.columns[0])
        if column is None or column.type not in _INTEGER_TYPES or column.identity or column.generated:
            return []
        name = self._sequence_of(table, column)
        sequence = next((s for s in self.db.sequences if s.key == (table.schema, name)), None)
        if sequence is None or not _fits(name):
            return []
        expected = f"nextval('{qualified(table.schema, name)}'::regclass)"
        default_options = (
            sequence.type == column.type
            and (sequence.start, sequence.increment, sequence.cache, sequence.cycle) == (1, 1, 1, False)
            and sequence.min_value is None
            and sequence.max_value is None
            and sequence.owned_by == (table.schema, table.name, column.name)
            and sequence.comment is None
        )
        if column.default != expected or not default_options:
            return []
        if any(column.name in fk.columns for fk in table.foreign_keys):
            return []
        return [column]

    def is_serial(self, table: Table, column: Column) -> bool:
        return (table.key, column.name) in self.serial_columns

    def needs_no_autoincrement(self, table: Table, column: Column) -> bool:
        """SQLAlchemy would turn a lone integer primary key into SERIAL unless told not to."""
        pk = table.primary_key
        return (
            pk is not None
            and pk.columns == (column.name,)
            and column.type in _INTEGER_TYPES
            and column.identity is None
            and not self.is_serial(table, column)
            and not any(column.name in fk.columns for fk in table.foreign_keys)
        )

    # Constraints ---------------------------------------------------------------------------

    def fk_route(self, table: Table, fk: ForeignKey) -> FkRoute:
        target = self.tables.get(fk.referenced)
        if (
            target is None
            or target.kind == "ddl"
            or not fk.validated
            or fk.on_delete_columns
            or self.tables[table.key].kind == "ddl"
            # SQLAlchemy splits "schema.table.column" on dots, so a dot inside a name cannot
            # be said in a string reference.
            or any("." in name for name in (*fk.referenced, *fk.referenced_columns))
        ):
            return "ddl"
        column = table.column(fk.columns[0])
        simple = (
            len(fk.columns) == 1
            and fk.name == self.fk_name(table, fk.columns[0])
            and _fits(fk.name)
            and fk.on_update == "NO ACTION"
            and fk.match == "SIMPLE"
            and fk.deferrable is None
            and (fk.on_delete == "NO ACTION" or fk.on_delete in _FIELD_ON_DELETE)
            and not (fk.on_delete == "SET NULL" and column is not None and not column.nullable)
            and sum(1 for other in table.foreign_keys if fk.columns[0] in other.columns) == 1
        )
        return "field" if simple else "args"

    # The names SQLAlchemy gives unnamed constraints (PostgreSQL's, or the convention's).

    def pk_name(self, table: Table) -> str:
        return f"pk_{table.name}" if "pk" in self.convention else f"{table.name}_pkey"

    def fk_name(self, table: Table, column: str) -> str:
        return f"fk_{table.name}_{column}" if "fk" in self.convention else f"{table.name}_{column}_fkey"

    def unique_name(self, table: Table, column: str) -> str:
        return f"uq_{table.name}_{column}" if "uq" in self.convention else f"{table.name}_{column}_key"

    def referenced_target(self, fk: ForeignKey, column: str) -> str:
        """``schema.table.column`` as SQLAlchemy's ForeignKey wants it (no schema for public)."""
        schema, table = fk.referenced
        return f"{table}.{column}" if schema == "public" else f"{schema}.{table}.{column}"
