"""PostgreSQL's parser reads every corpus schema as a migration file; creating a schema from
nothing is not an unsafe migration (every table is new), so the loadable ones have no finding."""

from __future__ import annotations

import pytest

from conftest import CORPUS
from pgshape.errors import InputError
from pgshape.migrate.lint_migration import lint_statements
from pgshape.migrate.statements import parse_sql

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is not present"),
]


@pytest.mark.parametrize("name", ["chinook.sql", "danbooru.sql", "synapse.sql", "openstreetmap.sql"])
def test_schema_creation_scripts_have_no_migration_findings(name: str) -> None:
    path = CORPUS / name
    statements = parse_sql(path.read_text(encoding="utf-8"), str(path))
    assert len(statements) > 50
    kinds = {s.kind for s in statements}
    assert {"CreateStmt", "IndexStmt"} <= kinds or {"CreateStmt", "AlterTableStmt"} <= kinds
    assert lint_statements(statements, file=str(path)).findings == []


def test_clean_dump_preamble_is_reported() -> None:
    """lago's structure.sql is a `pg_dump --clean` file: it drops every table before creating it
    again — as a migration that is data loss, and the rules say so."""
    path = CORPUS / "lago.sql"
    findings = lint_statements(
        parse_sql(path.read_text(encoding="utf-8"), str(path)), file=str(path)
    ).findings
    drops = [f for f in findings if f.code == "MIG010"]
    assert len(drops) >= 100
    assert all(f.origin is not None and f.origin.line < 2000 for f in drops)  # the preamble only


def test_postgresql_18_syntax_is_a_clear_error() -> None:
    """pgparse bundles PostgreSQL 17's grammar: pagila's VIRTUAL generated column is refused with
    the file, line and column of the word."""
    path = CORPUS / "pagila.sql"
    with pytest.raises(InputError) as raised:
        parse_sql(path.read_text(encoding="utf-8"), str(path))
    assert raised.value.location is not None and raised.value.location.startswith(f"{path}:453:")
    assert "VIRTUAL" in str(raised.value)
