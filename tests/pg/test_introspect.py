"""Catalog introspection against a real PostgreSQL: one scratch database per test.

Every test creates its objects with inline SQL that exercises awkward cases, reads the schema
back with ``introspect`` and asserts concrete IR values. Version-specific features (PostgreSQL
15's NULLS NOT DISTINCT and ON DELETE SET NULL (col), 18's virtual generated columns) are
skipped by ``pg_major`` only where they are used.
"""

from __future__ import annotations

import time
from dataclasses import replace

import psycopg
import pytest
from psycopg.rows import namedtuple_row

from conftest import CORPUS, run_sql
from pgshape.errors import ServerError
from pgshape.model import (
    CheckConstraint,
    Column,
    CompositeAttribute,
    Database,
    Deferral,
    Domain,
    EnumType,
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
    Sequence,
    Table,
    Trigger,
    UniqueConstraint,
    View,
)
from pgshape.pg import introspect as introspect_module
from pgshape.pg.introspect import _query, introspect, introspect_connection
from pgshape.sources.sql_file import execute_script

# 63 bytes, the longest identifier PostgreSQL keeps: 20 two-byte characters and 23 ASCII ones.
LONG = "é" * 20 + "x" * 23
assert len(LONG.encode()) == 63
SAY_HI = '"say ""hi"""'  # the column say "hi", quoted


def load(url: str, sql: str, **options: object) -> Database:
    run_sql(url, sql)
    return introspect(url, **options)  # type: ignore[arg-type]


def table(db: Database, schema: str, name: str) -> Table:
    found = db.table(schema, name)
    assert found is not None, f"{schema}.{name} not introspected"
    return found


def view(db: Database, schema: str, name: str) -> View:
    return db.views_by_key[(schema, name)]


def function(db: Database, schema: str, name: str) -> Function:
    (found,) = [f for f in db.functions if (f.schema, f.name) == (schema, name)]
    return found


def index(owner: Table | View, name: str) -> Index:
    (found,) = [i for i in owner.indexes if i.name == name]
    return found


# Schemas and extensions ------------------------------------------------------------------------


def test_schemas_extensions_and_extension_objects_left_out(scratch_url: str) -> None:
    db = load(
        scratch_url,
        """
        CREATE EXTENSION citext;
        CREATE SCHEMA ext;
        CREATE EXTENSION hstore SCHEMA ext;
        CREATE SCHEMA "Sales Dept";
        COMMENT ON SCHEMA "Sales Dept" IS 'Mixed case and a space';
        CREATE SCHEMA empty;
        CREATE TABLE "Sales Dept".notes (body public.citext, tags ext.hstore);
        """,
    )
    assert db.schemas == (
        SchemaInfo(name="Sales Dept", comment="Mixed case and a space"),
        SchemaInfo(name="empty"),
        SchemaInfo(name="ext"),
        # PostgreSQL's own 'standard public schema' comment is not part of the design.
        SchemaInfo(name="public", comment=None),
    )
    assert [(e.name, e.schema) for e in db.extensions] == [("citext", "public"), ("hstore", "ext")]
    assert all(e.version for e in db.extensions)
    # Everything the extensions created (functions, operators' functions, types) is theirs.
    assert db.functions == ()
    assert db.domains == () and db.enums == () and db.composite_types == ()
    notes = table(db, "Sales Dept", "notes")
    assert [(c.name, c.type) for c in notes.columns] == [("body", "public.citext"), ("tags", "ext.hstore")]


def test_public_schema_comment_kept_when_changed(scratch_url: str) -> None:
    db = load(scratch_url, "COMMENT ON SCHEMA public IS 'Our stuff';")
    assert db.schemas == (SchemaInfo(name="public", comment="Our stuff"),)


def test_schema_filter(scratch_url: str) -> None:
    db = load(
        scratch_url,
        """
        CREATE SCHEMA app;
        CREATE SCHEMA other;
        CREATE TYPE app.state AS ENUM ('on', 'off');
        CREATE TABLE app.a (id int PRIMARY KEY, state app.state);
        CREATE TABLE other.b (id int REFERENCES app.a);
        CREATE VIEW other.v AS SELECT id FROM app.a;
        CREATE FUNCTION other.f() RETURNS int LANGUAGE sql AS 'select 1';
        """,
        schemas=["app"],
    )
    assert db.schemas == (SchemaInfo(name="app"),)
    assert [t.key for t in db.tables] == [("app", "a")]
    assert [e.key for e in db.enums] == [("app", "state")]
    assert db.views == () and db.functions == ()
    everything = introspect(scratch_url)
    assert [t.key for t in everything.tables] == [("app", "a"), ("other", "b")]
    assert table(everything, "other", "b").foreign_keys[0].referenced == ("app", "a")


def test_progress_reports_each_stage(scratch_url: str) -> None:
    stages: list[str] = []
    introspect(scratch_url, progress=stages.append)
    for stage in ("schemas", "columns", "constraints", "indexes", "functions"):
        assert stage in stages


def test_unreachable_server_is_a_server_error_with_the_password_masked() -> None:
    url = "postgresql://someone:s3cret@127.0.0.1:1/nowhere"
    with pytest.raises(ServerError) as raised:
        introspect(url)
    assert "s3cret" not in str(raised.value)


def test_introspect_connection_inside_the_callers_transaction(scratch_url: str) -> None:
    run_sql(scratch_url, "CREATE TABLE t (id int DEFAULT 1)")
    with psycopg.connect(scratch_url) as conn:
        conn.execute("SET search_path = public")
        conn.execute("SELECT 1")  # the caller's transaction is open
        db = introspect_connection(conn)
        assert table(db, "public", "t").columns[0].default == "1"
        # The caller's search_path is restored and its transaction still usable.
        assert conn.execute("SHOW search_path").fetchone() == ("public",)
        conn.execute("INSERT INTO t DEFAULT VALUES")


def test_introspect_connection_on_an_idle_connection_is_read_only(scratch_url: str) -> None:
    with psycopg.connect(scratch_url, autocommit=True) as conn:
        db = introspect_connection(conn)
        assert db.expressions_canonical
        assert conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE


# Columns ---------------------------------------------------------------------------------------


def test_columns_types_defaults_identity_generated_collations(scratch_url: str) -> None:
    db = load(
        scratch_url,
        f"""
        CREATE TYPE public.mood AS ENUM ('sad', 'ok');
        CREATE TABLE public."User Accounts" (
          id serial PRIMARY KEY,
          "{LONG}" integer NOT NULL,
          {SAY_HI} character varying(40) COLLATE "C",
          "MixedCase" timestamptz DEFAULT now(),
          "日本語" text[],
          price numeric(12,2) NOT NULL DEFAULT 0,
          doubled numeric GENERATED ALWAYS AS (price * 2) STORED,
          mood public.mood DEFAULT 'ok',
          pos "char",
          small_id smallint GENERATED BY DEFAULT AS IDENTITY,
          big_id bigint GENERATED ALWAYS AS IDENTITY
            (START WITH 100 INCREMENT BY 2 MINVALUE 50 MAXVALUE 100000 CACHE 10 CYCLE),
          down_id integer GENERATED ALWAYS AS IDENTITY (INCREMENT BY -1),
          from_ten bigint GENERATED BY DEFAULT AS IDENTITY (MINVALUE 10),
          down_from_five smallint GENERATED BY DEFAULT AS IDENTITY (INCREMENT -1 MAXVALUE 5 START 4)
        );
        COMMENT ON COLUMN public."User Accounts"."MixedCase" IS 'When';
        """,
    )
    users = table(db, "public", "User Accounts")
    by_name = {c.name: c for c in users.columns}
    assert users.column_names == (
        "id", LONG, 'say "hi"', "MixedCase", "日本語", "price", "doubled", "mood", "pos",
        "small_id", "big_id", "down_id", "from_ten", "down_from_five",
    )  # fmt: skip
    assert by_name["id"] == Column(
        name="id",
        type="integer",
        nullable=False,
        default="""nextval('public."User Accounts_id_seq"'::regclass)""",
    )
    assert by_name[LONG] == Column(name=LONG, type="integer", nullable=False)
    assert by_name['say "hi"'].type == "character varying(40)"
    assert by_name['say "hi"'].collation == 'pg_catalog."C"'
    assert by_name["MixedCase"] == Column(
        name="MixedCase", type="timestamp with time zone", default="now()", comment="When"
    )
    assert by_name["日本語"].type == "text[]"
    assert by_name["price"].default == "0"
    assert by_name["doubled"].default is None
    assert by_name["doubled"].generated == Generated(expression="(price * (2)::numeric)", kind="stored")
    assert by_name["mood"].default == "'ok'::public.mood"
    assert by_name["pos"].type == '"char"'
    # Identity options at the defaults for the type are None; others are kept.
    assert by_name["small_id"].identity == Identity(always=False)
    assert by_name["small_id"].default is None
    assert by_name["big_id"].identity == Identity(
        always=True, start=100, increment=2, min_value=50, max_value=100000, cache=10, cycle=True
    )
    assert by_name["down_id"].identity == Identity(always=True, increment=-1)
    # START defaults to the sequence's own minimum (or maximum, counting down).
    assert by_name["from_ten"].identity == Identity(min_value=10)
    assert by_name["down_from_five"].identity == Identity(start=4, increment=-1, max_value=5)
    assert not any(c.inherited for c in users.columns)
    # The serial's sequence is a standalone sequence owned by the column; identity ones are not.
    assert [(s.name, s.owned_by) for s in db.sequences] == [
        ("User Accounts_id_seq", ("public", "User Accounts", "id"))
    ]


def test_virtual_generated_column(scratch_url: str, pg_major: int) -> None:
    if pg_major < 18:
        pytest.skip("virtual generated columns need PostgreSQL 18")
    db = load(scratch_url, "CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a + 1) VIRTUAL)")
    assert table(db, "public", "t").columns[1].generated == Generated(expression="(a + 1)", kind="virtual")


def test_table_level_facts(scratch_url: str) -> None:
    db = load(
        scratch_url,
        """
        CREATE UNLOGGED TABLE cache (k text) WITH (fillfactor = 70, autovacuum_enabled = false);
        COMMENT ON TABLE cache IS 'Scratch space';
        CREATE TABLE secret (owner text);
        ALTER TABLE secret ENABLE ROW LEVEL SECURITY;
        ALTER TABLE secret FORCE ROW LEVEL SECURITY;
        CREATE FOREIGN DATA WRAPPER dummy;
        CREATE SERVER nowhere FOREIGN DATA WRAPPER dummy;
        CREATE FOREIGN TABLE remote (id int) SERVER nowhere;
        """,
    )
    cache = table(db, "public", "cache")
    assert cache.unlogged and cache.comment == "Scratch space"
    assert cache.options == ("autovacuum_enabled=false", "fillfactor=70")
    secret = table(db, "public", "secret")
    assert (secret.rls_enabled, secret.rls_forced, secret.unlogged) == (True, True, False)
    assert db.table("public", "remote") is None  # foreign tables are not read


# Constraints -----------------------------------------------------------------------------------


def test_constraints(scratch_url: str) -> None:
    db = load(
        scratch_url,
        """
        CREATE TABLE parent (
          a int, b text, note text,
          CONSTRAINT "Parent Key" PRIMARY KEY (b, a) INCLUDE (note),
          CONSTRAINT parent_note_key UNIQUE (note),
          CONSTRAINT parent_a_key UNIQUE (a) DEFERRABLE INITIALLY DEFERRED
        );
        COMMENT ON CONSTRAINT "Parent Key" ON parent IS 'The key';
        CREATE TABLE child (
          id int PRIMARY KEY,
          pa int, pb text, during tstzrange, amount int,
          CONSTRAINT child_parent_fk FOREIGN KEY (pb, pa) REFERENCES parent (b, a)
            MATCH FULL ON DELETE CASCADE ON UPDATE RESTRICT DEFERRABLE,
          CONSTRAINT "positive amount" CHECK (amount > 0) NO INHERIT,
          CONSTRAINT no_overlap EXCLUDE USING gist (during WITH &&) WHERE (id > 0)
        );
        ALTER TABLE child ADD CONSTRAINT child_note_fk FOREIGN KEY (pb) REFERENCES parent (note)
          ON DELETE SET DEFAULT NOT VALID;
        ALTER TABLE child ADD CONSTRAINT small CHECK (amount < 1000) NOT VALID;
        COMMENT ON CONSTRAINT small ON child IS 'Not checked yet';
        CREATE TABLE nullable (x int NOT NULL, y int UNIQUE);
        """,
    )
    parent = table(db, "public", "parent")
    assert parent.primary_key == PrimaryKey(
        name="Parent Key", columns=("b", "a"), include=("note",), comment="The key"
    )
    assert parent.unique_constraints == (
        UniqueConstraint(name="parent_a_key", columns=("a",), deferrable=Deferral(initially_deferred=True)),
        UniqueConstraint(name="parent_note_key", columns=("note",)),
    )
    assert parent.indexes == ()  # constraint indexes live on the constraint
    child = table(db, "public", "child")
    assert child.foreign_keys == (
        ForeignKey(
            name="child_note_fk",
            columns=("pb",),
            referenced_schema="public",
            referenced_table="parent",
            referenced_columns=("note",),
            on_delete="SET DEFAULT",
            validated=False,
        ),
        ForeignKey(
            name="child_parent_fk",
            columns=("pb", "pa"),
            referenced_schema="public",
            referenced_table="parent",
            referenced_columns=("b", "a"),
            on_delete="CASCADE",
            on_update="RESTRICT",
            match="FULL",
            deferrable=Deferral(initially_deferred=False),
        ),
    )
    assert child.check_constraints == (
        CheckConstraint(name="positive amount", expression="(amount > 0)", no_inherit=True),
        CheckConstraint(
            name="small", expression="(amount < 1000)", validated=False, comment="Not checked yet"
        ),
    )
    (exclusion,) = child.exclusion_constraints
    assert exclusion.name == "no_overlap"
    assert exclusion.definition == "EXCLUDE USING gist (during WITH &&) WHERE ((id > 0))"
    assert exclusion.deferrable is None
    # NOT NULL is a column fact, not a constraint (PostgreSQL 18 also lists it as one).
    nullable = table(db, "public", "nullable")
    assert nullable.check_constraints == ()
    assert nullable.columns[0].nullable is False
    assert nullable.unique_constraints == (UniqueConstraint(name="nullable_y_key", columns=("y",)),)


def test_constraints_postgresql_15(scratch_url: str, pg_major: int) -> None:
    if pg_major < 15:
        pytest.skip("NULLS NOT DISTINCT and ON DELETE SET NULL (columns) need PostgreSQL 15")
    db = load(
        scratch_url,
        """
        CREATE TABLE tenant_user (tenant int, id int, email text,
          PRIMARY KEY (tenant, id),
          CONSTRAINT email_once UNIQUE NULLS NOT DISTINCT (tenant, email));
        CREATE TABLE post (tenant int NOT NULL, author int, id int PRIMARY KEY,
          CONSTRAINT post_author_fk FOREIGN KEY (tenant, author) REFERENCES tenant_user
            ON DELETE SET NULL (author));
        """,
    )
    (unique,) = table(db, "public", "tenant_user").unique_constraints
    assert unique == UniqueConstraint(name="email_once", columns=("tenant", "email"), nulls_not_distinct=True)
    (fk,) = table(db, "public", "post").foreign_keys
    assert fk.on_delete == "SET NULL"
    assert fk.on_delete_columns == ("author",)
    assert fk.referenced_columns == ("tenant", "id")


# Indexes ---------------------------------------------------------------------------------------


def test_indexes(scratch_url: str) -> None:
    db = load(
        scratch_url,
        """
        CREATE TABLE doc (
          id int PRIMARY KEY,
          "Title" text,
          body text,
          tags text[],
          created date,
          UNIQUE (body)
        );
        CREATE INDEX "Title desc" ON doc ("Title" DESC NULLS LAST, created NULLS FIRST)
          INCLUDE (body) WITH (fillfactor = 70) WHERE (id > 10);
        COMMENT ON INDEX "Title desc" IS 'Sorted titles';
        CREATE UNIQUE INDEX doc_lower_title ON doc (lower("Title"));
        CREATE INDEX doc_pattern ON doc (body text_pattern_ops, "Title" COLLATE "C" DESC);
        CREATE INDEX doc_tags ON doc USING gin (tags);
        CREATE INDEX doc_expr_collate ON doc ((body || 'x') COLLATE "C");
        CREATE INDEX doc_hash ON doc USING hash (id);
        """,
    )
    doc = table(db, "public", "doc")
    assert [i.name for i in doc.indexes] == [
        "Title desc", "doc_expr_collate", "doc_hash", "doc_lower_title", "doc_pattern", "doc_tags",
    ]  # fmt: skip
    assert index(doc, "Title desc") == Index(
        name="Title desc",
        keys=(
            IndexKey(column="Title", descending=True, nulls_first=False),
            IndexKey(column="created", nulls_first=True),
        ),
        include=("body",),
        predicate="(id > 10)",
        options=("fillfactor=70",),
        comment="Sorted titles",
    )
    assert index(doc, "doc_lower_title") == Index(
        name="doc_lower_title", keys=(IndexKey(expression='lower("Title")'),), unique=True
    )
    assert index(doc, "doc_pattern").keys == (
        IndexKey(column="body", opclass="pg_catalog.text_pattern_ops"),
        IndexKey(column="Title", descending=True, collation='pg_catalog."C"'),
    )
    assert index(doc, "doc_tags") == Index(name="doc_tags", keys=(IndexKey(column="tags"),), method="gin")
    assert index(doc, "doc_expr_collate").keys == (
        # PostgreSQL prints an operator expression key in its own parentheses.
        IndexKey(expression="((body || 'x'::text))", collation='pg_catalog."C"'),
    )
    assert index(doc, "doc_hash").method == "hash"


def test_index_nulls_not_distinct(scratch_url: str, pg_major: int) -> None:
    if pg_major < 15:
        pytest.skip("NULLS NOT DISTINCT needs PostgreSQL 15")
    db = load(scratch_url, "CREATE TABLE t (a int); CREATE UNIQUE INDEX t_a ON t (a) NULLS NOT DISTINCT;")
    (found,) = table(db, "public", "t").indexes
    assert found.unique and found.nulls_not_distinct


# Partitions and inheritance --------------------------------------------------------------------


def test_partitioned_tables(scratch_url: str) -> None:
    db = load(
        scratch_url,
        """
        CREATE TABLE account (id bigint PRIMARY KEY);
        CREATE TABLE measurement (
          id bigint NOT NULL REFERENCES account,
          logdate date NOT NULL,
          city text DEFAULT 'nowhere',
          peak int CONSTRAINT peak_positive CHECK (peak > 0),
          PRIMARY KEY (id, logdate)
        ) PARTITION BY RANGE (logdate);
        COMMENT ON TABLE measurement IS 'Partitioned';
        CREATE INDEX measurement_city_idx ON measurement (city);
        CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS 'begin return new; end';
        CREATE TRIGGER measurement_touch BEFORE INSERT ON measurement
          FOR EACH ROW EXECUTE FUNCTION touch();
        CREATE TABLE measurement_y2024 PARTITION OF measurement
          FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
        CREATE TABLE measurement_y2025 PARTITION OF measurement (city DEFAULT 'here')
          FOR VALUES FROM ('2025-01-01') TO ('2026-01-01') PARTITION BY LIST (id);
        CREATE TABLE measurement_y2025_rome PARTITION OF measurement_y2025
          (CONSTRAINT peak_small CHECK (peak < 1000)) FOR VALUES IN (1, 2);
        CREATE INDEX rome_peak_idx ON measurement_y2025_rome (peak);
        CREATE TABLE measurement_rest PARTITION OF measurement DEFAULT;
        """,
    )
    parent = table(db, "public", "measurement")
    assert parent.partition_by == "RANGE (logdate)"
    assert parent.partition_of is None and parent.comment == "Partitioned"
    assert parent.primary_key == PrimaryKey(name="measurement_pkey", columns=("id", "logdate"))
    assert [fk.name for fk in parent.foreign_keys] == ["measurement_id_fkey"]
    assert [i.name for i in parent.indexes] == ["measurement_city_idx"]
    assert [t.name for t in parent.triggers] == ["measurement_touch"]

    y2024 = table(db, "public", "measurement_y2024")
    assert y2024.partition_of == PartitionOf(
        schema="public", table="measurement", bound="FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')"
    )
    assert all(c.inherited for c in y2024.columns)
    assert y2024.columns[2] == Column(name="city", type="text", default="'nowhere'::text", inherited=True)
    # What the partition receives from its parent is the parent's, not listed again.
    assert y2024.primary_key is None
    assert (y2024.foreign_keys, y2024.check_constraints, y2024.indexes, y2024.triggers) == ((), (), (), ())

    y2025 = table(db, "public", "measurement_y2025")
    assert y2025.partition_by == "LIST (id)"
    assert y2025.columns[2].default == "'here'::text"
    rome = table(db, "public", "measurement_y2025_rome")
    assert rome.partition_of == PartitionOf(
        schema="public", table="measurement_y2025", bound="FOR VALUES IN ('1', '2')"
    )
    # The partition's own constraint and index stay.
    assert rome.check_constraints == (CheckConstraint(name="peak_small", expression="(peak < 1000)"),)
    assert [i.name for i in rome.indexes] == ["rome_peak_idx"]
    rest = table(db, "public", "measurement_rest")
    assert rest.partition_of == PartitionOf(schema="public", table="measurement", bound="DEFAULT")
    # A foreign key referencing a partitioned table is listed once, on the referencing table.
    run_sql(scratch_url, "CREATE TABLE ref (id bigint, d date, FOREIGN KEY (id, d) REFERENCES measurement)")
    ref = table(introspect(scratch_url), "public", "ref")
    assert [(fk.referenced_table, fk.columns) for fk in ref.foreign_keys] == [("measurement", ("id", "d"))]


def test_legacy_inheritance(scratch_url: str) -> None:
    db = load(
        scratch_url,
        """
        CREATE SCHEMA app;
        CREATE TABLE app.base (id int NOT NULL CONSTRAINT id_positive CHECK (id > 0),
                               created timestamp DEFAULT now(),
                               CONSTRAINT only_here CHECK (id < 100) NO INHERIT);
        CREATE TABLE app.other (note text);
        CREATE TABLE app.child (extra jsonb DEFAULT '{}', CONSTRAINT own CHECK (extra IS NOT NULL))
          INHERITS (app.other, app.base);
        """,
    )
    child = table(db, "app", "child")
    assert child.inherits == (("app", "other"), ("app", "base"))
    assert child.partition_of is None
    assert [(c.name, c.inherited) for c in child.columns] == [
        ("note", True), ("id", True), ("created", True), ("extra", False),
    ]  # fmt: skip
    assert child.columns[2].default == "now()"
    assert child.check_constraints == (CheckConstraint(name="own", expression="(extra IS NOT NULL)"),)
    base = table(db, "app", "base")
    assert base.inherits == ()
    assert [c.name for c in base.check_constraints] == ["id_positive", "only_here"]


# Sequences and types ---------------------------------------------------------------------------


def test_sequences(scratch_url: str) -> None:
    db = load(
        scratch_url,
        """
        CREATE SCHEMA app;
        CREATE SEQUENCE app.counter AS integer START 10 INCREMENT 5 MINVALUE 1 MAXVALUE 1000 CACHE 3 CYCLE;
        COMMENT ON SEQUENCE app.counter IS 'Counts';
        CREATE SEQUENCE app.down AS smallint INCREMENT -1;
        CREATE SEQUENCE app."Big One" MINVALUE 5;
        CREATE TABLE app.t (n bigint, id int GENERATED ALWAYS AS IDENTITY);
        CREATE SEQUENCE app.t_n_seq OWNED BY app.t.n;
        """,
    )
    assert db.sequences == (
        Sequence(schema="app", name="Big One", type="bigint", start=5, min_value=5),
        Sequence(
            schema="app",
            name="counter",
            type="integer",
            start=10,
            increment=5,
            min_value=None,
            max_value=1000,
            cache=3,
            cycle=True,
            comment="Counts",
        ),
        Sequence(schema="app", name="down", type="smallint", start=-1, increment=-1),
        Sequence(schema="app", name="t_n_seq", owned_by=("app", "t", "n")),
    )


def test_enums_domains_composites(scratch_url: str) -> None:
    db = load(
        scratch_url,
        """
        CREATE SCHEMA app;
        CREATE TYPE app."Mood" AS ENUM ('sad', 'ok', 'it''s', 'happy');
        ALTER TYPE app."Mood" ADD VALUE 'meh' BEFORE 'ok';
        COMMENT ON TYPE app."Mood" IS 'How it feels';
        CREATE DOMAIN app.positive_int AS integer CONSTRAINT positive_int_check CHECK (VALUE > 0);
        COMMENT ON DOMAIN app.positive_int IS 'Positive';
        COMMENT ON CONSTRAINT positive_int_check ON DOMAIN app.positive_int IS 'must be positive';
        CREATE DOMAIN app.small AS app.positive_int NOT NULL DEFAULT 1
          CONSTRAINT small_check CHECK (VALUE < 100);
        ALTER DOMAIN app.small ADD CONSTRAINT even CHECK (VALUE % 2 = 0) NOT VALID;
        CREATE DOMAIN app.code AS varchar(10) COLLATE "C";
        CREATE TYPE app."Address" AS (street text COLLATE "C", zip app.positive_int, moods app."Mood"[]);
        COMMENT ON TYPE app."Address" IS 'Postal address';
        CREATE TABLE app.t (a app."Address");  -- its row type is not a composite type of ours
        """,
    )
    assert db.enums == (
        EnumType(
            schema="app", name="Mood", labels=("sad", "meh", "ok", "it's", "happy"), comment="How it feels"
        ),
    )
    assert db.domains == (
        Domain(schema="app", name="code", base_type="character varying(10)", collation='pg_catalog."C"'),
        Domain(
            schema="app",
            name="positive_int",
            base_type="integer",
            checks=(
                CheckConstraint(
                    name="positive_int_check", expression="(VALUE > 0)", comment="must be positive"
                ),
            ),
            comment="Positive",
        ),
        Domain(
            schema="app",
            name="small",
            base_type="app.positive_int",
            nullable=False,
            default="1",
            checks=(
                CheckConstraint(name="even", expression="(((VALUE)::integer % 2) = 0)", validated=False),
                CheckConstraint(name="small_check", expression="((VALUE)::integer < 100)"),
            ),
        ),
    )
    (address,) = db.composite_types
    assert (address.schema, address.name, address.comment) == ("app", "Address", "Postal address")
    assert address.attributes == (
        CompositeAttribute(name="street", type="text", collation='pg_catalog."C"'),
        CompositeAttribute(name="zip", type="app.positive_int"),
        CompositeAttribute(name="moods", type='app."Mood"[]'),
    )


# Views -----------------------------------------------------------------------------------------


def test_views_and_materialized_views(scratch_url: str) -> None:
    db = load(
        scratch_url,
        """
        CREATE SCHEMA "Sales Dept";
        CREATE TABLE public."user" (id bigint PRIMARY KEY, "Name" text, active boolean);
        CREATE VIEW public.active_users WITH (security_barrier) AS
          SELECT id, "Name" FROM public."user" WHERE active;
        COMMENT ON VIEW public.active_users IS 'Everyone active';
        COMMENT ON COLUMN public.active_users."Name" IS 'Shown name';
        CREATE VIEW public.names AS SELECT "Name" FROM public.active_users WITH LOCAL CHECK OPTION;
        CREATE MATERIALIZED VIEW "Sales Dept"."User Count" AS
          SELECT count(*) AS n, max(u.id) AS top FROM public."user" u JOIN public.active_users a USING (id);
        CREATE UNIQUE INDEX "user count n" ON "Sales Dept"."User Count" (n);
        COMMENT ON INDEX "Sales Dept"."user count n" IS 'Per count';
        COMMENT ON MATERIALIZED VIEW "Sales Dept"."User Count" IS 'Materialized';
        CREATE FUNCTION public.insert_name() RETURNS trigger LANGUAGE plpgsql
          AS 'begin insert into public."user" values (0, new."Name", true); return new; end';
        CREATE TRIGGER names_insert INSTEAD OF INSERT ON public.names
          FOR EACH ROW EXECUTE FUNCTION public.insert_name();
        """,
    )
    active = view(db, "public", "active_users")
    assert not active.materialized
    assert 'FROM public."user"' in active.definition and "WHERE" in active.definition
    assert active.columns == (
        Column(name="id", type="bigint"),
        Column(name="Name", type="text", comment="Shown name"),
    )
    assert active.options == ("security_barrier=true",)
    assert active.depends_on == (("public", "user"),)
    assert active.comment == "Everyone active"

    names = view(db, "public", "names")
    assert names.options == ("check_option=local",)
    assert names.depends_on == (("public", "active_users"),)
    (trigger,) = names.triggers
    assert (trigger.name, trigger.timing, trigger.events, trigger.for_each_row) == (
        "names_insert", "INSTEAD OF", ("INSERT",), True,
    )  # fmt: skip
    assert trigger.function == "public.insert_name"

    counts = view(db, "Sales Dept", "User Count")
    assert counts.materialized and counts.comment == "Materialized"
    assert counts.columns == (Column(name="n", type="bigint"), Column(name="top", type="bigint"))
    assert counts.depends_on == (("public", "active_users"), ("public", "user"))
    assert counts.indexes == (
        Index(name="user count n", keys=(IndexKey(column="n"),), unique=True, comment="Per count"),
    )
    assert db.tables == (table(db, "public", "user"),)  # views are not tables


# Functions -------------------------------------------------------------------------------------


def test_functions_procedures_window_functions(scratch_url: str) -> None:
    db = load(
        scratch_url,
        """
        CREATE SCHEMA app;
        CREATE TYPE app.mood AS ENUM ('sad', 'ok');
        CREATE TABLE app.item (id int PRIMARY KEY, mood app.mood);
        CREATE FUNCTION app.add_one(x integer) RETURNS integer LANGUAGE sql IMMUTABLE
          AS 'select x + 1';
        COMMENT ON FUNCTION app.add_one(integer) IS 'Adds one';
        CREATE FUNCTION app.add_one(x bigint, "by" bigint DEFAULT 1) RETURNS bigint LANGUAGE sql STABLE
          AS 'select x + "by"';
        CREATE FUNCTION app.guarded(item app.item, moods app.mood[]) RETURNS SETOF app.item
          LANGUAGE plpgsql SECURITY DEFINER SET work_mem = '8MB' SET search_path = pg_catalog, app
          AS 'begin return next item; end';
        CREATE FUNCTION app.item_count() RETURNS bigint LANGUAGE sql
          BEGIN ATOMIC SELECT count(*) FROM app.item; END;
        CREATE PROCEDURE app.reset(INOUT n int) LANGUAGE plpgsql AS 'begin n := 0; end';
        CREATE FUNCTION app.my_rank() RETURNS bigint LANGUAGE internal WINDOW IMMUTABLE AS 'window_rank';
        """,
    )
    assert [f.signature for f in db.functions] == [
        "app.add_one(x bigint, by bigint)",
        "app.add_one(x integer)",
        "app.guarded(item app.item, moods app.mood[])",
        "app.item_count()",
        "app.my_rank()",
        "app.reset(INOUT n integer)",
    ]
    add_one = next(f for f in db.functions if f.arguments == "x integer")
    assert add_one == Function(
        schema="app",
        name="add_one",
        arguments="x integer",
        definition="CREATE OR REPLACE FUNCTION app.add_one(x integer)\n RETURNS integer\n LANGUAGE sql\n"
        " IMMUTABLE\nAS $function$select x + 1$function$\n",
        returns="integer",
        volatility="immutable",
        comment="Adds one",
    )
    add_big = next(f for f in db.functions if f.arguments.startswith("x bigint"))
    assert add_big.volatility == "stable"
    assert "DEFAULT 1" in add_big.definition
    guarded = function(db, "app", "guarded")
    assert guarded.security_definer and guarded.language == "plpgsql"
    assert guarded.returns == "SETOF app.item"
    assert guarded.config == ("search_path=pg_catalog, app", "work_mem=8MB")
    # The row type stands for its table, the array for its element type.
    assert guarded.depends_on == (("app", "item"), ("app", "mood"))
    assert function(db, "app", "item_count").depends_on == (("app", "item"),)
    reset = function(db, "app", "reset")
    assert reset.kind == "procedure" and reset.definition.startswith("CREATE OR REPLACE PROCEDURE app.reset(")
    rank = function(db, "app", "my_rank")
    assert rank.kind == "window" and rank.language == "internal" and " WINDOW" in rank.definition


def test_aggregates_print_an_executable_definition(scratch_url: str) -> None:
    setup = """
        CREATE SCHEMA app;
        CREATE FUNCTION app.plus(int, int) RETURNS int LANGUAGE sql IMMUTABLE STRICT AS 'select $1 + $2';
        CREATE FUNCTION app.half(int) RETURNS numeric LANGUAGE sql IMMUTABLE AS 'select $1 / 2.0';
        CREATE FUNCTION app.minus(int, int) RETURNS int LANGUAGE sql IMMUTABLE STRICT AS 'select $1 - $2';
        """
    db = load(
        scratch_url,
        setup
        + """
        CREATE AGGREGATE app.total(int) (SFUNC = app.plus, STYPE = int);
        COMMENT ON AGGREGATE app.total(int) IS 'A sum';
        CREATE AGGREGATE app."Half Sum"(int) (SFUNC = app.plus, STYPE = int, FINALFUNC = app.half,
          INITCOND = '0', COMBINEFUNC = app.plus, PARALLEL = SAFE,
          MSFUNC = app.plus, MINVFUNC = app.minus, MSTYPE = int, MFINALFUNC = app.half, MINITCOND = '0');
        CREATE AGGREGATE app.biggest(int) (SFUNC = int4larger, STYPE = int, SORTOP = >);
        CREATE AGGREGATE app.counted(*) (SFUNC = int8inc, STYPE = int8, INITCOND = '0');
        CREATE AGGREGATE app.median(float8 ORDER BY float8) (SFUNC = ordered_set_transition,
          STYPE = internal, FINALFUNC = percentile_cont_float8_final);
        """,
    )
    total = function(db, "app", "total")
    assert total.kind == "aggregate" and total.returns == "integer" and total.comment == "A sum"
    assert total.definition == "CREATE AGGREGATE app.total(integer) (SFUNC = app.plus, STYPE = integer)"
    assert function(db, "app", "Half Sum").definition == (
        'CREATE AGGREGATE app."Half Sum"(integer) (SFUNC = app.plus, STYPE = integer, '
        "FINALFUNC = app.half, COMBINEFUNC = app.plus, INITCOND = '0', MSFUNC = app.plus, "
        "MINVFUNC = app.minus, MSTYPE = integer, MFINALFUNC = app.half, MINITCOND = '0', PARALLEL = SAFE)"
    )
    assert function(db, "app", "counted").definition.startswith("CREATE AGGREGATE app.counted(*) (")
    assert "SORTOP = OPERATOR(pg_catalog.>)" in function(db, "app", "biggest").definition
    # Executing the definitions on an empty database recreates the same aggregates.
    aggregates = [f for f in db.functions if f.kind == "aggregate"]
    run_sql(scratch_url, "DROP SCHEMA app CASCADE;" + setup + ";".join(f.definition for f in aggregates))
    uncommented = tuple(replace(f, comment=None) for f in db.functions)
    assert introspect(scratch_url).functions == uncommented


# Triggers and policies -------------------------------------------------------------------------


def test_triggers(scratch_url: str) -> None:
    db = load(
        scratch_url,
        """
        CREATE TABLE "Order" (id int, total int);
        CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS 'begin return new; end';
        CREATE TRIGGER a_touch BEFORE INSERT OR UPDATE OF total ON "Order"
          FOR EACH ROW WHEN (new.total > 0) EXECUTE FUNCTION touch();
        COMMENT ON TRIGGER a_touch ON "Order" IS 'Keeps it fresh';
        CREATE TRIGGER b_audit AFTER DELETE OR TRUNCATE ON "Order"
          FOR EACH STATEMENT EXECUTE FUNCTION touch();
        CREATE TRIGGER c_off AFTER UPDATE ON "Order" FOR EACH ROW EXECUTE FUNCTION touch();
        ALTER TABLE "Order" DISABLE TRIGGER c_off;
        CREATE TRIGGER d_replica AFTER INSERT ON "Order" FOR EACH ROW EXECUTE FUNCTION touch();
        ALTER TABLE "Order" ENABLE REPLICA TRIGGER d_replica;
        CREATE TRIGGER e_always AFTER INSERT ON "Order" FOR EACH ROW EXECUTE FUNCTION touch();
        ALTER TABLE "Order" ENABLE ALWAYS TRIGGER e_always;
        CREATE TABLE line (order_id int REFERENCES "Order" (id) DEFERRABLE);
        """.replace('"Order" (id int', '"Order" (id int PRIMARY KEY'),
    )
    order = table(db, "public", "Order")
    assert order.triggers[0] == Trigger(
        name="a_touch",
        definition='CREATE TRIGGER a_touch BEFORE INSERT OR UPDATE OF total ON public."Order" FOR EACH ROW '
        "WHEN ((new.total > 0)) EXECUTE FUNCTION public.touch()",
        timing="BEFORE",
        events=("INSERT", "UPDATE"),
        for_each_row=True,
        function="public.touch",
        enabled="ORIGIN",
        comment="Keeps it fresh",
    )
    audit = order.triggers[1]
    assert (audit.timing, audit.events, audit.for_each_row) == ("AFTER", ("DELETE", "TRUNCATE"), False)
    assert [t.enabled for t in order.triggers[2:]] == ["DISABLED", "REPLICA", "ALWAYS"]
    # Foreign keys' internal triggers are not user triggers.
    assert table(db, "public", "line").triggers == ()
    assert len(order.triggers) == 5


def test_policies(scratch_url: str) -> None:
    db = load(
        scratch_url,
        """
        CREATE ROLE "Pgshape Reader";
        CREATE TYPE mood AS ENUM ('sad', 'ok');
        CREATE TABLE doc ("Owner" text, mood mood);
        ALTER TABLE doc ENABLE ROW LEVEL SECURITY;
        CREATE POLICY "own rows" ON doc USING ("Owner" = current_user);
        COMMENT ON POLICY "own rows" ON doc IS 'Only yours';
        CREATE POLICY no_sad ON doc AS RESTRICTIVE FOR INSERT TO "Pgshape Reader", pg_read_all_data
          WITH CHECK (mood <> 'sad');
        CREATE POLICY edit ON doc FOR UPDATE TO public USING (true) WITH CHECK ("Owner" IS NOT NULL);
        CREATE POLICY readers ON doc FOR SELECT USING (true);
        CREATE POLICY deleters ON doc FOR DELETE TO CURRENT_USER USING (false);
        """,
    )
    try:
        doc = table(db, "public", "doc")
        assert doc.rls_enabled and not doc.rls_forced
        policies = {p.name: p for p in doc.policies}
        assert policies["own rows"] == Policy(
            name="own rows", using='("Owner" = CURRENT_USER)', comment="Only yours"
        )
        assert policies["no_sad"] == Policy(
            name="no_sad",
            command="INSERT",
            permissive=False,
            roles=("Pgshape Reader", "pg_read_all_data"),
            with_check="(mood <> 'sad'::public.mood)",
        )
        assert policies["edit"] == Policy(
            name="edit", command="UPDATE", using="true", with_check='("Owner" IS NOT NULL)'
        )
        assert policies["readers"].command == "SELECT"
        assert policies["deleters"].command == "DELETE"
        assert policies["deleters"].roles == ("postgres",)
    finally:
        run_sql(scratch_url, 'DROP POLICY no_sad ON doc; DROP ROLE "Pgshape Reader"')


# Comments on everything ------------------------------------------------------------------------


def test_comments_everywhere(scratch_url: str) -> None:
    db = load(
        scratch_url,
        """
        CREATE TABLE t (id int PRIMARY KEY, u int UNIQUE, c int CHECK (c > 0), r tstzrange,
                        f int REFERENCES t, EXCLUDE USING gist (r WITH &&));
        CREATE INDEX t_c ON t (c);
        COMMENT ON TABLE t IS 'table';
        COMMENT ON COLUMN t.id IS 'column';
        COMMENT ON CONSTRAINT t_pkey ON t IS 'primary key';
        COMMENT ON CONSTRAINT t_u_key ON t IS 'unique';
        COMMENT ON CONSTRAINT t_c_check ON t IS 'check';
        COMMENT ON CONSTRAINT t_f_fkey ON t IS 'foreign key';
        COMMENT ON CONSTRAINT t_r_excl ON t IS 'exclusion';
        COMMENT ON INDEX t_c IS 'index';
        CREATE SEQUENCE s;
        COMMENT ON SEQUENCE s IS 'sequence';
        CREATE PROCEDURE p() LANGUAGE sql AS 'select 1';
        COMMENT ON PROCEDURE p() IS 'procedure';
        CREATE TYPE comp AS (a int);
        COMMENT ON TYPE comp IS 'composite';
        """,
    )
    t = table(db, "public", "t")
    assert t.comment == "table" and t.columns[0].comment == "column"
    assert t.primary_key is not None and t.primary_key.comment == "primary key"
    assert t.unique_constraints[0].comment == "unique"
    assert t.check_constraints[0].comment == "check"
    assert t.foreign_keys[0].comment == "foreign key"
    assert t.exclusion_constraints[0].comment == "exclusion"
    assert t.indexes[0].comment == "index"
    assert db.sequences[0].comment == "sequence"
    assert db.functions[0].comment == "procedure"
    assert db.composite_types[0].comment == "composite"


# Keys named from attnums -------------------------------------------------------------------------
# Constraint and index keys are read as attnum arrays and named in Python from the columns query
# (see introspect_relations.py); these tests cover what that mapping could get wrong.


def test_keys_across_dropped_columns_and_outside_the_introspected_schemas(scratch_url: str) -> None:
    run_sql(
        scratch_url,
        """
        CREATE SCHEMA app;
        CREATE SCHEMA ref;
        CREATE TABLE ref.account (pad int, region text, id int, UNIQUE (id, region));
        ALTER TABLE ref.account DROP COLUMN pad;  -- region is attnum 2, id attnum 3
        CREATE TABLE app.orders (
          gone1 int, gone2 text, id int, account_region text, account_id int, note text, tag text,
          CONSTRAINT orders_pkey PRIMARY KEY (id) INCLUDE (note, tag)
        );
        ALTER TABLE app.orders DROP COLUMN gone1, DROP COLUMN gone2;
        ALTER TABLE app.orders ADD COLUMN added int;
        -- Key order differs from attnum order on both sides.
        ALTER TABLE app.orders ADD CONSTRAINT orders_account_fk
          FOREIGN KEY (account_id, account_region) REFERENCES ref.account (id, region);
        ALTER TABLE app.orders ADD CONSTRAINT orders_self_fk
          FOREIGN KEY (added) REFERENCES app.orders (id);
        ALTER TABLE app.orders ADD CONSTRAINT orders_note_key UNIQUE (note, added) INCLUDE (id);
        CREATE INDEX orders_mixed ON app.orders (added DESC, lower(note), account_id, (tag || note))
          INCLUDE (account_region, id);
        """,
    )
    account_fk = ForeignKey(
        name="orders_account_fk",
        columns=("account_id", "account_region"),
        referenced_schema="ref",
        referenced_table="account",
        referenced_columns=("id", "region"),
    )
    # ref is not introspected: its columns are named by the constraints query itself.
    only_app = introspect(scratch_url, schemas=["app"])
    everything = introspect(scratch_url)
    for db in (only_app, everything):
        orders = table(db, "app", "orders")
        assert orders.column_names == ("id", "account_region", "account_id", "note", "tag", "added")
        assert orders.primary_key == PrimaryKey(name="orders_pkey", columns=("id",), include=("note", "tag"))
        assert orders.foreign_keys == (
            account_fk,
            ForeignKey(
                name="orders_self_fk",
                columns=("added",),
                referenced_schema="app",
                referenced_table="orders",
                referenced_columns=("id",),
            ),
        )
        assert orders.unique_constraints == (
            UniqueConstraint(name="orders_note_key", columns=("note", "added"), include=("id",)),
        )
        assert index(orders, "orders_mixed") == Index(
            name="orders_mixed",
            keys=(
                IndexKey(column="added", descending=True),
                IndexKey(expression="lower(note)"),
                IndexKey(column="account_id"),
                IndexKey(expression="((tag || note))"),
            ),
            include=("account_region", "id"),
        )
    assert table(everything, "ref", "account").unique_constraints == (
        UniqueConstraint(name="account_id_region_key", columns=("id", "region")),
    )


def test_on_delete_set_null_columns_after_a_dropped_column(scratch_url: str, pg_major: int) -> None:
    if pg_major < 15:
        pytest.skip("ON DELETE SET NULL (columns) needs PostgreSQL 15")
    db = load(
        scratch_url,
        """
        CREATE TABLE tenant_user (tenant int, id int, PRIMARY KEY (tenant, id));
        CREATE TABLE post (gone int, author int, tenant int NOT NULL, editor int);
        ALTER TABLE post DROP COLUMN gone;
        ALTER TABLE post ADD CONSTRAINT post_editor_fk FOREIGN KEY (tenant, editor)
          REFERENCES tenant_user ON DELETE SET NULL (editor);
        ALTER TABLE post ADD CONSTRAINT post_author_fk FOREIGN KEY (tenant, author)
          REFERENCES tenant_user (tenant, id) ON DELETE SET DEFAULT (author);
        """,
    )
    author, editor = table(db, "public", "post").foreign_keys
    assert (author.on_delete, author.on_delete_columns) == ("SET DEFAULT", ("author",))
    assert (editor.on_delete, editor.on_delete_columns) == ("SET NULL", ("editor",))
    assert editor.columns == ("tenant", "editor") and editor.referenced_columns == ("tenant", "id")


def test_index_key_collations_compare_with_the_column_or_expression(scratch_url: str) -> None:
    db = load(
        scratch_url,
        """
        CREATE TABLE t (c text COLLATE "C", d text, n int);
        CREATE INDEX t_c ON t (c);
        CREATE INDEX t_c_same ON t (c COLLATE "C");
        CREATE INDEX t_c_default ON t (c COLLATE "default");
        CREATE INDEX t_d_c ON t (d COLLATE "C" text_pattern_ops, n);
        CREATE INDEX t_expr ON t ((d || 'x'), (n + 1), (d || 'y') COLLATE "POSIX");
        """,
    )
    t = table(db, "public", "t")
    assert index(t, "t_c").keys == (IndexKey(column="c"),)
    assert index(t, "t_c_same").keys == (IndexKey(column="c"),)
    # The column's collation is "C", so the database default is the one to name here.
    assert index(t, "t_c_default").keys == (IndexKey(column="c", collation='pg_catalog."default"'),)
    assert index(t, "t_d_c").keys == (
        IndexKey(column="d", collation='pg_catalog."C"', opclass="pg_catalog.text_pattern_ops"),
        IndexKey(column="n"),
    )
    assert index(t, "t_expr").keys == (
        IndexKey(expression="((d || 'x'::text))"),
        IndexKey(expression="((n + 1))"),
        IndexKey(expression="((d || 'y'::text))", collation='pg_catalog."POSIX"'),
    )


def test_defaults_print_as_with_their_relation(scratch_url: str) -> None:
    # Defaults are printed without naming their table (which would open it): that must not change
    # a single character of what PostgreSQL prints with the table.
    run_sql(
        scratch_url,
        """
        CREATE SCHEMA "Other";
        CREATE TYPE "Other"."Mood" AS ENUM ('ok', 'sad');
        CREATE DOMAIN "Other".positive AS int CHECK (VALUE > 0);
        CREATE SEQUENCE "Other"."Counter";
        CREATE FUNCTION "Other".pick(a int, b int DEFAULT 2) RETURNS int LANGUAGE sql AS 'select a + b';
        CREATE TABLE t (
          a int DEFAULT nextval('"Other"."Counter"'),
          b "Other"."Mood" DEFAULT 'sad',
          c "Other".positive DEFAULT 7,
          d text[] DEFAULT '{}',
          e timestamptz DEFAULT (now() AT TIME ZONE 'UTC') + interval '1 day',
          f text DEFAULT CURRENT_USER,
          g int DEFAULT "Other".pick(b => 3, a => 1),
          h numeric DEFAULT -1.5,
          i jsonb DEFAULT '{"k": [1, 2]}'::jsonb,
          j int GENERATED ALWAYS AS (a * 2) STORED
        );
        """,
    )
    columns = table(introspect(scratch_url), "public", "t").columns
    with psycopg.connect(scratch_url) as conn:
        conn.execute("SET search_path = ''")
        printed = dict(
            conn.execute(  # type: ignore[arg-type]
                """SELECT a.attname, pg_catalog.pg_get_expr(d.adbin, d.adrelid)
                   FROM pg_catalog.pg_attrdef d
                   JOIN pg_catalog.pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
                   WHERE d.adrelid = 'public.t'::pg_catalog.regclass"""
            ).fetchall()
        )
    assert {c.name: c.default for c in columns if c.default is not None} == {
        name: text for name, text in printed.items() if name != "j"
    }
    assert columns[-1].generated == Generated(expression=printed["j"])
    assert columns[0].default == """nextval('"Other"."Counter"'::regclass)"""


def test_own_transaction_is_repeatable_read_and_callers_is_kept(scratch_url: str) -> None:
    # Keys are named from another query's rows, so all queries must see one snapshot.
    run_sql(scratch_url, "CREATE TABLE t (id int PRIMARY KEY)")
    with psycopg.connect(scratch_url, autocommit=True) as conn:
        seen: list[str] = []

        def isolation(step: str) -> None:
            if step == "constraints":
                seen.append(str(conn.execute("SHOW transaction_isolation").fetchone()[0]))  # type: ignore[index]

        introspect_connection(conn, progress=isolation)
        conn.autocommit = False
        conn.execute("SELECT 1")  # a caller's READ COMMITTED transaction
        db = introspect_connection(conn, progress=isolation)
        assert table(db, "public", "t").primary_key is not None
    assert seen == ["repeatable read", "read committed"]


def test_a_failing_query_is_raised_and_leaves_the_connection_usable(
    scratch_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Queries run one step ahead on a thread (introspect_ahead.py): an error there reaches the
    # caller, and the thread is stopped before the caller's transaction is used again.
    run_sql(scratch_url, "CREATE TABLE t (id int PRIMARY KEY)")
    real_query = introspect_module._query

    def failing(name: str, server_version: int) -> str:
        return "SELECT 1 / 0" if name == "indexes" else real_query(name, server_version)

    monkeypatch.setattr(introspect_module, "_query", failing)
    with psycopg.connect(scratch_url) as conn:
        with pytest.raises(psycopg.errors.DivisionByZero):
            introspect_connection(conn)
        assert conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
        monkeypatch.setattr(introspect_module, "_query", real_query)
        assert table(introspect_connection(conn), "public", "t").primary_key is not None


def test_giving_up_cancels_the_query_in_flight(scratch_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    real_query = introspect_module._query

    def slow(name: str, server_version: int) -> str:
        return "SELECT pg_catalog.pg_sleep(60)" if name == "indexes" else real_query(name, server_version)

    def interrupt(step: str) -> None:
        if step == "constraints":
            time.sleep(0.2)  # the read-ahead thread is in the slow query by now
            raise KeyboardInterrupt

    monkeypatch.setattr(introspect_module, "_query", slow)
    with psycopg.connect(scratch_url) as conn:
        started = time.perf_counter()
        with pytest.raises(KeyboardInterrupt):
            introspect_connection(conn, progress=interrupt)
        assert time.perf_counter() - started < 20
        assert conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
        assert conn.execute("SELECT 1").fetchone() == (1,)


def test_an_error_while_assembling_stops_the_queries_in_flight(scratch_url: str) -> None:
    run_sql(scratch_url, "CREATE TABLE t (id int PRIMARY KEY)")

    def interrupt(step: str) -> None:
        if step == "constraints":
            raise KeyboardInterrupt

    with psycopg.connect(scratch_url) as conn:
        conn.execute("SELECT 1")  # inside the caller's transaction
        with pytest.raises(KeyboardInterrupt):
            introspect_connection(conn, progress=interrupt)
        # The savepoint was released cleanly: the caller's transaction goes on.
        assert conn.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS
        assert conn.execute("SELECT count(*) FROM public.t").fetchone() == (0,)
        assert table(introspect_connection(conn), "public", "t").primary_key is not None


@pytest.mark.parametrize("version", [130000, 140000])
def test_queries_for_older_servers_run_and_mean_absent(scratch_url: str, version: int) -> None:
    # PostgreSQL 13/14 lack confdelsetcols and indnullsnotdistinct; their variants of the
    # queries must still be valid SQL (checked here on this server) and read those as absent.
    run_sql(
        scratch_url,
        """
        CREATE TABLE p (id int PRIMARY KEY, code text UNIQUE);
        CREATE TABLE c (id int REFERENCES p ON DELETE SET NULL);
        CREATE INDEX c_id ON c (id);
        """,
    )
    with psycopg.connect(scratch_url, row_factory=namedtuple_row) as conn:
        conn.execute("SET search_path = ''")
        for name in ("constraints", "indexes"):
            text = _query(name, version)
            code = "\n".join(line.partition("--")[0] for line in text.splitlines())
            assert "{{" not in code and "indnullsnotdistinct" not in code and "confdelsetcols" not in code
            rows = conn.execute(text, {"schemas": ["public"]}).fetchall()  # type: ignore[call-overload]
            assert rows and all(row.nulls_not_distinct is False for row in rows)
            if name == "constraints":
                (fk,) = [row for row in rows if row.type == "f"]
                assert fk.on_delete == "n" and fk.on_delete_columns is None


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is not present")
@pytest.mark.parametrize("name", ["chinook.sql", "synapse.sql", "pagila.sql", "danbooru.sql"])
def test_corpus_keys_and_defaults_match_the_catalog(scratch_url: str, pg_major: int, name: str) -> None:
    """Every key, INCLUDE column and default of a real schema, against a plain catalog query."""
    if name == "pagila.sql" and pg_major < 18:
        pytest.skip("pagila needs PostgreSQL 18 (test_corpus checks the message)")
    with psycopg.connect(scratch_url) as conn:
        available = {row[0] for row in conn.execute("SELECT name FROM pg_available_extensions")}
    if name == "danbooru.sql" and "pgcrypto" not in available:
        pytest.skip("danbooru needs pgcrypto (test_corpus checks the message)")
    execute_script(scratch_url, CORPUS / name)
    db = introspect(scratch_url)
    found: set[tuple[str, ...]] = set()
    for t in db.tables:
        where = f"{t.schema}.{t.name}"
        for column in t.columns:
            if column.default is not None:
                found.add(("default", where, column.name, column.default))
        keyed = [*t.foreign_keys, *t.unique_constraints, *([t.primary_key] if t.primary_key else [])]
        for c in keyed:
            found.add(("key", where, c.name, *c.columns))
        for fk in t.foreign_keys:
            found.add(("references", where, fk.name, fk.referenced_schema, fk.referenced_table,
                       *fk.referenced_columns))  # fmt: skip
        for c in [*t.unique_constraints, *([t.primary_key] if t.primary_key else []), *t.indexes]:
            found.add(("include", where, c.name, *c.include))
        for i in t.indexes:
            found.add(("key", where, i.name, *(k.column or "" for k in i.keys)))
    with psycopg.connect(scratch_url) as conn:
        conn.execute("SET search_path = ''")
        expected = {tuple(row[0]) for row in conn.execute(_CATALOG_FACTS)}  # type: ignore[arg-type]
    assert len(expected) > 50
    assert found == expected


# The same facts as test_corpus_keys_and_defaults_match_the_catalog collects from the IR, read the
# plain way: one pg_attribute lookup per key, defaults printed with their relation.
_CATALOG_FACTS = """
WITH rel AS (
  SELECT c.oid, n.nspname || '.' || c.relname AS name
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
    AND n.nspname NOT LIKE 'pg\\_%'
    AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend e WHERE e.classid = 'pg_catalog.pg_class'::regclass
                      AND e.objid = c.oid AND e.deptype = 'e')
), con AS (
  SELECT c.* FROM pg_catalog.pg_constraint c JOIN rel ON rel.oid = c.conrelid
  WHERE c.conparentid = 0 AND c.conislocal AND c.contype IN ('p', 'u', 'f')
), idx AS (
  SELECT i.*, ic.relname FROM pg_catalog.pg_index i JOIN rel ON rel.oid = i.indrelid
  JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
  WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conindid = i.indexrelid
                      AND c.contype IN ('p', 'u', 'x'))
    AND NOT EXISTS (SELECT FROM pg_catalog.pg_inherits h WHERE h.inhrelid = i.indexrelid)
)
SELECT ARRAY['default', rel.name, a.attname, pg_catalog.pg_get_expr(d.adbin, d.adrelid)]
FROM pg_catalog.pg_attrdef d JOIN rel ON rel.oid = d.adrelid
JOIN pg_catalog.pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
WHERE a.attgenerated = ''
UNION ALL
SELECT ARRAY['key', rel.name, c.conname]
       || ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, o)
                JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o)
FROM con c JOIN rel ON rel.oid = c.conrelid
UNION ALL
SELECT ARRAY['references', rel.name, c.conname, fn.nspname, f.relname]
       || ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, o)
                JOIN pg_catalog.pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o)
FROM con c JOIN rel ON rel.oid = c.conrelid
JOIN pg_catalog.pg_class f ON f.oid = c.confrelid JOIN pg_catalog.pg_namespace fn ON fn.oid = f.relnamespace
WHERE c.contype = 'f'
UNION ALL
SELECT ARRAY['include', rel.name, COALESCE(c.conname, i.relname)]
       || ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(n, o)
                JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n
                WHERE k.o > i.indnkeyatts ORDER BY k.o)
FROM (SELECT i.*, ic.relname FROM pg_catalog.pg_index i
      JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid) i
JOIN rel ON rel.oid = i.indrelid
LEFT JOIN con c ON c.conindid = i.indexrelid AND c.contype IN ('p', 'u')
WHERE c.oid IS NOT NULL OR i.indexrelid IN (SELECT indexrelid FROM idx)
UNION ALL
SELECT ARRAY['key', rel.name, i.relname]
       || ARRAY(SELECT COALESCE(a.attname::text, '') FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(n, o)
                LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n
                WHERE k.o <= i.indnkeyatts ORDER BY k.o)
FROM idx i JOIN rel ON rel.oid = i.indrelid
"""


# Scale -----------------------------------------------------------------------------------------

SYNTHETIC_TABLES = 2_400


def _synthetic_statements(count: int) -> list[str]:
    """A chain of tables, each with an identity key, a foreign key, a unique, a check and two
    extra indexes; sent in batches so no single transaction runs out of locks."""
    batches = []
    for start in range(0, count, 100):
        parts = []
        for i in range(start, min(start + 100, count)):
            parent = f", parent_id bigint REFERENCES t{i - 1} (id)" if i else ", parent_id bigint"
            parts.append(
                f"CREATE TABLE t{i} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                f" name text NOT NULL DEFAULT 'x', code varchar(20) UNIQUE,"
                f" amount numeric(12,2) CHECK (amount >= 0), created timestamptz DEFAULT now(){parent});"
                f" CREATE INDEX t{i}_parent_idx ON t{i} (parent_id);"
                f" CREATE INDEX t{i}_lower_idx ON t{i} (lower(name)) WHERE amount > 0;"
                f" COMMENT ON TABLE t{i} IS 'table {i}';"
            )
        batches.append("\n".join(parts))
    return batches


def test_synthetic_schema_with_thousands_of_tables(scratch_url: str) -> None:
    for batch in _synthetic_statements(SYNTHETIC_TABLES):
        run_sql(scratch_url, batch)
    timings = []
    for _ in range(2):  # the first run also fills the new database's catalog caches
        started = time.perf_counter()
        db = introspect(scratch_url)
        timings.append(time.perf_counter() - started)
    # Timing is reported, not asserted: machines differ.
    print(f"\nintrospected {SYNTHETIC_TABLES} tables in {timings[0]:.2f} s (cold), {timings[1]:.2f} s (warm)")
    assert len(db.tables) == SYNTHETIC_TABLES
    assert sum(len(t.columns) for t in db.tables) == 6 * SYNTHETIC_TABLES
    assert sum(len(t.foreign_keys) for t in db.tables) == SYNTHETIC_TABLES - 1
    assert sum(len(t.indexes) for t in db.tables) == 2 * SYNTHETIC_TABLES
    assert (
        sum(len(t.unique_constraints) + len(t.check_constraints) for t in db.tables) == 2 * SYNTHETIC_TABLES
    )
    assert all(t.primary_key is not None for t in db.tables)
    assert db.sequences == ()  # identity sequences belong to their columns
    t5 = table(db, "public", "t5")
    assert t5.foreign_keys[0].referenced == ("public", "t4") and t5.comment == "table 5"
    assert index(t5, "t5_lower_idx").predicate == "(amount > (0)::numeric)"
