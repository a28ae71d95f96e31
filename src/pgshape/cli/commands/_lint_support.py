"""What `lint` and `checklist` share: reading the config and running the rules on SOURCEs.

The lint package itself does no I/O; this module reads pyproject.toml, the source files (for
suppression comments and source lines) and, for live databases, the data sample.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import tomllib

from pgshape.errors import InputError
from pgshape.lint.config import LintConfig, parse_config
from pgshape.lint.core import Finding, LintContext, Rule
from pgshape.lint.engine import LintResult, lint
from pgshape.model import Database


def find_pyproject(start: Path) -> Path | None:
    for directory in [start, *start.parents]:
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_config(config: str | None, start: Path | None = None) -> LintConfig:
    """``--config FILE`` or the nearest pyproject.toml (from ``start``, default the cwd)."""
    path = Path(config) if config else find_pyproject((start or Path.cwd()).resolve())
    if path is None:
        return LintConfig()
    if not path.is_file():
        raise InputError("no such config file", location=str(path))
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"invalid TOML: {error}", location=str(path)) from None
    table = document.get("tool", {}).get("pgshape")
    if table is None:
        if config:  # a pgshape-only file: the keys at the top level
            table = document
        else:
            return LintConfig(source=str(path))
    return parse_config(table, source=str(path))


@dataclass
class SourceRun:
    source: str
    kind: str
    database: Database
    context: LintContext
    result: LintResult
    source_lines: dict[str, list[str]] = field(default_factory=dict)


def read_source_lines(database: Database) -> dict[str, list[str]]:
    """The text of every file the model's origins point at (Python and SQL sources)."""
    files = {t.origin.file for t in database.tables if t.origin is not None}
    lines: dict[str, list[str]] = {}
    for file in files:
        try:
            lines[file] = Path(file).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
    return lines


def run_source(
    source: str,
    config: LintConfig,
    *,
    scratch_url: str | None,
    schemas: list[str] | None,
    data: bool,
    sample_rows: int,
    rules: list[Rule] | None = None,
) -> SourceRun:
    from pgshape.cli.options import load
    from pgshape.sources.load import source_kind

    kind = source_kind(source)
    database = load(source, scratch_url=scratch_url, schemas=schemas)
    python = None
    if kind == "python":
        from pgshape.sources.python_module import load_facts

        python = load_facts(source)
    sample = None
    if kind == "url" and data and _wants_data(config):
        from pgshape.cli.output import progress
        from pgshape.pg.sample import sample as take_sample

        with progress("sampling rows") as report:
            sample = take_sample(source, database, rows=sample_rows, progress=report)
    context = LintContext(database=database, config=config, python=python, data=sample, source_kind=kind)
    lines = read_source_lines(database)
    result = lint(context, source_lines=lines, rules=rules)
    return SourceRun(source, kind, database, context, result, lines)


def _wants_data(config: LintConfig) -> bool:
    from pgshape.lint.core import all_rules

    return any(r.needs_data and config.selects(r) for r in all_rules())


def at_or_above(findings: list[Finding], fail_on: str) -> list[Finding]:
    from pgshape.lint.core import Severity

    threshold = Severity.parse(fail_on)
    return [f for f in findings if f.severity >= threshold]
