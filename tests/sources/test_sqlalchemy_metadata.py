"""SQLAlchemy / SQLModel metadata → model: offline facts, then the truth on a real PostgreSQL.

The truth test runs ``metadata.create_all()`` on a scratch database and checks that the model
built without a server (after normalising its expressions) is what PostgreSQL describes.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Enum,
    ForeignKey,
    Identity,
    Integer,
    MetaData,
    Sequence,
    SmallInteger,
    String,
    Table,
    create_engine,
)
from sqlalchemy.dialects.postgresql import ARRAY, INTERVAL, TIMESTAMP

from pgshape.model import Database, IndexKey
from pgshape.model import Identity as IRIdentity
from pgshape.pg.normalize import normalize
from pgshape.sources.mapped_classes import python_facts
from pgshape.sources.python_module import find_metadata, import_target
from pgshape.sources.sqlalchemy_metadata import canonical_type, to_database

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "models"
BLOG = FIXTURES / "blog_sqlmodel.py"
SHOP = FIXTURES / "shop_declarative.py"
CONVENTIONS = FIXTURES / "conventions.py"


def metadata_of(path: Path) -> MetaData:
    module, attr = import_target(str(path))
    return find_metadata(module, attr)


def engine_url(url: str) -> str:
    return "postgresql+psycopg://" + url.split("://", 1)[1]


def create_all(metadata: MetaData, url: str, schemas: tuple[str, ...] = ()) -> None:
    engine = create_engine(engine_url(url))
    try:
        with engine.begin() as conn:
            for schema in schemas:
                conn.exec_driver_sql(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
            metadata.create_all(conn)
    finally:
        engine.dispose()


# --- types ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sa_type", "expected"),
    [
        (String(255), "character varying(255)"),
        (String(), "character varying"),
        (ARRAY(Integer), "integer[]"),
        (ARRAY(Integer, dimensions=2), "integer[]"),
        (TIMESTAMP(timezone=True, precision=3), "timestamp(3) with time zone"),
        (INTERVAL(fields="DAY TO SECOND", precision=3), "interval day to second(3)"),
        (Enum("a", name="Mood"), 'public."Mood"'),
        (Enum("a", name="mood", schema="app"), "app.mood"),
        (Enum("abc", "de", name="e", native_enum=False), "character varying(3)"),
    ],
)
def test_canonical_types(sa_type: Any, expected: str) -> None:
    assert canonical_type(sa_type) == expected


# --- offline facts ------------------------------------------------------------------------------


def test_blog_types_defaults_and_serials() -> None:
    db = to_database(metadata_of(BLOG))
    assert not db.expressions_canonical
    author = db.table("public", "author")
    assert author is not None
    assert author.comment == "People who write posts"
    columns = {c.name: c for c in author.columns}
    assert columns["id"].type == "integer"
    assert columns["id"].default == "nextval('public.author_id_seq'::regclass)"
    assert columns["email"].type == "character varying(255)"
    assert columns["email"].comment == "login address"
    assert columns["created_at"].type == "timestamp with time zone"
    assert columns["created_at"].default == "now()"
    assert columns["bio"].nullable and not columns["display_name"].nullable
    assert author.primary_key is not None and author.primary_key.name == "author_pkey"
    assert [u.name for u in author.unique_constraints] == ["author_email_key"]
    assert [c.name for c in author.check_constraints] == ["author_display_name_check"]

    post = db.table("public", "post")
    assert post is not None
    types = {c.name: c.type for c in post.columns}
    assert types["id"] == "uuid"
    assert types["status"] == "public.status"
    assert types["meta"] == "jsonb"
    assert types["keywords"] == "character varying(40)[]"
    assert types["price"] == "numeric(12,2)"
    views = post.column("views")
    assert views is not None and views.identity == IRIdentity(start=10)
    title_length = post.column("title_length")
    assert title_length is not None and title_length.generated is not None
    assert title_length.generated.expression == "char_length(title)"
    [fk] = post.foreign_keys
    assert (fk.name, fk.on_delete, fk.referenced) == ("post_author_id_fkey", "RESTRICT", ("public", "author"))
    indexes = {i.name: i for i in post.indexes}
    assert indexes["ix_post_published_recent"].predicate == "status = 'published'"
    assert indexes["ix_post_lower_title"].keys == (IndexKey(expression="lower(title)"),)
    assert indexes["ix_post_lower_title"].unique

    assert [e.labels for e in db.enums if e.name == "status"] == [("draft", "published", "archived")]
    sequences = {s.name: s for s in db.sequences}
    assert sequences["author_id_seq"].owned_by == ("public", "author", "id")
    assert sequences["author_id_seq"].type == "integer"
    assert sequences["audit_entry_id_seq"].schema == "audit"
    assert sequences["audit_entry_id_seq"].type == "bigint"
    audit = db.table("audit", "audit_entry")
    assert audit is not None and audit.foreign_keys[0].on_delete == "SET NULL"


def test_blog_origins_point_at_class_and_field_lines() -> None:
    db = to_database(metadata_of(BLOG))
    lines = BLOG.read_text().splitlines()

    def line_of(text: str) -> int:
        return next(number for number, line in enumerate(lines, 1) if line.startswith(text))

    author = db.table("public", "author")
    assert author is not None and author.origin is not None
    assert author.origin.line == line_of("class Author(")
    assert author.origin.file == str(BLOG)
    email = author.column("email")
    assert email is not None and email.origin is not None
    assert email.origin.line == line_of("    email: str")
    post = db.table("public", "post")
    assert post is not None
    status = post.column("status")
    assert status is not None and status.origin is not None
    assert status.origin.line == line_of("    status: Status")


def test_blog_python_facts() -> None:
    facts = python_facts(metadata_of(BLOG))
    post = facts.model("Post")
    assert post is not None and post.is_sqlmodel and post.table == ("public", "post")
    relationships = {r.name: r for r in post.relationships}
    assert relationships["author"].back_populates == "posts"
    assert not relationships["author"].many
    assert relationships["tags"].secondary == ("public", "post_tag")
    assert relationships["tags"].many


def test_shop_names_left_to_postgresql() -> None:
    db = to_database(metadata_of(SHOP))
    customer = db.table("public", "Customer")
    assert customer is not None
    assert sorted(c.name for c in customer.check_constraints) == [
        "Customer_age_check",
        "Customer_balance_check",
        "Customer_check",
        "color",  # the non-native Enum's CHECK is named after the enum by SQLAlchemy
    ]
    assert customer.unique_constraints[0].name == "Customer_first_name_last_name_key"
    assert customer.unique_constraints[0].nulls_not_distinct
    long_table = next(t for t in db.tables if t.name.startswith("this_is_a_very_long"))
    assert long_table.primary_key is not None
    assert long_table.primary_key.name == "this_is_a_very_long_table_name_that_keeps_going_and_going__pkey"
    [fk] = long_table.foreign_keys
    assert fk.name == "this_is_a_very_long_table_nam_customer_first_customer_last_fkey"
    [serial] = [s for s in db.sequences if s.owned_by and s.owned_by[1] == long_table.name]
    assert serial.name == "this_is_a_very_long_table_nam_identifier_that_is_rather_lon_seq"
    assert serial.type == "smallint"
    unicode_table = next(t for t in db.tables if t.name.startswith("ünïcode"))
    # 63 characters but more bytes: PostgreSQL keeps 63 bytes, never half a character.
    assert unicode_table.name == "ünïcode_tâblé_with_multibyte_characters_that_is_quite_long_"
    assert [u.name for u in unicode_table.unique_constraints] == [
        "ünïcode_tâblé_with_multibyte_characters_that_is__vålue_key"
    ]
    assert fk.match == "FULL" and fk.deferrable is not None and fk.deferrable.initially_deferred
    order = db.table("public", "order")
    assert order is not None
    number = order.column("number")
    assert number is not None and number.default is None  # Sequence() is fired by SQLAlchemy
    assert {s.name: s.start for s in db.sequences}["order_number_seq"] == 1000
    placed = {i.name: i for i in order.indexes}["order_placed_desc"]
    assert placed.keys == (IndexKey(column="placed_at", descending=True),)
    assert placed.include == ("customer_id",)


def test_naming_convention_names() -> None:
    db = to_database(metadata_of(CONVENTIONS), origin_file=str(CONVENTIONS))
    member = db.table("public", "member")
    team = db.table("public", "team")
    assert member is not None and team is not None
    assert member.primary_key is not None and member.primary_key.name == "pk_member"
    assert [fk.name for fk in member.foreign_keys] == ["fk_member_team_id_team"]
    assert [u.name for u in member.unique_constraints] == ["uq_member_team_id"]
    names = [i.name for i in member.indexes]
    assert "ix_member_team_id" in names
    # Over-long convention names are shortened by SQLAlchemy: 55 characters, "_", 4 of an md5.
    assert "ix_member_a_column_name_long_enough_to_push_the_convent_a3dc" in names
    assert [c.name for c in team.check_constraints] == ["ck_team_budget_positive"]
    team_id = team.column("id")
    assert team_id is not None and team_id.identity == IRIdentity(always=True)
    assert team.origin is not None and team.origin.line == 27


# --- the truth: create_all on PostgreSQL -------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "schemas"),
    [(BLOG, ("audit",)), (SHOP, ()), (CONVENTIONS, ())],
    ids=["blog", "shop", "conventions"],
)
def test_create_all_matches_model(
    path: Path, schemas: tuple[str, ...], pg_server: str, scratch_url: str
) -> None:
    metadata = metadata_of(path)
    create_all(metadata, scratch_url, schemas)
    expected = normalize(to_database(metadata), pg_server)
    assert_matches_database(expected, scratch_url)


def test_create_all_matches_model_for_core_tables(pg_server: str, scratch_url: str) -> None:
    metadata = MetaData()
    Table(
        "Mixed Case",
        metadata,
        Column("ID", BigInteger, primary_key=True),
        Column("user", String(20), CheckConstraint('length("user") > 2'), unique=True),
        Column("n", SmallInteger, Identity(start=5, increment=-1, maxvalue=5), nullable=False),
        Column("ticket", Integer, Sequence("ticket_seq", start=7, increment=2, data_type=Integer)),
        Column("state", Enum("on", "off", name="State")),
        Column("states", ARRAY(Enum("on", "off", name="State"))),
    )
    Table(
        "child",
        metadata,
        Column("id", SmallInteger, primary_key=True),
        Column("parent", BigInteger, ForeignKey("Mixed Case.ID", onupdate="SET NULL")),
        CheckConstraint("id > 0 AND parent > 0"),
        CheckConstraint("id < 1000"),
    )
    create_all(metadata, scratch_url)
    db = to_database(metadata)
    mixed = db.table("public", "Mixed Case")
    assert mixed is not None and mixed.check_constraints[0].name == "Mixed Case_user_check"
    expected = normalize(db, pg_server)
    assert_matches_database(expected, scratch_url)


def assert_matches_database(expected: Database, url: str) -> None:
    """Compare with introspection when it exists; until then with direct catalog queries."""
    if importlib.util.find_spec("pgshape.pg.introspect") is not None:
        from pgshape.model.compare import compare
        from pgshape.pg.introspect import introspect

        actual = introspect(url)
        differences = compare(expected, actual)
        assert not differences, "\n".join(map(str, differences))
        return
    assert catalog_snapshot_of_model(expected) == catalog_snapshot(url)


def catalog_snapshot_of_model(db: Database) -> dict[str, Any]:
    columns = {
        (t.schema, t.name, c.name): (
            c.type,
            c.nullable,
            c.default,
            c.generated.expression if c.generated else None,
        )
        for t in db.tables
        for c in t.columns
    }
    constraints = set()
    for t in db.tables:
        if t.primary_key:
            constraints.add((t.schema, t.name, t.primary_key.name, "p"))
        constraints |= {(t.schema, t.name, c.name, "f") for c in t.foreign_keys}
        constraints |= {(t.schema, t.name, c.name, "u") for c in t.unique_constraints}
        constraints |= {(t.schema, t.name, c.name, "c") for c in t.check_constraints}
    checks = {(t.schema, t.name, c.name): c.expression for t in db.tables for c in t.check_constraints}
    indexes = {(t.schema, i.name): i.predicate for t in db.tables for i in t.indexes}
    sequences = {(s.schema, s.name): (s.type, s.start, s.owned_by) for s in db.sequences}
    enums = {(e.schema, e.name): e.labels for e in db.enums}
    identities = {
        (t.schema, t.name, c.name): c.identity.always for t in db.tables for c in t.columns if c.identity
    }
    return {
        "columns": columns,
        "constraints": constraints,
        "checks": checks,
        "indexes": indexes,
        "sequences": sequences,
        "enums": enums,
        "identities": identities,
    }


_USER = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%%'"


def catalog_snapshot(url: str) -> dict[str, Any]:
    with psycopg.connect(url) as conn:
        conn.execute("SET search_path = ''")

        def rows(query: str) -> list[tuple[Any, ...]]:
            return list(conn.execute(query.replace("{user}", _USER)))  # type: ignore[arg-type]

        columns = {
            (r[0], r[1], r[2]): (r[3], not r[4], r[5] if not r[6] else None, r[5] if r[6] else None)
            for r in rows(
                """SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                          pg_get_expr(d.adbin, d.adrelid), a.attgenerated <> ''
                   FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                   JOIN pg_namespace n ON n.oid = c.relnamespace
                   LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                   WHERE c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND {user}"""
            )
        }
        constraints = {
            (r[0], r[1], r[2], r[3])
            for r in rows(
                """SELECT n.nspname, c.relname, k.conname, k.contype FROM pg_constraint k
                   JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                   WHERE k.contype IN ('p', 'f', 'u', 'c') AND {user}"""
            )
        }
        checks = {
            (r[0], r[1], r[2]): r[3]
            for r in rows(
                """SELECT n.nspname, c.relname, k.conname, pg_get_expr(k.conbin, k.conrelid)
                   FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
                   JOIN pg_namespace n ON n.oid = c.relnamespace
                   WHERE k.contype = 'c' AND {user}"""
            )
        }
        indexes = {
            (r[0], r[1]): r[2]
            for r in rows(
                """SELECT n.nspname, c.relname, pg_get_expr(i.indpred, i.indrelid) FROM pg_index i
                   JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                   WHERE {user}
                     AND NOT EXISTS (SELECT FROM pg_constraint k WHERE k.conindid = i.indexrelid)"""
            )
        }
        sequences = {
            (r[0], r[1]): (r[2], r[3], (r[4], r[5], r[6]) if r[5] else None)
            for r in rows(
                """SELECT n.nspname, c.relname, format_type(s.seqtypid, NULL), s.seqstart,
                          tn.nspname, t.relname, a.attname
                   FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid
                   JOIN pg_namespace n ON n.oid = c.relnamespace
                   LEFT JOIN pg_depend d ON d.objid = c.oid AND d.classid = 'pg_class'::regclass
                        AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
                   LEFT JOIN pg_class t ON t.oid = d.refobjid
                   LEFT JOIN pg_namespace tn ON tn.oid = t.relnamespace
                   LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                   WHERE {user}"""
            )
        }
        enums = {
            (r[0], r[1]): tuple(r[2])
            for r in rows(
                """SELECT n.nspname, t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder)
                   FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid
                   JOIN pg_namespace n ON n.oid = t.typnamespace GROUP BY 1, 2"""
            )
        }
        identities = {
            (r[0], r[1], r[2]): r[3] == "a"
            for r in rows(
                """SELECT n.nspname, c.relname, a.attname, a.attidentity FROM pg_attribute a
                   JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                   WHERE a.attidentity <> '' AND {user}"""
            )
        }
    return {
        "columns": columns,
        "constraints": constraints,
        "checks": checks,
        "indexes": indexes,
        "sequences": {k: v for k, v in sequences.items() if not is_identity_sequence(k, identities, v)},
        "enums": enums,
        "identities": identities,
    }


def is_identity_sequence(key: Any, identities: dict[Any, bool], value: Any) -> bool:
    """Identity sequences belong to their column's Identity, not to the standalone sequences."""
    owner = value[2]
    return owner is not None and owner in identities
