"""TS rules on real databases: triggers that do (and do not) keep updated_at, and fixes that run."""

from __future__ import annotations

from pathlib import Path

from rules_partb import apply_fix, lint_url

from conftest import run_sql
from pgshape.examples import __file__ as examples_init

BLOG = (Path(examples_init).parent / "blog.sql").read_text()

TABLE = """
CREATE TABLE invoice (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number text NOT NULL,
    total_cents bigint NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
"""


def test_a_trigger_that_does_not_set_updated_at_does_not_count(scratch_url: str) -> None:
    run_sql(
        scratch_url,
        TABLE
        + """
        CREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
        CREATE TRIGGER invoice_audit BEFORE UPDATE ON invoice FOR EACH ROW EXECUTE FUNCTION audit();
        """,
    )
    (finding,) = lint_url(scratch_url, "updated-at-never-updated")
    assert finding.path == "public.invoice.updated_at"
    assert not finding.fixes[0].safe
    apply_fix(scratch_url, finding)
    assert lint_url(scratch_url, "updated-at-never-updated") == []
    # ... and the trigger it added really keeps the column current.
    run_sql(
        scratch_url, "INSERT INTO invoice (number, total_cents, updated_at) VALUES ('A1', 5, '2000-01-01')"
    )
    run_sql(scratch_url, "UPDATE invoice SET total_cents = 6")
    import psycopg

    with psycopg.connect(scratch_url) as conn:
        (year,) = conn.execute("SELECT extract(year FROM updated_at)::int FROM invoice").fetchone()  # type: ignore[misc]
    assert year > 2000


def test_missing_timestamps_fixes_run_and_spare_logs_links_and_lookups(scratch_url: str) -> None:
    run_sql(
        scratch_url,
        """
        CREATE TABLE author (id bigint PRIMARY KEY, name text NOT NULL, bio text NOT NULL);
        CREATE TABLE country (code text PRIMARY KEY, name text NOT NULL);
        CREATE TABLE book (id bigint PRIMARY KEY, title text NOT NULL, pages int NOT NULL,
                           created_at timestamptz NOT NULL DEFAULT now());
        CREATE TABLE book_author (book_id bigint REFERENCES book, author_id bigint REFERENCES author,
                                  last_update timestamptz, PRIMARY KEY (book_id, author_id));
        CREATE TABLE audit_log (id bigint PRIMARY KEY, action text NOT NULL, detail text NOT NULL,
                                created_at timestamptz NOT NULL DEFAULT now());
        """,
    )
    created = lint_url(scratch_url, "missing-created-at")
    assert [f.path for f in created] == ["public.author"]
    updated = lint_url(scratch_url, "missing-updated-at")
    assert sorted(f.path for f in updated) == ["public.author", "public.book"]
    apply_fix(scratch_url, created[0])
    assert lint_url(scratch_url, "missing-created-at") == []


def test_timestamp_without_server_default(scratch_url: str) -> None:
    run_sql(
        scratch_url,
        "CREATE TABLE note (id bigint PRIMARY KEY, body text NOT NULL, created_at timestamptz NOT NULL)",
    )
    (finding,) = lint_url(scratch_url, "naive-datetime-default")
    assert finding.path == "public.note.created_at" and finding.fixes[0].safe
    apply_fix(scratch_url, finding)
    assert lint_url(scratch_url, "naive-datetime-default") == []


def test_blog_example_is_clean(scratch_url: str) -> None:
    run_sql(scratch_url, BLOG)
    for code in ("TS001", "TS002", "TS003", "TS004"):
        assert lint_url(scratch_url, code) == [], code
