"""Loading a SQL file: executed on a real scratch database, errors pointing at file:line:col."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from tests.conftest import CORPUS

from pgshape.errors import InputError
from pgshape.pg.scratch import SCRATCH_PREFIX
from pgshape.sources import sql_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sql"
HAS_CORPUS = CORPUS.exists()
corpus = pytest.mark.skipif(not HAS_CORPUS, reason="corpus folder absent")


def needs_introspect(test):  # type: ignore[no-untyped-def]
    """Marks tests that go through load() (introspection included); kept as documentation."""
    return test


def scalar(url: str, query: str) -> object:
    with psycopg.connect(url) as conn:
        row = conn.execute(query).fetchone()  # type: ignore[arg-type]
        assert row is not None
        return row[0]


def scratch_databases(server_url: str) -> set[str]:
    with psycopg.connect(server_url) as conn:
        rows = conn.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [SCRATCH_PREFIX + "%"])
        return {row[0] for row in rows}


@pytest.fixture
def no_leftovers(pg_server: str) -> Iterator[None]:
    """The scratch database load() creates is gone afterwards, whatever happened."""
    before = scratch_databases(pg_server)
    yield
    assert scratch_databases(pg_server) == before


def load_error(path: Path | str, **options: object) -> InputError:
    with pytest.raises(InputError) as caught:
        sql_file.load(path, **options)  # type: ignore[arg-type]
    return caught.value


def execute_error(url: str, path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        sql_file.execute_script(url, path)
    return caught.value


# --- reading ------------------------------------------------------------------------------


def test_missing_file_names_it(tmp_path: Path) -> None:
    error = load_error(tmp_path / "nope.sql")
    assert error.location == str(tmp_path / "nope.sql")
    assert error.message == "no such file"


def test_undecodable_file_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.sql"
    path.write_bytes(b"CREATE TABLE a (id int);\nCOMMENT ON TABLE a IS 'caf\xe9';\n")
    error = load_error(path)
    assert error.location == f"{path}:2:27"
    assert "UTF-8" in error.message


# --- executing ----------------------------------------------------------------------------


def test_tricky_script_executes(scratch_url: str) -> None:
    warnings: list[str] = []
    sql_file.execute_script(scratch_url, FIXTURES / "tricky.sql", warn=warnings.append)
    assert scalar(scratch_url, 'SELECT count(*) FROM "semi;colon"') == 2
    assert scalar(scratch_url, "SELECT public.body(1) + public.atomic_body(2)") == 4
    assert scalar(scratch_url, 'SELECT escaped FROM "semi;colon" WHERE id = 1') == "a"
    assert warnings == [
        f"{FIXTURES / 'tricky.sql'}:3: skipped psql meta-command \\set ON_ERROR_STOP on "
        "(psql meta-commands are not run)"
    ]


def test_syntax_error_location(scratch_url: str) -> None:
    path = FIXTURES / "syntax_error.sql"
    error = execute_error(scratch_url, path)
    assert error.location == f"{path}:6:5"
    assert error.message == 'syntax error at or near "name"'
    # the batch was one implicit transaction: the statement before the error is gone too
    assert scalar(scratch_url, "SELECT to_regclass('ok') IS NULL") is True


def test_runtime_error_in_the_middle_of_a_batch(scratch_url: str) -> None:
    path = FIXTURES / "runtime_error.sql"
    error = execute_error(scratch_url, path)
    assert error.location == f"{path}:10:10"
    assert error.message == 'relation "publisher" does not exist'


def test_error_without_position_is_found_by_replaying_the_batch(scratch_url: str, tmp_path: Path) -> None:
    path = tmp_path / "dup.sql"
    path.write_text(
        "CREATE TABLE a (id int PRIMARY KEY);\n"
        "INSERT INTO a VALUES (1);\n"
        "  INSERT INTO a VALUES (1);\n"
        "CREATE TABLE b (id int);\n"
    )
    error = execute_error(scratch_url, path)
    assert error.location == f"{path}:3:3"
    assert error.message.startswith('duplicate key value violates unique constraint "a_pkey"')


def test_copy_data_error_points_at_the_row(scratch_url: str, tmp_path: Path) -> None:
    path = tmp_path / "copy.sql"
    path.write_text("CREATE TABLE a (id int);\nCOPY a (id) FROM stdin;\n1\n2\nthree\n\\.\n")
    error = execute_error(scratch_url, path)
    assert error.location == f"{path}:5:1"
    assert "invalid input syntax for type integer" in error.message


def test_statements_that_need_their_own_round_trip(scratch_url: str, tmp_path: Path) -> None:
    path = tmp_path / "alone.sql"
    path.write_text(
        "CREATE TYPE mood AS ENUM ('sad');\n"
        "ALTER TYPE mood ADD VALUE 'happy';\n"
        "CREATE TABLE person (id int, current mood DEFAULT 'happy');\n"
        "CREATE INDEX CONCURRENTLY person_id_idx ON person (id);\n"
        "BEGIN;\n"
        "INSERT INTO person VALUES (1, 'happy');\n"
        "COMMIT;\n"
        "GRANT SELECT ON person TO nobody_here;\n"
        "ALTER TABLE person OWNER TO nobody_here;\n"
        "VACUUM person;\n"
    )
    warnings: list[str] = []
    progress: list[tuple[int, int]] = []
    sql_file.execute_script(
        scratch_url, path, warn=warnings.append, progress=lambda done, total: progress.append((done, total))
    )
    assert scalar(scratch_url, "SELECT count(*) FROM person WHERE current = 'happy'") == 1
    assert scalar(scratch_url, "SELECT to_regclass('person_id_idx') IS NOT NULL") is True
    assert warnings == [
        f"{path}: skipped 2 ownership/privilege statements "
        "(ownership and privileges are not part of the model)"
    ]
    assert progress[-1] == (10, 10)
    assert [done for done, _ in progress] == sorted(done for done, _ in progress)


def test_database_statements_are_skipped_with_a_warning(scratch_url: str, tmp_path: Path) -> None:
    path = tmp_path / "db.sql"
    path.write_text(
        "DROP DATABASE IF EXISTS other;\nCREATE DATABASE other;\n\\c other;\nCREATE TABLE t (a int);\n"
    )
    warnings: list[str] = []
    sql_file.execute_script(scratch_url, path, warn=warnings.append)
    assert warnings == [
        f"{path}:1: skipped DROP DATABASE (pgshape never creates or drops databases)",
        f"{path}:2: skipped CREATE DATABASE (pgshape never creates or drops databases)",
        f"{path}:3: skipped psql meta-command \\c other; (pgshape never creates or drops databases)",
    ]
    assert scalar(scratch_url, "SELECT to_regclass('t') IS NOT NULL") is True


# --- loading (execute + introspect) -------------------------------------------------------


@needs_introspect
def test_load_returns_the_schema_with_origins(no_leftovers: None) -> None:
    path = FIXTURES / "library.sql"
    database = sql_file.load(path)
    assert database.expressions_canonical

    def where(obj: object) -> tuple[int | None, int | None]:
        origin = obj.origin  # type: ignore[attr-defined]
        assert origin is not None and origin.file == str(path)
        return origin.line, origin.column

    author = database.table("public", "author")
    book = database.table("public", "Book")
    assert author is not None and book is not None
    assert where(author) == (5, 1)
    assert [where(column) for column in author.columns] == [(6, 5), (7, 5)]
    assert author.primary_key is not None and where(author.primary_key) == (8, 5)
    assert where(book) == (11, 1)
    assert [where(column) for column in book.columns] == [(12, 5), (13, 5), (14, 5), (15, 5)]
    assert book.primary_key is not None and where(book.primary_key) == (12, 16)
    assert [where(fk) for fk in book.foreign_keys] == [(18, 5)]
    assert [where(index) for index in book.indexes] == [(19, 1)]
    assert [where(trigger) for trigger in book.triggers] == [(34, 1)]
    assert [where(policy) for policy in author.policies] == [(36, 1)]
    assert [where(enum) for enum in database.enums] == [(2, 1)]
    assert [where(domain) for domain in database.domains] == [(3, 1)]
    assert [where(sequence) for sequence in database.sequences] == [(21, 1)]
    assert [where(view) for view in database.views] == [(23, 1)]
    functions = {function.signature: where(function) for function in database.functions}
    assert functions == {
        "public.add(a integer)": (32, 1),
        "public.add(a integer, b integer)": (31, 1),
        "public.touch()": (26, 1),
    }


@needs_introspect
def test_load_failure_drops_the_scratch_database(no_leftovers: None) -> None:
    path = FIXTURES / "runtime_error.sql"
    assert load_error(path).location == f"{path}:10:10"


# --- the corpus ---------------------------------------------------------------------------


@pytest.mark.corpus
@corpus
def test_chinook_rows_and_skipped_database_statements(scratch_url: str) -> None:
    path = CORPUS / "chinook.sql"
    warnings: list[str] = []
    started = time.perf_counter()
    sql_file.execute_script(scratch_url, path, warn=warnings.append)
    elapsed = time.perf_counter() - started
    assert warnings == [
        f"{path}:19: skipped DROP DATABASE (pgshape never creates or drops databases)",
        f"{path}:25: skipped CREATE DATABASE (pgshape never creates or drops databases)",
        f"{path}:28: skipped psql meta-command \\c chinook; (pgshape never creates or drops databases)",
    ]
    assert scalar(scratch_url, "SELECT count(*) FROM invoice_line") == 2240
    assert scalar(scratch_url, "SELECT count(*) FROM track") == 3503
    print(f"chinook.sql executed in {elapsed:.2f}s")


@pytest.mark.corpus
@corpus
@needs_introspect
def test_chinook_loads(no_leftovers: None) -> None:
    warnings: list[str] = []
    database = sql_file.load(CORPUS / "chinook.sql", warn=warnings.append)
    assert len(database.tables) == 11
    assert len(warnings) == 3


@pytest.mark.corpus
@corpus
@needs_introspect
@pytest.mark.parametrize("name", ["synapse.sql", "pagila.sql"])
def test_corpus_file_loads(name: str, pg_major: int, no_leftovers: None) -> None:
    if name == "pagila.sql" and pg_major < 18:
        pytest.skip("pagila.sql needs PostgreSQL 18 (see test_pagila_needs_postgresql_18)")
    database = sql_file.load(CORPUS / name)
    assert database.tables
    assert all(table.origin is not None for table in database.tables)


@pytest.mark.corpus
@corpus
def test_pagila_needs_postgresql_18(scratch_url: str, pg_major: int) -> None:
    path = CORPUS / "pagila.sql"
    if pg_major >= 18:
        sql_file.execute_script(scratch_url, path)
        assert scalar(scratch_url, "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'payment%'") > 1
        return
    error = execute_error(scratch_url, path)
    assert error.location == f"{path}:453:77"
    assert "needs PostgreSQL 18 (VIRTUAL generated columns)" in error.message


@pytest.mark.corpus
@corpus
@pytest.mark.parametrize(
    ("name", "extension"),
    [("danbooru.sql", "pgcrypto"), ("openstreetmap.sql", "postgis"), ("lago.sql", "pg_partman")],
)
def test_missing_extension_is_named(name: str, extension: str, scratch_url: str) -> None:
    path = CORPUS / name
    if extension == "pgcrypto" and scalar(
        scratch_url, "SELECT count(*) FROM pg_available_extensions WHERE name = 'pgcrypto'"
    ):
        pytest.skip("this server has pgcrypto")
    error = execute_error(scratch_url, path)
    assert error.message.startswith(
        f'extension "{extension}" is not available on the scratch server (PostgreSQL '
    )
    assert error.message.endswith("rerun with --scratch-url pointing at a server that has it")
    assert error.location is not None and error.location.startswith(f"{path}:")


@pytest.mark.corpus
@corpus
@needs_introspect
def test_missing_extension_through_load(no_leftovers: None, pg_server: str) -> None:
    """load() names the server and leaves no scratch database behind, also when it fails."""
    error = load_error(CORPUS / "openstreetmap.sql")
    assert 'extension "postgis" is not available on the scratch server' in error.message
    assert error.location == f"{CORPUS / 'openstreetmap.sql'}:37:1"


def test_error_inside_an_explicit_transaction(scratch_url: str, tmp_path: Path) -> None:
    path = tmp_path / "txn.sql"
    path.write_text(
        "BEGIN;\nCREATE TABLE a (id int PRIMARY KEY);\n"
        "INSERT INTO a VALUES (1);\nINSERT INTO a VALUES (1);\nCOMMIT;\n"
    )
    error = execute_error(scratch_url, path)
    assert error.location == f"{path}:2:1"  # the batch inside BEGIN cannot be replayed: its start
    assert error.message.startswith("duplicate key value")
