"""The reviewed-migration layout: applied with psql it builds exactly the source schema; its
rollback, uncommented, leaves an empty database; its verification queries all say ok."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import psycopg
import pytest
from tests.render.migration_files import psql, rollback_script, verification_results

from conftest import CORPUS
from pgshape.model import Database
from pgshape.model.compare import compare
from pgshape.pg.introspect import introspect
from pgshape.pg.scratch import scratch_database
from pgshape.render.sql import render_statements
from pgshape.render.sql_migration import MigrationInfo, render_migration
from pgshape.sources.load import LoadOptions, load

BLOG_SQL = Path(__file__).resolve().parents[2] / "src" / "pgshape" / "examples" / "blog.sql"
INFO = MigrationInfo(
    name="0001_init", description="First cut.\nSecond line.", source="x.sql", date=dt.date(2026, 1, 2)
)


def _load(path: Path, pg_server: str) -> Database:
    return load(str(path), LoadOptions(scratch_url=pg_server, warn=lambda message: None))


def _prove_file(tmp_path: Path, scratch_url: str, pg_server: str, db: Database) -> None:
    text = render_migration(db, INFO)
    migration = tmp_path / "migration.sql"
    migration.write_text(text)
    applied = psql(scratch_url, migration)
    assert applied.returncode == 0, applied.stderr
    built = introspect(scratch_url)
    assert compare(db, built) == []
    results = verification_results(scratch_url, text)
    assert results and all(ok for ok, _ in results), results
    rollback = tmp_path / "rollback.sql"
    rollback.write_text(rollback_script(text))
    undone = psql(scratch_url, rollback)
    assert undone.returncode == 0, undone.stderr
    with scratch_database(pg_server) as empty_url:
        empty = introspect(empty_url)
    assert compare(empty, introspect(scratch_url)) == []
    # And once rolled back, every verification query fails.
    assert not any(ok for ok, _ in verification_results(scratch_url, text))


def test_bundled_example_round_trips_through_the_migration_file(
    tmp_path: Path, scratch_url: str, pg_server: str
) -> None:
    _prove_file(tmp_path, scratch_url, pg_server, _load(BLOG_SQL, pg_server))


def _corpus_cases() -> list[str]:
    return ["chinook.sql", "synapse.sql", "pagila.sql", "danbooru.sql"]


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is not present")
@pytest.mark.parametrize("name", _corpus_cases())
def test_corpus_round_trips_through_the_migration_file(
    tmp_path: Path, scratch_url: str, pg_server: str, pg_major: int, name: str
) -> None:
    with psycopg.connect(pg_server) as conn:
        available = {row[0] for row in conn.execute("select name from pg_available_extensions")}
    if name == "pagila.sql" and pg_major < 18:
        pytest.skip("pagila needs PostgreSQL 18 (VIRTUAL generated columns)")
    if name == "danbooru.sql" and "pgcrypto" not in available:
        pytest.skip("danbooru needs pgcrypto, which this server lacks")
    _prove_file(tmp_path, scratch_url, pg_server, _load(CORPUS / name, pg_server))


def test_layout_header_transaction_and_render_sql_order(pg_server: str) -> None:
    db = _load(BLOG_SQL, pg_server)
    text = render_migration(db, INFO)
    lines = text.splitlines()
    assert lines[:5] == [
        "-- Migration:   0001_init",
        "-- Description: First cut.",
        "--              Second line.",
        "-- Date:        2026-01-02",
        "-- Source:      x.sql",
    ]
    begin, commit = lines.index("BEGIN;"), lines.index("COMMIT;")
    body = "\n".join(lines[begin:commit])
    # Every statement of render.sql is there, in render.sql's order, inside the transaction
    # (session settings become SET LOCAL so they end with it).
    position = 0
    for statement in render_statements(db):
        expected = statement.replace("SET ", "SET LOCAL ", 1) if statement.startswith("SET ") else statement
        found = body.find(expected + ";", position)
        assert found >= 0, expected
        position = found + len(expected)
    headings = [
        line.split(" -")[0][3:] for line in lines[begin:commit] if line.startswith("-- ") and "---" in line
    ]
    assert headings == [
        "Session settings (for this transaction only)",
        "Extensions",
        "Functions",
        "Types",
        "Tables",
        "Indexes",
        "Foreign keys",
        "Views",
        "Triggers",
        "Comments",
    ]
    # Nothing executable after COMMIT: the rollback and the checks are comments.
    assert all(not line or line.startswith("--") for line in lines[commit + 1 :])


def test_a_failing_statement_leaves_nothing_behind(tmp_path: Path, scratch_url: str, pg_server: str) -> None:
    db = _load(BLOG_SQL, pg_server)
    with psycopg.connect(scratch_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE public.tag (id integer)")  # the migration's CREATE TABLE tag fails
    migration = tmp_path / "m.sql"
    migration.write_text(render_migration(db, INFO))
    result = psql(scratch_url, migration)
    assert result.returncode != 0 and 'relation "tag" already exists' in result.stderr
    left = introspect(scratch_url)
    assert [t.name for t in left.tables] == ["tag"] and not left.enums and not left.functions
