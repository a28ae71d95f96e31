"""``pgshape diff FROM TO``: an ordered, lock-aware, online-safe migration, proven on a scratch
database (see docs/migrations.md)."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from pgshape.cli.app import app
from pgshape.cli.options import FORCE, OUTPUT, SCHEMA, SCRATCH_URL, load
from pgshape.cli.output import progress, settings, write_output
from pgshape.errors import PgshapeError
from pgshape.pg.urls import mask

if TYPE_CHECKING:
    from pgshape.migrate.ops import Operation
    from pgshape.migrate.pipeline import Migration
    from pgshape.migrate.rename import RenameHint
    from pgshape.migrate.review_plan import Review
    from pgshape.model import Database
    from pgshape.pg.prove_migration import Verdict


class DiffFormat(str, Enum):
    sql = "sql"
    json = "json"
    human = "human"
    alembic = "alembic"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


class NotProvenError(PgshapeError):
    """The plan did not turn FROM into TO (or back) on the scratch database."""


@app.command()
def diff(
    source_from: str = typer.Argument(..., metavar="FROM", help="The schema now (URL, .sql, .py, .json, …)."),
    source_to: str = typer.Argument(..., metavar="TO", help="The schema wanted."),
    output: str = OUTPUT,
    force: bool = FORCE,
    format: DiffFormat = typer.Option(
        DiffFormat.sql,
        "--format",
        "-f",
        help="sql (the reviewed script), alembic (a revision file), json (operations) or human.",
    ),
    rename: list[str] = typer.Option(
        None, "--rename", help="A rename: [schema.]table=new or [schema.]table.column=new (repeatable)."
    ),
    allow_destructive: bool = typer.Option(
        False, "--allow-destructive", help="Accept drops and narrowing type changes (data loss)."
    ),
    no_online: bool = typer.Option(False, "--no-online", help="Plain DDL: no CONCURRENTLY, NOT VALID, …"),
    no_verify: bool = typer.Option(False, "--no-verify", help="Do not prove the plan on a scratch database."),
    lock_timeout: str = typer.Option("5s", "--lock-timeout", help="lock_timeout set before every step."),
    statement_timeout: str = typer.Option(
        "60s",
        "--statement-timeout",
        help="statement_timeout for blocking steps (scans under weak locks: none).",
    ),
    sample_rows: int = typer.Option(3, "--sample-rows", help="Generated rows per table for the proof."),
    down_revision: str = typer.Option(
        None, "--down-revision", help="--format alembic: the revision this one follows."
    ),
    fail_on: FailOn = typer.Option(
        FailOn.never,
        "--fail-on",
        help="Exit 1 when the review (the MIG rules) finds something at or above this severity in the "
        "up script, else 0; the plan is written either way. never: exit 1 means a plan was written.",
    ),
    config: str = typer.Option(
        None, "--config", help="Rule selection for the review (default: nearest pyproject.toml)."
    ),
    scratch_url: str = SCRATCH_URL,
    schema: list[str] = SCHEMA,
) -> int:
    """Plan the migration from FROM to TO: up and down SQL, ordered and online-safe.

    The plan is reviewed with the MIG rules of ``pgshape lint-migration`` (up and down script);
    the findings go with every format.

    Exit 0: no differences; 1: a plan was written; 2: input error — including destructive
    changes refused without --allow-destructive and a plan that failed its proof (nothing is
    written then). With --fail-on LEVEL: 1 when the review of the up script has a finding at or
    above LEVEL, else 0 (the plan is written either way).
    """
    from pgshape.cli.commands._lint_support import load_config
    from pgshape.migrate.pipeline import migration
    from pgshape.migrate.plan import PlanOptions
    from pgshape.migrate.review_plan import review
    from pgshape.migrate.safety import check

    review_config = load_config(config)  # a bad config fails before the sources are loaded
    before, after = _load_pair(source_from, source_to, scratch_url, schema)
    before, after = _canonical(before, after, scratch_url)
    hints = _hints(rename or [], before, source_to)
    options = PlanOptions(
        online=not no_online, lock_timeout=lock_timeout, statement_timeout=statement_timeout
    )
    result = migration(before, after, hints, options)
    if result.empty:
        for note in result.plan.notes:
            settings.stderr.print(f"note: {note}", markup=False)
        settings.stdout.print(
            f"no differences between {mask(source_from)} and {mask(source_to)}", markup=False
        )
        return 0
    check(result.plan.up, allow=allow_destructive, suggestions=list(result.suggestions))
    findings = review(result.plan, before, after, review_config)
    verdict = None if no_verify else _prove(result, before, after, scratch_url, sample_rows)
    title = f"{mask(source_from)} → {mask(source_to)}"  # passwords never shown
    if format is DiffFormat.json:
        write_output(
            output,
            json.dumps(_as_json(result, verdict, findings, mask(source_from), mask(source_to)), indent=2)
            + "\n",
            force=force,
        )
    elif format is DiffFormat.human:
        _print_human(result, verdict, findings, title)
    elif format is DiffFormat.alembic:
        from pgshape.migrate.render_alembic import render as render_alembic

        summary = verdict.summary() if verdict is not None else "not verified (--no-verify)"
        text = render_alembic(
            result.plan,
            title=title,
            down_revision=down_revision,
            verdict=summary,
            review=findings.comment_lines(),
        )
        write_output(output, text, force=force)
        if output not in (None, "-"):
            _print_human(result, verdict, findings, title)
    else:
        from pgshape.migrate.render_sql import render, script

        summary = verdict.summary() if verdict is not None else "not verified (--no-verify)"
        text = render(result.plan, title=title, verdict=summary, after=after, review=findings.comment_lines())
        write_output(output, text, force=force)
        if output not in (None, "-"):
            down = Path(output).with_suffix(".down.sql")
            write_output(str(down), script(result.plan.down, result.plan.options), force=force)
            _print_human(result, verdict, findings, title)
    if fail_on is FailOn.never:
        return 1
    from pgshape.lint.core import Severity

    # The up script is what gets deployed; the down script's findings are shown but do not fail
    # the run (the down script of any widening is a narrowing: worth seeing, no reason to fail).
    failing = [f for f in findings.at_or_above(Severity.parse(fail_on.value)) if f.direction == "up"]
    return 1 if failing else 0


def _load_pair(
    source_from: str, source_to: str, scratch_url: str | None, schema: list[str] | None
) -> tuple[Database, Database]:
    """Both sources; two live databases are read at the same time (one side's catalog queries
    run on its server while the other side's rows become the model)."""
    from pgshape.pg.urls import is_url

    if not (is_url(source_from) and is_url(source_to)):
        return load(source_from, scratch_url=scratch_url, schemas=schema), load(
            source_to, scratch_url=scratch_url, schemas=schema
        )
    from concurrent.futures import ThreadPoolExecutor

    from pgshape.sources.load import LoadOptions
    from pgshape.sources.load import load as load_source

    options = LoadOptions(scratch_url=scratch_url, schemas=schema or None)
    with progress(f"reading {mask(source_from)} and {mask(source_to)}"), ThreadPoolExecutor(2) as pool:
        pending = pool.submit(load_source, source_to, options)
        before = load_source(source_from, options)
        return before, pending.result()


def _canonical(before: Database, after: Database, scratch_url: str | None) -> tuple[Database, Database]:
    if before.expressions_canonical and after.expressions_canonical:
        return before, after
    from pgshape.pg.prove_migration import canonical_pair

    with progress("normalising expressions"):
        return canonical_pair(before, after, scratch_url)


def _hints(texts: list[str], before: Database, source_to: str) -> list[RenameHint]:
    from pgshape.migrate import rename

    hints = rename.resolve(texts, before)
    from pgshape.sources.load import source_kind

    kind = source_kind(source_to)
    found: list[RenameHint] = []
    if kind == "python":
        from pgshape.sources.python_module import find_metadata, import_target

        module, attr = import_target(source_to)
        found = rename.hints_from_metadata(find_metadata(module, attr))
    elif kind == "design":
        found = _design_hints(source_to)
    known = {str(h) for h in hints}
    return hints + [h for h in found if str(h) not in known and _applies(h, before)]


def _design_hints(path: str) -> list[RenameHint]:
    """``renamed_from`` of design-file columns (the IR has no place for it: it is a hint, read
    from the design file itself). The file has already loaded, so it is valid here."""
    from pgshape.design.positions import read_design
    from pgshape.design.validate import validate
    from pgshape.migrate.rename import RenameHint

    data, positions = read_design(Path(path).read_text(encoding="utf-8"), path)
    spec = validate(data, positions)
    hints = []
    for key, table in spec.tables.items():
        prefix, _, bare = key.rpartition(".")
        schema, name = table.schema_ or prefix or None, table.name or bare
        for column_key, column in table.columns.items():
            if column.renamed_from:
                new = getattr(column, "name", None) or column_key
                hints.append(RenameHint("column", schema, name, column.renamed_from, new))
    return hints


def _applies(hint: RenameHint, before: Database) -> bool:
    """A ``renamed_from`` left in the models after the migration ran is no longer a rename."""
    table = before.table(hint.schema, hint.table) if hint.schema else before.find_table(hint.table)
    if table is None:
        return False
    return hint.kind == "table" or table.column(hint.old) is not None


def _prove(
    result: Migration, before: Database, after: Database, scratch_url: str | None, rows: int
) -> Verdict:
    from pgshape.pg.prove_migration import prove

    with progress("proving the plan") as report:
        verdict = prove(result.plan, before, after, scratch_url=scratch_url, rows=rows, progress=report)
    if not verdict.proven:
        raise NotProvenError(verdict.summary().replace("\n", "; "))
    return verdict


def _operation(op: Operation, number: int) -> dict[str, Any]:
    from pgshape.migrate.render_sql import statements

    return {
        "step": number,
        "kind": op.kind,
        "description": op.describe(),
        **op.facts(),
        "own_transaction": op.own_transaction,
        "statements": statements(op),
    }


def _as_json(
    result: Migration, verdict: Verdict | None, findings: Review, source_from: str, source_to: str
) -> dict[str, Any]:
    plan = result.plan
    return {
        "from": source_from,
        "to": source_to,
        "online": plan.options.online,
        "operations": [_operation(op, n) for n, op in enumerate(plan.up, start=1)],
        "down": [_operation(op, n) for n, op in enumerate(plan.down, start=1)],
        "notes": list(plan.notes),
        "rename_suggestions": [str(s) for s in result.suggestions],
        "findings": [f.as_json() for f in findings.findings],
        "not_reviewed": list(findings.not_reviewed),
        "verdict": None if verdict is None else {"proven": verdict.proven, "summary": verdict.summary()},
    }


def _print_human(result: Migration, verdict: Verdict | None, findings: Review, title: str) -> None:
    out = settings.stdout
    plan = result.plan
    out.print(f"[bold]migration[/] {title}: {len(plan.up)} steps", highlight=False)
    for number, op in enumerate(plan.up, start=1):
        flags = [op.lock]
        flags += ["rewrite"] if op.rewrites else (["scan"] if op.scans else [])
        flags += ["[red]destructive[/]"] if op.destructive else []
        flags += ["outside transaction"] if not op.transactional else []
        out.print(f"  {number:>3}. {op.describe()}  [dim]({', '.join(flags)})[/]", highlight=False)
    for note in plan.notes:
        out.print(f"  note: {note}", markup=False)
    for suggestion in result.suggestions:
        out.print(f"  likely rename: {suggestion}", markup=False)
    _print_review(findings)
    if verdict is None:
        out.print("[yellow]not verified[/] (--no-verify)")
    else:
        out.print(
            f"[green]{verdict.summary()}[/]" if verdict.proven else verdict.summary(), markup=verdict.proven
        )


_COLOURS = {"error": "red", "warning": "yellow", "info": "blue"}


def _print_review(findings: Review) -> None:
    """The Review section: what ``pgshape lint-migration`` would say about the scripts."""
    from rich.markup import escape

    out = settings.stdout
    out.print("[bold]Review[/] (MIG rules, as pgshape lint-migration)", highlight=False)
    if not findings.findings:
        out.print("  no findings", highlight=False)
    for finding in findings.findings:
        severity = str(finding.severity)
        colour = _COLOURS.get(severity, "default")
        where = f"step {finding.step}" if finding.step is not None else f"statement {finding.statement}"
        label = f"{finding.direction} {where}"
        out.print(
            f"  [{colour}]{severity:<7}[/] {finding.code} {finding.name}  {label}: {escape(finding.message)}",
            highlight=False,
        )
    for item in findings.not_reviewed:
        out.print(f"  not reviewed: {item}", markup=False)
