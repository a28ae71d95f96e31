"""SD rules on real databases: partial indexes, FK indexes, and fixes that run."""

from __future__ import annotations

from pathlib import Path

from rules_partb import apply_fix, lint_url

from conftest import run_sql
from pgshape.examples import __file__ as examples_init

BLOG = (Path(examples_init).parent / "blog.sql").read_text()

SCHEMA = """
CREATE TABLE app_user (id bigint PRIMARY KEY);
CREATE TABLE post (
    id bigint PRIMARY KEY,
    public_id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    author_id bigint NOT NULL REFERENCES app_user,
    slug text NOT NULL,
    title text NOT NULL,
    deleted_at timestamptz,
    CONSTRAINT post_slug_key UNIQUE (slug)
);
CREATE INDEX post_author_id_idx ON post (author_id);
CREATE INDEX post_title_idx ON post (title);
CREATE INDEX post_deleted_at_idx ON post (deleted_at);
"""


def test_soft_delete_rules_and_their_fixes(scratch_url: str) -> None:
    run_sql(scratch_url, SCHEMA)
    # The FK index stays full on purpose; the title index should cover live rows only.
    (partial,) = lint_url(scratch_url, "soft-delete-without-partial-index")
    assert partial.path == "public.post.post_title_idx" and partial.fixes[0].safe
    # The slug blocks re-creation; the uuid filled by a default does not.
    (unique,) = lint_url(scratch_url, "soft-delete-unique-not-partial")
    assert unique.path == "public.post.post_slug_key" and not unique.fixes[0].safe
    (plain,) = lint_url(scratch_url, "soft-delete-plain-deleted-at-index")
    assert plain.path == "public.post.post_deleted_at_idx"

    apply_fix(scratch_url, partial)
    assert lint_url(scratch_url, "soft-delete-without-partial-index") == []
    apply_fix(scratch_url, unique)
    assert lint_url(scratch_url, "soft-delete-unique-not-partial") == []
    # A deleted row no longer blocks its slug.
    run_sql(
        scratch_url,
        "INSERT INTO app_user VALUES (1);"
        "INSERT INTO post (id, author_id, slug, title, deleted_at) VALUES (1, 1, 'hello', 't', now());"
        "INSERT INTO post (id, author_id, slug, title) VALUES (2, 1, 'hello', 't');",
    )
    apply_fix(scratch_url, plain)
    assert lint_url(scratch_url, "soft-delete-plain-deleted-at-index") == []


def test_blog_example_is_clean(scratch_url: str) -> None:
    run_sql(scratch_url, BLOG)
    for code in ("SD001", "SD002", "SD003"):
        assert lint_url(scratch_url, code) == [], code
