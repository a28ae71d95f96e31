"""Partition index copies with names of their own are found and reported; PostgreSQL's own
choices (ChooseIndexName, ported in sources/pg_names.py) are never mistaken for them.

The naming rule is checked against PostgreSQL itself: hypothesis draws awkward column and
partition names (up to exactly 63 bytes, unicode, reserved words) and index shapes, PostgreSQL
creates the copies, and every name it chose must be one the module predicts.
"""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from psycopg.rows import namedtuple_row

from conftest import run_sql
from pgshape.cli.main import main
from pgshape.pg.scratch import scratch_database
from pgshape.render.identifiers import quote_ident
from pgshape.sources.partition_names import _QUERY, own_names, own_names_warning
from strategies import identifiers

ATTACHED = """
CREATE TABLE m (id int NOT NULL, at date NOT NULL, v text, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE INDEX m_v_idx ON m (v);
CREATE TABLE m_2024 (id int NOT NULL, at date NOT NULL, v text, CONSTRAINT custom_pk PRIMARY KEY (id, at));
CREATE INDEX custom_v ON m_2024 (v);
ALTER TABLE m ATTACH PARTITION m_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE m_2025 PARTITION OF m FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
"""


def _rows(url: str) -> list[object]:
    with psycopg.connect(url) as conn, conn.cursor(row_factory=namedtuple_row) as cursor:
        cursor.execute(_QUERY, {"schemas": None})
        return cursor.fetchall()


def test_attached_partition_with_its_own_names_is_found(scratch_url: str) -> None:
    run_sql(scratch_url, ATTACHED)
    rows = _rows(scratch_url)
    assert {row.name for row in rows} == {"custom_pk", "custom_v", "m_2025_pkey", "m_2025_v_idx"}
    assert own_names(rows) == [
        ("public.m_2024", "custom_pk", "public", "m_pkey"),
        ("public.m_2024", "custom_v", "public", "m_v_idx"),
    ]
    message = own_names_warning(scratch_url)
    assert message is not None and message.startswith("2 partition index copies have names of their own")
    assert own_names_warning(scratch_url, ["other"]) is None  # schema filter


def test_verify_says_identical_and_warns(
    tmp_path: Path, pg_server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "attached.sql"
    source.write_text(ATTACHED)
    assert main(["verify", str(source), "--scratch-url", pg_server]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("identical")
    [line] = [line for line in captured.err.splitlines() if "partition index" in line]
    assert line.startswith(f"warning: {source}: 2 partition index copies") and "custom_pk" in line


_SHAPES = st.sampled_from(["pk", "unique", "unique_index", "index", "expression", "include", "exclusion"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    partition=identifiers,
    columns=st.lists(identifiers, min_size=2, max_size=4, unique_by=str.lower),
    shapes=st.lists(_SHAPES, min_size=1, max_size=4),
)
def test_postgresql_default_names_are_recognised(
    pg_server: str, pg_major: int, partition: str, columns: list[str], shapes: list[str]
) -> None:
    assume(partition != "parent_t")
    if pg_major < 17:  # exclusion constraints on partitioned tables came with PostgreSQL 17
        shapes = [shape for shape in shapes if shape != "exclusion"] or ["index"]
    names = [f"c{i}_{name}" if name.lower() in ("at", "id") else name for i, name in enumerate(columns)]
    col = [quote_ident(n) for n in names]
    ddl = [
        f"CREATE TABLE parent_t ({', '.join(f'{c} int NOT NULL' for c in col)}, at int NOT NULL) "
        "PARTITION BY RANGE (at)"
    ]
    for number, shape in enumerate(shapes):
        # Every unique index or key must contain the partition key (at).
        if shape == "pk" and number == shapes.index("pk"):
            ddl.append(f"ALTER TABLE parent_t ADD PRIMARY KEY ({col[0]}, at)")
        elif shape == "unique":
            ddl.append(f"ALTER TABLE parent_t ADD UNIQUE ({col[number % len(col)]}, at)")
        elif shape == "unique_index":
            ddl.append(f"CREATE UNIQUE INDEX ON parent_t ({col[1]}, {col[0]}, at)")
        elif shape == "index":
            ddl.append(f"CREATE INDEX ON parent_t ({', '.join(col)})")
        elif shape == "expression":
            ddl.append(f"CREATE INDEX ON parent_t (({col[0]} + 1), ({col[1]} * 2), {col[0]})")
        elif shape == "include":
            ddl.append(f"CREATE INDEX ON parent_t ({col[1]}) INCLUDE ({col[0]})")
        elif shape == "exclusion":
            ddl.append(f"ALTER TABLE parent_t ADD EXCLUDE USING btree ({col[0]} WITH =, at WITH =)")
    ddl.append(f"CREATE TABLE {quote_ident(partition)} PARTITION OF parent_t FOR VALUES FROM (0) TO (10)")
    with scratch_database(pg_server) as url:
        run_sql(url, ";\n".join(ddl) + ";")
        rows = _rows(url)
        assert rows, "the partition has copies of the parent's indexes"
        assert own_names(rows) == []
