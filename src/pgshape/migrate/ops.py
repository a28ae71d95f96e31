"""The vocabulary of schema changes: small frozen operations that know their own reverse.

``migrate.diff`` compares two models and emits these; ``migrate.plan`` orders them and
rewrites some into online-safe sequences; ``migrate.render_sql`` (and any other renderer, such
as an Alembic one) turns them into text. Operations never render, execute or read anything.

Every operation carries the IR objects it needs (the object being created, the one being
dropped, or both sides of a change), so that:

- ``reverse()`` computes the opposite operation — the down migration is derived, not written;
- ``destructive`` says whether applying it can lose data (drop table/column/type, narrowing
  type change, dropping enum labels); ``safety`` refuses such plans unless allowed;
- ``lock`` is the strongest lock PostgreSQL takes on the affected relation while it runs,
  ``rewrites`` / ``scans`` whether it rewrites or reads the whole table;
- ``transactional`` is false for what PostgreSQL refuses inside a transaction block
  (``CONCURRENTLY``), and ``own_transaction`` marks steps that must commit before later steps
  may use their result (``ALTER TYPE ... ADD VALUE``);
- ``refs`` name the objects it creates or changes and ``depends_on`` those it needs, as
  ``Ref`` tuples (``("table", schema, name)``, ``("column", schema, table, column)``, ...).

The operations a planner produces from others (``ValidateConstraint``, the concurrent forms)
are ordinary operations too; their reverse is defined so that any list of operations can be
undone, but the down migration is planned from the reversed *logical* operations.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, ClassVar, Literal

from pgshape.model import (
    CheckConstraint,
    Column,
    CompositeType,
    Domain,
    EnumType,
    ExclusionConstraint,
    Extension,
    ForeignKey,
    Function,
    Index,
    PartitionOf,
    Policy,
    PrimaryKey,
    SchemaInfo,
    Sequence,
    Table,
    Trigger,
    UniqueConstraint,
    View,
)

Ref = tuple[str, ...]
Key = tuple[str, str]
Constraint = PrimaryKey | UniqueConstraint | CheckConstraint | ForeignKey | ExclusionConstraint
Lock = Literal[
    "none",
    "ACCESS SHARE",
    "ROW EXCLUSIVE",
    "SHARE UPDATE EXCLUSIVE",
    "SHARE",
    "SHARE ROW EXCLUSIVE",
    "ACCESS EXCLUSIVE",
]


def _q(key: Key) -> str:
    return f"{key[0]}.{key[1]}"


@dataclass(frozen=True)
class Operation:
    """Base class. Subclasses set the class-level facts or override the properties."""

    kind: ClassVar[str] = "operation"
    lock: ClassVar[Lock] = "ACCESS EXCLUSIVE"
    rewrites: ClassVar[bool] = False
    scans: ClassVar[bool] = False
    transactional: ClassVar[bool] = True
    own_transaction: ClassVar[bool] = False

    def reverse(self) -> Operation:
        raise NotImplementedError(type(self).__name__)

    @property
    def destructive(self) -> bool:
        return False

    @property
    def refs(self) -> tuple[Ref, ...]:
        return ()

    @property
    def depends_on(self) -> tuple[Ref, ...]:
        return ()

    @property
    def subject(self) -> str:
        """A short human name of what it changes, e.g. ``public.film.title``."""
        return ""

    def describe(self) -> str:
        return f"{self.kind.replace('_', ' ')} {self.subject}".strip()

    def facts(self) -> dict[str, Any]:
        """The flags shown in JSON and plan comments."""
        return {
            "lock": self.lock,
            "rewrites": self.rewrites,
            "scans": self.scans,
            "destructive": self.destructive,
            "transactional": self.transactional,
        }


# Schemas and extensions -----------------------------------------------------------------------


@dataclass(frozen=True)
class CreateSchema(Operation):
    kind: ClassVar[str] = "create_schema"
    lock: ClassVar[Lock] = "none"
    schema: SchemaInfo

    def reverse(self) -> Operation:
        return DropSchema(self.schema)

    @property
    def refs(self) -> tuple[Ref, ...]:
        return (("schema", self.schema.name),)

    @property
    def subject(self) -> str:
        return self.schema.name


@dataclass(frozen=True)
class DropSchema(Operation):
    kind: ClassVar[str] = "drop_schema"
    lock: ClassVar[Lock] = "none"
    schema: SchemaInfo

    def reverse(self) -> Operation:
        return CreateSchema(self.schema)

    @property
    def destructive(self) -> bool:
        return True

    @property
    def refs(self) -> tuple[Ref, ...]:
        return (("schema", self.schema.name),)

    @property
    def subject(self) -> str:
        return self.schema.name


@dataclass(frozen=True)
class CreateExtension(Operation):
    kind: ClassVar[str] = "create_extension"
    lock: ClassVar[Lock] = "none"
    extension: Extension

    def reverse(self) -> Operation:
        return DropExtension(self.extension)

    @property
    def refs(self) -> tuple[Ref, ...]:
        return (("extension", self.extension.name),)

    @property
    def depends_on(self) -> tuple[Ref, ...]:
        return (("schema", self.extension.schema),)

    @property
    def subject(self) -> str:
        return self.extension.name


@dataclass(frozen=True)
class DropExtension(Operation):
    kind: ClassVar[str] = "drop_extension"
    lock: ClassVar[Lock] = "none"
    extension: Extension

    def reverse(self) -> Operation:
        return CreateExtension(self.extension)

    @property
    def destructive(self) -> bool:
        return True  # drops the extension's types and functions, and what uses them

    @property
    def refs(self) -> tuple[Ref, ...]:
        return (("extension", self.extension.name),)

    @property
    def subject(self) -> str:
        return self.extension.name


# Types ----------------------------------------------------------------------------------------

UserType = EnumType | Domain | CompositeType


@dataclass(frozen=True)
class CreateType(Operation):
    """CREATE TYPE (enum or composite) or CREATE DOMAIN."""

    kind: ClassVar[str] = "create_type"
    lock: ClassVar[Lock] = "none"
    type: UserType

    def reverse(self) -> Operation:
        return DropType(self.type)

    @property
    def refs(self) -> tuple[Ref, ...]:
        return (("type", *self.type.key),)

    @property
    def depends_on(self) -> tuple[Ref, ...]:
        return (("schema", self.type.schema),)

    @property
    def subject(self) -> str:
        return _q(self.type.key)


@dataclass(frozen=True)
class DropType(Operation):
    kind: ClassVar[str] = "drop_type"
    lock: ClassVar[Lock] = "none"
    type: UserType

    def reverse(self) -> Operation:
        return CreateType(self.type)

    @property
    def destructive(self) -> bool:
        return True

    @property
    def refs(self) -> tuple[Ref, ...]:
        return (("type", *self.type.key),)

    @property
    def subject(self) -> str:
        return _q(self.type.key)


@dataclass(frozen=True)
class EnumUsage:
    """A column whose type is an enum (or an array of it), with its default, so that a type
    can be recreated under it."""

    table: Key
    column: str
    array: bool = False
    default: str | None = None


@dataclass(frozen=True)
class AddEnumValue(Operation):
    """``ALTER TYPE ... ADD VALUE`` — no rewrite, no table lock. The new value cannot be used
    in the transaction that added it, so it commits on its own before any later step.

    The reverse recreates the type (PostgreSQL cannot drop an enum value): see RecreateEnum.
    """

    kind: ClassVar[str] = "add_enum_value"
    lock: ClassVar[Lock] = "none"
    own_transaction: ClassVar[bool] = True
    before: EnumType
    after: EnumType
    label: str
    usages: tuple[EnumUsage, ...] = ()  # columns using the type once the plan has run
    usages_before: tuple[EnumUsage, ...] = ()  # ... and before it ran

    @property
    def position(self) -> tuple[str, str] | None:
        """("BEFORE" | "AFTER", neighbour) unless the label goes at the end."""
        labels = self.after.labels
        index = labels.index(self.label)
        following = [label for label in labels[index + 1 :] if label in self.before.labels]
        if following:
            return ("BEFORE", following[0])
        return None

    def reverse(self) -> Operation:
        return RecreateEnum(self.after, self.before, self.usages, self.usages_before)

    @property
    def refs(self) -> tuple[Ref, ...]:
        return (("type", *self.after.key),)

    @property
    def subject(self) -> str:
        return f"{_q(self.after.key)} '{self.label}'"


@dataclass(frozen=True)
class RecreateEnum(Operation):
    """Replace an enum whose labels were removed or reordered: rename the old type, create the
    new one, convert every column through text, drop the old type. Rows holding a removed label
    make the conversion fail, so this is destructive."""

    kind: ClassVar[str] = "recreate_enum"
    rewrites: ClassVar[bool] = True
    before: EnumType
    after: EnumType
    usages: tuple[EnumUsage, ...] = ()  # the columns converted (as they are before the plan)
    usages_after: tuple[EnumUsage, ...] = ()  # the same columns once the plan has run

    def reverse(self) -> Operation:
        return RecreateEnum(self.after, self.before, self.usages_after, self.usages)

    @property
    def destructive(self) -> bool:
        return bool(set(self.before.labels) - set(self.after.labels))

    @property
    def refs(self) -> tuple[Ref, ...]:
        return (("type", *self.after.key), *(("column", *usage.table, usage.column) for usage in self.usages))

    @property
    def subject(self) -> str:
        return _q(self.after.key)


@dataclass(frozen=True)
class AlterDomain(Operation):
    """Default, NOT NULL and checks of a domain (its base type cannot be altered in place)."""

    kind: ClassVar[str] = "alter_domain"
    scans: ClassVar[bool] = True  # SET NOT NULL / ADD CHECK scan every column using the domain
    before: Domain
    after: Domain

    def reverse(self) -> Operation:
        return AlterDomain(self.after, self.before)

    @property
    def refs(self) -> tuple[Ref, ...]:
        return (("type", *self.after.key),)

    @property
    def subject(self) -> str:
        return _q(self.after.key)


@dataclass(frozen=True)
class AlterCompositeType(Operation):
    kind: ClassVar[str] = "alter_composite_type"
    before: CompositeType
    after: CompositeType

    def reverse(self) -> Operation:
        return AlterCompositeType(self.after, self.before)

    @property
    def destructive(self) -> bool:
        kept = {a.name for a in self.after.attributes}
        return any(a.name not in kept for a in self.before.attributes)

    @property
    def refs(self) -> tuple[Ref, ...]:
        return (("type", *self.after.key),)

    @property
    def subject(self) -> str:
        return _q(self.after.key)


# Sequences ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CreateSequence(Operation):
    kind: ClassVar[str] = "create_sequence"
    lock: ClassVar[Lock] = "none"
    sequence: Sequence

    def reverse(self) -> Operation:
        return DropSequence(self.sequence)

    @property
    def refs(self) -> tuple[Ref, ...]:
        return (("sequence", *self.sequence.key),)

    @property
    def subject(self) -> str:
        return _q(self.sequence.key)


@dataclass(frozen=True)
class DropSequence(Operation):
    kind: ClassVar[str] = "drop_sequence"
    lock: ClassVar[Lock] = "none"
    sequence: Sequence

    def reverse(self) -> Operation:
        return CreateSequence(self.sequence)

    @property
    def destructive(self) -> bool:
        return True  # its current value is lost

    @property
    def refs(self) -> tuple[Ref, ...]:
        return (("sequence", *self.sequence.key),)

    @property
    def subject(self) -> str:
        return _q(self.sequence.key)


@dataclass(frozen=True)
class AlterSequence(Operation):
    """Options and ownership (``OWNED BY``) of a sequence."""

    kind: ClassVar[str] = "alter_sequence"
    lock: ClassVar[Lock] = "none"
    before: Sequence
    after: Sequence

    def reverse(self) -> Operation:
        return AlterSequence(self.after, self.before)

    @property
    def refs(self) -> tuple[Ref, ...]:
        return (("sequence", *self.after.key),)

    @property
    def depends_on(self) -> tuple[Ref, ...]:
        owned = self.after.owned_by
        return (("column", *owned),) if owned else ()

    @property
    def subject(self) -> str:
        return _q(self.after.key)


# Tables ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CreateTable(Operation):
    """CREATE TABLE with its columns, primary key, unique, check and exclusion constraints
    (and PARTITION OF / INHERITS). Indexes, foreign keys, triggers, policies and comments are
    separate operations. ``parents`` are the tables it inherits from or partitions, so that
    what PostgreSQL clones from them is not declared twice."""

    kind: ClassVar[str] = "create_table"
    table: Table
    parents: tuple[Table, ...] = ()

    def reverse(self) -> Operation:
        return DropTable(self.table, self.parents)

    @property
    def refs(self) -> tuple[Ref, ...]:
        return (("table", *self.table.key),)

    @property
    def depends_on(self) -> tuple[Ref, ...]:
        return (*(("table", *p.key) for p in self.parents), ("schema", self.table.schema))

    @property
    def subject(self) -> str:
        return _q(self.table.key)


@dataclass(frozen=True)
class DropTable(Operation):
    kind: ClassVar[str] = "drop_table"
    table: Table
    parents: tuple[Table, ...] = ()

    def reverse(self) -> Operation:
        return CreateTable(self.table, self.parents)

    @property
    def destructive(self) -> bool:
        return True

    @property
    def refs(self) -> tuple[Ref, ...]:
        return (("table", *self.table.key),)

    @property
    def subject(self) -> str:
        return _q(self.table.key)


@dataclass(frozen=True)
class RenameTable(Operation):
    kind: ClassVar[str] = "rename_table"
    table: Key  # the table's key before the rename
    new_name: str

    def reverse(self) -> Operation:
        return RenameTable((self.table[0], self.new_name), self.table[1])

    @property
    def refs(self) -> tuple[Ref, ...]:
        return (("table", *self.table), ("table", self.table[0], self.new_name))

    @property
    def subject(self) -> str:
        return f"{_q(self.table)} → {self.new_name}"


@dataclass(frozen=True)
class AlterTable(Operation):
    """Table-level properties: storage options, LOGGED/UNLOGGED, row-level security."""

    kind: ClassVar[str] = "alter_table"
    before: Table
    after: Table

    @property
    def rewrites(self) -> bool:  # type: ignore[override]
        return self.before.unlogged != self.after.unlogged

    def reverse(self) -> Operation:
        return AlterTable(self.after, self.before)

    @property
    def refs(self) -> tuple[Ref, ...]:
        return (("table", *self.after.key),)

    @property
    def subject(self) -> str:
        return _q(self.after.key)


@dataclass(frozen=True)
class AttachPartition(Operation):
    """ATTACH PARTITION: scans the partition to check its bound (takes SHARE UPDATE EXCLUSIVE
    on the parent, ACCESS EXCLUSIVE on the partition)."""

    kind: ClassVar[str] = "attach_partition"
    scans: ClassVar[bool] = True
    table: Key
    partition_of: PartitionOf

    def reverse(self) -> Operation:
        return DetachPartition(self.table, self.partition_of)

    @property
    def refs(self) -> tuple[Ref, ...]:
        return (("table", *self.table),)

    @property
    def depends_on(self) -> tuple[Ref, ...]:
        return (("table", self.partition_of.schema, self.partition_of.table),)

    @property
    def subject(self) -> str:
        return f"{_q(self.table)} {self.partition_of.bound}"


@dataclass(frozen=True)
class DetachPartition(Operation):
    kind: ClassVar[str] = "detach_partition"
    table: Key
    partition_of: PartitionOf

    def reverse(self) -> Operation:
        return AttachPartition(self.table, self.partition_of)

    @property
    def refs(self) -> tuple[Ref, ...]:
        return (("table", *self.table),)

    @property
    def subject(self) -> str:
        return _q(self.table)


# Columns --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AddColumn(Operation):
    """ADD COLUMN (at the end: PostgreSQL cannot insert a column elsewhere)."""

    kind: ClassVar[str] = "add_column"
    table: Key
    column: Column
    # The column's type is a domain with constraints (CHECK or NOT NULL): PostgreSQL then checks
    # every existing row, rewriting the table, even without a default.
    constrained_domain: bool = False

    @property
    def rewrites(self) -> bool:  # type: ignore[override]
        # A stored generated column or a volatile default fills every row; a constant default
        # is kept in the catalog (PostgreSQL 11+).
        generated = self.column.generated is not None and self.column.generated.kind == "stored"
        default = self.column.default or ""
        volatile = any(f in default for f in ("nextval(", "random(", "gen_random_uuid(", "clock_timestamp("))
        return generated or volatile or self.column.identity is not None or self.constrained_domain

    def reverse(self) -> Operation:
        return DropColumn(self.table, self.column)

    @property
    def refs(self) -> tuple[Ref, ...]:
        return (("column", *self.table, self.column.name),)

    @property
    def depends_on(self) -> tuple[Ref, ...]:
        return (("table", *self.table),)

    @property
    def subject(self) -> str:
        return f"{_q(self.table)}.{self.column.name}"


@dataclass(frozen=True)
class DropColumn(Operation):
    kind: ClassVar[str] = "drop_column"
    table: Key
    column: Column

    def reverse(self) -> Operation:
        return AddColumn(self.table, self.column)

    @property
    def destructive(self) -> bool:
        # A generated column's values are computed from the others: nothing is lost.
        return self.column.generated is None

    @property
    def refs(self) -> tuple[Ref, ...]:
        return (("column", *self.table, self.column.name),)

    @property
    def subject(self) -> str:
        return f"{_q(self.table)}.{self.column.name}"


@dataclass(frozen=True)
class RenameColumn(Operation):
    kind: ClassVar[str] = "rename_column"
    table: Key  # the table's key at the time of the rename
    old: str
    new: str

    def reverse(self) -> Operation:
        return RenameColumn(self.table, self.new, self.old)

    @property
    def refs(self) -> tuple[Ref, ...]:
        return (("column", *self.table, self.old), ("column", *self.table, self.new))

    @property
    def subject(self) -> str:
        return f"{_q(self.table)}.{self.old} → {self.new}"


TypeChange = Literal["none", "widen", "rewrite", "narrow"]  # see migrate.types


@dataclass(frozen=True)
class AlterColumnType(Operation):
    """ALTER COLUMN ... TYPE (and COLLATE). ``change`` classifies it (see ``migrate.types``):

    - ``none``: binary-compatible, no rewrite and no scan (varchar widening, varchar → text);
    - ``widen``: every value fits, but the table is rewritten (integer → bigint);
    - ``rewrite``: values are converted and may fail or change (text → integer): destructive;
    - ``narrow``: values may be truncated or refused (varchar(50) → varchar(20)): destructive.

    ``using`` is the conversion expression when no implicit cast exists. The default is dropped
    before and set again after, since a default of the old type may not convert.
    """

    kind: ClassVar[str] = "alter_column_type"
    table: Key
    before: Column
    after: Column
    change: TypeChange = "rewrite"
    using: str | None = None

    @property
    def rewrites(self) -> bool:  # type: ignore[override]
        return self.change != "none"

    @property
    def destructive(self) -> bool:
        return self.change in ("narrow", "rewrite")

    def reverse(self) -> Operation:
        from pgshape.migrate.types import classify_type_change

        change, using = classify_type_change(self.after, self.before)
        return AlterColumnType(self.table, self.after, self.before, change, using)

    @property
    def refs(self) -> tuple[Ref, ...]:
        return (("column", *self.table, self.after.name),)

    @property
    def subject(self) -> str:
        return f"{_q(self.table)}.{self.after.name} {self.before.type} → {self.after.type}"


@dataclass(frozen=True)
class AlterColumnDefault(Operation):
    kind: ClassVar[str] = "alter_column_default"
    table: Key
    column: str
    before: str | None
    after: str | None

    def reverse(self) -> Operation:
        return AlterColumnDefault(self.table, self.column, self.after, self.before)

    @property
    def refs(self) -> tuple[Ref, ...]:
        return (("column", *self.table, self.column),)

    @property
    def subject(self) -> str:
        return f"{_q(self.table)}.{self.column}"


@dataclass(frozen=True)
class AlterColumnNullable(Operation):
    """SET / DROP NOT NULL. SET NOT NULL scans the table under ACCESS EXCLUSIVE unless a
    validated ``CHECK (c IS NOT NULL)`` proves it first (the planner's online rewrite)."""

    kind: ClassVar[str] = "alter_column_nullable"
    table: Key
    column: str
    nullable: bool
    proven_by: str | None = None  # name of a validated check that makes the scan unnecessary

    @property
    def scans(self) -> bool:  # type: ignore[override]
        return not self.nullable and self.proven_by is None

    def reverse(self) -> Operation:
        return AlterColumnNullable(self.table, self.column, not self.nullable)

    @property
    def refs(self) -> tuple[Ref, ...]:
        return (("column", *self.table, self.column),)

    @property
    def subject(self) -> str:
        return f"{_q(self.table)}.{self.column} {'NULL' if self.nullable else 'NOT NULL'}"


@dataclass(frozen=True)
class AlterColumnIdentity(Operation):
    """ADD GENERATED ... AS IDENTITY / DROP IDENTITY / SET identity options."""

    kind: ClassVar[str] = "alter_column_identity"
    table: Key
    before: Column
    after: Column

    def reverse(self) -> Operation:
        return AlterColumnIdentity(self.table, self.after, self.before)

    @property
    def refs(self) -> tuple[Ref, ...]:
        return (("column", *self.table, self.after.name),)

    @property
    def subject(self) -> str:
        return f"{_q(self.table)}.{self.after.name}"


# Constraints ----------------------------------------------------------------------------------


def constraint_kind(constraint: Constraint) -> str:
    return {
        PrimaryKey: "primary key",
        UniqueConstraint: "unique",
        CheckConstraint: "check",
        ForeignKey: "foreign key",
        ExclusionConstraint: "exclusion",
    }[type(constraint)]


@dataclass(frozen=True)
class AddConstraint(Operation):
    """ADD CONSTRAINT. ``not_valid`` adds a check or foreign key without scanning (a later
    ValidateConstraint scans under a weaker lock); ``using_index`` turns a concurrently built
    unique index into a UNIQUE / PRIMARY KEY constraint without a second build."""

    kind: ClassVar[str] = "add_constraint"
    table: Key
    constraint: Constraint
    not_valid: bool = False
    using_index: str | None = None

    @property
    def lock(self) -> Lock:  # type: ignore[override]
        if isinstance(self.constraint, ForeignKey):
            return "SHARE ROW EXCLUSIVE"
        return "ACCESS EXCLUSIVE"

    @property
    def scans(self) -> bool:  # type: ignore[override]
        if self.not_valid or self.using_index is not None:
            return False
        return not isinstance(self.constraint, (CheckConstraint, ForeignKey)) or self.constraint.validated

    def reverse(self) -> Operation:
        return DropConstraint(self.table, self.constraint)

    @property
    def refs(self) -> tuple[Ref, ...]:
        return (("constraint", *self.table, self.constraint.name),)

    @property
    def depends_on(self) -> tuple[Ref, ...]:
        deps: list[Ref] = [("table", *self.table)]
        if isinstance(self.constraint, ForeignKey):
            deps.append(("table", *self.constraint.referenced))
        return tuple(deps)

    @property
    def subject(self) -> str:
        return f"{constraint_kind(self.constraint)} {self.constraint.name} on {_q(self.table)}"

    def describe(self) -> str:
        extra = " NOT VALID" if self.not_valid else ""
        extra += f" USING INDEX {self.using_index}" if self.using_index else ""
        return f"add {self.subject}{extra}"


@dataclass(frozen=True)
class DropConstraint(Operation):
    kind: ClassVar[str] = "drop_constraint"
    table: Key
    constraint: Constraint

    def reverse(self) -> Operation:
        return AddConstraint(self.table, self.constraint)

    @property
    def refs(self) -> tuple[Ref, ...]:
        return (("constraint", *self.table, self.constraint.name),)

    @property
    def subject(self) -> str:
        return f"{constraint_kind(self.constraint)} {self.constraint.name} on {_q(self.table)}"


@dataclass(frozen=True)
class RenameConstraint(Operation):
    """RENAME CONSTRAINT (also renames a key's index). Emitted only when a dropped and an added
    constraint of one table are identical but for the name — typically after a table rename,
    since PostgreSQL keeps ``old_pkey`` while a fresh schema says ``new_pkey``. Nothing is lost
    either way; this only avoids rebuilding a key."""

    kind: ClassVar[str] = "rename_constraint"
    table: Key
    old: str
    new: str

    def reverse(self) -> Operation:
        return RenameConstraint(self.table, self.new, self.old)

    @property
    def refs(self) -> tuple[Ref, ...]:
        return (("constraint", *self.table, self.old), ("constraint", *self.table, self.new))

    @property
    def subject(self) -> str:
        return f"{self.old} → {self.new} on {_q(self.table)}"


@dataclass(frozen=True)
class ValidateConstraint(Operation):
    """VALIDATE CONSTRAINT: scans the table under SHARE UPDATE EXCLUSIVE (reads and writes go
    on). Its reverse makes the constraint NOT VALID again (drop and re-add)."""

    kind: ClassVar[str] = "validate_constraint"
    lock: ClassVar[Lock] = "SHARE UPDATE EXCLUSIVE"
    scans: ClassVar[bool] = True
    # Locks accumulate in a transaction: validating next to an ACCESS EXCLUSIVE step would
    # hold that lock for the whole scan. So it commits the steps before it and runs alone.
    own_transaction: ClassVar[bool] = True
    table: Key
    constraint: CheckConstraint | ForeignKey

    def reverse(self) -> Operation:
        return InvalidateConstraint(self.table, self.constraint)

    @property
    def refs(self) -> tuple[Ref, ...]:
        return (("constraint", *self.table, self.constraint.name),)

    @property
    def subject(self) -> str:
        return f"{self.constraint.name} on {_q(self.table)}"


@dataclass(frozen=True)
class InvalidateConstraint(Operation):
    """Make a check or foreign key NOT VALID again: PostgreSQL has no statement for it, so the
    constraint is dropped and re-added NOT VALID (no scan)."""

    kind: ClassVar[str] = "invalidate_constraint"
    table: Key
    constraint: CheckConstraint | ForeignKey

    def reverse(self) -> Operation:
        return ValidateConstraint(self.table, self.constraint)

    @property
    def refs(self) -> tuple[Ref, ...]:
        return (("constraint", *self.table, self.constraint.name),)

    @property
    def subject(self) -> str:
        return f"{self.constraint.name} on {_q(self.table)}"


# Indexes --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CreateIndex(Operation):
    """CREATE INDEX on a table or materialized view. ``concurrently`` builds it without blocking
    writes (outside a transaction block; an interrupted build leaves an INVALID index)."""

    kind: ClassVar[str] = "create_index"
    relation: Key
    index: Index
    concurrently: bool = False

    @property
    def lock(self) -> Lock:  # type: ignore[override]
        return "SHARE UPDATE EXCLUSIVE" if self.concurrently else "SHARE"

    @property
    def scans(self) -> bool:  # type: ignore[override]
        return True

    @property
    def transactional(self) -> bool:  # type: ignore[override]
        return not self.concurrently

    def reverse(self) -> Operation:
        return DropIndex(self.relation, self.index, self.concurrently)

    @property
    def refs(self) -> tuple[Ref, ...]:
        return (("index", self.relation[0], self.index.name),)

    @property
    def depends_on(self) -> tuple[Ref, ...]:
        return (("table", *self.relation),)

    @property
    def subject(self) -> str:
        return f"{self.index.name} on {_q(self.relation)}"


@dataclass(frozen=True)
class DropIndex(Operation):
    kind: ClassVar[str] = "drop_index"
    relation: Key
    index: Index
    concurrently: bool = False

    @property
    def lock(self) -> Lock:  # type: ignore[override]
        return "SHARE UPDATE EXCLUSIVE" if self.concurrently else "ACCESS EXCLUSIVE"

    @property
    def transactional(self) -> bool:  # type: ignore[override]
        return not self.concurrently

    def reverse(self) -> Operation:
        return CreateIndex(self.relation, self.index, self.concurrently)

    @property
    def refs(self) -> tuple[Ref, ...]:
        return (("index", self.relation[0], self.index.name),)

    @property
    def subject(self) -> str:
        return f"{self.index.name} on {_q(self.relation)}"


@dataclass(frozen=True)
class RenameIndex(Operation):
    """ALTER INDEX ... RENAME (same definition, other name: see RenameConstraint)."""

    kind: ClassVar[str] = "rename_index"
    relation: Key
    old: str
    new: str

    def reverse(self) -> Operation:
        return RenameIndex(self.relation, self.new, self.old)

    @property
    def refs(self) -> tuple[Ref, ...]:
        return (("index", self.relation[0], self.old), ("index", self.relation[0], self.new))

    @property
    def subject(self) -> str:
        return f"{self.old} → {self.new} on {_q(self.relation)}"


# Views ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CreateView(Operation):
    """CREATE [MATERIALIZED] VIEW (a materialized view is populated: it runs its query)."""

    kind: ClassVar[str] = "create_view"
    view: View

    @property
    def scans(self) -> bool:  # type: ignore[override]
        return self.view.materialized

    def reverse(self) -> Operation:
        return DropView(self.view)

    @property
    def refs(self) -> tuple[Ref, ...]:
        return (("view", *self.view.key),)

    @property
    def depends_on(self) -> tuple[Ref, ...]:
        return tuple(("relation", *key) for key in self.view.depends_on)

    @property
    def subject(self) -> str:
        return ("materialized view " if self.view.materialized else "") + _q(self.view.key)


@dataclass(frozen=True)
class DropView(Operation):
    kind: ClassVar[str] = "drop_view"
    view: View

    def reverse(self) -> Operation:
        return CreateView(self.view)

    @property
    def refs(self) -> tuple[Ref, ...]:
        return (("view", *self.view.key),)

    @property
    def subject(self) -> str:
        return ("materialized view " if self.view.materialized else "") + _q(self.view.key)


# Functions ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CreateFunction(Operation):
    kind: ClassVar[str] = "create_function"
    lock: ClassVar[Lock] = "none"
    function: Function

    def reverse(self) -> Operation:
        return DropFunction(self.function)

    @property
    def refs(self) -> tuple[Ref, ...]:
        return (("function", *self.function.key),)

    @property
    def depends_on(self) -> tuple[Ref, ...]:
        return tuple(("relation", *key) for key in self.function.depends_on)

    @property
    def subject(self) -> str:
        return self.function.signature


@dataclass(frozen=True)
class DropFunction(Operation):
    kind: ClassVar[str] = "drop_function"
    lock: ClassVar[Lock] = "none"
    function: Function

    def reverse(self) -> Operation:
        return CreateFunction(self.function)

    @property
    def refs(self) -> tuple[Ref, ...]:
        return (("function", *self.function.key),)

    @property
    def subject(self) -> str:
        return self.function.signature


@dataclass(frozen=True)
class ReplaceFunction(Operation):
    """CREATE OR REPLACE with the same signature and return type (callers keep working)."""

    kind: ClassVar[str] = "replace_function"
    lock: ClassVar[Lock] = "none"
    before: Function
    after: Function

    def reverse(self) -> Operation:
        return ReplaceFunction(self.after, self.before)

    @property
    def refs(self) -> tuple[Ref, ...]:
        return (("function", *self.after.key),)

    @property
    def depends_on(self) -> tuple[Ref, ...]:
        return tuple(("relation", *key) for key in self.after.depends_on)

    @property
    def subject(self) -> str:
        return self.after.signature


# Triggers and policies ------------------------------------------------------------------------


@dataclass(frozen=True)
class CreateTrigger(Operation):
    kind: ClassVar[str] = "create_trigger"
    lock: ClassVar[Lock] = "SHARE ROW EXCLUSIVE"
    relation: Key
    trigger: Trigger

    def reverse(self) -> Operation:
        return DropTrigger(self.relation, self.trigger)

    @property
    def refs(self) -> tuple[Ref, ...]:
        return (("trigger", *self.relation, self.trigger.name),)

    @property
    def depends_on(self) -> tuple[Ref, ...]:
        return (("relation", *self.relation),)

    @property
    def subject(self) -> str:
        return f"{self.trigger.name} on {_q(self.relation)}"


@dataclass(frozen=True)
class DropTrigger(Operation):
    kind: ClassVar[str] = "drop_trigger"
    relation: Key
    trigger: Trigger

    def reverse(self) -> Operation:
        return CreateTrigger(self.relation, self.trigger)

    @property
    def refs(self) -> tuple[Ref, ...]:
        return (("trigger", *self.relation, self.trigger.name),)

    @property
    def subject(self) -> str:
        return f"{self.trigger.name} on {_q(self.relation)}"


@dataclass(frozen=True)
class AlterTriggerState(Operation):
    """ENABLE / DISABLE / ENABLE REPLICA / ENABLE ALWAYS TRIGGER."""

    kind: ClassVar[str] = "alter_trigger_state"
    lock: ClassVar[Lock] = "SHARE ROW EXCLUSIVE"
    relation: Key
    before: Trigger
    after: Trigger

    def reverse(self) -> Operation:
        return AlterTriggerState(self.relation, self.after, self.before)

    @property
    def refs(self) -> tuple[Ref, ...]:
        return (("trigger", *self.relation, self.after.name),)

    @property
    def subject(self) -> str:
        return f"{self.after.name} on {_q(self.relation)} {self.after.enabled}"


@dataclass(frozen=True)
class CreatePolicy(Operation):
    kind: ClassVar[str] = "create_policy"
    table: Key
    policy: Policy

    def reverse(self) -> Operation:
        return DropPolicy(self.table, self.policy)

    @property
    def refs(self) -> tuple[Ref, ...]:
        return (("policy", *self.table, self.policy.name),)

    @property
    def depends_on(self) -> tuple[Ref, ...]:
        return (("table", *self.table),)

    @property
    def subject(self) -> str:
        return f"{self.policy.name} on {_q(self.table)}"


@dataclass(frozen=True)
class DropPolicy(Operation):
    kind: ClassVar[str] = "drop_policy"
    table: Key
    policy: Policy

    def reverse(self) -> Operation:
        return CreatePolicy(self.table, self.policy)

    @property
    def refs(self) -> tuple[Ref, ...]:
        return (("policy", *self.table, self.policy.name),)

    @property
    def subject(self) -> str:
        return f"{self.policy.name} on {_q(self.table)}"


# Comments -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SetComment(Operation):
    """COMMENT ON ``target`` IS ... (``None`` removes it). ``target`` is the SQL that names the
    object (``COLUMN public.film.title``), ``ref`` the object for ordering."""

    kind: ClassVar[str] = "set_comment"
    lock: ClassVar[Lock] = "SHARE UPDATE EXCLUSIVE"
    target: str
    before: str | None
    after: str | None
    ref: Ref = field(default=())

    def reverse(self) -> Operation:
        return replace(self, before=self.after, after=self.before)

    @property
    def refs(self) -> tuple[Ref, ...]:
        return (self.ref,) if self.ref else ()

    @property
    def subject(self) -> str:
        return self.target


__all__ = [
    "AddColumn",
    "AddConstraint",
    "AddEnumValue",
    "AlterColumnDefault",
    "AlterColumnIdentity",
    "AlterColumnNullable",
    "AlterColumnType",
    "AlterCompositeType",
    "AlterDomain",
    "AlterSequence",
    "AlterTable",
    "AlterTriggerState",
    "AttachPartition",
    "Constraint",
    "CreateExtension",
    "CreateFunction",
    "CreateIndex",
    "CreatePolicy",
    "CreateSchema",
    "CreateSequence",
    "CreateTable",
    "CreateTrigger",
    "CreateType",
    "CreateView",
    "DetachPartition",
    "DropColumn",
    "DropConstraint",
    "DropExtension",
    "DropFunction",
    "DropIndex",
    "DropPolicy",
    "DropSchema",
    "DropSequence",
    "DropTable",
    "DropTrigger",
    "DropType",
    "DropView",
    "EnumUsage",
    "InvalidateConstraint",
    "Key",
    "Operation",
    "RecreateEnum",
    "Ref",
    "RenameColumn",
    "RenameConstraint",
    "RenameIndex",
    "RenameTable",
    "ReplaceFunction",
    "SetComment",
    "ValidateConstraint",
    "constraint_kind",
]
