"""SUP: the suppressions themselves. The engine (lint/suppress.py) produces these findings;
the checks here yield nothing — they exist so the findings have a code, a doc and a severity."""

from __future__ import annotations

from collections.abc import Iterator

from pgshape.lint.core import Finding, LintContext, Rule, RuleDoc, Severity, rule

SM = "from sqlmodel import Field, SQLModel\n\n\n"


def _engine_made(self: Rule, context: LintContext) -> Iterator[Finding]:
    return iter(())


rule(
    code="SUP001",
    name="unused-suppression",
    severity=Severity.WARNING,
    summary="a suppression whose rules ran and matched nothing",
    doc=RuleDoc(
        what=(
            "Finds `# pgshape: ignore[...]` comments, `pgshape:ignore[...]` COMMENT tags and "
            "`[[tool.pgshape.suppress]]` entries that suppressed nothing although their rules ran."
        ),
        why="A stale exception hides the next real problem of that kind on the same object.",
        example_sqlmodel=SM
        + "class Tag(SQLModel, table=True):  # pgshape: ignore[missing-primary-key] legacy import\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n",
        example_sql="CREATE TABLE tag (id bigint PRIMARY KEY);\n"
        "COMMENT ON TABLE tag IS 'pgshape:ignore[missing-primary-key] legacy import';\n",
        use_instead_sqlmodel=SM
        + "class Tag(SQLModel, table=True):\n    id: int | None = Field(default=None, primary_key=True)\n",
        use_instead_sql="CREATE TABLE tag (id bigint PRIMARY KEY);\n",
        fix="No automatic fix: delete the suppression.",
    ),
)(_engine_made)

rule(
    code="SUP002",
    name="suppression-without-reason",
    severity=Severity.ERROR,
    summary="a suppression that does not say why (it is not honoured)",
    doc=RuleDoc(
        what="Finds suppressions with no reason after the bracket; they are reported and not honoured.",
        why="An exception nobody can explain cannot be reviewed or ever removed.",
        example_sqlmodel=SM
        + "from sqlalchemy import Column, Integer, Table\n\n\n"
        + "class Tag(SQLModel, table=True):\n    id: int | None = Field(default=None, primary_key=True)\n\n\n"
        + "event_log = Table('event_log', SQLModel.metadata, Column('payload', Integer))  # pgshape: "
        "ignore[KEY001]\n",
        example_sql="CREATE TABLE event_log (payload jsonb);\n"
        "COMMENT ON TABLE event_log IS 'pgshape:ignore[KEY001]';\n",
        use_instead_sqlmodel=SM
        + "from sqlalchemy import Column, Integer, Table\n\n\n"
        + "class Tag(SQLModel, table=True):\n    id: int | None = Field(default=None, primary_key=True)\n\n\n"
        + "event_log = Table(\n"
        + "    'event_log', SQLModel.metadata, Column('payload', Integer)\n"
        + ")  # pgshape: ignore[KEY001] append-only log, read by a batch job only\n",
        use_instead_sql="CREATE TABLE event_log (payload jsonb);\n"
        "COMMENT ON TABLE event_log IS 'pgshape:ignore[KEY001] append-only log, read by a batch job only';\n",
        fix="No automatic fix: write the reason after the bracket.",
    ),
)(_engine_made)
