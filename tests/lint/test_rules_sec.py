"""SEC rules on real databases: what is and is not a secret, RLS states, and fixes that run."""

from __future__ import annotations

from pathlib import Path

from rules_partb import apply_fix, lint_url

from conftest import run_sql
from pgshape.examples import __file__ as examples_init

BLOG = (Path(examples_init).parent / "blog.sql").read_text()


def test_what_counts_as_a_plaintext_secret(scratch_url: str) -> None:
    run_sql(
        scratch_url,
        """
        CREATE TABLE token (id bigint PRIMARY KEY);
        CREATE TABLE account (
            id bigint PRIMARY KEY,
            password text,            -- plaintext
            api_key varchar(64),      -- plaintext
            password_hash text,       -- hashed, named so
            api_key_encrypted text,   -- encrypted, named so
            session_token bytea,      -- binary
            token_type text,          -- about a token, not a token
            token_expires_at timestamptz,
            has_password boolean,
            token_id bigint REFERENCES token
        );
        """,
    )
    found = sorted(f.path for f in lint_url(scratch_url, "plaintext-sensitive-column"))
    assert found == ["public.account.api_key", "public.account.password"]
    # The patterns are configurable.
    custom = lint_url(scratch_url, "plaintext-sensitive-column", sensitive_columns=("api_key",))
    assert [f.path for f in custom] == ["public.account.api_key"]


def test_pii_tag_fix_keeps_the_existing_comment(scratch_url: str) -> None:
    run_sql(
        scratch_url,
        "CREATE TABLE person (id bigint PRIMARY KEY, email text, "
        "email_verified boolean, phone text, birth_date date);"
        "COMMENT ON COLUMN person.phone IS 'mobile, E.164';",
    )
    found = {f.path: f for f in lint_url(scratch_url, "pii-column-undocumented")}
    assert sorted(found) == ["public.person.birth_date", "public.person.email", "public.person.phone"]
    apply_fix(scratch_url, found["public.person.phone"])
    import psycopg

    with psycopg.connect(scratch_url) as conn:
        (comment,) = conn.execute(
            "SELECT col_description(attrelid, attnum) FROM pg_attribute"
            " WHERE attrelid = 'person'::regclass AND attname = 'phone'"
        ).fetchone()  # type: ignore[misc]
    assert comment == "pii: mobile, E.164"
    assert "public.person.phone" not in {f.path for f in lint_url(scratch_url, "pii-column-undocumented")}


def test_row_level_security_states_and_fixes(scratch_url: str) -> None:
    run_sql(
        scratch_url,
        """
        CREATE TABLE project (id bigint PRIMARY KEY, tenant_id bigint NOT NULL, name text);
        CREATE TABLE locked (id bigint PRIMARY KEY);
        ALTER TABLE locked ENABLE ROW LEVEL SECURITY;
        CREATE TABLE open_doc (id bigint PRIMARY KEY, owner_name text);
        CREATE POLICY open_doc_owner ON open_doc USING (owner_name = current_user);
        """,
    )
    (tenant,) = lint_url(scratch_url, "tenant-table-without-rls")
    assert tenant.path == "public.project"
    assert [f.path for f in lint_url(scratch_url, "rls-without-policy")] == ["public.locked"]
    (policy,) = lint_url(scratch_url, "policy-without-rls")
    assert policy.path == "public.open_doc"
    apply_fix(scratch_url, tenant)
    apply_fix(scratch_url, policy)
    assert lint_url(scratch_url, "tenant-table-without-rls") == []
    assert lint_url(scratch_url, "policy-without-rls") == []
    # The tenant fix adds a policy with RLS, so it does not create an rls-without-policy finding.
    assert [f.path for f in lint_url(scratch_url, "rls-without-policy")] == ["public.locked"]


def test_security_definer_fix_pins_the_search_path(scratch_url: str) -> None:
    run_sql(
        scratch_url,
        "CREATE FUNCTION f(a integer) RETURNS integer LANGUAGE sql SECURITY DEFINER AS 'SELECT a';"
        "CREATE FUNCTION g() RETURNS integer LANGUAGE sql AS 'SELECT 1';",
    )
    (finding,) = lint_url(scratch_url, "security-definer-mutable-search-path")
    assert finding.path == "public.f"
    apply_fix(scratch_url, finding)
    assert lint_url(scratch_url, "security-definer-mutable-search-path") == []


def test_blog_example_is_clean(scratch_url: str) -> None:
    run_sql(scratch_url, BLOG)
    for code in ("SEC001", "SEC002", "SEC003", "SEC004", "SEC005", "SEC006"):
        assert lint_url(scratch_url, code) == [], code
