"""One column → one ``name: Annotation = Field(...)`` line (or an ``sa.Column`` for plain tables).

The Field arguments are the idiomatic ones whenever they say exactly what PostgreSQL has:
``primary_key``, ``foreign_key`` + ``ondelete`` (constraint named as PostgreSQL would name it),
``unique`` (likewise), ``index`` (SQLAlchemy's ``ix_<table>_<column>`` name), ``max_length``,
``max_digits``/``decimal_places``, ``sa_type``; the rest goes to ``sa_column_args``
(``Identity``, ``Computed``) and ``sa_column_kwargs`` (server default, comment, a column
name that differs from the attribute).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pgshape.model import Column, Identity, Table
from pgshape.render.sqlmodel.code import Call, Dict, Seq, lines, string
from pgshape.render.sqlmodel.plan import Plan, TablePlan
from pgshape.render.sqlmodel.types import PyType

_NOW = {"now()", "CURRENT_TIMESTAMP", "statement_timestamp()", "transaction_timestamp()", "clock_timestamp()"}
_RANDOM_UUID = {"gen_random_uuid()", "uuid_generate_v4()", "public.uuid_generate_v4()", "uuidv4()"}
_BIND = re.compile(r"(?<![:\w\\]):(?=\w)")


def sql_text(sql: str) -> Call:
    """``sa.text(...)`` for a SQL fragment; a ``:name`` that SQLAlchemy would read as a bind
    parameter is escaped."""
    return Call("sa.text", (sql_string(sql),))


def sql_string(sql: str) -> str:
    """A SQL fragment passed as a plain string to a construct that wraps it in text()."""
    return string(_BIND.sub(lambda _m: chr(92) + ":", sql))


def identity_call(identity: Identity) -> Call:
    kwargs: list[tuple[str, object]] = []
    if identity.always:
        kwargs.append(("always", "True"))
    for attribute, keyword in (
        ("start", "start"),
        ("increment", "increment"),
        ("min_value", "minvalue"),
        ("max_value", "maxvalue"),
        ("cache", "cache"),
    ):
        value = getattr(identity, attribute)
        if value is not None:
            kwargs.append((keyword, str(value)))
    if identity.cycle:
        kwargs.append(("cycle", "True"))
    return Call("sa.Identity", (), kwargs)


@dataclass
class FieldCode:
    text: str
    needs: set[str]


class ColumnFacts:
    """What one column needs, shared by the Field and the sa.Column renderers."""

    def __init__(self, plan: Plan, tplan: TablePlan, column: Column) -> None:
        table = tplan.table
        self.column = column
        self.table = table
        self.attribute = tplan.attributes[column.name]
        self.type: PyType = plan.types.map(column.type, column.collation)
        self.is_pk = table.primary_key is not None and column.name in table.primary_key.columns
        self.serial = plan.is_serial(table, column)
        self.server_default = None if self.serial else column.default
        self.no_autoincrement = tplan.kind == "class" and plan.needs_no_autoincrement(table, column)
        self.db_fills = bool(column.default or column.identity or column.generated)
        args: list[object] = []
        if column.identity is not None:
            args.append(identity_call(column.identity))
        if column.generated is not None:
            kwargs = (
                [("persisted", "False")] if column.generated.kind == "virtual" else [("persisted", "True")]
            )
            args.append(Call("sa.Computed", (sql_string(column.generated.expression),), kwargs))
        self.column_args = args

    def column_kwargs(self) -> list[tuple[str, object]]:
        kwargs: list[tuple[str, object]] = []
        if self.attribute != self.column.name:
            kwargs.append((string("name"), string(self.column.name)))
        if self.server_default is not None:
            kwargs.append((string("server_default"), sql_text(self.server_default)))
        if self.no_autoincrement:
            kwargs.append((string("autoincrement"), "False"))
        if self.column.comment is not None:
            kwargs.append((string("comment"), string(self.column.comment)))
        return kwargs


def _unique_field(plan: Plan, table: Table, column: Column) -> bool:
    name = plan.unique_name(table, column.name)
    pk = table.primary_key
    return any(
        u.name == name
        and u.columns == (column.name,)
        and not u.include
        and not u.nulls_not_distinct
        and u.deferrable is None
        and not (pk is not None and pk.columns == (column.name,))
        and len(name.encode()) <= 63
        for u in table.unique_constraints
    )


def _index_field(table: Table, column: Column) -> bool:
    name = f"ix_{table.name}_{column.name}"
    return table.schema == "public" and any(
        i.name == name
        and i.columns == (column.name,)
        and i.keys[0].opclass is None
        and not i.keys[0].descending
        and i.keys[0].nulls_first is None
        and i.keys[0].collation is None
        and i.method == "btree"
        and not i.include
        and i.predicate is None
        and not i.options
        and not i.nulls_not_distinct
        for i in table.indexes
    )


def field_shortcuts(plan: Plan, table: Table) -> tuple[set[str], set[str]]:
    """(unique constraint names, index names) expressed by ``unique=True`` / ``index=True``."""
    uniques = {plan.unique_name(table, c.name) for c in table.columns if _unique_field(plan, table, c)}
    indexes = {f"ix_{table.name}_{c.name}" for c in table.columns if _index_field(table, c)}
    return uniques, indexes


def render_field(plan: Plan, tplan: TablePlan, column: Column, *, level: int = 1) -> FieldCode:
    table = tplan.table
    facts = ColumnFacts(plan, tplan, column)
    needs = facts.type.needs_for(sa=True) | {"Field"}
    annotation = facts.type.annotation
    kwargs: list[tuple[str, object]] = []
    default = column.default or ""
    timestamp_now = (
        column.type.startswith("timestamp") and "with time zone" in column.type and default in _NOW
    )
    random_uuid = column.type == "uuid" and (default in _RANDOM_UUID or (facts.is_pk and not facts.db_fills))
    if timestamp_now:
        kwargs.append(("default_factory", "utcnow"))
        needs.add("utcnow")
    elif random_uuid:
        kwargs.append(("default_factory", "uuid.uuid4"))
        needs.add("uuid")
    elif facts.db_fills or column.nullable:
        kwargs.append(("default", "None"))
    python_optional = column.nullable or (facts.db_fills and not timestamp_now and not random_uuid)
    if facts.is_pk:
        python_optional = facts.db_fills and not timestamp_now and not random_uuid
        kwargs.append(("primary_key", "True"))
    if python_optional:
        annotation += " | None"
    fk = next(
        (
            fk
            for fk in table.foreign_keys
            if fk.columns == (column.name,) and plan.fk_route(table, fk) == "field"
        ),
        None,
    )
    if fk is not None:
        kwargs.append(("foreign_key", string(plan.referenced_target(fk, fk.referenced_columns[0]))))
        if fk.on_delete != "NO ACTION":
            kwargs.append(("ondelete", string(fk.on_delete)))
    if _unique_field(plan, table, column):
        kwargs.append(("unique", "True"))
    elif _index_field(table, column):
        kwargs.append(("index", "True"))
    if facts.type.sa is None:
        kwargs += list(facts.type.field_args)
    if not facts.is_pk and python_optional != column.nullable:
        kwargs.append(("nullable", "True" if column.nullable else "False"))
    if facts.type.sa is not None:
        kwargs.append(("sa_type", facts.type.sa))
    if facts.column_args:
        kwargs.append(("sa_column_args", Seq(facts.column_args)))
        needs.add("sa")
    column_kwargs = facts.column_kwargs()
    if column_kwargs:
        kwargs.append(("sa_column_kwargs", Dict(column_kwargs)))
        if facts.server_default is not None:
            needs.add("sa")
    prefix = f"{facts.attribute}: {annotation}"
    if kwargs == [("default", "None")]:
        text = lines("None", level, prefix + " = ")
    elif kwargs:
        text = lines(Call("Field", (), kwargs), level, prefix + " = ")
    else:
        text = lines(prefix, level)
        needs.discard("Field")
    return FieldCode("\n".join(text) + "\n", needs)


def render_column(plan: Plan, tplan: TablePlan, column: Column) -> tuple[Call, set[str]]:
    """``sa.Column(...)`` for a plain ``sa.Table`` (a table without a primary key)."""
    facts = ColumnFacts(plan, tplan, column)
    table = tplan.table
    args: list[object] = [string(column.name), facts.type.explicit, *facts.column_args]
    for fk in table.foreign_keys:
        if fk.columns == (column.name,) and plan.fk_route(table, fk) == "field":
            fk_kwargs = [("ondelete", string(fk.on_delete))] if fk.on_delete != "NO ACTION" else []
            args.append(
                Call(
                    "sa.ForeignKey",
                    (string(plan.referenced_target(fk, fk.referenced_columns[0])),),
                    fk_kwargs,
                )
            )
    kwargs: list[tuple[str, object]] = []
    if not column.nullable:
        kwargs.append(("nullable", "False"))
    if _unique_field(plan, table, column):
        kwargs.append(("unique", "True"))
    elif _index_field(table, column):
        kwargs.append(("index", "True"))
    if facts.server_default is not None:
        kwargs.append(("server_default", sql_text(facts.server_default)))
    if column.comment is not None:
        kwargs.append(("comment", string(column.comment)))
    return Call("sa.Column", args, kwargs), facts.type.needs_for(annotation=False, explicit=True) | {"sa"}
