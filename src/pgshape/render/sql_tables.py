"""DDL for tables and what hangs off them: columns, constraints, indexes, triggers, policies.

Partitions and inheritance children receive some objects from their parents (PostgreSQL clones
a partitioned table's keys, indexes, foreign keys, checks and row triggers into every
partition; an inheritance child gets its parents' checks). An IR read from a server lists those
clones on the child too, so they are recognised here and not created a second time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from pgshape.model import (
    CheckConstraint,
    Column,
    Deferral,
    ExclusionConstraint,
    ForeignKey,
    Identity,
    Index,
    IndexKey,
    Policy,
    PrimaryKey,
    Table,
    Trigger,
    UniqueConstraint,
)
from pgshape.render.identifiers import qualified, quote_ident, quote_idents
from pgshape.render.sql_objects import verbatim

# Columns --------------------------------------------------------------------------------------

_IDENTITY_OPTIONS: tuple[tuple[str, str], ...] = (
    ("start", "START WITH"),
    ("increment", "INCREMENT BY"),
    ("min_value", "MINVALUE"),
    ("max_value", "MAXVALUE"),
    ("cache", "CACHE"),
)


def identity_clause(identity: Identity) -> str:
    kind = "ALWAYS" if identity.always else "BY DEFAULT"
    # Options left as None are PostgreSQL's defaults for the column type: leave them out.
    options = [
        f"{keyword} {getattr(identity, field)}"
        for field, keyword in _IDENTITY_OPTIONS
        if getattr(identity, field) is not None
    ]
    if identity.cycle:
        options.append("CYCLE")
    suffix = f" ({' '.join(options)})" if options else ""
    return f"GENERATED {kind} AS IDENTITY{suffix}"


def column_definition(column: Column) -> str:
    parts = [quote_ident(column.name), column.type]
    if column.collation:
        parts.append(f"COLLATE {column.collation}")
    if column.default is not None:
        parts.append(f"DEFAULT {column.default}")
    if column.identity is not None:
        parts.append(identity_clause(column.identity))
    if column.generated is not None:
        parts.append(f"GENERATED ALWAYS AS ({column.generated.expression}) {column.generated.kind.upper()}")
    if not column.nullable:
        parts.append("NOT NULL")
    return " ".join(parts)


# Constraints ----------------------------------------------------------------------------------


def deferral_clause(deferral: Deferral | None) -> str:
    if deferral is None:
        return ""
    return " DEFERRABLE INITIALLY DEFERRED" if deferral.initially_deferred else " DEFERRABLE"


def _include(columns: tuple[str, ...]) -> str:
    return f" INCLUDE ({quote_idents(columns)})" if columns else ""


def primary_key_element(pk: PrimaryKey) -> str:
    return (
        f"CONSTRAINT {quote_ident(pk.name)} PRIMARY KEY ({quote_idents(pk.columns)})"
        f"{_include(pk.include)}{deferral_clause(pk.deferrable)}"
    )


def unique_element(unique: UniqueConstraint) -> str:
    nulls = " NULLS NOT DISTINCT" if unique.nulls_not_distinct else ""
    return (
        f"CONSTRAINT {quote_ident(unique.name)} UNIQUE{nulls} ({quote_idents(unique.columns)})"
        f"{_include(unique.include)}{deferral_clause(unique.deferrable)}"
    )


def check_element(check: CheckConstraint) -> str:
    no_inherit = " NO INHERIT" if check.no_inherit else ""
    return f"CONSTRAINT {quote_ident(check.name)} CHECK ({check.expression}){no_inherit}"


_TRAILING_DEFERRAL = re.compile(r"\sDEFERRABLE(\s+INITIALLY\s+(DEFERRED|IMMEDIATE))?\s*$", re.IGNORECASE)


def exclusion_element(exclusion: ExclusionConstraint) -> str:
    # pg_get_constraintdef already ends with DEFERRABLE ... when the constraint is deferrable.
    definition = exclusion.definition.strip()
    deferral = "" if _TRAILING_DEFERRAL.search(definition) else deferral_clause(exclusion.deferrable)
    return f"CONSTRAINT {quote_ident(exclusion.name)} {definition}{deferral}"


def foreign_key_clause(fk: ForeignKey) -> str:
    parts = [
        f"CONSTRAINT {quote_ident(fk.name)} FOREIGN KEY ({quote_idents(fk.columns)})",
        f"REFERENCES {qualified(*fk.referenced)} ({quote_idents(fk.referenced_columns)})",
    ]
    if fk.match != "SIMPLE":
        parts.append(f"MATCH {fk.match}")
    if fk.on_update != "NO ACTION":
        parts.append(f"ON UPDATE {fk.on_update}")
    if fk.on_delete != "NO ACTION":
        columns = f" ({quote_idents(fk.on_delete_columns)})" if fk.on_delete_columns else ""
        parts.append(f"ON DELETE {fk.on_delete}{columns}")
    text = " ".join(parts) + deferral_clause(fk.deferrable)
    return text if fk.validated else f"{text} NOT VALID"


# What a child receives from its parents -------------------------------------------------------


@dataclass(frozen=True)
class Inherited:
    """The objects a table gets from its parents, so they are not created twice."""

    checks: frozenset[str] = frozenset()
    foreign_keys: frozenset[str] = frozenset()
    triggers: frozenset[str] = frozenset()
    primary_key: tuple[str, ...] | None = None
    uniques: frozenset[tuple[object, ...]] = frozenset()
    exclusions: frozenset[str] = frozenset()
    indexes: frozenset[tuple[object, ...]] = frozenset()


def unique_shape(unique: UniqueConstraint) -> tuple[object, ...]:
    return (unique.columns, unique.include, unique.nulls_not_distinct, unique.deferrable)


def _index_shape(index: Index) -> tuple[object, ...]:
    return (
        index.keys,
        index.unique,
        index.method,
        index.include,
        index.predicate,
        index.nulls_not_distinct,
        index.options,
    )


def inherited_from(table: Table, parents: list[Table]) -> Inherited:
    checks = frozenset(c.name for p in parents for c in p.check_constraints if not c.no_inherit)
    if table.partition_of is None:
        return Inherited(checks=checks)  # legacy inheritance passes on checks only
    parent_key = (table.partition_of.schema, table.partition_of.table)
    parent = next((p for p in parents if p.key == parent_key), None)
    if parent is None:  # the parent is outside the model: assume nothing is cloned
        return Inherited(checks=checks)
    return Inherited(
        checks=checks,
        foreign_keys=frozenset(fk.name for fk in parent.foreign_keys),
        triggers=frozenset(t.name for t in parent.triggers if t.for_each_row),
        primary_key=parent.primary_key.columns if parent.primary_key else None,
        uniques=frozenset(unique_shape(u) for u in parent.unique_constraints),
        exclusions=frozenset(x.definition for x in parent.exclusion_constraints),
        indexes=frozenset(_index_shape(i) for i in parent.indexes),
    )


def own_foreign_keys(table: Table, inherited: Inherited) -> list[ForeignKey]:
    return [fk for fk in table.foreign_keys if fk.name not in inherited.foreign_keys]


def own_indexes(table: Table, inherited: Inherited) -> list[Index]:
    return [index for index in table.indexes if _index_shape(index) not in inherited.indexes]


def own_triggers(table: Table, inherited: Inherited) -> list[Trigger]:
    return [trigger for trigger in table.triggers if trigger.name not in inherited.triggers]


def _constraint_elements(table: Table, inherited: Inherited) -> Iterator[str]:
    pk = table.primary_key
    if pk is not None and pk.columns != inherited.primary_key:
        yield primary_key_element(pk)
    for unique in _inline_uniques(table, inherited):
        yield unique_element(unique)
    for check in table.check_constraints:
        # NOT VALID is accepted inside CREATE TABLE but silently ignored, so those come later.
        if check.name not in inherited.checks and check.validated:
            yield check_element(check)
    for exclusion in table.exclusion_constraints:
        if exclusion.definition not in inherited.exclusions:
            yield exclusion_element(exclusion)


def _inline_uniques(table: Table, inherited: Inherited) -> list[UniqueConstraint]:
    """The unique constraints that can be declared inside CREATE TABLE.

    PostgreSQL silently drops a UNIQUE declared in CREATE TABLE when it duplicates the primary
    key or an earlier UNIQUE (same columns, INCLUDE, NULLS and deferrability); such duplicates
    must be added afterwards with ALTER TABLE to exist at all.
    """
    pk = table.primary_key
    seen = {(pk.columns, pk.include, False, pk.deferrable)} if pk is not None else set()
    inline = []
    for unique in table.unique_constraints:
        shape = unique_shape(unique)
        if shape in inherited.uniques or shape in seen:
            continue
        seen.add(shape)
        inline.append(unique)
    return inline


def _duplicate_uniques(table: Table, inherited: Inherited) -> list[UniqueConstraint]:
    inline = {unique.name for unique in _inline_uniques(table, inherited)}
    return [
        unique
        for unique in table.unique_constraints
        if unique.name not in inline and unique_shape(unique) not in inherited.uniques
    ]


# Tables ---------------------------------------------------------------------------------------


def _table_clauses(table: Table) -> str:
    clauses = ""
    if table.inherits:
        clauses += f" INHERITS ({', '.join(qualified(*parent) for parent in table.inherits)})"
    if table.partition_by:
        clauses += f" PARTITION BY {table.partition_by}"
    if table.options:
        clauses += f" WITH ({', '.join(table.options)})"
    return clauses


def _element_list(elements: list[str]) -> str:
    return "(\n" + ",\n".join(f"    {element}" for element in elements) + "\n)" if elements else "()"


def create_table(table: Table, parents: list[Table]) -> list[str]:
    """CREATE TABLE, then what cannot be said inside it (NOT VALID checks, local defaults)."""
    inherited = inherited_from(table, parents)
    name = qualified(*table.key)
    create = f"CREATE {'UNLOGGED ' if table.unlogged else ''}TABLE {name}"
    constraints = list(_constraint_elements(table, inherited))
    if table.partition_of is not None:
        # A partition takes every column from its parent; it lists only its own constraints.
        of = table.partition_of
        listed = f" {_element_list(constraints)}" if constraints else ""
        create += f" PARTITION OF {qualified(of.schema, of.table)}{listed} {of.bound}"
    else:
        # An inheritance child declares only its own columns; the rest come from the parents.
        columns = [column_definition(c) for c in table.columns if not c.inherited]
        create += f" {_element_list(columns + constraints)}"
    statements = [create + _table_clauses(table)]
    statements += _inherited_column_changes(table, parents)
    statements += [
        f"ALTER TABLE {name} ADD {unique_element(u)}" for u in _duplicate_uniques(table, inherited)
    ]
    statements += [
        f"ALTER TABLE {name} ADD {check_element(check)} NOT VALID"
        for check in table.check_constraints
        if not check.validated and check.name not in inherited.checks
    ]
    return statements


def _inherited_column_changes(table: Table, parents: list[Table]) -> Iterator[str]:
    """A child's inherited column copies the parent's default and NOT NULL; differences are
    set afterwards."""
    for column in table.columns:
        if not column.inherited and table.partition_of is None:
            continue
        source = next((c for p in parents if (c := p.column(column.name)) is not None), None)
        if source is None:
            continue
        alter = f"ALTER TABLE ONLY {qualified(*table.key)} ALTER COLUMN {quote_ident(column.name)}"
        if column.default != source.default and column.generated is None and column.identity is None:
            change = "DROP DEFAULT" if column.default is None else f"SET DEFAULT {column.default}"
            yield f"{alter} {change}"
        if not column.nullable and source.nullable:
            yield f"{alter} SET NOT NULL"


def add_foreign_key(table: Table, fk: ForeignKey) -> str:
    return f"ALTER TABLE {qualified(*table.key)} ADD {foreign_key_clause(fk)}"


# Indexes --------------------------------------------------------------------------------------


def index_key(key: IndexKey) -> str:
    # An expression key needs its own parentheses unless it is a bare function call; adding
    # them always is valid and PostgreSQL prints the same index back.
    text = quote_ident(key.column) if key.column is not None else f"({key.expression})"
    if key.collation:
        text += f" COLLATE {key.collation}"
    if key.opclass:
        text += f" {key.opclass}"
    if key.descending:
        text += " DESC"
    if key.nulls_first is not None:
        text += " NULLS FIRST" if key.nulls_first else " NULLS LAST"
    return text


def create_index(relation: tuple[str, str], index: Index) -> str:
    unique = "UNIQUE " if index.unique else ""
    keys = ", ".join(index_key(key) for key in index.keys)
    text = (
        f"CREATE {unique}INDEX {quote_ident(index.name)} ON {qualified(*relation)}"
        f" USING {index.method} ({keys}){_include(index.include)}"
    )
    if index.nulls_not_distinct:
        text += " NULLS NOT DISTINCT"
    if index.options:
        text += f" WITH ({', '.join(index.options)})"
    if index.predicate is not None:
        text += f" WHERE ({index.predicate})"
    return text


# Triggers, row-level security, policies -------------------------------------------------------

_TRIGGER_STATE = {
    "DISABLED": "DISABLE TRIGGER",
    "REPLICA": "ENABLE REPLICA TRIGGER",
    "ALWAYS": "ENABLE ALWAYS TRIGGER",
}


def create_trigger(trigger: Trigger) -> str:
    return verbatim(trigger.definition)


def trigger_state(relation: tuple[str, str], trigger: Trigger) -> str | None:
    """ALTER TABLE ... DISABLE / ENABLE REPLICA / ENABLE ALWAYS, unless the trigger fires as
    usual. (PostgreSQL refuses this for views, so their triggers always fire as usual.)"""
    state = _TRIGGER_STATE.get(trigger.enabled)
    if state is None:
        return None
    return f"ALTER TABLE {qualified(*relation)} {state} {quote_ident(trigger.name)}"


def row_security(table: Table) -> list[str]:
    name = qualified(*table.key)
    statements = []
    if table.rls_enabled:
        statements.append(f"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY")
    if table.rls_forced:
        statements.append(f"ALTER TABLE {name} FORCE ROW LEVEL SECURITY")
    return statements


def _role(role: str) -> str:
    # PUBLIC is a keyword in a role list; a quoted "public" would name a (missing) role.
    return "PUBLIC" if role == "public" else quote_ident(role)


def create_policy(table: Table, policy: Policy) -> str:
    kind = "PERMISSIVE" if policy.permissive else "RESTRICTIVE"
    roles = ", ".join(_role(role) for role in policy.roles)
    text = (
        f"CREATE POLICY {quote_ident(policy.name)} ON {qualified(*table.key)}"
        f" AS {kind} FOR {policy.command} TO {roles}"
    )
    if policy.using is not None:
        text += f" USING ({policy.using})"
    if policy.with_check is not None:
        text += f" WITH CHECK ({policy.with_check})"
    return text
