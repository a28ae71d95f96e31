"""On a real schema with real rows (chinook, ~15,000 rows): the plan pgshape diff makes for a
batch of everyday changes lints clean against FROM, and its Alembic revision runs under
``alembic upgrade head`` / ``downgrade -1`` with the catalogs equal to TO, then FROM, and every
row kept."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from test_alembic import _alembic, _alembic_project

from conftest import CORPUS
from pgshape.migrate.alembic_sql import revision_sql
from pgshape.migrate.lint_migration import lint_statements
from pgshape.migrate.pipeline import migration
from pgshape.migrate.render_alembic import render as render_alembic
from pgshape.migrate.render_sql import render as render_sql
from pgshape.migrate.statements import parse, parse_sql
from pgshape.model.compare import compare
from pgshape.pg.introspect import introspect
from pgshape.pg.observe_migration import observe
from pgshape.sources.load import load
from pgshape.sources.sql_script import Kind, split

CHINOOK = CORPUS / "chinook.sql"
CHANGES = """
ALTER TABLE customer ADD COLUMN loyalty_points integer NOT NULL DEFAULT 0;
ALTER TABLE customer ALTER COLUMN company TYPE varchar(120);
ALTER TABLE customer ALTER COLUMN last_name TYPE text;
ALTER TABLE genre ALTER COLUMN name SET NOT NULL;
ALTER TABLE genre ADD CONSTRAINT genre_name_key UNIQUE (name);
ALTER TABLE track ADD CONSTRAINT track_unit_price_check CHECK (unit_price >= 0);
CREATE INDEX track_name_idx ON track (name);
ALTER TABLE invoice ALTER COLUMN billing_country SET DEFAULT 'USA';
COMMENT ON TABLE track IS 'songs: name, album, price';
"""
COUNTED = ("customer", "genre", "track", "invoice", "invoice_line", "playlist_track")

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not CHINOOK.exists(), reason="../shared/corpus is not present"),
]


def _chinook_into(url: str) -> None:
    """The file's schema and rows, without its database-level statements and \\c."""
    text = CHINOOK.read_text(encoding="utf-8")
    kept = [s.text for s in split(text) if s.kind not in (Kind.META, Kind.CLUSTER)]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("\n".join(kept))  # type: ignore[arg-type]


def _counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in COUNTED}  # type: ignore[arg-type, index]


def test_chinook_changes_lint_clean_and_round_trip_through_alembic(
    scratch_url: str, pg_server: str, tmp_path: Path
) -> None:
    changed = tmp_path / "chinook_changed.sql"
    changed.write_text(CHINOOK.read_text(encoding="utf-8") + CHANGES)
    before, after = load(str(CHINOOK)), load(str(changed))
    plan = migration(before, after).plan
    assert len(plan.up) >= 9

    script = render_sql(plan, title="chinook")
    assert lint_statements(parse_sql(script, "plan.sql"), file="plan.sql", before=before).findings == []
    # The same edits written the naive way are what the rules exist for.
    naive = lint_statements(parse_sql(CHANGES, "naive.sql"), file="naive.sql", before=before).findings
    assert {f.code for f in naive} >= {"MIG001", "MIG003", "MIG004", "MIG005", "MIG012"}
    assert "MIG008" not in {f.code for f in naive}  # varchar widening and varchar → text

    # PostgreSQL's verdict on the plan: nothing is rewritten, and nothing is scanned while the
    # table is locked ACCESS EXCLUSIVE (validation scans run under SHARE UPDATE EXCLUSIVE).
    statements = parse_sql(script, "plan.sql")
    seen = observe(before, statements, scratch_url=pg_server).by_statement
    assert all(o.error is None for o in seen.values()), [o.error for o in seen.values() if o.error]
    assert not any(o.rewritten for o in seen.values())
    for o in seen.values():
        exclusive = {table for table, mode in o.locks if mode == "ACCESS EXCLUSIVE"}
        assert not exclusive & {table for table, _ in o.scanned}, statements[o.index].text
    assert any(o.scanned for o in seen.values())  # the validations did read the rows

    revision = render_alembic(plan, title="chinook")
    from_revision = parse(revision_sql(revision, "rev.py").chunks, "rev.py")
    assert lint_statements(from_revision, file="rev.py", before=before).findings == []

    ini = _alembic_project(tmp_path / "project", scratch_url)
    (ini.parent / "migrations" / "versions" / "0001_chinook.py").write_text(revision)
    _chinook_into(scratch_url)
    rows = _counts(scratch_url)
    assert rows["invoice_line"] > 2000

    def differences(expected):  # type: ignore[no-untyped-def]
        found = compare(expected, introspect(scratch_url))
        return [d for d in found if not d.order_only and "alembic_version" not in d.path]

    _alembic(ini, "upgrade", "head")
    assert differences(after) == []
    assert _counts(scratch_url) == rows
    _alembic(ini, "downgrade", "-1")
    assert differences(before) == []
    assert _counts(scratch_url) == rows
