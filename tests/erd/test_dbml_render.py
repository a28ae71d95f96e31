"""The DBML renderer, checked with @dbml/core (the reference DBML parser, in node)."""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings

from browser import dbml_parse
from conftest import run_sql
from pgshape.model import Database
from pgshape.pg.introspect import introspect
from pgshape.render import dbml as dbml_render
from pgshape.sources import dbml as dbml_source
from strategies import databases

SCHEMA = """
create schema sales;
create type mood as enum ('ok', 'it''s fine');
create table customer (id bigint generated always as identity primary key, email text not null unique,
  note text default 'a\\b', feeling mood);
comment on table customer is 'Line one
line two';
comment on column customer.email is 'it''s the login';
create table sales.orders (id bigint primary key, customer_id bigint not null references customer
  on delete cascade, code text, unique (customer_id, code));
create table passport (customer_id bigint primary key references customer on delete set null);
create index orders_lower_code on sales.orders (lower(code));
create index orders_code_gin on sales.orders using gin (to_tsvector('simple', code));
"""


def test_dbml_for_a_real_schema(scratch_url: str) -> None:
    run_sql(scratch_url, SCHEMA)
    db = introspect(scratch_url)
    text = dbml_render.render(db)
    assert (
        'Ref "orders_customer_id_fkey": "sales"."orders".("customer_id") > "public"."customer".("id")' in text
    )
    assert "[delete: cascade]" in text
    # one-to-one (the FK is the primary key) is "-"
    assert '"public"."passport".("customer_id") - "public"."customer".("id") [delete: set null]' in text
    assert '"id" bigint [pk, increment]' in text
    assert "Note: '''Line one\nline two'''" in text
    parsed = dbml_parse(text)
    assert {(t["schema"], t["name"]) for t in parsed["tables"]} == {t.key for t in db.tables}
    assert len(parsed["refs"]) == 2
    assert parsed["enums"] == [{"schema": "public", "name": "mood", "values": ["ok", "it's fine"]}]
    orders = next(t for t in parsed["tables"] if t["name"] == "orders")
    assert orders["indexes"] == 3  # the composite UNIQUE and two expression indexes
    back = dbml_source.loads(text)
    assert dbml_render.render(back) == text


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(db=databases())
def test_generated_schemas_parse_with_dbml_core(db: Database) -> None:
    text = dbml_render.render(db)
    parsed = dbml_parse(text)
    assert {(t["schema"], t["name"]) for t in parsed["tables"]} == {t.key for t in db.tables}
    for table in parsed["tables"]:
        original = db.table(table["schema"], table["name"])
        assert original is not None
        assert [f["name"] for f in table["fields"]] == list(original.column_names)
    assert len(parsed["refs"]) == sum(len(t.foreign_keys) for t in db.tables)


@settings(max_examples=40, deadline=None)
@given(db=databases())
def test_generated_schemas_round_trip_through_pydbml(db: Database) -> None:
    """DBML → model → DBML is stable, within what pydbml reads (docs/erd-sources.md): no double
    quote in names (it cannot read ``\\"``), comments without escapes it does not decode
    (control characters) and without whitespace at the ends (it trims notes)."""
    assume(not any('"' in name or "\\" in name for name in _names(db)))
    assume(all(_pydbml_safe(t.comment) for t in db.tables))
    text = dbml_render.render(db)
    back = dbml_source.loads(text)
    assert {t.key for t in back.tables} == {t.key for t in db.tables}
    for table in db.tables:
        again = back.table(*table.key)
        assert again is not None
        assert [(c.name, c.type, c.nullable) for c in again.columns] == [
            (c.name, c.type, c.nullable) for c in table.columns
        ]
        assert again.comment == table.comment
        assert {(fk.columns, fk.referenced, fk.on_delete) for fk in again.foreign_keys} == {
            (fk.columns, fk.referenced, fk.on_delete) for fk in table.foreign_keys
        }
    assert dbml_render.render(back) == text


def _names(db: Database) -> list[str]:
    names = []
    for table in db.tables:
        names += [table.name, *table.column_names, *table.constraint_names, *(i.name for i in table.indexes)]
    return names


def _pydbml_safe(comment: str | None) -> bool:
    if comment is None:
        return True
    return comment == comment.strip() and all(line.isprintable() for line in comment.split("\n"))
