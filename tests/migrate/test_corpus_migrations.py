"""Migrations on real schemas: build a whole corpus schema from nothing (and drop it again), and
change one (new columns, dropped indexes, a new table referencing it) with generated sample rows
— each plan proven on a scratch database."""

from __future__ import annotations

from dataclasses import replace

import pytest

from conftest import CORPUS
from pgshape.migrate.pipeline import migration
from pgshape.model import Column, Database, ForeignKey, PrimaryKey, Table
from pgshape.pg.prove_migration import prove
from pgshape.sources.load import LoadOptions, load

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is not present"),
]


def _load(name: str, pg_major: int) -> Database:
    if name == "pagila.sql" and pg_major < 18:
        pytest.skip("pagila needs PostgreSQL 18 (VIRTUAL generated columns)")
    return load(str(CORPUS / name), LoadOptions(warn=lambda message: None))


def _changed(db: Database) -> Database:
    """Twelve tables get a new column and lose their plain indexes; a new table references the
    first of them."""
    chosen = [t for t in db.tables if not t.is_partition and not t.is_partitioned and t.primary_key][:12]
    keys = {t.key for t in chosen}
    tables = [
        replace(t, columns=(*t.columns, Column("pgshape_note", "text")), indexes=()) if t.key in keys else t
        for t in db.tables
    ]
    target = chosen[0]
    pk = target.primary_key
    assert pk is not None
    referencing = Table(
        target.schema,
        "pgshape_audit",
        (
            Column("id", "bigint", nullable=False),
            *(Column(f"ref_{c}", target.column(c).type) for c in pk.columns),  # type: ignore[union-attr]
        ),
        primary_key=PrimaryKey("pgshape_audit_pkey", ("id",)),
        foreign_keys=(
            ForeignKey(
                "pgshape_audit_ref_fkey",
                tuple(f"ref_{c}" for c in pk.columns),
                target.schema,
                target.name,
                pk.columns,
            ),
        ),
    )
    return db.with_changes(tables=(*tables, referencing))


@pytest.mark.parametrize("name", ["chinook.sql", "synapse.sql", "pagila.sql"])
def test_corpus_schema_created_from_nothing_and_changed(name: str, pg_server: str, pg_major: int) -> None:
    db = _load(name, pg_major)
    # An empty database still has the public schema (and the extensions the file needs).
    empty = Database(schemas=tuple(s for s in db.schemas if s.name == "public"), extensions=db.extensions)
    created = migration(empty, db)
    verdict = prove(created.plan, empty, db, scratch_url=pg_server)
    assert verdict.proven, verdict.summary()

    changed = _changed(db)
    result = migration(db, changed)
    kinds = {op.kind for op in result.plan.up}
    assert {"add_column", "drop_index", "create_table", "add_constraint"} <= kinds
    verdict = prove(result.plan, db, changed, scratch_url=pg_server)
    assert verdict.proven, verdict.summary()
    assert sum(verdict.seeded.rows.values()) > 0
