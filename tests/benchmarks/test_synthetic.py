"""The synthetic schema generator of benchmarks/ (correctness only, no timing)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import psycopg
import pytest

from conftest import run_sql

ROOT = Path(__file__).resolve().parents[2]


def _load_synthetic() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "pgshape_bench_synthetic", ROOT / "benchmarks" / "synthetic.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up while the class is built
    spec.loader.exec_module(module)
    return module


synthetic = _load_synthetic()

USER_SCHEMAS = "n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%'"


def _count(url: str, query: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute(query).fetchone()  # type: ignore[arg-type]
    assert row is not None
    return int(row[0])


def _catalog_counts(url: str) -> dict[str, int]:
    def q(sql: str) -> int:
        return _count(url, sql)

    def constraints(where: str) -> int:
        # PostgreSQL 17+ also lists the system catalogs' own keys in pg_constraint.
        return q(
            f"select count(*) from pg_constraint k join pg_namespace n on n.oid = k.connamespace "
            f"where {USER_SCHEMAS} and k.conrelid <> 0 and {where}"
        )

    return {
        "tables": q(
            f"select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace "
            f"where c.relkind = 'r' and {USER_SCHEMAS}"
        ),
        "views": q(
            f"select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace "
            f"where c.relkind = 'v' and {USER_SCHEMAS}"
        ),
        "foreign_keys": constraints("k.contype = 'f'"),
        "composite_foreign_keys": constraints("k.contype = 'f' and cardinality(k.conkey) > 1"),
        "self_references": constraints("k.contype = 'f' and k.conrelid = k.confrelid"),
        "unique_constraints": constraints("k.contype = 'u'"),
        "check_constraints": constraints("k.contype = 'c'"),
        "primary_keys": constraints("k.contype = 'p'"),
        "enums": q(
            f"select count(*) from pg_type t join pg_namespace n on n.oid = t.typnamespace "
            f"where t.typtype = 'e' and {USER_SCHEMAS}"
        ),
        # Indexes made by CREATE INDEX (not those behind primary keys and unique constraints).
        "indexes": q(
            f"select count(*) from pg_index i join pg_class c on c.oid = i.indexrelid "
            f"join pg_namespace n on n.oid = c.relnamespace where {USER_SCHEMAS} "
            f"and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)"
        ),
        "schemas": q(
            f"select count(*) from pg_namespace n where {USER_SCHEMAS} and n.nspname <> 'public' "
            f"and n.nspname like 'app%'"
        )
        + 1,
    }


@pytest.mark.parametrize(("tables", "seed", "schemas"), [(40, 0, 1), (120, 3, 3)])
def test_generated_schema_executes_and_matches_its_counts(
    scratch_url: str, tables: int, seed: int, schemas: int
) -> None:
    generated = synthetic.build(tables, seed=seed, schemas=schemas)
    run_sql(scratch_url, generated.sql)
    counts = _catalog_counts(scratch_url)
    stats = generated.stats
    assert counts["tables"] == tables == stats.tables
    for key in counts:
        assert counts[key] == getattr(stats, key), key
    # The realistic mix is really there.
    assert stats.views > 0 and stats.views_on_views > 0
    assert stats.composite_foreign_keys > 0 and stats.self_references > 0
    assert stats.check_constraints > 0 and stats.unique_constraints > 0 and stats.comments > 0


def test_mix_of_features(scratch_url: str) -> None:
    text = synthetic.generate(60, seed=1)
    for fragment in (
        "GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
        "uuid PRIMARY KEY DEFAULT gen_random_uuid()",
        "ON DELETE CASCADE",
        "USING gin",
        " WHERE ",
        "(lower(",
        "numeric(",
        "varchar(",
        "jsonb",
        "[]",
        "CREATE TYPE public.status_",
        "COMMENT ON TABLE",
        "COMMENT ON COLUMN",
        "CREATE VIEW",
    ):
        assert fragment in text, fragment
    run_sql(scratch_url, text)
    ncols = _count(
        scratch_url,
        "select max(n) from (select count(*) as n from pg_attribute a join pg_class c on c.oid = a.attrelid "
        "join pg_namespace s on s.oid = c.relnamespace where s.nspname = 'public' and c.relkind = 'r' "
        "and a.attnum > 0 and not a.attisdropped group by c.oid) x",
    )
    assert 5 <= ncols <= 17  # 5-15, plus the two columns of a composite foreign key


def test_same_seed_same_text_and_different_seed_different_text() -> None:
    assert synthetic.generate(80, seed=5) == synthetic.generate(80, seed=5)
    assert synthetic.generate(80, seed=5, schemas=2) == synthetic.generate(80, seed=5, schemas=2)
    assert synthetic.generate(80, seed=5) != synthetic.generate(80, seed=6)


def test_large_schema_loads_in_batches(scratch_url: str) -> None:
    generated = synthetic.build(300, seed=2)
    pieces = synthetic.batches(generated.sql, statements=500)
    assert len(pieces) > 1
    assert "".join(pieces).replace(";\n", "") == generated.sql.replace(";\n", "")
    for piece in pieces:
        run_sql(scratch_url, piece)
    assert _catalog_counts(scratch_url)["tables"] == 300


def test_cli_prints_sql_and_stats(capsys: pytest.CaptureFixture[str]) -> None:
    assert synthetic.main(["--tables", "5", "--seed", "1"]) == 0
    assert capsys.readouterr().out == synthetic.generate(5, seed=1)
    assert synthetic.main(["--tables", "5", "--stats"]) == 0
    assert '"tables": 5' in capsys.readouterr().out
