"""CON rules on real databases: what they spare, and that their fixes run."""

from __future__ import annotations

from pathlib import Path

from rules_partb import apply_fix, lint_url

from conftest import run_sql
from pgshape.examples import __file__ as examples_init

BLOG = (Path(examples_init).parent / "blog.sql").read_text()


def test_enum_like_text_spares_keys_addresses_and_checked_columns(scratch_url: str) -> None:
    run_sql(
        scratch_url,
        """
        CREATE TABLE customer (id bigint PRIMARY KEY, city text, state text, country text);
        CREATE TABLE event (id bigint PRIMARY KEY, room text, type text NOT NULL, UNIQUE (room, type));
        CREATE TABLE upload (id bigint PRIMARY KEY, media_type text, kind text NOT NULL,
                             CONSTRAINT upload_kind_check CHECK (kind IN ('image', 'video')));
        CREATE TABLE ticket (id bigint PRIMARY KEY, status text NOT NULL, prev_state text,
                             priority varchar(10));
        """,
    )
    found = sorted(f.path for f in lint_url(scratch_url, "enum-like-text-without-check"))
    assert found == ["public.ticket.priority", "public.ticket.status"]


def test_not_valid_constraint_fix_validates(scratch_url: str) -> None:
    run_sql(
        scratch_url,
        """
        CREATE TABLE parent (id bigint PRIMARY KEY);
        CREATE TABLE child (id bigint PRIMARY KEY, parent_id bigint);
        INSERT INTO parent VALUES (1); INSERT INTO child VALUES (1, 1);
        ALTER TABLE child ADD CONSTRAINT child_parent_fk FOREIGN KEY (parent_id) REFERENCES parent NOT VALID;
        """,
    )
    (finding,) = lint_url(scratch_url, "CON003", data=True)
    assert finding.path == "public.child.child_parent_fk" and "FOREIGN KEY" in finding.message
    assert finding.fixes[0].safe and "VALIDATE CONSTRAINT" in (finding.fixes[0].sql or "")
    apply_fix(scratch_url, finding)
    assert lint_url(scratch_url, "CON003", data=True) == []


def test_thresholds_are_configurable(scratch_url: str) -> None:
    columns = ", ".join(f"c{n} text" for n in range(12))
    flags = ", ".join(f"is_f{n} boolean" for n in range(2))
    run_sql(scratch_url, f"CREATE TABLE wide (id bigint PRIMARY KEY, {columns}, {flags})")
    assert lint_url(scratch_url, "god-table") == []
    assert [f.path for f in lint_url(scratch_url, "god-table", thresholds={"god-table": 10})] == [
        "public.wide"
    ]
    assert lint_url(scratch_url, "too-many-boolean-flags") == []
    assert len(lint_url(scratch_url, "too-many-boolean-flags", thresholds={"too-many-boolean-flags": 2})) == 1


def test_all_columns_nullable_ignores_generated_columns_and_single_columns(scratch_url: str) -> None:
    run_sql(
        scratch_url,
        """
        CREATE TABLE one (id bigint PRIMARY KEY, note text);
        CREATE TABLE two (id bigint PRIMARY KEY, a text, b text);
        CREATE TABLE three (id bigint PRIMARY KEY, a text NOT NULL, b text,
                            c text GENERATED ALWAYS AS (upper(b)) STORED);
        """,
    )
    assert [f.path for f in lint_url(scratch_url, "all-columns-nullable")] == ["public.two"]


def test_blog_example_is_clean(scratch_url: str) -> None:
    run_sql(scratch_url, BLOG)
    for code in ("CON001", "CON002", "CON004", "CON005"):
        assert lint_url(scratch_url, code) == [], code
    assert lint_url(scratch_url, "CON003", data=True) == []
