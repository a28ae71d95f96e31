"""The SQL fixes of the CON/TS/SD/SEC/PART rules run on tables with awkward names (reserved
words, upper case, quotes, spaces, unicode, 63-byte names): quoting and derived names hold."""

from __future__ import annotations

import psycopg
from hypothesis import HealthCheck, given, settings
from rules_partb import apply_fix, lint_url

from pgshape.lint.rules._shapes import derived_name
from pgshape.render.identifiers import quote_ident, quote_literal
from strategies import identifiers


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=identifiers)
def test_fixes_run_on_awkward_names(name: str, scratch_url: str) -> None:
    table = quote_ident(name)
    with psycopg.connect(scratch_url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public")
        conn.execute(
            f"CREATE TABLE {table} (id bigint PRIMARY KEY, title text NOT NULL, body text NOT NULL,"  # type: ignore[arg-type]
            f" deleted_at timestamptz, updated_at timestamptz NOT NULL DEFAULT now())"
        )
        index = quote_ident(derived_name(name, "_i"))
        conn.execute(f"CREATE INDEX {index} ON {table} (title)")  # type: ignore[arg-type]
        conn.execute(f"CREATE POLICY p ON {table} USING (true)")  # type: ignore[arg-type]
        conn.execute(
            f"CREATE TABLE {quote_ident(derived_name(name, '_p'))} (k date NOT NULL) PARTITION BY RANGE (k)"  # type: ignore[arg-type]
        )
        conn.execute(f"COMMENT ON TABLE {table} IS {quote_literal('x')}")  # type: ignore[arg-type]
    for rule in (
        "missing-created-at",
        "updated-at-never-updated",
        "soft-delete-without-partial-index",
        "policy-without-rls",
        "missing-default-partition",
    ):
        (finding,) = lint_url(scratch_url, rule)
        apply_fix(scratch_url, finding)
        assert lint_url(scratch_url, rule) == [], rule
