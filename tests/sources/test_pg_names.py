"""PostgreSQL's default names, checked against the names a real server chooses."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pgshape.sources.pg_names import NameChooser, make_object_name, name_addition, truncate_identifier


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def test_make_object_name_shortens_the_longer_part() -> None:
    table = "a" * 40
    column = "b" * 30
    name = make_object_name(table, column, "key")
    assert len(name.encode()) == 63
    assert name == "a" * 29 + "_" + "b" * 29 + "_key"


def test_multibyte_names_are_cut_on_character_boundaries() -> None:
    assert truncate_identifier("é" * 40) == "é" * 31  # 62 bytes: a 32nd would need 64
    assert make_object_name("é" * 40, None, "pkey") == "é" * 29 + "_pkey"


def test_collisions_get_a_number() -> None:
    names = NameChooser()
    names.add_relation("t_a_key")
    assert names.unique("t", ["a"]) == "t_a_key1"
    assert names.unique("t", ["a"]) == "t_a_key2"
    assert names.check("t", None) == "t_check"
    assert names.check("t", None) == "t_check1"


def test_name_addition_stops_after_namedatalen() -> None:
    columns = ["c" * 30, "d" * 30, "e" * 30, "f" * 30]
    assert name_addition(columns) == "_".join(columns[:3])


@pytest.fixture(scope="module")
def names_db(pg_server: str) -> Iterator[psycopg.Connection]:
    from pgshape.pg.scratch import scratch_database

    with scratch_database(pg_server) as url, psycopg.connect(url, autocommit=True) as conn:
        yield conn


def server_names(conn: psycopg.Connection, schema: str) -> dict[str, set[str]]:
    rows = conn.execute(
        """SELECT k.contype::text, k.conname FROM pg_constraint k
           JOIN pg_namespace n ON n.oid = k.connamespace
           WHERE n.nspname = %s AND k.contype IN ('p', 'u', 'f', 'c')
           UNION ALL
           SELECT c.relkind::text, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = %s AND c.relkind IN ('S', 'i')
             AND NOT EXISTS (SELECT FROM pg_constraint k WHERE k.conindid = c.oid)""",
        (schema, schema),
    )
    found: dict[str, set[str]] = {}
    for kind, name in rows:
        found.setdefault(kind, set()).add(name)
    return found


identifier = st.text(
    alphabet=st.sampled_from("abcxyz_ABé€ü 0"),
    min_size=1,
    max_size=70,
).filter(lambda s: s.strip() != "")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=identifier, first=identifier, second=identifier)
def test_names_match_postgresql(names_db: psycopg.Connection, table: str, first: str, second: str) -> None:
    table, first, second = (truncate_identifier(n) for n in (table, first, second))
    if first == second:
        second = truncate_identifier(second + "2")
        if first == second:
            return
    schema = "names_probe"
    names_db.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    names_db.execute(f"CREATE SCHEMA {schema}")
    t, a, b = quote(table), quote(first), quote(second)
    names_db.execute(
        f"""CREATE TABLE {schema}.{t} (
              {a} serial PRIMARY KEY,
              {b} integer UNIQUE CHECK ({b} > 0),
              CHECK ({a} <> {b}),
              UNIQUE ({a}, {b}),
              FOREIGN KEY ({b}) REFERENCES {schema}.{t} ({a})
            )"""
    )
    names_db.execute(f"CREATE INDEX ON {schema}.{t} ({b}, {a})")
    names_db.execute(f"CREATE INDEX ON {schema}.{t} (lower({b}::text), lower({a}::text))")

    chooser = NameChooser()
    sequence = chooser.serial_sequence(table, first)
    chooser.add_relation(table)
    checks = [chooser.check(table, second), chooser.check(table, None)]
    primary_key = chooser.primary_key(table)
    uniques = [chooser.unique(table, [second]), chooser.unique(table, [first, second])]
    foreign_key = chooser.foreign_key(table, [second])
    indexes = [chooser.index(table, [second, first]), chooser.index(table, ["lower", "lower"])]

    assert server_names(names_db, schema) == {
        "S": {sequence},
        "c": set(checks),
        "p": {primary_key},
        "u": set(uniques),
        "f": {foreign_key},
        "i": set(indexes),
    }
