"""The core invariant: source → IR → SQL → PostgreSQL → IR′ with IR == IR′.

Checked on hypothesis-generated models with awkward identifiers (reserved words, mixed case,
quotes, spaces, unicode, 63-byte names) in two ways: rendering a model directly, and going
through a SQL file written with those identifiers.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings

from pgshape.model import Database
from pgshape.model.compare import compare
from pgshape.pg.introspect import introspect
from pgshape.pg.scratch import scratch_database
from pgshape.pg.verify import apply_statements, prove
from pgshape.render.sql import render_statements
from pgshape.sources import sql_file
from strategies import databases

_HYPOTHESIS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def reusable_db(pg_server: str) -> Iterator[str]:
    with scratch_database(pg_server) as url:
        yield url


def _reset(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


@_HYPOTHESIS
@given(database=databases())
def test_rendered_model_reads_back_identically(reusable_db: str, database: Database) -> None:
    _reset(reusable_db)
    apply_statements(reusable_db, render_statements(database))
    actual = introspect(reusable_db)
    assert compare(database, actual) == []


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _as_sql(database: Database) -> str:
    """Hand-written DDL, every identifier quoted, constraints inline — as a user would write."""
    statements = []
    later: list[str] = []
    for table in database.tables:
        parts = [f"{_quote(c.name)} {c.type}{'' if c.nullable else ' NOT NULL'}" for c in table.columns]
        if table.primary_key:
            columns = ", ".join(map(_quote, table.primary_key.columns))
            parts.append(f"CONSTRAINT {_quote(table.primary_key.name)} PRIMARY KEY ({columns})")
        # Added afterwards, as pg_dump does: inside CREATE TABLE, PostgreSQL silently drops a
        # UNIQUE that duplicates the primary key.
        for unique in table.unique_constraints:
            later.append(
                f"ALTER TABLE {_quote(table.name)} ADD CONSTRAINT {_quote(unique.name)} "
                f"UNIQUE ({', '.join(map(_quote, unique.columns))});"
            )
        # Foreign keys come after every table, as in a dump: the target may be created later.
        for fk in table.foreign_keys:
            later.append(
                f"ALTER TABLE {_quote(table.name)} ADD CONSTRAINT {_quote(fk.name)} "
                f"FOREIGN KEY ({', '.join(map(_quote, fk.columns))}) "
                f"REFERENCES {_quote(fk.referenced_table)} ({', '.join(map(_quote, fk.referenced_columns))}) "
                f"ON DELETE {fk.on_delete};"
            )
        statements.append(f"CREATE TABLE {_quote(table.name)} (\n  " + ",\n  ".join(parts) + "\n);")
        for index in table.indexes:
            key = index.keys[0]
            direction = " DESC" if key.descending else ""
            statements.append(
                f"CREATE INDEX {_quote(index.name)} ON {_quote(table.name)} "
                f"({_quote(key.column or '')}{direction});"
            )
        if table.comment is not None:
            literal = "'" + table.comment.replace("'", "''") + "'"
            statements.append(f"COMMENT ON TABLE {_quote(table.name)} IS {literal};")
    return "\n".join(statements + later) + "\n"


@_HYPOTHESIS
@given(database=databases())
def test_sql_file_with_awkward_identifiers_verifies(
    pg_server: str, tmp_path: Path, database: Database
) -> None:
    path = tmp_path / "schema.sql"
    path.write_text(_as_sql(database), encoding="utf-8")
    loaded = sql_file.load(str(path), scratch_url=pg_server)
    assert compare(database, loaded) == []
    proof = prove(loaded, scratch_url=pg_server)
    assert proof.differences == ()
