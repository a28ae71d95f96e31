"""``pgshape lint-migration FILE…``: the MIG rules on migration SQL (or Alembic revisions).

Reads each file (``.sql``: the statements as psql runs them; ``.py``: the SQL of an Alembic
revision's ``upgrade()``), parses it with PostgreSQL's parser and runs the MIG rules. With
``--against SOURCE`` the rules know the schema the migration starts from, and PostgreSQL itself
is the judge: every statement runs on a scratch copy with sample rows and the findings quote the
locks it took, the tables it rewrote and scanned (``--no-observe``: the static rules only).
"""

from __future__ import annotations

from pathlib import Path

import typer

from pgshape.cli.app import app
from pgshape.cli.commands._lint_support import at_or_above, check_selectors, load_config
from pgshape.cli.options import SCHEMA, SCRATCH_URL, FailOn, FindingsFormat, load
from pgshape.cli.output import settings, warn, write_output
from pgshape.errors import InputError
from pgshape.lint.core import Finding, Rule


@app.command("lint-migration")
def lint_migration(
    files: list[str] = typer.Argument(
        ..., help="Migration files: .sql scripts or Alembic revision .py files."
    ),
    against: str = typer.Option(
        None, "--against", help="The schema the migration starts from (URL, .sql, .py, design file …)."
    ),
    observe: bool = typer.Option(
        None,
        "--observe/--no-observe",
        help="With --against (the default there): run the statements on a scratch copy with sample "
        "rows and report the locks, rewrites and scans PostgreSQL really did. --no-observe: static.",
        show_default=False,
    ),
    downgrade: bool = typer.Option(False, "--downgrade", help="Alembic revisions: lint downgrade()."),
    select: list[str] = typer.Option(None, "--select", help="Only these rules (codes, names, MIG…)."),
    ignore: list[str] = typer.Option(None, "--ignore", help="Skip these rules."),
    fail_on: FailOn = typer.Option(
        None, "--fail-on", help="Exit 1 on findings at or above this severity (default: error)."
    ),
    format: FindingsFormat = typer.Option(
        FindingsFormat.human, "--format", "-f", help="human, json, sarif or github."
    ),
    output: str = typer.Option(None, "--output", "-o", help="Write the report here."),
    force: bool = typer.Option(False, "--force", help="Overwrite the output file."),
    config: str = typer.Option(None, "--config", help="Config file (default: nearest pyproject.toml)."),
    scratch_url: str = SCRATCH_URL,
    schema: list[str] = SCHEMA,
) -> int:
    """Review migration statements: locks, rewrites, scans and data loss (the MIG rules).

    Exit codes: 0 no findings at or above --fail-on, 1 findings, 2 usage or input error.
    """
    from pgshape.migrate.lint_migration import lint_statements

    check_selectors("--select", select)
    check_selectors("--ignore", ignore)
    cfg = load_config(config).with_overrides(
        select=select, ignore=ignore, fail_on=fail_on.value if fail_on else None
    )
    if observe and against is None:
        raise InputError("--observe needs --against SOURCE (the schema to run the statements on)")
    observe = against is not None if observe is None else observe
    parsed = [(file, *_read(file, downgrade=downgrade)) for file in files]
    before = load(against, scratch_url=scratch_url, schemas=schema) if against else None
    findings: list[Finding] = []
    rules: dict[str, Rule] = {}
    lines: dict[str, list[str]] = {}
    suppressed = 0
    for file, statements, text in parsed:
        lines[file] = text.splitlines()
        result = lint_statements(statements, file=file, config=cfg, before=before)
        found = result.findings
        if observe and before is not None:
            from pgshape.cli.output import progress
            from pgshape.migrate.observed import with_observations
            from pgshape.pg.observe_migration import observe as run_observed

            with progress(f"running {file} on a scratch copy") as report:
                observations = run_observed(before, statements, scratch_url=scratch_url, progress=report)
            found = with_observations(found, statements, observations, file=file, config=cfg)
        findings += found
        suppressed += len(result.suppressed)
        rules.update((r.code, r) for r in result.rules)
    _report(format, findings, list(rules.values()), files, lines, output, force, suppressed)
    return 1 if at_or_above(findings, cfg.fail_on) else 0


def _read(file: str, *, downgrade: bool) -> tuple[list, str]:  # type: ignore[type-arg]
    from pgshape.migrate.statements import parse, parse_sql

    path = Path(file)
    if not path.is_file():
        raise InputError("no such file", location=file)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read: {error}", location=file) from None
    if path.suffix == ".py":
        from pgshape.migrate.alembic_sql import revision_sql

        found = revision_sql(text, file, function="downgrade" if downgrade else "upgrade")
        for item in found.unchecked:
            warn(f"{file}: not checked (only op.execute SQL is read): {item}")
        return parse(found.chunks, file), text
    return parse_sql(text, file), text


def _report(
    format: FindingsFormat,
    findings: list[Finding],
    rules: list[Rule],
    files: list[str],
    lines: dict[str, list[str]],
    output: str | None,
    force: bool,
    suppressed: int,
) -> None:
    if format is FindingsFormat.human:
        from pgshape.lint.report.human import print_human

        if output and output != "-":
            from io import StringIO

            from rich.console import Console

            buffer = StringIO()
            console = Console(file=buffer, no_color=True, width=120, highlight=False, soft_wrap=True)
            print_human(console, findings, source_lines=lines, suppressed=suppressed)
            write_output(output, buffer.getvalue(), force=force)
        else:
            print_human(settings.stdout, findings, source_lines=lines, suppressed=suppressed)
    elif format is FindingsFormat.json:
        from pgshape.lint.report import render_json

        write_output(output, render_json(findings, sources=files, rules_run=len(rules)), force=force)
    elif format is FindingsFormat.sarif:
        from pgshape import __version__
        from pgshape.lint.report import render_sarif

        write_output(output, render_sarif(findings, rules, version=__version__, base=Path.cwd()), force=force)
    else:
        from pgshape.lint.report import render_github

        write_output(output, render_github(findings), force=force)
