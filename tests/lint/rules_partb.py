"""Helpers for part B's rule tests: lint a live scratch database, apply a finding's SQL fix."""

from __future__ import annotations

from dataclasses import replace

import psycopg

from pgshape.lint.config import LintConfig
from pgshape.lint.core import Finding, LintContext, find_rule
from pgshape.lint.engine import lint
from pgshape.pg.introspect import introspect
from pgshape.pg.sample import sample


def lint_url(url: str, rule: str, *, data: bool = False, **config: object) -> list[Finding]:
    """Findings of one rule (code or name) on the database at ``url``."""
    found = find_rule(rule)
    assert found is not None, rule
    database = introspect(url)
    settings = replace(LintConfig(select=("ALL",)), **config)  # type: ignore[arg-type]
    context = LintContext(
        database=database, config=settings, data=sample(url, database) if data else None, source_kind="url"
    )
    return [f for f in lint(context, rules=[found]).findings]


def apply_fix(url: str, finding: Finding) -> None:
    """Run the finding's SQL fix statement by statement, outside a transaction block (as a
    migration tool would for CONCURRENTLY)."""
    (fix,) = [f for f in finding.fixes if f.sql]
    assert fix.sql is not None
    with psycopg.connect(url, autocommit=True) as conn:
        for statement in _statements(fix.sql):
            conn.execute(statement)  # type: ignore[arg-type]


def _statements(sql: str) -> list[str]:
    """Split on ';' at line ends, keeping $$-quoted bodies whole (enough for our own fixes)."""
    statements, current, quoted = [], [], False
    for line in sql.splitlines():
        current.append(line)
        quoted ^= line.count("$$") % 2 == 1
        if not quoted and line.rstrip().endswith(";"):
            statements.append("\n".join(current))
            current = []
    if "".join(current).strip():
        statements.append("\n".join(current))
    return statements
