"""Bounded, read-only sampling of a live database (pgshape.pg.sample) on a real server."""

from __future__ import annotations

import psycopg
import pytest

from conftest import run_sql
from pgshape.errors import ServerError
from pgshape.pg.introspect import introspect
from pgshape.pg.sample import read_only_transaction, sample

SCHEMA = """
CREATE TABLE small (id bigint PRIMARY KEY, label text, payload bytea);
INSERT INTO small SELECT n, 'label ' || n, '\\x00' FROM generate_series(1, 50) AS n;
CREATE TABLE big (id bigint PRIMARY KEY, code text NOT NULL);
INSERT INTO big SELECT n, 'c' || (n % 97) FROM generate_series(1, 60000) AS n;
ANALYZE big;
CREATE TABLE measurement (id bigint NOT NULL, taken_on date NOT NULL) PARTITION BY RANGE (taken_on);
CREATE TABLE measurement_2025 PARTITION OF measurement FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
INSERT INTO measurement SELECT n, date '2025-01-01' + (n % 300) FROM generate_series(1, 40) AS n;
CREATE INDEX measurement_taken_on_idx ON ONLY measurement (taken_on);
ALTER TABLE small ADD CONSTRAINT small_label_check CHECK (label <> '') NOT VALID;
CREATE VIEW small_view AS SELECT id FROM small;
"""


@pytest.fixture
def loaded(scratch_url: str):  # type: ignore[no-untyped-def]
    run_sql(scratch_url, SCHEMA)
    return scratch_url, introspect(scratch_url)


def test_small_tables_are_read_whole_and_values_come_back_as_text(loaded) -> None:  # type: ignore[no-untyped-def]
    url, database = loaded
    found = sample(url, database, rows=1000)
    small = found.table(("public", "small"))
    assert small is not None and small.method == "all"
    assert small.columns == ("id", "label")  # bytea is not sampled
    assert len(small.rows) == 50
    assert ("1", "label 1") in small.rows


def test_large_tables_are_bounded(loaded) -> None:  # type: ignore[no-untyped-def]
    url, database = loaded
    found = sample(url, database, rows=500)
    big = found.table(("public", "big"))
    assert big is not None
    assert big.method == "tablesample" and big.estimated_rows == 60000
    assert 250 <= len(big.rows) <= 500
    assert found.rows_per_table == 500


def test_partitions_are_sampled_through_their_parent(loaded) -> None:  # type: ignore[no-untyped-def]
    url, database = loaded
    found = sample(url, database, rows=1000)
    assert ("public", "measurement_2025") not in found.tables
    parent = found.table(("public", "measurement"))
    assert parent is not None and len(parent.rows) == 40
    assert ("public", "small_view") not in found.tables


def test_catalog_facts_for_the_data_rules(loaded) -> None:  # type: ignore[no-untyped-def]
    url, database = loaded
    found = sample(url, database, rows=10)
    assert found.invalid_indexes == {("public", "measurement", "measurement_taken_on_idx")}
    assert found.not_valid_constraints == {("public", "small", "small_label_check")}


def test_the_transaction_is_read_only_with_a_timeout(loaded) -> None:  # type: ignore[no-untyped-def]
    url, _ = loaded
    with read_only_transaction(url, timeout_ms=1234) as conn:
        assert conn.execute("SHOW transaction_read_only").fetchone() == ("on",)
        assert conn.execute("SHOW statement_timeout").fetchone() == ("1234ms",)
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            conn.execute("INSERT INTO public.small (id, label) VALUES (999, 'x')")
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM small WHERE id = 999").fetchone() == (0,)


def test_the_timeout_is_one_clear_error(loaded) -> None:  # type: ignore[no-untyped-def]
    url, database = loaded
    # Reading 400,000 rows cannot finish within a 1 ms statement timeout.
    run_sql(url, "INSERT INTO big SELECT n, 'x' FROM generate_series(60001, 400000) AS n")
    database = introspect(url)
    with pytest.raises(ServerError, match="took longer than 1 ms"):
        sample(url, database, rows=400000, timeout_ms=1)


def test_rows_must_be_positive(loaded) -> None:  # type: ignore[no-untyped-def]
    url, database = loaded
    with pytest.raises(ValueError):
        sample(url, database, rows=0)
