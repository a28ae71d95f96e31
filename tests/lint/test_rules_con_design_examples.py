"""The carefully designed examples (design files and the bundled blog.sql) raise nothing at
warning level or above from the CON/TS/SD/SEC/NF/DOC/PART rules: no false alarms."""

from __future__ import annotations

from pathlib import Path

import pytest

from pgshape.lint.config import LintConfig
from pgshape.lint.core import LintContext, Severity, all_rules
from pgshape.lint.engine import lint
from pgshape.sources.load import load

EXAMPLES = sorted(
    (Path(__file__).resolve().parents[2] / "src" / "pgshape" / "design" / "examples").glob("*.yaml")
)
GROUPS = ("CON", "TS", "SD", "SEC", "NF", "DOC", "PART")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_design_example_is_clean(path: Path) -> None:
    database = load(str(path))
    context = LintContext(database=database, config=LintConfig(), source_kind="design")
    rules = [r for r in all_rules() if r.group in GROUPS and context.config.selects(r) and not r.needs_data]
    found = lint(context, rules=rules).findings
    assert [f"{f.code} {f.path}: {f.message}" for f in found if f.severity >= Severity.WARNING] == []
    assert len(rules) >= 20  # the rules really ran


def test_there_are_design_examples() -> None:
    assert len(EXAMPLES) >= 3
