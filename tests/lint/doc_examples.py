"""The doc-example harness: every rule's own documentation examples, loaded as real sources.

HOW TO USE (for everyone writing rules — part B included):

* Nothing to register. ``test_doc_examples.py`` parametrises over ``all_rules()``: for every rule
  and each source kind it loads the doc's *Example* and *Use instead* snippets and asserts the
  rule fires on the example and does NOT fire on the use-instead version.
* ``RuleDoc.example_sql`` / ``use_instead_sql``: a complete SQL script (CREATE TABLE ..., and
  INSERTs for data rules) run on a fresh scratch database of the test server, then introspected
  exactly like ``pgshape lint file.sql``. Data rules (``needs_data=True``) are additionally
  sampled with ``pgshape.pg.sample.sample(url, database, rows=...)``, as ``pgshape lint URL`` does.
* ``RuleDoc.example_sqlmodel`` / ``use_instead_sqlmodel``: a complete module (imports included)
  written to tmp_path and loaded like ``pgshape lint models.py`` (IR + PythonFacts + source lines,
  so ``# pgshape: ignore[...]`` comments work). Each snippet gets a fresh SQLModel registry, so
  snippets may reuse class and table names.
* A rule that cannot apply to one source kind says so in that snippet: start it with
  ``-- not applicable: <why>`` (SQL) or ``# not applicable: <why>`` (SQLModel). The harness then
  checks the claim is plausible: SQL may only be "not applicable" for ``python_only`` rules, and
  SQLModel only for ``needs_data`` rules or rules about objects SQLModel cannot declare (the
  reason is shown in the docs). Both snippets of the pair must be marked the same way.
* The engine runs with ``select = ["ALL"]`` (so off-by-default rules are checked too) and the
  default configuration otherwise; only findings of the rule under test are looked at.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pgshape.lint.config import LintConfig
from pgshape.lint.core import Finding, LintContext, Rule, all_rules
from pgshape.lint.engine import lint
from pgshape.model import Database

NOT_APPLICABLE = ("-- not applicable", "# not applicable")
SAMPLE_ROWS = 1000


@dataclass
class LoadedExample:
    context: LintContext
    source_lines: dict[str, list[str]]


def not_applicable(snippet: str) -> str | None:
    """The stated reason when a snippet is marked not applicable, else None."""
    text = snippet.strip()
    for marker in NOT_APPLICABLE:
        if text.lower().startswith(marker):
            return text[len(marker) :].lstrip(":").strip() or "(no reason given)"
    return None


def cases() -> list[tuple[str, str]]:
    """(rule code, source kind) for every registered rule that a doc example covers."""
    return [(r.code, kind) for r in all_rules() if r.group != "MIG" for kind in ("sql", "sqlmodel")]


def snippets(rule: Rule, kind: str) -> tuple[str, str]:
    if kind == "sql":
        return rule.doc.example_sql, rule.doc.use_instead_sql
    return rule.doc.example_sqlmodel, rule.doc.use_instead_sqlmodel


def config() -> LintConfig:
    return LintConfig(select=("ALL",))


def findings_of(rule: Rule, loaded: LoadedExample) -> list[Finding]:
    result = lint(loaded.context, source_lines=loaded.source_lines)
    return [f for f in result.findings if f.code == rule.code]


# --- SQL ---------------------------------------------------------------------------------------


def load_sql(text: str, server_url: str, tmp_path: Path, *, data: bool) -> LoadedExample:
    from pgshape.pg.introspect import introspect
    from pgshape.pg.scratch import scratch_database
    from pgshape.sources.sql_file import execute_script
    from pgshape.sources.sql_origins import apply_origins

    path = tmp_path / "example.sql"
    path.write_text(text, encoding="utf-8")
    with scratch_database(server_url) as url:
        script = execute_script(url, path)
        database = introspect(url)
        database = apply_origins(database, script.statements, file=script.name, lines=script.lines)
        sample = _sample(url, database) if data else None
    context = LintContext(database=database, config=config(), data=sample, source_kind="sql")
    return LoadedExample(context=context, source_lines={})


def _sample(url: str, database: Database) -> object:
    from pgshape.pg.sample import sample  # part B's sampler

    return sample(url, database, rows=SAMPLE_ROWS)


# --- SQLModel ------------------------------------------------------------------------------------


@contextlib.contextmanager
def fresh_sqlmodel_registry() -> Iterator[None]:
    """Give the snippet its own SQLModel registry/metadata; restore the global ones after.

    SQLModel keeps every table model in one process-wide registry, so two snippets defining
    ``class Post`` would collide; other tests in the same worker must not see ours either.
    """
    from sqlalchemy.orm import registry
    from sqlmodel import SQLModel

    old_registry, old_metadata = SQLModel._sa_registry, SQLModel.metadata  # type: ignore[attr-defined]
    fresh = registry()
    SQLModel._sa_registry = fresh  # type: ignore[attr-defined]
    SQLModel.metadata = fresh.metadata
    try:
        yield
    finally:
        SQLModel._sa_registry = old_registry  # type: ignore[attr-defined]
        SQLModel.metadata = old_metadata
        fresh.dispose()


_counter = iter(range(1_000_000))


def load_sqlmodel(text: str, tmp_path: Path, *, name: str | None = None) -> LoadedExample:
    from pgshape.sources.python_facts_extra import load_python

    module = name or f"pgshape_doc_example_{next(_counter)}"
    path = tmp_path / f"{module}.py"
    path.write_text(text, encoding="utf-8")
    with fresh_sqlmodel_registry():
        try:
            # IR + PythonFacts + the module's syntax-level facts; a module that cannot be
            # imported gives an empty IR and the import error (the SM rules explain it).
            database, facts = load_python(str(path))
        finally:
            sys.modules.pop(module, None)
    lines = {str(path): text.splitlines(), str(path.resolve()): text.splitlines()}
    context = LintContext(database=database, config=config(), python=facts, source_kind="python")
    return LoadedExample(context=context, source_lines=lines)
