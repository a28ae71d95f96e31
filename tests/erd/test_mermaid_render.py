"""Mermaid renderer and the shared ERD facts, checked against PostgreSQL and the real Mermaid."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from browser import _browser, browser_page, mermaid  # noqa: F401
from conftest import run_sql
from pgshape.model import Column, Database, ForeignKey, PrimaryKey, Table
from pgshape.pg.introspect import introspect
from pgshape.render import mermaid as mermaid_render
from pgshape.render.erd_common import ErdOptions, build_erd
from pgshape.sources import mermaid as mermaid_source
from pgshape.sources.mermaid_types import canonical_type
from pgshape.sources.pg_names import make_object_name, name_addition
from strategies import TYPES, databases

SHOP = """
create table customer (id bigint primary key, email text not null unique, name text);
create table profile (customer_id bigint primary key references customer, bio text);
create table passport (id bigint primary key, customer_id bigint unique references customer);
create table orders (id bigint primary key, customer_id bigint not null references customer,
                     referrer_id bigint references customer);
create table tag (id int primary key);
create table order_tag (order_id bigint references orders, tag_id int references tag,
                        created_at timestamptz not null default now(), primary key (order_id, tag_id));
create table category (id int primary key, parent_id int references category);
"""


def _shop(scratch_url: str) -> Database:
    run_sql(scratch_url, SHOP)
    return introspect(scratch_url)


def test_cardinality_and_markers_come_from_the_catalog(scratch_url: str) -> None:
    erd = build_erd(_shop(scratch_url))
    edges = {(r.child[1], r.columns): r for r in erd.relationships}
    # mandatory parent (NOT NULL FK), many children
    assert (edges["orders", ("customer_id",)].parent_end, edges["orders", ("customer_id",)].child_end) == (
        "exactly_one",
        "zero_or_many",
    )
    # optional parent (nullable FK)
    assert edges["orders", ("referrer_id",)].parent_end == "zero_or_one"
    # one-to-one: the FK is the PK (identifying) or UNIQUE
    assert edges["profile", ("customer_id",)].child_end == "zero_or_one"
    assert edges["profile", ("customer_id",)].identifying
    assert edges["passport", ("customer_id",)].child_end == "zero_or_one"
    assert edges["passport", ("customer_id",)].parent_end == "zero_or_one"
    assert not edges["passport", ("customer_id",)].identifying
    # self reference
    assert edges["category", ("parent_id",)].parent == ("public", "category")
    tables = {t.key[1]: t for t in erd.tables}
    assert tables["order_tag"].is_link and not tables["orders"].is_link
    markers = {c.column.name: c.markers for c in tables["customer"].columns}
    assert markers == {"id": ("PK",), "email": ("UK",), "name": ()}
    markers = {c.column.name: c.markers for c in tables["order_tag"].columns}
    assert markers["order_id"] == ("PK", "FK") and markers["created_at"] == ()


def test_mermaid_text_for_the_shop(scratch_url: str) -> None:
    text = mermaid_render.render(_shop(scratch_url))
    assert '    customer ||..o{ orders : "orders_customer_id_fkey"' in text
    assert '    customer |o..o{ orders : "orders_referrer_id_fkey"' in text
    assert '    customer ||--o| profile : "profile_customer_id_fkey"' in text
    assert '    customer |o..o| passport : "passport_customer_id_fkey"' in text
    assert "        timestamptz created_at\n" in text
    assert "        bigint order_id PK, FK\n" in text
    assert "        text email UK\n" in text


def test_collapse_links_and_column_selection(scratch_url: str) -> None:
    db = _shop(scratch_url)
    collapsed = build_erd(db, ErdOptions(collapse_links=True))
    assert ("public", "order_tag") not in {t.key for t in collapsed.tables}
    (m2m,) = [r for r in collapsed.relationships if r.is_many_to_many]
    assert (m2m.child_end, m2m.parent_end, m2m.via) == (
        "zero_or_many",
        "zero_or_many",
        ("public", "order_tag"),
    )
    text = mermaid_render.render(db, ErdOptions(collapse_links=True))
    assert '    orders }o--o{ tag : "order_tag"' in text
    keys = build_erd(db, ErdOptions(columns="keys"))
    assert [c.column.name for c in next(t for t in keys.tables if t.key[1] == "customer").columns] == [
        "id",
        "email",
    ]
    assert all(not t.columns for t in build_erd(db, ErdOptions(columns="none")).tables)
    subset = build_erd(db, ErdOptions(tables=frozenset({("public", "orders"), ("public", "customer")})))
    assert {r.child[1] for r in subset.relationships} == {"orders"}


def test_every_option_renders_facts(scratch_url: str) -> None:
    run_sql(
        scratch_url,
        "create type mood as enum ('ok', 'sad, really'); create table t (id int primary key,"
        " m mood not null default 'ok', note text); comment on column t.note is '[x] \"quoted\"';"
        " comment on table t is 'Two\nlines'",
    )
    db = introspect(scratch_url)
    options = ErdOptions(show_nullability=True, show_defaults=True, show_enum_values=True)
    text = mermaid_render.render(db, options)
    assert (
        '        public.mood m "[not null] [default: #39;ok#39;::public.mood] [enum: ok, sad#44; really]"'
        not in text
    )
    assert "public.mood m \"[not null] [default: 'ok'::public.mood] [enum: ok, sad#44; really]\"" in text
    assert 'text note "#91;x] #34;quoted#34;"' in text
    assert "%% comment: Two#10;lines" in text
    back = mermaid_source.loads(text)
    table = back.table("public", "t")
    assert table is not None and table.comment == "Two\nlines"
    m = table.column("m")
    assert m is not None and not m.nullable and m.default == "'ok'::public.mood"
    assert table.column("note").comment == '[x] "quoted"'  # type: ignore[union-attr]
    assert back.enums[0].labels == ("ok", "sad, really")
    assert mermaid_render.render(back, options) == text


def test_default_fk_name_is_postgresqls(scratch_url: str) -> None:
    long = "a" * 40
    run_sql(
        scratch_url,
        f"create table p (x int, y int, primary key (x, y));"
        f'create table "{long}" ("{long}_x" int, "{long}_y" int,'
        f' foreign key ("{long}_x", "{long}_y") references p);'
        f"create table c (x int, y int, foreign key (x, y) references p)",
    )
    for table in introspect(scratch_url).tables:
        for fk in table.foreign_keys:
            assert mermaid_render.default_fk_name(table.name, fk.columns) == fk.name
            assert make_object_name(table.name, name_addition(fk.columns), "fkey") == fk.name


TYPE_SAMPLES = [
    *TYPES,
    "timestamp(3) with time zone",
    "timestamp(0) without time zone",
    "time with time zone",
    "time(2) without time zone",
    "character(1)",
    "character(10)[]",
    "bit varying(5)",
    "bit(3)",
    "interval",
    "interval day to second",
    '"char"',
    "double precision[]",
    "character varying",
]


def test_types_are_one_word_postgresql_aliases(scratch_url: str) -> None:
    """Each type, written as Mermaid writes it, is a type PostgreSQL reads as the original."""
    spelled = [mermaid_render.mermaid_type(t) for t in TYPE_SAMPLES]
    bare = [(t, s) for t, s in zip(TYPE_SAMPLES, spelled, strict=True) if not s.startswith("`")]
    assert {t for t, s in zip(TYPE_SAMPLES, spelled, strict=True) if s.startswith("`")} == {
        "interval day to second",
        '"char"',
    }
    columns = ", ".join(f"c{i} {s}" for i, (_, s) in enumerate(bare))
    run_sql(scratch_url, f"create table t ({columns})")
    (table,) = introspect(scratch_url).tables
    assert [c.type for c in table.columns] == [t for t, _ in bare]
    for original, written in zip(TYPE_SAMPLES, spelled, strict=True):
        assert canonical_type(written.strip("`")).type == original


def test_keywords_quotes_and_schemas_parse_in_mermaid(mermaid: Any) -> None:  # noqa: F811
    awkward = [
        "end",
        "style",
        "one",
        "class",
        "Order Items",
        'say "hi"',
        "50%",
        "a.b",
        "back\\slash",
        "日本語",
    ]
    tables = [
        Table(
            "public" if i % 2 else "sales",
            name,
            columns=(Column("id", "bigint", False), Column("pk", "integer"), Column("end", "text")),
            primary_key=PrimaryKey(f"k{i}", ("id",)),
        )
        for i, name in enumerate(awkward)
    ]
    tables.append(
        Table(
            "public",
            "child",
            columns=(Column("ref", "bigint"),),
            foreign_keys=tuple(
                ForeignKey(f"f{i}", ("ref",), t.schema, t.name, ("id",)) for i, t in enumerate(tables)
            ),
        )
    )
    db = Database(tables=tuple(tables))
    text = mermaid_render.render(db)
    mermaid.check(text)
    back = mermaid_source.loads(text)
    assert {t.key for t in back.tables} == {t.key for t in db.tables}
    assert mermaid_render.render(back) == text


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    db=databases(), options=st.sampled_from([ErdOptions(), ErdOptions(columns="keys", collapse_links=True)])
)
def test_generated_schemas_always_parse_and_read_back(
    db: Database,
    options: ErdOptions,
    mermaid: Any,  # noqa: F811
) -> None:
    text = mermaid_render.render(db, options)
    mermaid.parse(text)
    back = mermaid_source.loads(text)
    assert {t.key for t in back.tables} >= {t.key for t in build_erd(db, options).tables}
    if options.columns == "all":
        for table in db.tables:
            again = back.table(*table.key)
            assert again is not None and again.column_names[: len(table.columns)] == table.column_names
    assert mermaid_render.render(back, options) == text


def test_partitions_and_non_link_tables(scratch_url: str) -> None:
    run_sql(
        scratch_url,
        "create table a (id int primary key); create table b (id int primary key);"
        "create table ab_with_payload (a_id int references a, b_id int references b, qty int,"
        " primary key (a_id, b_id));"
        "create table ab_surrogate (id int generated always as identity primary key,"
        " a_id int not null references a, b_id int not null references b, unique (a_id, b_id));"
        "create table events (id int, at date not null, a_id int references a) partition by range (at);"
        "create table events_2024 partition of events for values from ('2024-01-01') to ('2025-01-01');",
    )
    db = introspect(scratch_url)
    erd = build_erd(db, ErdOptions(collapse_links=True))
    keys = {t.key[1] for t in erd.tables}
    # a payload column makes a table an entity; a surrogate key filled by the database does not
    assert "ab_with_payload" in keys and "ab_surrogate" not in keys
    assert "events" in keys and "events_2024" not in keys
    assert {r.child[1] for r in erd.relationships if not r.is_many_to_many} == {"ab_with_payload", "events"}
    with_partitions = build_erd(db, ErdOptions(partitions=True))
    assert "events_2024" in {t.key[1] for t in with_partitions.tables}
