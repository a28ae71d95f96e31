"""Running the MIG rules over migration statements: the context they read and the runner.

The MIG rules (``pgshape.lint.rules.migration``) read the parsed statements and, when the user
passes ``--against SOURCE``, the schema the migration starts from (which tables exist, their
columns and types, their checks). Without it they assume that every table the file does not
create itself already exists and may hold rows — the safe assumption for a migration.

They produce ordinary :class:`pgshape.lint.core.Finding` objects (origin = the statement's
file:line:col), so every lint reporter (human, json, sarif, github) prints them.

Consent: a destructive statement is accepted when the comment lines right before it say so —
``DESTRUCTIVE`` (as ``pgshape diff`` writes for steps the user allowed with
``--allow-destructive``) — and any finding is silenced by ``-- pgshape: ignore[CODE|name] reason``
in those comment lines (a reason is required).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from pgshape.lint.config import LintConfig, selector_specificity
from pgshape.lint.core import Finding, LintContext, Rule
from pgshape.migrate.statements import Statement, relation, strings
from pgshape.model import Database, Origin, Table

_IGNORE = re.compile(r"pgshape:\s*ignore\[([^\]]*)\]\s*(\S.*)?$", re.MULTILINE)

Relation = tuple[str | None, str]


@dataclass
class MigrationContext(LintContext):
    """A LintContext for migration statements: ``database`` is FROM (empty without --against)."""

    statements: Sequence[Statement] = ()
    file: str = ""
    against: bool = False
    _created: dict[int, set[str]] = field(default_factory=dict, repr=False)

    def origin(self, statement: Statement) -> Origin:
        return Origin(self.file, statement.line, statement.column)

    def path(self, rel: Relation | None, *rest: str) -> str:
        if rel is None:
            return ".".join(rest)
        schema = rel[0]
        if schema is None:
            table = self.table(rel)
            schema = table.schema if table is not None else "public"
        return ".".join((schema, rel[1], *rest))

    def table(self, rel: Relation | None) -> Table | None:
        """The FROM table ``rel`` names (schema-less names: the one table of that name)."""
        if rel is None:
            return None
        schema, name = rel
        return self.database.table(schema, name) if schema else self.database.find_table(name)

    def created_earlier(self, statement: Statement) -> set[str]:
        """Tables (bare names) created by statements before ``statement`` in this file."""
        if not self._created:
            names: set[str] = set()
            for each in self.statements:
                self._created[each.index] = set(names)
                if each.kind in ("CreateStmt", "CreateTableAsStmt"):
                    rel = relation(each.node.get("relation") or each.node.get("into", {}).get("rel"))
                    if rel is not None:
                        names.add(rel[1])
        return self._created.get(statement.index, set())

    def existing(self, rel: Relation | None, statement: Statement) -> bool:
        """Whether ``rel`` is a table that exists before the migration (and so may have rows
        and readers): not created earlier in this file, and present in FROM when it is known."""
        if rel is None or rel[1] in self.created_earlier(statement):
            return False
        return self.table(rel) is not None if self.against else True

    def finding_at(self, rule: Rule, statement: Statement, path: str, message: str) -> Finding:
        return self.finding(rule, path, message, origin=self.origin(statement))


def consented(statement: Statement) -> bool:
    """The plan says explicitly that this statement loses data."""
    return "DESTRUCTIVE" in statement.comments


def without_consent(statements: Sequence[Statement]) -> list[Statement]:
    """``statements`` with their DESTRUCTIVE notes taken out: what the rules would say had the
    plan not been allowed to lose data (``pgshape diff`` reports what ``--allow-destructive``
    accepted this way; ``ignore[...]`` suppressions stay in force)."""
    return [replace(s, comments=s.comments.replace("DESTRUCTIVE", "")) for s in statements]


def _ignored(finding: Finding, statement: Statement, rule: Rule) -> bool:
    for match in _IGNORE.finditer(statement.comments):
        selectors = [s.strip() for s in match.group(1).split(",") if s.strip()]
        if match.group(2) and any(selector_specificity(rule, s) is not None for s in selectors):
            return True
    return False


def index_table(statement: Statement) -> Relation | None:
    return relation(statement.node.get("relation"))


def dropped_names(statement: Statement) -> list[list[str]]:
    return [strings(item.get("List", {}).get("items")) for item in statement.node.get("objects") or ()]


@dataclass
class MigrationResult:
    findings: list[Finding]
    rules: list[Rule]
    suppressed: list[Finding] = field(default_factory=list)


def lint_statements(
    statements: Sequence[Statement],
    *,
    file: str,
    config: LintConfig | None = None,
    before: Database | None = None,
) -> MigrationResult:
    """Run the selected MIG rules on ``statements`` (from ``file``); ``before`` is FROM."""
    from pgshape.lint.core import all_rules

    config = config or LintConfig()
    context = MigrationContext(
        database=before or Database(),
        config=config,
        source_kind="migration",
        statements=statements,
        file=file,
        against=before is not None,
    )
    rules = [r for r in all_rules() if r.group == "MIG" and config.selects(r)]
    by_line = {(s.line, s.column): s for s in statements}
    kept: list[Finding] = []
    suppressed: list[Finding] = []
    for each in rules:
        for finding in each.check(each, context):
            origin = finding.origin
            statement = by_line.get((origin.line, origin.column)) if origin else None
            if statement is not None and _ignored(finding, statement, each):
                suppressed.append(finding)
            else:
                kept.append(finding)
    kept.sort(key=lambda f: ((f.origin.line or 0) if f.origin else 0, f.code))
    return MigrationResult(kept, rules, suppressed)
