"""``pgshape lint``: review SOURCEs against the rules; report, fix, and set the exit code."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import typer

from pgshape.cli.app import app
from pgshape.cli.commands._lint_support import (
    SourceRun,
    at_or_above,
    check_selectors,
    load_config,
    run_source,
)
from pgshape.cli.options import SCHEMA, SCRATCH_URL, FailOn, FindingsFormat
from pgshape.cli.output import settings, warn, write_output
from pgshape.errors import InputError
from pgshape.lint.core import CodeEdit, Finding


@app.command()
def lint(
    sources: list[str] = typer.Argument(..., help="URL, .sql, .py or pkg.module[:attr], design/ERD files."),
    select: list[str] = typer.Option(
        None, "--select", help="Only these rules: codes, prefixes, names, groups or ALL."
    ),
    ignore: list[str] = typer.Option(None, "--ignore", help="Skip these rules (same forms as --select)."),
    fail_on: FailOn = typer.Option(
        None, "--fail-on", help="Exit 1 on findings at or above this severity (default: error)."
    ),
    format: FindingsFormat = typer.Option(
        FindingsFormat.human, "--format", "-f", help="human, json, sarif or github."
    ),
    output: str = typer.Option(
        None, "--output", "-o", help="Write the report (or the --fix-sql script) here."
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite the output file."),
    fix_sql: bool = typer.Option(
        False, "--fix-sql", help="Write an online-safe SQL migration with the fixes."
    ),
    fix: bool = typer.Option(False, "--fix", help="Apply safe code fixes to SQLModel sources in place."),
    unsafe_fixes: bool = typer.Option(False, "--unsafe-fixes", help="Also apply (or write) unsafe fixes."),
    no_data: bool = typer.Option(False, "--no-data", help="Skip the data rules (no rows are read)."),
    sample: int = typer.Option(
        None, "--sample", help="Rows sampled per table for data rules (default 10000)."
    ),
    config: str = typer.Option(None, "--config", help="Config file (default: nearest pyproject.toml)."),
    scratch_url: str = SCRATCH_URL,
    schema: list[str] = SCHEMA,
) -> int:
    """Review table structures: findings with rule codes, fixes, and CI formats.

    Exit codes: 0 no findings at or above --fail-on, 1 findings, 2 usage or input error.
    """
    settings_config = load_config(config)
    check_selectors("--select", select)
    check_selectors("--ignore", ignore)
    cfg = settings_config.with_overrides(
        select=select, ignore=ignore, fail_on=fail_on.value if fail_on else None
    )
    if sample is not None and sample < 1:
        raise InputError("--sample must be a positive number of rows")
    rows = sample or cfg.threshold("sample-rows")
    runs = [
        run_source(s, cfg, scratch_url=scratch_url, schemas=schema, data=not no_data, sample_rows=rows)
        for s in sources
    ]
    findings = [f for run in runs for f in run.result.findings]
    lines = {file: text for run in runs for file, text in run.source_lines.items()}
    rules = {r.code: r for run in runs for r in run.result.rules}

    if fix:
        findings = _apply_code_fixes(findings, unsafe=unsafe_fixes)
    if fix_sql:
        from pgshape.lint.fix_sql import render_fix_sql

        write_output(
            output, render_fix_sql(findings, unsafe=unsafe_fixes, source=", ".join(sources)), force=force
        )
        _summary_to_stderr(findings)
        return 1 if at_or_above(findings, cfg.fail_on) else 0

    if format is FindingsFormat.human:
        from pgshape.lint.report.human import print_human

        suppressed = sum(len(run.result.suppressed) for run in runs)
        if output and output != "-":
            from io import StringIO

            from rich.console import Console

            buffer = StringIO()  # plain text for a file: no colour codes, no terminal width
            console = Console(file=buffer, no_color=True, width=120, highlight=False, soft_wrap=True)
            print_human(
                console, findings, source_lines=lines, skipped=_skipped_note(runs), suppressed=suppressed
            )
            write_output(output, buffer.getvalue(), force=force)
        else:
            print_human(
                settings.stdout,
                findings,
                source_lines=lines,
                skipped=_skipped_note(runs),
                suppressed=suppressed,
            )
    elif format is FindingsFormat.json:
        from pgshape.lint.report import render_json

        write_output(output, render_json(findings, sources=sources, rules_run=len(rules)), force=force)
    elif format is FindingsFormat.sarif:
        from pgshape import __version__
        from pgshape.lint.report import render_sarif

        write_output(
            output,
            render_sarif(findings, list(rules.values()), version=__version__, base=Path.cwd()),
            force=force,
        )
    else:
        from pgshape.lint.report import render_github

        write_output(output, render_github(findings), force=force)
    return 1 if at_or_above(findings, cfg.fail_on) else 0


def _skipped_note(runs: list[SourceRun]) -> list[str]:
    skipped = {(r.code, why) for run in runs for r, why in run.result.skipped}
    if not skipped:
        return []
    by_reason: dict[str, list[str]] = defaultdict(list)
    for code, why in sorted(skipped):
        by_reason[why].append(code)
    return [f"not run ({why}): {', '.join(codes)}" for why, codes in by_reason.items()]


def _summary_to_stderr(findings: list[Finding]) -> None:
    settings.stderr.print(f"{len(findings)} finding(s)", highlight=False)


def _apply_code_fixes(findings: list[Finding], *, unsafe: bool) -> list[Finding]:
    """Edit the Python files in place; return the findings that remain."""
    from pgshape.cli.output import write_output as write
    from pgshape.lint.fix_code import apply_edits

    chosen: dict[str, list[tuple[Finding, CodeEdit]]] = defaultdict(list)
    for finding in findings:
        for candidate in finding.fixes:
            if candidate.edit is not None and (candidate.safe or unsafe):
                chosen[candidate.edit.file].append((finding, candidate.edit))
                break
    fixed: set[int] = set()
    for file, pairs in chosen.items():
        path = Path(file)
        text = path.read_text(encoding="utf-8")
        result = apply_edits(text, [edit for _, edit in pairs])
        for edit, why in result.failed:
            warn(f"{file}: could not edit {'.'.join(edit.target)}: {why}")
        if result.text != text:
            write(str(path), result.text, force=True)
        done = {edit.target for edit in result.applied}
        fixed.update(id(f) for f, edit in pairs if edit.target in done)
    if fixed:
        settings.stderr.print(f"fixed {len(fixed)} finding(s)", highlight=False)
    return [f for f in findings if id(f) not in fixed]
