"""PART rules: unique keys of partitioned tables (checked on models, since PostgreSQL refuses
them), and default partitions (on a real database, with the fix applied)."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from rules_partb import apply_fix, lint_url

from conftest import run_sql
from pgshape.lint.config import LintConfig
from pgshape.lint.core import LintContext, find_rule
from pgshape.lint.engine import lint
from pgshape.lint.rules.partitioning import partition_key_columns
from pgshape.model import Column, Database, Index, IndexKey, PrimaryKey, Table, UniqueConstraint
from pgshape.render.sql import render_statements
from pgshape.sources.load import load


def _partitioned(partition_by: str, **parts: object) -> Database:
    table = Table(
        schema="public",
        name="event",
        columns=(
            Column("id", "bigint", nullable=False),
            Column("occurred_at", "timestamp with time zone", nullable=False),
        ),
        partition_by=partition_by,
        **parts,  # type: ignore[arg-type]
    )
    return Database(tables=(table,))


def _paths(database: Database) -> list[str]:
    rule = find_rule("partition-key-not-in-unique")
    assert rule is not None
    context = LintContext(database=database, config=LintConfig())
    return sorted(f.path for f in lint(context, rules=[rule]).findings)


def test_unique_keys_must_include_the_partition_key() -> None:
    bad = _partitioned(
        "RANGE (occurred_at)",
        primary_key=PrimaryKey("event_pkey", ("id",)),
        unique_constraints=(UniqueConstraint("event_id_key", ("id",)),),
        indexes=(Index("event_id_idx", (IndexKey(column="id"),), unique=True),),
    )
    assert _paths(bad) == [
        "public.event.event_id_idx",
        "public.event.event_id_key",
        "public.event.event_pkey",
    ]
    good = _partitioned("RANGE (occurred_at)", primary_key=PrimaryKey("event_pkey", ("id", "occurred_at")))
    assert _paths(good) == []
    expression = _partitioned(
        "RANGE (date_trunc('day', occurred_at))", primary_key=PrimaryKey("event_pkey", ("id", "occurred_at"))
    )
    assert _paths(expression) == ["public.event.event_pkey"]


def test_partition_key_parsing() -> None:
    assert partition_key_columns(Table("s", "t", partition_by='LIST (region, "Kind")')) == ("region", "Kind")
    assert partition_key_columns(Table("s", "t", partition_by="HASH (id)")) == ("id",)
    assert partition_key_columns(Table("s", "t", partition_by="RANGE (lower(name))")) is None


def test_default_partition_fix_runs(scratch_url: str) -> None:
    run_sql(
        scratch_url,
        """
        CREATE TABLE reading (sensor_id bigint NOT NULL, taken_on date NOT NULL)
            PARTITION BY RANGE (taken_on);
        CREATE TABLE reading_2025 PARTITION OF reading FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
        CREATE TABLE bucket (id bigint NOT NULL) PARTITION BY HASH (id);
        CREATE TABLE bucket_0 PARTITION OF bucket FOR VALUES WITH (MODULUS 1, REMAINDER 0);
        """,
    )
    (finding,) = lint_url(scratch_url, "missing-default-partition")  # HASH cannot have a default
    assert finding.path == "public.reading"
    apply_fix(scratch_url, finding)
    assert lint_url(scratch_url, "missing-default-partition") == []
    run_sql(scratch_url, "INSERT INTO reading VALUES (1, '2030-01-01')")  # now has somewhere to go


DESIGN = """\
version: 1
project:
  primary_key: bigint
  timestamps: false
tables:
  event:
    comment: Things that happened.
    partition_by: RANGE (occurred_at)
    columns:
      occurred_at: timestamptz
    partitions:
      event_2025: FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')
"""


def test_a_design_file_is_caught_before_postgresql_refuses_it(tmp_path: Path, scratch_url: str) -> None:
    path = tmp_path / "events.yaml"
    path.write_text(DESIGN, encoding="utf-8")
    database = load(str(path))
    assert _paths(database) == ["public.event.pk_event"]
    # The finding is real: the same design, rendered, is refused by PostgreSQL.
    with (
        psycopg.connect(scratch_url, autocommit=True) as conn,
        pytest.raises(psycopg.errors.FeatureNotSupported),
    ):
        for statement in render_statements(database):
            conn.execute(statement)  # type: ignore[arg-type]
