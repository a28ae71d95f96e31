"""Tables and views assembled from the rows of the set-based catalog queries.

Constraint and index keys arrive as attnum arrays (``conkey``, ``indkey``, ...) and are named here
from the rows of ``columns.sql``, and collations and operator classes arrive as oids named from
``collations.sql`` and ``opclasses.sql``: resolving each key with joins in SQL was most of the
time those queries took (see the comments in the .sql files).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from pgshape.errors import ServerError
from pgshape.model import (
    CheckConstraint,
    Column,
    Deferral,
    ExclusionConstraint,
    ForeignKey,
    Generated,
    Identity,
    Index,
    IndexKey,
    PartitionOf,
    Policy,
    PrimaryKey,
    Table,
    Trigger,
    UniqueConstraint,
    View,
)

# A row of a catalog query (psycopg's namedtuple_row: fields named like the query's columns).
Row = Any
Rows = list[Row]
# One relation's columns by attnum.
Attributes = dict[int, Row]


def group(rows: Iterable[Row]) -> dict[int, Rows]:
    """Rows by their ``relation_oid``, in query order."""
    grouped: dict[int, Rows] = defaultdict(list)
    for row in rows:
        grouped[row.relation_oid].append(row)
    return grouped


def attributes_by_relation(columns: dict[int, Rows]) -> dict[int, Attributes]:
    return {oid: {row.attnum: row for row in rows} for oid, rows in columns.items()}


def _names(attributes: Attributes, attnums: Iterable[int]) -> tuple[str, ...]:
    try:
        return tuple([attributes[attnum].name for attnum in attnums])
    except KeyError:
        # Only possible when a table changed between two of the queries (inside a caller's
        # READ COMMITTED transaction); our own transaction is REPEATABLE READ.
        raise ServerError("the schema changed while it was being read; try again") from None


# Columns ---------------------------------------------------------------------------------------

# The value range of each integer type a sequence can have: (min, max).
_INTEGER_RANGES = {
    "smallint": (-(2**15), 2**15 - 1),
    "integer": (-(2**31), 2**31 - 1),
    "bigint": (-(2**63), 2**63 - 1),
}


def default_bounds(type_name: str, increment: int) -> tuple[int, int]:
    """PostgreSQL's default (min, max) for a sequence of this type and direction."""
    low, high = _INTEGER_RANGES.get(type_name, _INTEGER_RANGES["bigint"])
    return (1, high) if increment > 0 else (low, -1)


def unless(value: int, default: int) -> int | None:
    return None if value == default else value


def _identity(row: Row) -> Identity | None:
    if not row.identity:
        return None
    if row.identity_increment is None:  # pragma: no cover - the sequence always exists
        return Identity(always=row.identity == "a")
    increment = row.identity_increment
    low, high = default_bounds(row.identity_type, increment)
    # PostgreSQL starts at the sequence's own minimum (ascending) or maximum (descending).
    default_start = row.identity_min if increment > 0 else row.identity_max
    return Identity(
        always=row.identity == "a",
        start=unless(row.identity_start, default_start),
        increment=unless(increment, 1),
        min_value=unless(row.identity_min, low),
        max_value=unless(row.identity_max, high),
        cache=unless(row.identity_cache, 1),
        cycle=row.identity_cycle,
    )


_GENERATED_KINDS = {"s": "stored", "v": "virtual"}


def column_collation(row: Row, collations: dict[int, str]) -> str | None:
    """The column's collation when it is not its type's default."""
    oid = row.collation_oid
    return collations[oid] if oid and oid != row.type_collation_oid else None


def _column(row: Row, collations: dict[int, str]) -> Column:
    # pg_attrdef holds the generation expression of a generated column, not a default.
    generated = _GENERATED_KINDS.get(row.generated)
    return Column(
        name=row.name,
        type=row.type,
        nullable=row.nullable,
        default=None if generated else row.expression,
        identity=_identity(row),
        generated=Generated(expression=row.expression, kind=generated) if generated else None,  # type: ignore[arg-type]
        collation=column_collation(row, collations),
        comment=row.comment,
        inherited=row.inherited,
    )


# Where a columns.sql row starts describing the column itself (after relation_oid,
# relation_kind and attnum).
_COLUMN_FIELDS = 3


# Constraints -----------------------------------------------------------------------------------

_ACTIONS = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}
_MATCH_TYPES = {"s": "SIMPLE", "f": "FULL", "p": "PARTIAL"}


def _deferral(row: Row) -> Deferral | None:
    return Deferral(initially_deferred=row.initially_deferred) if row.deferrable else None


def _included(row: Row, attributes: Attributes) -> tuple[str, ...]:
    """The INCLUDE columns of a constraint's index: its columns after the key columns."""
    return _names(attributes, row.index_columns[row.key_count :])


def _primary_key(row: Row, attributes: Attributes) -> PrimaryKey:
    return PrimaryKey(
        name=row.name,
        columns=_names(attributes, row.columns),
        include=_included(row, attributes),
        deferrable=_deferral(row),
        comment=row.comment,
    )


def _unique(row: Row, attributes: Attributes) -> UniqueConstraint:
    return UniqueConstraint(
        name=row.name,
        columns=_names(attributes, row.columns),
        include=_included(row, attributes),
        nulls_not_distinct=row.nulls_not_distinct,
        deferrable=_deferral(row),
        comment=row.comment,
    )


def _foreign_key(row: Row, attributes: Attributes, referenced: Attributes) -> ForeignKey:
    # A table outside the introspected schemas has no rows in columns.sql; the query names its
    # columns itself.
    if row.referenced_names is not None:
        referenced_columns = tuple(row.referenced_names)
    else:
        referenced_columns = _names(referenced, row.referenced_columns)
    return ForeignKey(
        name=row.name,
        columns=_names(attributes, row.columns),
        referenced_schema=row.referenced_schema,
        referenced_table=row.referenced_table,
        referenced_columns=referenced_columns,
        on_delete=_ACTIONS[row.on_delete],  # type: ignore[arg-type]
        on_update=_ACTIONS[row.on_update],  # type: ignore[arg-type]
        match=_MATCH_TYPES[row.match],  # type: ignore[arg-type]
        deferrable=_deferral(row),
        validated=row.validated,
        on_delete_columns=_names(attributes, row.on_delete_columns or ()),
        comment=row.comment,
    )


def _check(row: Row) -> CheckConstraint:
    return CheckConstraint(
        name=row.name,
        expression=row.expression,
        validated=row.validated,
        no_inherit=row.no_inherit,
        comment=row.comment,
    )


def _exclusion(row: Row) -> ExclusionConstraint:
    return ExclusionConstraint(
        name=row.name, definition=row.definition, deferrable=_deferral(row), comment=row.comment
    )


# Triggers and policies ---------------------------------------------------------------------------

# pg_trigger.tgtype bits (see src/include/catalog/pg_trigger.h).
_TRIGGER_ROW = 1 << 0
_TRIGGER_BEFORE = 1 << 1
_TRIGGER_INSTEAD = 1 << 6
_TRIGGER_EVENTS = (("INSERT", 1 << 2), ("UPDATE", 1 << 4), ("DELETE", 1 << 3), ("TRUNCATE", 1 << 5))
_TRIGGER_ENABLED = {"O": "ORIGIN", "D": "DISABLED", "R": "REPLICA", "A": "ALWAYS"}


def _trigger(row: Row) -> Trigger:
    bits = row.type
    if bits & _TRIGGER_INSTEAD:
        timing = "INSTEAD OF"
    elif bits & _TRIGGER_BEFORE:
        timing = "BEFORE"
    else:
        timing = "AFTER"
    return Trigger(
        name=row.name,
        definition=row.definition,
        timing=timing,  # type: ignore[arg-type]
        events=tuple(event for event, bit in _TRIGGER_EVENTS if bits & bit),
        for_each_row=bool(bits & _TRIGGER_ROW),
        function=row.function,
        enabled=_TRIGGER_ENABLED[row.enabled],  # type: ignore[arg-type]
        comment=row.comment,
    )


_POLICY_COMMANDS = {"*": "ALL", "r": "SELECT", "a": "INSERT", "w": "UPDATE", "d": "DELETE"}


def _policy(row: Row) -> Policy:
    return Policy(
        name=row.name,
        command=_POLICY_COMMANDS[row.command],  # type: ignore[arg-type]
        permissive=row.permissive,
        roles=tuple(row.roles),
        using=row.using,
        with_check=row.with_check,
        comment=row.comment,
    )


# Tables and views ------------------------------------------------------------------------------

_INDOPTION_DESC = 1
_INDOPTION_NULLS_FIRST = 2


class _Constraints:
    """One table's constraints, by kind."""

    __slots__ = ("checks", "exclusions", "foreign_keys", "primary_key", "uniques")

    def __init__(self) -> None:
        self.primary_key: PrimaryKey | None = None
        self.foreign_keys: list[ForeignKey] = []
        self.uniques: list[UniqueConstraint] = []
        self.checks: list[CheckConstraint] = []
        self.exclusions: list[ExclusionConstraint] = []


_NO_CONSTRAINTS = _Constraints()


class RelationParts:
    """The per-relation parts of tables and views, built from each query's rows as they arrive.

    The ``add_*`` methods are called in query order (columns first: keys are named from them);
    :meth:`table` and :meth:`view` then put the parts of one relation together.
    ``collations`` names every collation oid; ``opclasses`` names the operator classes that are
    not their type's default (an index key mentions only those).
    """

    def __init__(self, *, collations: dict[int, str], opclasses: dict[int, str]) -> None:
        self.collations = collations
        self.opclasses = opclasses
        self.column_rows: dict[int, Rows] = {}
        self.attributes: dict[int, Attributes] = {}
        self.columns: dict[int, tuple[Column, ...]] = {}
        self.constraints: dict[int, _Constraints] = {}
        self.indexes: dict[int, list[Index]] = defaultdict(list)
        self.triggers: dict[int, list[Trigger]] = defaultdict(list)
        self.policies: dict[int, list[Policy]] = defaultdict(list)
        self.column_values: dict[tuple[Any, ...], Column] = {}
        self.key_values: dict[tuple[Any, ...], IndexKey] = {}

    def add_columns(self, rows: Rows) -> None:
        self.column_rows = group(rows)
        self.attributes = attributes_by_relation(self.column_rows)
        for oid, relation_rows in self.column_rows.items():
            if relation_rows[0].relation_kind in ("v", "m"):
                columns = [Column(name=row.name, type=row.type, comment=row.comment) for row in relation_rows]
            else:
                columns = [self._column(row) for row in relation_rows]
            self.columns[oid] = tuple(columns)

    def add_constraints(self, rows: Rows) -> None:
        attributes_of = self.attributes
        for row in rows:
            oid = row.relation_oid
            found = self.constraints.get(oid)
            if found is None:
                found = self.constraints[oid] = _Constraints()
            attributes = attributes_of.get(oid, {})
            kind = row.type
            if kind == "f":
                referenced = attributes_of.get(row.referenced_oid, {})
                found.foreign_keys.append(_foreign_key(row, attributes, referenced))
            elif kind == "c":
                found.checks.append(_check(row))
            elif kind == "u":
                found.uniques.append(_unique(row, attributes))
            elif kind == "p":
                found.primary_key = _primary_key(row, attributes)
            else:
                found.exclusions.append(_exclusion(row))

    def add_indexes(self, rows: Rows) -> None:
        for row in rows:
            oid = row.relation_oid
            self.indexes[oid].append(self._index(row, self.attributes.get(oid, {})))

    def add_triggers(self, rows: Rows) -> None:
        for row in rows:
            self.triggers[row.relation_oid].append(_trigger(row))

    def add_policies(self, rows: Rows) -> None:
        for row in rows:
            self.policies[row.relation_oid].append(_policy(row))

    def table(self, row: Row) -> Table:
        oid = row.oid
        constraints = self.constraints.get(oid, _NO_CONSTRAINTS)
        return Table(
            schema=row.schema,
            name=row.name,
            columns=self.columns.get(oid, ()),
            primary_key=constraints.primary_key,
            foreign_keys=tuple(constraints.foreign_keys),
            unique_constraints=tuple(constraints.uniques),
            check_constraints=tuple(constraints.checks),
            exclusion_constraints=tuple(constraints.exclusions),
            indexes=tuple(self.indexes.get(oid, ())),
            triggers=tuple(self.triggers.get(oid, ())),
            policies=tuple(self.policies.get(oid, ())),
            rls_enabled=row.rls_enabled,
            rls_forced=row.rls_forced,
            unlogged=row.unlogged,
            partition_by=row.partition_by,
            partition_of=_partition_of(row),
            inherits=tuple((schema, name) for schema, name in row.inherits),
            options=tuple(row.options),
            comment=row.comment,
        )

    def view(self, row: Row, view_row: Row) -> View:
        oid = row.oid
        return View(
            schema=row.schema,
            name=row.name,
            definition=view_row.definition,
            materialized=row.kind == "m",
            columns=self.columns.get(oid, ()),
            options=tuple(row.options),
            indexes=tuple(self.indexes.get(oid, ())),
            triggers=tuple(self.triggers.get(oid, ())),
            depends_on=tuple((schema, name) for schema, name in view_row.depends_on),
            comment=row.comment,
        )

    def _column(self, row: Row) -> Column:
        # Columns are immutable values and most of them repeat across tables (id, name,
        # created_at, ...): one Column per distinct row is built and shared, which made building
        # the columns of 2,400 tables several times faster.
        key = row[_COLUMN_FIELDS:]
        column = self.column_values.get(key)
        if column is None:
            column = self.column_values[key] = _column(row, self.collations)
        return column

    def _index(self, row: Row, attributes: Attributes) -> Index:
        key_count = row.key_count
        attnums: Sequence[int] = row.columns
        return Index(
            name=row.name,
            keys=self._index_keys(row, attributes),
            unique=row.is_unique,
            method=row.method,
            include=_names(attributes, attnums[key_count:]),
            predicate=row.predicate,
            nulls_not_distinct=row.nulls_not_distinct,
            options=tuple(sorted(row.options)),
            comment=row.comment,
        )

    def _index_keys(self, row: Row, attributes: Attributes) -> tuple[IndexKey, ...]:
        # The expression keys, in order, as [text, collation oid or None] pairs.
        expressions = iter(row.expressions or ())
        keys = []
        sort_options, opclasses, collations = row.sort_options, row.opclasses, row.collations
        for position, attnum in enumerate(row.columns[: row.key_count]):
            collation_oid = collations[position]
            if attnum:
                column = attributes.get(attnum)
                if column is None:
                    _names(attributes, (attnum,))  # raises the changed-schema error
                name, expression = column.name, None
                # The key's collation counts when it is not the column's own.
                if collation_oid == column.collation_oid:
                    collation_oid = 0
            else:
                name = None
                expression, differing = next(expressions)
                collation_oid = int(differing) if differing is not None else 0
            # Like columns, keys repeat across indexes (id, created_at DESC, ...): built once.
            spec = (name, expression, sort_options[position], opclasses[position], collation_oid)
            key = self.key_values.get(spec)
            if key is None:
                key = self.key_values[spec] = self._index_key(*spec)
            keys.append(key)
        return tuple(keys)

    def _index_key(
        self, name: str | None, expression: str | None, option: int, opclass_oid: int, collation_oid: int
    ) -> IndexKey:
        descending = bool(option & _INDOPTION_DESC)
        nulls_first = bool(option & _INDOPTION_NULLS_FIRST)
        return IndexKey(
            column=name,
            expression=expression,
            descending=descending,
            # NULLS FIRST is the default for DESC, NULLS LAST for ASC.
            nulls_first=None if nulls_first == descending else nulls_first,
            opclass=self.opclasses.get(opclass_oid),
            collation=self.collations[collation_oid] if collation_oid else None,
        )


def _partition_of(row: Row) -> PartitionOf | None:
    if row.partition_bound is None or row.parent_name is None:
        return None
    return PartitionOf(schema=row.parent_schema, table=row.parent_name, bound=row.partition_bound)
