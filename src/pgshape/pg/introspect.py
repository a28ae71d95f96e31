"""Reading a database's schema from the system catalogs into the IR.

Each object kind has one set-based query in ``queries/*.sql`` that runs once for the whole
database; rows are grouped by relation here. The queries run in one read-only transaction with
an empty ``search_path``, so everything PostgreSQL prints (``format_type``, ``pg_get_expr``,
``pg_get_indexdef``, ``regproc`` casts, ...) is schema-qualified except what lives in
``pg_catalog``: the canonical form of the IR. The same SQL runs on PostgreSQL 13 to 18; columns
that only newer versions have are read through ``to_jsonb(row) ->> 'column'``.

Objects that belong to an extension are left out (the extension itself is listed), and so is
whatever a partition or inheritance child receives from its parent (cloned constraints,
indexes and triggers): those are the parent's.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from importlib.resources import files
from typing import Any

import psycopg
from psycopg import pq
from psycopg.rows import dict_row

from pgshape.model import (
    CheckConstraint,
    Column,
    CompositeAttribute,
    CompositeType,
    Database,
    Deferral,
    Domain,
    EnumType,
    ExclusionConstraint,
    Extension,
    ForeignKey,
    Function,
    Generated,
    Identity,
    Index,
    IndexKey,
    PartitionOf,
    Policy,
    PrimaryKey,
    SchemaInfo,
    Table,
    Trigger,
    UniqueConstraint,
    View,
)
from pgshape.model import Sequence as SequenceObject
from pgshape.pg.connect import connect

Progress = Callable[[str], None]
Row = dict[str, Any]
Rows = list[Row]

__all__ = ["introspect", "introspect_connection"]


def introspect(
    url: str, *, schemas: Sequence[str] | None = None, progress: Progress | None = None
) -> Database:
    """The schema of the database at ``url`` (all non-system schemas, or only ``schemas``)."""
    with connect(url, read_only=True) as conn:
        return introspect_connection(conn, schemas=schemas, progress=progress)


def introspect_connection(
    conn: psycopg.Connection[Any],
    *,
    schemas: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> Database:
    """Like :func:`introspect`, on a connection the caller holds.

    When the connection is idle the reading happens in a transaction of its own, made read-only.
    Inside the caller's transaction it runs in a savepoint and the caller's ``search_path`` is
    restored afterwards.
    """
    own_transaction = conn.info.transaction_status == pq.TransactionStatus.IDLE
    with conn.transaction():
        if own_transaction:
            conn.execute("SET TRANSACTION READ ONLY")
        (previous,) = conn.execute("SELECT pg_catalog.current_setting('search_path')").fetchone() or ("",)
        conn.execute("SELECT pg_catalog.set_config('search_path', '', true)")
        database = _without_gc(_Reader(conn, progress or _silent).read, schemas)
        if not own_transaction:
            conn.execute("SELECT pg_catalog.set_config('search_path', %s, true)", [previous])
    return database


def _silent(message: str) -> None:
    pass


def _without_gc(read: Callable[[Sequence[str] | None], Database], schemas: Sequence[str] | None) -> Database:
    """Run ``read`` with the cyclic garbage collector paused.

    Building the model allocates hundreds of thousands of small objects and no cycles; left on,
    the collector rescans them over and over (a third of the time on large schemas).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return read(schemas)
    finally:
        if enabled:
            gc.enable()


@cache
def _query(name: str) -> str:
    return (files("pgshape.pg") / "queries" / f"{name}.sql").read_text(encoding="utf-8")


class _Reader:
    """Runs each query once and assembles the IR."""

    def __init__(self, conn: psycopg.Connection[Any], progress: Progress) -> None:
        self.conn = conn
        self.progress = progress
        self.params: dict[str, Any] = {}

    def rows(self, name: str) -> Rows:
        self.progress(name)
        with self.conn.cursor(row_factory=dict_row) as cursor:
            cursor.execute(_query(name), self.params)  # type: ignore[arg-type]
            return cursor.fetchall()

    def read(self, schemas: Sequence[str] | None) -> Database:
        if isinstance(schemas, str):  # one name, not a sequence of characters
            schemas = [schemas]
        self.params = {"schemas": list(schemas) if schemas is not None else None}
        schema_rows = self.rows("schemas")
        # Every later query is limited to the schemas found here.
        self.params = {"schemas": [row["name"] for row in schema_rows]}
        extensions = [_extension(row) for row in self.rows("extensions")]
        enums = [_enum(row) for row in self.rows("enums")]
        domains = [_domain(row) for row in self.rows("domains")]
        composite_rows = self.rows("composites")
        sequences = [_sequence(row) for row in self.rows("sequences")]
        relations = self.rows("relations")
        views_by_oid = {row["oid"]: row for row in self.rows("views")}
        columns = _group(self.rows("columns"))
        constraints = _group(self.rows("constraints"))
        indexes = _group(self.rows("indexes"))
        triggers = _group(self.rows("triggers"))
        policies = _group(self.rows("policies"))
        functions = [_function(row) for row in self.rows("functions")]
        self.progress("assembling")
        parts = _RelationParts(columns, constraints, indexes, triggers, policies)
        return Database(
            schemas=tuple(_schema(row) for row in schema_rows),
            extensions=tuple(extensions),
            enums=tuple(enums),
            domains=tuple(domains),
            composite_types=tuple(
                _composite(row, columns.get(row["relation_oid"], [])) for row in composite_rows
            ),
            sequences=tuple(sequences),
            tables=tuple(parts.table(row) for row in relations if row["kind"] in ("r", "p")),
            views=tuple(
                parts.view(row, views_by_oid[row["oid"]]) for row in relations if row["kind"] in ("v", "m")
            ),
            functions=tuple(functions),
            expressions_canonical=True,
        )


def _group(rows: Iterable[Row]) -> dict[int, Rows]:
    grouped: dict[int, Rows] = defaultdict(list)
    for row in rows:
        grouped[row["relation_oid"]].append(row)
    return grouped


# Schemas, extensions, types, sequences ---------------------------------------------------------

# PostgreSQL's own comment on the public schema is not part of anyone's design.
_DEFAULT_PUBLIC_COMMENT = "standard public schema"


def _schema(row: Row) -> SchemaInfo:
    comment = row["comment"]
    if row["name"] == "public" and comment == _DEFAULT_PUBLIC_COMMENT:
        comment = None
    return SchemaInfo(name=row["name"], comment=comment)


def _extension(row: Row) -> Extension:
    return Extension(name=row["name"], schema=row["schema"], version=row["version"])


def _enum(row: Row) -> EnumType:
    return EnumType(
        schema=row["schema"], name=row["name"], labels=tuple(row["labels"]), comment=row["comment"]
    )


def _domain(row: Row) -> Domain:
    return Domain(
        schema=row["schema"],
        name=row["name"],
        base_type=row["base_type"],
        nullable=row["nullable"],
        default=row["default"],
        collation=row["collation"],
        checks=tuple(
            CheckConstraint(
                name=check["name"],
                expression=check["expression"],
                validated=check["validated"],
                comment=check["comment"],
            )
            for check in row["checks"]
        ),
        comment=row["comment"],
    )


def _composite(row: Row, columns: Rows) -> CompositeType:
    return CompositeType(
        schema=row["schema"],
        name=row["name"],
        attributes=tuple(
            CompositeAttribute(name=column["name"], type=column["type"], collation=column["collation"])
            for column in columns
        ),
        comment=row["comment"],
    )


# The value range of each integer type a sequence can have: (min, max).
_INTEGER_RANGES = {
    "smallint": (-(2**15), 2**15 - 1),
    "integer": (-(2**31), 2**31 - 1),
    "bigint": (-(2**63), 2**63 - 1),
}


def _default_bounds(type_name: str, increment: int) -> tuple[int, int]:
    """PostgreSQL's default (min, max) for a sequence of this type and direction."""
    low, high = _INTEGER_RANGES.get(type_name, _INTEGER_RANGES["bigint"])
    return (1, high) if increment > 0 else (low, -1)


def _unless(value: int, default: int) -> int | None:
    return None if value == default else value


def _sequence(row: Row) -> SequenceObject:
    low, high = _default_bounds(row["type"], row["increment"])
    owner = (row["owner_schema"], row["owner_table"], row["owner_column"])
    return SequenceObject(
        schema=row["schema"],
        name=row["name"],
        type=row["type"],
        start=row["start"],
        increment=row["increment"],
        min_value=_unless(row["min_value"], low),
        max_value=_unless(row["max_value"], high),
        cache=row["cache"],
        cycle=row["cycle"],
        owned_by=owner if row["owner_table"] is not None else None,
        comment=row["comment"],
    )


# Columns ---------------------------------------------------------------------------------------


def _identity(row: Row) -> Identity | None:
    if not row["identity"]:
        return None
    if row["identity_increment"] is None:  # pragma: no cover - the sequence always exists
        return Identity(always=row["identity"] == "a")
    increment = row["identity_increment"]
    low, high = _default_bounds(row["identity_type"], increment)
    # PostgreSQL starts at the sequence's own minimum (ascending) or maximum (descending).
    default_start = row["identity_min"] if increment > 0 else row["identity_max"]
    return Identity(
        always=row["identity"] == "a",
        start=_unless(row["identity_start"], default_start),
        increment=_unless(increment, 1),
        min_value=_unless(row["identity_min"], low),
        max_value=_unless(row["identity_max"], high),
        cache=_unless(row["identity_cache"], 1),
        cycle=row["identity_cycle"],
    )


_GENERATED_KINDS = {"s": "stored", "v": "virtual"}


def _column(row: Row) -> Column:
    # pg_attrdef holds the generation expression of a generated column, not a default.
    generated = _GENERATED_KINDS.get(row["generated"])
    return Column(
        name=row["name"],
        type=row["type"],
        nullable=row["nullable"],
        default=None if generated else row["expression"],
        identity=_identity(row),
        generated=Generated(expression=row["expression"], kind=generated) if generated else None,  # type: ignore[arg-type]
        collation=row["collation"],
        comment=row["comment"],
        inherited=row["inherited"],
    )


def _view_column(row: Row) -> Column:
    return Column(name=row["name"], type=row["type"], comment=row["comment"])


# Constraints -----------------------------------------------------------------------------------

_ACTIONS = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}
_MATCH_TYPES = {"s": "SIMPLE", "f": "FULL", "p": "PARTIAL"}


def _deferral(row: Row) -> Deferral | None:
    return Deferral(initially_deferred=row["initially_deferred"]) if row["deferrable"] else None


def _primary_key(row: Row) -> PrimaryKey:
    return PrimaryKey(
        name=row["name"],
        columns=tuple(row["columns"]),
        include=tuple(row["include"]),
        deferrable=_deferral(row),
        comment=row["comment"],
    )


def _unique(row: Row) -> UniqueConstraint:
    return UniqueConstraint(
        name=row["name"],
        columns=tuple(row["columns"]),
        include=tuple(row["include"]),
        nulls_not_distinct=row["nulls_not_distinct"],
        deferrable=_deferral(row),
        comment=row["comment"],
    )


def _foreign_key(row: Row) -> ForeignKey:
    return ForeignKey(
        name=row["name"],
        columns=tuple(row["columns"]),
        referenced_schema=row["referenced_schema"],
        referenced_table=row["referenced_table"],
        referenced_columns=tuple(row["referenced_columns"]),
        on_delete=_ACTIONS[row["on_delete"]],  # type: ignore[arg-type]
        on_update=_ACTIONS[row["on_update"]],  # type: ignore[arg-type]
        match=_MATCH_TYPES[row["match"]],  # type: ignore[arg-type]
        deferrable=_deferral(row),
        validated=row["validated"],
        on_delete_columns=tuple(row["on_delete_columns"] or ()),
        comment=row["comment"],
    )


def _check(row: Row) -> CheckConstraint:
    return CheckConstraint(
        name=row["name"],
        expression=row["expression"],
        validated=row["validated"],
        no_inherit=row["no_inherit"],
        comment=row["comment"],
    )


def _exclusion(row: Row) -> ExclusionConstraint:
    return ExclusionConstraint(
        name=row["name"], definition=row["definition"], deferrable=_deferral(row), comment=row["comment"]
    )


# Indexes ---------------------------------------------------------------------------------------

_INDOPTION_DESC = 1
_INDOPTION_NULLS_FIRST = 2


def _index_key(key: Row) -> IndexKey:
    option = key["option"] or 0
    descending = bool(option & _INDOPTION_DESC)
    nulls_first = bool(option & _INDOPTION_NULLS_FIRST)
    return IndexKey(
        column=key["column"],
        expression=key["expression"],
        descending=descending,
        # NULLS FIRST is the default for DESC, NULLS LAST for ASC.
        nulls_first=None if nulls_first == descending else nulls_first,
        opclass=key["opclass"],
        collation=key["collation"],
    )


def _index(row: Row) -> Index:
    return Index(
        name=row["name"],
        keys=tuple(_index_key(key) for key in row["keys"] or ()),
        unique=row["unique"],
        method=row["method"],
        include=tuple(row["include"]),
        predicate=row["predicate"],
        nulls_not_distinct=row["nulls_not_distinct"],
        options=tuple(sorted(row["options"])),
        comment=row["comment"],
    )


# Triggers and policies ---------------------------------------------------------------------------

# pg_trigger.tgtype bits (see src/include/catalog/pg_trigger.h).
_TRIGGER_ROW = 1 << 0
_TRIGGER_BEFORE = 1 << 1
_TRIGGER_INSTEAD = 1 << 6
_TRIGGER_EVENTS = (("INSERT", 1 << 2), ("UPDATE", 1 << 4), ("DELETE", 1 << 3), ("TRUNCATE", 1 << 5))
_TRIGGER_ENABLED = {"O": "ORIGIN", "D": "DISABLED", "R": "REPLICA", "A": "ALWAYS"}


def _trigger(row: Row) -> Trigger:
    bits = row["type"]
    if bits & _TRIGGER_INSTEAD:
        timing = "INSTEAD OF"
    elif bits & _TRIGGER_BEFORE:
        timing = "BEFORE"
    else:
        timing = "AFTER"
    return Trigger(
        name=row["name"],
        definition=row["definition"],
        timing=timing,  # type: ignore[arg-type]
        events=tuple(event for event, bit in _TRIGGER_EVENTS if bits & bit),
        for_each_row=bool(bits & _TRIGGER_ROW),
        function=row["function"],
        enabled=_TRIGGER_ENABLED[row["enabled"]],  # type: ignore[arg-type]
        comment=row["comment"],
    )


_POLICY_COMMANDS = {"*": "ALL", "r": "SELECT", "a": "INSERT", "w": "UPDATE", "d": "DELETE"}


def _policy(row: Row) -> Policy:
    return Policy(
        name=row["name"],
        command=_POLICY_COMMANDS[row["command"]],  # type: ignore[arg-type]
        permissive=row["permissive"],
        roles=tuple(row["roles"]),
        using=row["using"],
        with_check=row["with_check"],
        comment=row["comment"],
    )


# Tables and views ------------------------------------------------------------------------------


class _RelationParts:
    """Per-relation rows of the set-based queries, assembled into tables and views."""

    def __init__(
        self,
        columns: dict[int, Rows],
        constraints: dict[int, Rows],
        indexes: dict[int, Rows],
        triggers: dict[int, Rows],
        policies: dict[int, Rows],
    ) -> None:
        self.columns = columns
        self.constraints = constraints
        self.indexes = indexes
        self.triggers = triggers
        self.policies = policies

    def table(self, row: Row) -> Table:
        oid = row["oid"]
        by_type: dict[str, Rows] = defaultdict(list)
        for constraint in self.constraints.get(oid, ()):
            by_type[constraint["type"]].append(constraint)
        primary_keys = by_type["p"]
        return Table(
            schema=row["schema"],
            name=row["name"],
            columns=tuple(_column(column) for column in self.columns.get(oid, ())),
            primary_key=_primary_key(primary_keys[0]) if primary_keys else None,
            foreign_keys=tuple(_foreign_key(c) for c in by_type["f"]),
            unique_constraints=tuple(_unique(c) for c in by_type["u"]),
            check_constraints=tuple(_check(c) for c in by_type["c"]),
            exclusion_constraints=tuple(_exclusion(c) for c in by_type["x"]),
            indexes=tuple(_index(index) for index in self.indexes.get(oid, ())),
            triggers=tuple(_trigger(trigger) for trigger in self.triggers.get(oid, ())),
            policies=tuple(_policy(policy) for policy in self.policies.get(oid, ())),
            rls_enabled=row["rls_enabled"],
            rls_forced=row["rls_forced"],
            unlogged=row["unlogged"],
            partition_by=row["partition_by"],
            partition_of=_partition_of(row),
            inherits=tuple((schema, name) for schema, name in row["inherits"]),
            options=tuple(row["options"]),
            comment=row["comment"],
        )

    def view(self, row: Row, view_row: Row) -> View:
        oid = row["oid"]
        return View(
            schema=row["schema"],
            name=row["name"],
            definition=view_row["definition"],
            materialized=row["kind"] == "m",
            columns=tuple(_view_column(column) for column in self.columns.get(oid, ())),
            options=tuple(row["options"]),
            indexes=tuple(_index(index) for index in self.indexes.get(oid, ())),
            triggers=tuple(_trigger(trigger) for trigger in self.triggers.get(oid, ())),
            depends_on=tuple((schema, name) for schema, name in view_row["depends_on"]),
            comment=row["comment"],
        )


def _partition_of(row: Row) -> PartitionOf | None:
    if row["partition_bound"] is None or row["parent_name"] is None:
        return None
    return PartitionOf(schema=row["parent_schema"], table=row["parent_name"], bound=row["partition_bound"])


# Functions -------------------------------------------------------------------------------------

_FUNCTION_KINDS = {"f": "function", "p": "procedure", "a": "aggregate", "w": "window"}
_VOLATILITIES = {"i": "immutable", "s": "stable", "v": "volatile"}


def _function(row: Row) -> Function:
    return Function(
        schema=row["schema"],
        name=row["name"],
        arguments=row["arguments"],
        definition=row["definition"],
        kind=_FUNCTION_KINDS[row["kind"]],  # type: ignore[arg-type]
        returns=row["returns"],
        language=row["language"],
        security_definer=row["security_definer"],
        volatility=_VOLATILITIES[row["volatility"]],  # type: ignore[arg-type]
        config=tuple(sorted(row["config"])),
        depends_on=tuple((schema, name) for schema, name in row["depends_on"]),
        comment=row["comment"],
    )
