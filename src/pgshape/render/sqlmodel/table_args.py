"""``__table_args__``: the constraints and indexes a Field cannot say, and table options.

Everything is named exactly as PostgreSQL has it. Index keys that are plain columns are given
by name (with ``postgresql_ops`` for an operator class); expressions, DESC, NULLS FIRST/LAST
and collations are given as ``sa.text()`` in PostgreSQL's own spelling.
"""

from __future__ import annotations

import re
from dataclasses import replace

from pgshape.model import Deferral, ForeignKey, Index, IndexKey, Table, UniqueConstraint
from pgshape.render.sql_tables import index_key
from pgshape.render.sqlmodel.code import Call, Dict, Seq, string
from pgshape.render.sqlmodel.fields import field_shortcuts, sql_string, sql_text
from pgshape.render.sqlmodel.plan import Plan, TablePlan


def _deferral(deferral: Deferral | None) -> list[tuple[str, object]]:
    if deferral is None:
        return []
    kwargs: list[tuple[str, object]] = [("deferrable", "True")]
    if deferral.initially_deferred:
        kwargs.append(("initially", string("DEFERRED")))
    return kwargs


def _names(columns: tuple[str, ...]) -> list[object]:
    return [string(c) for c in columns]


def primary_key(plan: Plan, table: Table) -> Call | None:
    """A PrimaryKeyConstraint when PostgreSQL's default (``<table>_pkey``, column order) differs."""
    pk = table.primary_key
    if pk is None:
        return None
    in_table_order = tuple(c for c in table.column_names if c in pk.columns)
    if (
        pk.name == plan.pk_name(table)
        and pk.columns == in_table_order
        and not pk.include
        and pk.deferrable is None
    ):
        return None
    kwargs: list[tuple[str, object]] = [("name", string(pk.name))]
    if pk.include:
        kwargs.append(("postgresql_include", Seq(_names(pk.include))))
    return Call("sa.PrimaryKeyConstraint", _names(pk.columns), kwargs + _deferral(pk.deferrable))


def foreign_key(plan: Plan, fk: ForeignKey) -> Call:
    targets = [string(plan.referenced_target(fk, c)) for c in fk.referenced_columns]
    kwargs: list[tuple[str, object]] = [("name", string(fk.name))]
    if fk.on_delete != "NO ACTION":
        kwargs.append(("ondelete", string(fk.on_delete)))
    if fk.on_update != "NO ACTION":
        kwargs.append(("onupdate", string(fk.on_update)))
    if fk.match != "SIMPLE":
        kwargs.append(("match", string(fk.match)))
    return Call(
        "sa.ForeignKeyConstraint", [Seq(_names(fk.columns)), Seq(targets)], kwargs + _deferral(fk.deferrable)
    )


def duplicate_uniques(table: Table) -> set[str]:
    """Unique constraints PostgreSQL would silently drop inside CREATE TABLE (they repeat the
    primary key or an earlier unique); they are added by DDL afterwards."""
    pk = table.primary_key
    seen = {(pk.columns, pk.include, False, pk.deferrable)} if pk is not None else set()
    duplicates = set()
    for unique in table.unique_constraints:
        shape = (unique.columns, unique.include, unique.nulls_not_distinct, unique.deferrable)
        if shape in seen:
            duplicates.add(unique.name)
        seen.add(shape)
    return duplicates


def unique(u: UniqueConstraint) -> Call:
    kwargs: list[tuple[str, object]] = [("name", string(u.name))]
    if u.include:
        kwargs.append(("postgresql_include", Seq(_names(u.include))))
    if u.nulls_not_distinct:
        kwargs.append(("postgresql_nulls_not_distinct", "True"))
    return Call("sa.UniqueConstraint", _names(u.columns), kwargs + _deferral(u.deferrable))


def _is_call(expression: str) -> bool:
    """``lower(x)``: one function call spanning the whole expression needs no parentheses."""
    match = re.match(r"[A-Za-z_][\w.]*\(", expression)
    if not match or not expression.endswith(")"):
        return False
    depth, quoted = 0, False
    for position, char in enumerate(expression[match.end() - 1 :], start=match.end() - 1):
        if char == "'":
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth -= 1
            if depth == 0:
                return position == len(expression) - 1
    return False


def _key_text(key: IndexKey) -> str:
    if key.expression is not None and _is_call(key.expression):
        return index_key(replace(key, expression="")).replace("()", key.expression, 1)
    return index_key(key)


def index(ix: Index) -> Call:
    args: list[object] = [string(ix.name)]
    ops: list[tuple[object, object]] = []
    columns = [k.column for k in ix.keys if k.column is not None]
    for key in ix.keys:
        plain = (
            key.column is not None and not key.descending and key.nulls_first is None and not key.collation
        )
        if plain and key.column is not None and columns.count(key.column) == 1:
            args.append(string(key.column))
            if key.opclass:
                # pg_catalog is always searched first, so its operator classes need no schema.
                ops.append((string(key.column), string(key.opclass.removeprefix("pg_catalog."))))
        else:
            args.append(sql_text(_key_text(key)))
    kwargs: list[tuple[str, object]] = []
    if ix.unique:
        kwargs.append(("unique", "True"))
    if ix.method != "btree":
        kwargs.append(("postgresql_using", string(ix.method)))
    if ops:
        kwargs.append(("postgresql_ops", Dict(ops)))
    if ix.include:
        kwargs.append(("postgresql_include", Seq(_names(ix.include))))
    if ix.nulls_not_distinct:
        kwargs.append(("postgresql_nulls_not_distinct", "True"))
    if ix.options:
        options = [(string(o.partition("=")[0]), string(o.partition("=")[2])) for o in ix.options]
        kwargs.append(("postgresql_with", Dict(options)))
    if ix.predicate is not None:
        kwargs.append(("postgresql_where", sql_text(ix.predicate)))
    return Call("sa.Index", args, kwargs)


def table_items(plan: Plan, tplan: TablePlan) -> tuple[list[object], list[tuple[str, object]]]:
    """(positional items, options) for ``__table_args__`` or ``sa.Table(...)``."""
    table = tplan.table
    uniques_as_fields, indexes_as_fields = field_shortcuts(plan, table)
    duplicates = duplicate_uniques(table)
    items: list[object] = []
    pk = primary_key(plan, table)
    if pk is not None and tplan.kind == "class":
        items.append(pk)
    for fk in table.foreign_keys:
        if plan.fk_route(table, fk) == "args":
            items.append(foreign_key(plan, fk))
    for u in table.unique_constraints:
        if u.name not in uniques_as_fields and u.name not in duplicates:
            items.append(unique(u))
    for check in table.check_constraints:
        if check.validated and not check.no_inherit:
            items.append(
                Call("sa.CheckConstraint", (sql_string(check.expression),), [("name", string(check.name))])
            )
    for ix in table.indexes:
        if ix.name not in indexes_as_fields:
            items.append(index(ix))
    options: list[tuple[str, object]] = []
    if table.schema != "public":
        options.append(("schema", string(table.schema)))
    if table.comment is not None:
        options.append(("comment", string(table.comment)))
    if table.unlogged:
        options.append(("prefixes", Seq([string("UNLOGGED")])))
    if table.partition_by is not None:
        options.append(("postgresql_partition_by", string(table.partition_by)))
    return items, options
