"""The SQL renderer: every object kind is built on a real PostgreSQL and read from the catalogs."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from sample_models import LONG_NAME, QUOTED, SALES, full_database

from conftest import run_sql
from pgshape.model import Column, Database, ForeignKey, PrimaryKey, SchemaInfo, Table, View
from pgshape.model.compare import compare
from pgshape.pg.scratch import scratch_database
from pgshape.render.identifiers import qualified
from pgshape.render.sql import render, render_statements
from strategies import databases

COLLATION = "(select collname from pg_collation where oid = attcollation)"


def rows(url: str, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        conn.execute("SET search_path = ''")  # catalog text as in the model: schema-qualified
        return conn.execute(sql, params).fetchall()  # type: ignore[arg-type]


def one(url: str, sql: str, *params: Any) -> Any:
    (row,) = rows(url, sql, *params)
    return row[0] if len(row) == 1 else row


@pytest.fixture(scope="module", params=[False, True], ids=["own-objects", "clones-listed"])
def built(pg_server: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """The full sample model, rendered as one script and run on one scratch database; once as
    introspection reads partitions, once listing their clones too (which must not be created
    a second time)."""
    with scratch_database(pg_server) as url:
        run_sql(url, render(full_database(clones_listed=request.param)))
        yield url


def _index_of(statements: list[str], fragment: str) -> int:
    return next(i for i, statement in enumerate(statements) if fragment in statement)


# Shape of the output ----------------------------------------------------------------------------


def test_statements_have_no_semicolon_and_script_ends_each_with_one() -> None:
    statements = render_statements(full_database())
    assert not any(statement.rstrip().endswith(";") for statement in statements)
    assert render(full_database()) == "".join(f"{s};\n\n" for s in statements).rstrip("\n") + "\n"


def test_rendering_is_deterministic() -> None:
    db = full_database()
    shuffled = Database(
        **{
            f.name: tuple(reversed(getattr(db, f.name)))
            for f in dataclasses.fields(db)
            if isinstance(getattr(db, f.name), tuple)
        }
    )
    assert render(db) == render(full_database()) == render(shuffled)


def test_dependency_order() -> None:
    statements = render_statements(full_database())
    position = lambda fragment: _index_of(statements, fragment)  # noqa: E731
    assert statements[0] == "SET check_function_bodies = false"
    # Types after the types they name, whatever the names.
    assert position("CREATE DOMAIN app.positive_int") < position("CREATE DOMAIN app.a_small")
    assert position("CREATE DOMAIN app.a_small") < position('CREATE TYPE "Sales Dept"."Address"')
    # Functions a domain check calls come before the domain; those naming a type after it.
    assert position("FUNCTION public.is_short") < position("CREATE DOMAIN app.code")
    assert position("CREATE TYPE public.mood") < position("FUNCTION public.cheer") < position("CREATE TABLE")
    # An aggregate after its support function.
    assert position("FUNCTION public.zz_plus") < position("CREATE AGGREGATE") < position("CREATE TABLE")
    # SQL-standard bodies after the relations they read.
    assert position('CREATE TABLE public."order"') < position("FUNCTION public.order_count")
    assert position("CREATE VIEW public.active_users") < position("FUNCTION public.active_count")
    # Parents before partitions and children; foreign keys after every table.
    assert position("TABLE public.measurement_y2025 ") < position("TABLE public.measurement_y2025_local")
    assert position("TABLE app.other") < position("TABLE app.child")
    last_table = max(i for i, s in enumerate(statements) if s.startswith("CREATE TABLE"))
    assert all(i > last_table for i, s in enumerate(statements) if "FOREIGN KEY" in s)
    assert position("VIEW public.active_users") < position("VIEW public.a_names")


# Executing it ---------------------------------------------------------------------------------


def test_statements_run_one_by_one(scratch_url: str) -> None:
    with psycopg.connect(scratch_url, autocommit=True) as conn:
        for statement in render_statements(full_database()):
            conn.execute(statement)  # type: ignore[arg-type]
        count = conn.execute("select count(*) from pg_class where relnamespace = 'app'::regnamespace")
        assert count.fetchone() == (7,)  # 4 tables, 2 indexes, 1 sequence


def test_schemas_extensions_and_types(built: str) -> None:
    assert {r[0] for r in rows(built, "select nspname from pg_namespace")} >= {"app", SALES}
    assert one(
        built, "select extnamespace::regnamespace::text from pg_extension where extname = 'btree_gist'"
    ) == ("public")
    labels = rows(
        built, "select enumlabel from pg_enum where enumtypid = 'public.mood'::regtype order by enumsortorder"
    )
    assert [r[0] for r in labels] == ["sad", "ok", "happy", "it's"]
    domain = one(
        built,
        "select format_type(typbasetype, typtypmod), typnotnull, typdefault from pg_type"
        " where oid = 'app.a_small'::regtype",
    )
    assert domain == ("app.positive_int", True, "1")
    checks = rows(
        built,
        "select conname, convalidated, pg_get_constraintdef(oid) from pg_constraint"
        " where contypid = 'app.a_small'::regtype and contype = 'c' order by 1",
    )
    assert checks == [
        ("a_small_check", True, "CHECK (((VALUE)::integer < 100))"),
        ("a_small_even", False, "CHECK ((((VALUE)::integer % 2) = 0)) NOT VALID"),
    ]
    assert (
        one(built, "select typcollation::regcollation::text from pg_type where oid = 'app.code'::regtype")
        == '"C"'
    )
    attributes = rows(
        built,
        f"select attname, format_type(atttypid, atttypmod), {COLLATION} from pg_attribute"
        " where attrelid = (select typrelid from pg_type where oid = %s::regtype) order by attnum",
        qualified(SALES, "Address"),
    )
    assert attributes == [
        ("street", "text", "C"),
        ("zip", "app.positive_int", None),
        ("user", "app.a_small[]", None),
    ]


def test_sequences(built: str) -> None:
    counter = one(
        built,
        "select data_type::text, start_value, min_value, max_value, increment_by, cycle, cache_size"
        " from pg_sequences where schemaname = 'app' and sequencename = 'counter'",
    )
    assert counter == ("integer", 10, 5, 1000, 5, True, 3)
    down = one(built, "select min_value, max_value from pg_sequences where sequencename = 'down'")
    assert down == (-32768, -1)  # NO MINVALUE / NO MAXVALUE: the type's defaults, descending
    owner = one(
        built,
        "select refobjid::regclass::text, refobjsubid from pg_depend"
        " where objid = 'public.user_id_seq'::regclass and deptype = 'a'",
    )
    assert owner == ('public."user"', 1)


def test_columns(built: str) -> None:
    columns = rows(
        built,
        "select attname, format_type(atttypid, atttypmod), attnotnull, pg_get_expr(adbin, adrelid),"
        f" attidentity, attgenerated, {COLLATION}"
        " from pg_attribute left join pg_attrdef on adrelid = attrelid and adnum = attnum"
        " where attrelid = 'public.\"order\"'::regclass and attnum > 0 order by attnum",
    )
    assert columns == [
        ("id", "bigint", True, None, "a", "", None),
        ("user_id", "bigint", False, None, "", "", None),
        ("owner_id", "bigint", False, None, "", "", None),
        ("total", "numeric(12,2)", True, "0", "", "", None),
        ("tax", "numeric", False, "(total * 0.2)", "", "s", None),
        ("select", "text", False, None, "", "", "default"),
    ]
    identity = one(
        built,
        "select seqstart, seqincrement from pg_sequence"
        " where seqrelid = pg_get_serial_sequence('public.\"order\"', 'id')::regclass",
    )
    assert identity == (100, 2)
    user_columns = rows(
        built,
        f"select attname, format_type(atttypid, atttypmod), {COLLATION} from pg_attribute"
        " where attrelid = 'public.\"user\"'::regclass and attnum > 0 order by attnum",
    )
    assert user_columns[1] == ("Name", "text", "C")
    assert user_columns[5] == ("address", '"Sales Dept"."Address"', None)
    awkward = rows(
        built,
        "select attname from pg_attribute where attrelid = %s::regclass and attnum > 0 order by attnum",
        qualified(SALES, LONG_NAME),
    )
    assert [r[0] for r in awkward] == [LONG_NAME, QUOTED, "MixedCase", "日本語"]


CONSTRAINTS = {
    ('public."user"', "email_has_at"): ("CHECK ((POSITION(('@'::text) IN (email)) > 0)) NOT VALID", False),
    ('public."user"', "name not empty"): ("CHECK ((\"Name\" <> ''::text))", True),
    ('public."user"', "user_email_key"): ('UNIQUE NULLS NOT DISTINCT (email) INCLUDE ("Name")', True),
    ('public."user"', "user_last_order_fk"): (
        'FOREIGN KEY (last_order_id) REFERENCES public."order"(id) MATCH FULL'
        " DEFERRABLE INITIALLY DEFERRED NOT VALID",
        False,
    ),
    ('public."order"', "order_user_fk"): (
        'FOREIGN KEY (user_id) REFERENCES public."user"(id) ON UPDATE CASCADE ON DELETE SET NULL (user_id)',
        True,
    ),
    ('public."order"', "order_owner_fk"): (
        'FOREIGN KEY (owner_id) REFERENCES public."user"(id) ON DELETE CASCADE',
        True,
    ),
    ('public."order"', "order_user_key"): ("UNIQUE (user_id, id) DEFERRABLE", True),
    ("app.booking", "no_overlap"): (
        "EXCLUDE USING gist (room WITH =, during WITH &&) WHERE ((room > 0)) DEFERRABLE",
        True,
    ),
    ("app.booking", "same_code"): ("EXCLUDE USING btree (code WITH =)", True),
    ("app.base", "only_here"): ("CHECK ((id < 100)) NO INHERIT", True),
    (qualified(SALES, LONG_NAME), QUOTED + " key"): ('UNIQUE ("say ""hi""")', True),
    (qualified(SALES, LONG_NAME), LONG_NAME[:-4] + "pkey"): (f'PRIMARY KEY ("{LONG_NAME}")', True),
}


def test_constraints(built: str) -> None:
    found = {
        (relation, name): (definition, validated)
        for relation, name, definition, validated in rows(
            built,
            "select conrelid::regclass::text, conname, pg_get_constraintdef(oid), convalidated"
            " from pg_constraint where conrelid <> 0 and contype <> 'n'",
        )
    }
    for key, expected in CONSTRAINTS.items():
        assert found.get(key) == expected, key


def test_indexes(built: str) -> None:
    definitions = {
        name: definition
        for name, definition in rows(
            built, "select indexrelid::regclass::text, pg_get_indexdef(indexrelid) from pg_index"
        )
    }
    assert definitions["public.user_name_idx"] == (
        'CREATE INDEX user_name_idx ON public."user" USING btree ("Name" DESC NULLS LAST,'
        " email text_pattern_ops, email COLLATE \"C\") INCLUDE (mood) WITH (fillfactor='70') WHERE (id > 10)"
    )
    assert definitions["public.user_lower_email_idx"] == (
        'CREATE UNIQUE INDEX user_lower_email_idx ON public."user" USING btree (lower(email))'
    )
    assert definitions["public.user_mood_idx"] == (
        'CREATE UNIQUE INDEX user_mood_idx ON public."user" USING btree (mood NULLS FIRST) NULLS NOT DISTINCT'
    )
    assert definitions['"Sales Dept"."order totals user"'] == (
        'CREATE UNIQUE INDEX "order totals user" ON "Sales Dept"."Order Totals" USING btree (user_id)'
    )


def test_partitions_and_inheritance(built: str) -> None:
    partitions = dict(
        rows(
            built,
            "select relname::text, pg_get_expr(relpartbound, oid) from pg_class where relispartition",
        )
    )
    assert partitions["measurement_y2024"] == "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')"
    assert partitions["measurement_rest"] == "DEFAULT"
    assert partitions["measurement_y2025_local"] == "FOR VALUES FROM ('0') TO ('1000')"
    assert partitions["city_europe"] == "FOR VALUES IN ('de', 'fr')"
    assert partitions["city_rest"] == "DEFAULT"
    keys = dict(
        rows(
            built, "select partrelid::regclass::text, pg_get_partkeydef(partrelid) from pg_partitioned_table"
        )
    )
    assert keys == {
        "public.measurement": "RANGE (logdate)",
        "public.measurement_y2025": "RANGE (id)",
        "public.city": "LIST (country)",
    }
    # Clones made by PostgreSQL exist once; the partition's own objects exist too.
    local = "'public.measurement_y2025_local'::regclass"
    constraints = rows(
        built, f"select conname from pg_constraint where conrelid = {local} and contype <> 'n' order by 1"
    )
    assert [r[0] for r in constraints] == [
        "measurement_id_fk",
        "measurement_y2025_local_pkey",
        "peak_positive",
        "peak_small",
    ]
    indexes = rows(
        built, f"select indexrelid::regclass::text from pg_index where indrelid = {local} order by 1"
    )
    assert [r[0] for r in indexes] == [
        "public.local_peak_idx",
        "public.measurement_y2025_local_city_idx",
        "public.measurement_y2025_local_pkey",
    ]
    local_columns = rows(
        built,
        f"select attname, attnotnull, pg_get_expr(adbin, adrelid) from pg_attribute"
        f" left join pg_attrdef on adrelid = attrelid and adnum = attnum"
        f" where attrelid = {local} and attnum > 0 order by attnum",
    )
    assert local_columns[2:] == [("city", False, "'here'::text"), ("peak", True, None)]
    parents = rows(
        built,
        "select inhparent::regclass::text from pg_inherits"
        " where inhrelid = 'app.child'::regclass order by inhseqno",
    )
    assert [r[0] for r in parents] == ["app.base", "app.other"]
    child_columns = rows(
        built,
        "select attname, attislocal, attnotnull, pg_get_expr(adbin, adrelid) from pg_attribute"
        " left join pg_attrdef on adrelid = attrelid and adnum = attnum"
        " where attrelid = 'app.child'::regclass and attnum > 0 order by attnum",
    )
    assert child_columns == [
        ("id", False, True, None),
        ("created", False, True, None),
        ("note", False, False, "'n'::text"),
        ("extra", True, False, "'{}'::jsonb"),
    ]
    child_checks = rows(
        built,
        "select conname, conislocal from pg_constraint"
        " where conrelid = 'app.child'::regclass and contype = 'c'",
    )
    assert child_checks == [("id_positive", False)]


def test_table_options(built: str) -> None:
    booking = one(
        built, "select relpersistence, reloptions from pg_class where oid = 'app.booking'::regclass"
    )
    assert booking == ("u", ["autovacuum_enabled=false", "fillfactor=80"])


def test_views(built: str, pg_major: int) -> None:
    views = {
        name: (kind, options)
        for name, kind, options in rows(
            built,
            "select oid::regclass::text, relkind, reloptions from pg_class where relkind in ('v', 'm')"
            " and relnamespace not in ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)",
        )
    }
    assert views == {
        "public.active_users": ("v", ["security_barrier=true"]),
        "public.a_names": ("v", ["check_option=local"]),
        '"Sales Dept"."Order Totals"': ("m", None),
    }
    column = '"Name"' if pg_major >= 16 else 'active_users."Name"'  # 15 qualifies columns
    definition = one(built, "select pg_get_viewdef('public.a_names'::regclass)")
    assert definition == f" SELECT {column}\n   FROM public.active_users;"


def test_triggers_and_row_level_security(built: str) -> None:
    triggers = rows(
        built,
        "select tgname, tgenabled, pg_get_triggerdef(oid) from pg_trigger"
        " where not tgisinternal order by 1, 2",
    )
    assert [(name, enabled) for name, enabled, _ in triggers] == [
        ("active_insert", "O"),
        ("measurement_keep", "O"),
        ("measurement_keep", "O"),
        ("measurement_keep", "O"),
        ("measurement_keep", "O"),
        ("measurement_keep", "O"),
        ("touch_off", "D"),
        ("touch_user", "O"),
    ]
    assert triggers[-1][2] == (
        'CREATE TRIGGER touch_user BEFORE INSERT OR UPDATE ON public."user"'
        " FOR EACH ROW EXECUTE FUNCTION public.touch()"
    )
    assert one(
        built,
        "select relrowsecurity, relforcerowsecurity from pg_class where oid = 'public.\"user\"'::regclass",
    ) == (
        True,
        True,
    )
    policies = rows(
        built,
        "select policyname, permissive, roles::text[], cmd, qual, with_check from pg_policies order by 1",
    )
    assert policies == [
        (
            "no_sad",
            "RESTRICTIVE",
            ["pg_read_all_data", "pg_write_all_data"],
            "INSERT",
            None,
            "(mood <> 'sad'::public.mood)",
        ),
        ("own rows", "PERMISSIVE", ["public"], "ALL", '("Name" = CURRENT_USER)', None),
    ]


def test_cloned_trigger_keeps_its_own_state(scratch_url: str) -> None:
    db = full_database(clones_listed=True)

    def replica(table: Table) -> Table:
        if table.name != "measurement_y2025_local":
            return table
        return dataclasses.replace(
            table, triggers=tuple(dataclasses.replace(t, enabled="REPLICA") for t in table.triggers)
        )

    run_sql(scratch_url, render(db.with_changes(tables=tuple(map(replica, db.tables)))))
    states = rows(
        scratch_url,
        "select tgrelid::regclass::text, tgenabled from pg_trigger where tgname = 'measurement_keep'",
    )
    assert dict(states) == {
        "public.measurement": "O",
        "public.measurement_y2024": "O",
        "public.measurement_y2025": "O",
        "public.measurement_y2025_local": "R",
        "public.measurement_rest": "O",
    }


def _model_comments(db: Database) -> list[str]:
    found: list[str] = []

    def walk(value: object) -> None:
        if dataclasses.is_dataclass(value):
            for f in dataclasses.fields(value):
                item = getattr(value, f.name)
                if f.name == "comment" and item is not None:
                    found.append(item)
                else:
                    walk(item)
        elif isinstance(value, tuple):
            for item in value:
                walk(item)

    walk(db)
    return sorted(found)


def test_every_comment_is_set(built: str) -> None:
    described = rows(
        built,
        "select description from pg_description d where (objoid >= 16384 or objoid = 'public'::regnamespace)"
        " and classoid <> 'pg_extension'::regclass"
        " and not exists (select 1 from pg_depend e where e.objid = d.objoid and e.deptype = 'e')",
    )
    assert sorted(r[0] for r in described) == _model_comments(full_database())
    assert one(built, "select obj_description('public.total(integer)'::regprocedure)") == "An aggregate"
    assert (
        one(
            built,
            "select obj_description(oid, 'pg_constraint') from pg_constraint"
            " where conname = 'name not empty'",
        )
        == "No empty names"
    )


# Smaller models -------------------------------------------------------------------------------


def _fk_cycle() -> Database:
    def table(name: str, other: str) -> Table:
        return Table(
            "public",
            name,
            columns=(Column("id", "integer", nullable=False), Column("other_id", "integer")),
            primary_key=PrimaryKey(f"{name}_pkey", ("id",)),
            foreign_keys=(ForeignKey(f"{name}_other_fk", ("other_id",), "public", other, ("id",)),),
        )

    return Database(
        schemas=(SchemaInfo("public"),), tables=(table("select", "user"), table("user", "select"))
    )


def test_foreign_key_cycle_builds(scratch_url: str) -> None:
    run_sql(scratch_url, render(_fk_cycle()))
    fks = rows(
        scratch_url,
        "select conrelid::regclass::text, confrelid::regclass::text from pg_constraint"
        " where contype = 'f' order by 1",
    )
    assert fks == [('public."select"', 'public."user"'), ('public."user"', 'public."select"')]


def test_views_on_views_in_any_name_order(scratch_url: str) -> None:
    base = Table("public", "t", columns=(Column("a", "integer"),))
    views = [View("public", "v0", " SELECT a\n   FROM public.t;", depends_on=(("public", "t"),))]
    for number in range(1, 6):
        name = f"v{number}" if number % 2 else f"a{number}"
        views.append(
            View(
                "public",
                name,
                f" SELECT a\n   FROM public.{views[-1].name};",
                depends_on=(("public", views[-1].name),),
            )
        )
    run_sql(scratch_url, render(Database(tables=(base,), views=tuple(views))))
    assert one(scratch_url, "select count(*) from pg_views where schemaname = 'public'") == 6


def test_empty_model_renders_only_settings() -> None:
    assert render_statements(Database()) == [
        "SET check_function_bodies = false",
        "SET standard_conforming_strings = on",
    ]


# Generated models and round trips --------------------------------------------------------------

_GENERATED = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def reusable_db(pg_server: str) -> Iterator[str]:
    with scratch_database(pg_server) as url:
        yield url


@_GENERATED
@given(database=databases())
def test_generated_models_build(reusable_db: str, database: Database) -> None:
    run_sql(reusable_db, "DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    statements = render_statements(database)
    assert render_statements(database) == statements
    with psycopg.connect(reusable_db, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)  # type: ignore[arg-type]
    tables = rows(
        reusable_db,
        "select relname::text from pg_class where relkind = 'r' and relnamespace = 'public'::regnamespace",
    )
    assert sorted(r[0] for r in tables) == sorted(t.name for t in database.tables)


def _introspect(url: str) -> Database:
    from pgshape.pg.introspect import introspect

    return introspect(url)


@pytest.mark.parametrize("model", [full_database, _fk_cycle], ids=["full", "fk-cycle"])
def test_round_trip(scratch_url: str, pg_major: int, model: Callable[[], Database]) -> None:
    expected = model()
    run_sql(scratch_url, render(expected))
    differences = [str(d) for d in compare(expected, _introspect(scratch_url))]
    if pg_major < 16:
        # The sample view bodies are in PostgreSQL 16+'s printed form; 15 qualifies columns.
        differences = [d for d in differences if not (d.startswith("view ") and "/ definition:" in d)]
    assert differences == []
