"""The DBML renderer, checked with @dbml/core (the reference DBML parser, in node)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

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
