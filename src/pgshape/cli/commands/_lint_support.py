"""What `lint` and `checklist` share: reading the config and running the rules on SOURCEs.

The lint package itself does no I/O; this module reads pyproject.toml, the source files (for
suppression comments and source lines) and, for live databases, the data sample.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pgshape.cli.project_config import find_pyproject, pgshape_table, read_toml
from pgshape.errors import InputError
from pgshape.lint.config import LintConfig, parse_config
from pgshape.lint.core import Finding, LintContext, Rule
from pgshape.lint.engine import LintResult, lint
from pgshape.model import Database


def load_config(config: str | None, start: Path | None = None) -> LintConfig:
    """``--config FILE`` or the nearest pyproject.toml (from ``start``, default the cwd)."""
    path = Path(config) if config else find_pyproject((start or Path.cwd()).resolve())
    if path is None:
        return LintConfig()
    if not path.is_file():
        raise InputError("no such config file", location=str(path))
    document = read_toml(path)
    table = pgshape_table(document)
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
    python = None
    import_error: str | None = None
    if kind == "python":
        # The IR and the facts together; a module that fails to import still gets the
        # source-level (SM) rules, which usually explain why it fails.
        from pgshape.sources.python_facts_extra import load_python

        database, python = load_python(source)
        import_error = python.source.import_error
    else:
        database = load(source, scratch_url=scratch_url, schemas=schemas)
    sample = None
    if kind == "url" and data and _wants_data(config):
        from pgshape.cli.output import progress
        from pgshape.pg.sample import sample as take_sample

        with progress("sampling rows") as report:
            sample = take_sample(source, database, rows=sample_rows, progress=report)
    context = LintContext(database=database, config=config, python=python, data=sample, source_kind=kind)
    lines = read_source_lines(database)
    if kind == "python" and source.endswith(".py") and Path(source).is_file():
        lines.setdefault(str(Path(source).resolve()), Path(source).read_text(encoding="utf-8").splitlines())
    result = lint(context, source_lines=lines, rules=rules)
    if import_error is not None:
        if not result.findings:
            raise InputError(import_error)
        from pgshape.cli.output import warn

        warn(f"{source} could not be imported, only source-level rules ran: {import_error}")
    return SourceRun(source, kind, database, context, result, lines)


def _wants_data(config: LintConfig) -> bool:
    from pgshape.lint.core import all_rules

    return any(r.needs_data and config.selects(r) for r in all_rules())


def at_or_above(findings: list[Finding], fail_on: str) -> list[Finding]:
    from pgshape.lint.core import Severity

    threshold = Severity.parse(fail_on)
    return [f for f in findings if f.severity >= threshold]


def check_selectors(option: str, values: list[str] | None) -> None:
    """``--select``/``--ignore`` values must name rules (codes, prefixes, names, groups, ALL)."""
    import difflib

    from pgshape.lint.config import selector_specificity
    from pgshape.lint.core import all_rules

    rules = list(all_rules())
    vocabulary = [r.code for r in rules] + [r.name for r in rules] + sorted({r.group for r in rules})
    for value in values or ():
        for selector in (part.strip() for part in value.split(",")):
            if selector and not any(selector_specificity(r, selector) is not None for r in rules):
                close = difflib.get_close_matches(selector, vocabulary, n=1, cutoff=0.6)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise InputError(f"{option}: unknown rule {selector!r}{hint}")
