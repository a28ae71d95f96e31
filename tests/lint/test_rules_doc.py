"""DOC rules: comments and docstrings; the column rule is off unless selected."""

from __future__ import annotations

from rules_partb import lint_url

from conftest import run_sql
from pgshape.lint.config import LintConfig
from pgshape.lint.core import LintContext
from pgshape.lint.engine import applicable_rules
from pgshape.model import Database


def test_missing_column_comment_is_off_by_default() -> None:
    runnable, _ = applicable_rules(LintContext(database=Database(), config=LintConfig()))
    codes = {r.code for r in runnable}
    assert "DOC001" in codes and "DOC002" not in codes
    selected, _ = applicable_rules(
        LintContext(database=Database(), config=LintConfig(extend_select=("DOC002",)))
    )
    assert "DOC002" in {r.code for r in selected}


def test_table_and_column_comments(scratch_url: str) -> None:
    run_sql(
        scratch_url,
        """
        CREATE TABLE a (id bigint PRIMARY KEY, weight int);
        CREATE TABLE b (id bigint PRIMARY KEY, a_id bigint REFERENCES a, note text);
        COMMENT ON TABLE b IS 'Bs of an A.';
        COMMENT ON COLUMN b.note IS 'free text';
        CREATE TABLE a_b (a_id bigint REFERENCES a, b_id bigint REFERENCES b, PRIMARY KEY (a_id, b_id));
        """,
    )
    assert [f.path for f in lint_url(scratch_url, "missing-table-comment")] == ["public.a"]  # a_b is a link
    assert [f.path for f in lint_url(scratch_url, "missing-column-comment")] == ["public.a.weight"]
