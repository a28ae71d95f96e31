"""Normalising expressions: the scratch server parses and prints them as introspection would."""

from __future__ import annotations

import pytest

from pgshape.errors import InputError
from pgshape.model import (
    CheckConstraint,
    Column,
    Database,
    Domain,
    EnumType,
    Generated,
    Index,
    IndexKey,
    Origin,
    Sequence,
    Table,
)
from pgshape.pg.normalize import normalize


def hand_written() -> Database:
    table = Table(
        schema="app",
        name="Order",
        columns=(
            Column("id", "integer", nullable=False, default="nextval('app.\"Order_id_seq\"')"),
            Column("state", "app.state", default="'new'"),
            Column("price", "numeric(12,2)", default="0"),
            Column("email", "character varying(200)"),
            Column("created", "timestamp with time zone", default="CURRENT_TIMESTAMP"),
            Column("total", "numeric", generated=Generated("price * 2")),
            Column("qty", "app.positive", default="1"),
        ),
        check_constraints=(CheckConstraint("price_positive", "price > 0"),),
        indexes=(
            Index("order_email", (IndexKey(expression="lower(email)"),), predicate="state <> 'void'"),
            Index("order_created", (IndexKey(column="created", descending=True, nulls_first=True),)),
        ),
    )
    return Database(
        enums=(EnumType("app", "state", ("new", "void")),),
        domains=(
            Domain(
                "app",
                "positive",
                "integer",
                default="1",
                checks=(CheckConstraint("positive_check", "VALUE > 0"),),
            ),
        ),
        sequences=(Sequence("app", "Order_id_seq"),),
        tables=(table,),
        expressions_canonical=False,
    )


def test_expressions_come_back_as_postgresql_prints_them(pg_server: str) -> None:
    db = normalize(hand_written(), pg_server)
    assert db.expressions_canonical
    table = db.tables[0]
    defaults = {c.name: c.default for c in table.columns}
    assert defaults["id"] == "nextval('app.\"Order_id_seq\"'::regclass)"
    assert defaults["state"] == "'new'::app.state"
    assert defaults["price"] == "0"
    assert defaults["created"] == "CURRENT_TIMESTAMP"
    total = table.column("total")
    assert total is not None and total.generated == Generated("(price * (2)::numeric)")
    assert table.check_constraints[0].expression == "(price > (0)::numeric)"
    indexes = {i.name: i for i in table.indexes}
    assert indexes["order_email"].keys == (IndexKey(expression="lower((email)::text)"),)
    assert indexes["order_email"].predicate == "(state <> 'void'::app.state)"
    # DESC NULLS FIRST is the default for DESC: stored as None.
    assert indexes["order_created"].keys == (IndexKey(column="created", descending=True),)
    [domain] = db.domains
    assert domain.default == "1"
    assert domain.checks[0].expression == "(VALUE > 0)"


def test_canonical_models_are_returned_as_they_are() -> None:
    db = Database(tables=(Table("public", "t", (Column("a", "integer", default="garbage("),)),))
    assert normalize(db) is db  # no server needed: expressions_canonical is True


def test_normalising_twice_changes_nothing(pg_server: str) -> None:
    once = normalize(hand_written(), pg_server)
    from dataclasses import replace

    twice = normalize(replace(once, expressions_canonical=False), pg_server)
    assert twice == once
    assert [c.default for c in twice.tables[0].columns] == [c.default for c in once.tables[0].columns]


def test_an_invalid_expression_is_an_input_error_naming_its_origin(pg_server: str) -> None:
    table = Table(
        "public",
        "t",
        (Column("a", "integer", default="1 +", origin=Origin("models.py", 12)),),
    )
    with pytest.raises(InputError) as caught:
        normalize(Database(tables=(table,), expressions_canonical=False), pg_server)
    assert caught.value.location == "models.py:12"
    assert "column public.t.a default" in caught.value.message
