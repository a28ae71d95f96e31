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
    from pgshape.model import Database
    from pgshape.pg.prove_migration import Verdict


class DiffFormat(str, Enum):
    sql = "sql"
    json = "json"
    human = "human"
    alembic = "alembic"


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
    scratch_url: str = SCRATCH_URL,
    schema: list[str] = SCHEMA,
) -> int:
    """Plan the migration from FROM to TO: up and down SQL, ordered and online-safe.

    Exit 0: no differences; 1: a plan was written; 2: input error — including destructive
    changes refused without --allow-destructive and a plan that failed its proof (nothing is
    written then).
    """
    from pgshape.migrate.pipeline import migration
    from pgshape.migrate.plan import PlanOptions
    from pgshape.migrate.safety import check

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
    verdict = None if no_verify else _prove(result, before, after, scratch_url, sample_rows)
    title = f"{mask(source_from)} → {mask(source_to)}"  # passwords never shown
    if format is DiffFormat.json:
        write_output(
            output,
            json.dumps(_as_json(result, verdict, mask(source_from), mask(source_to)), indent=2) + "\n",
            force=force,
        )
    elif format is DiffFormat.human:
        _print_human(result, verdict, title)
    elif format is DiffFormat.alembic:
        from pgshape.migrate.render_alembic import render as render_alembic

        summary = verdict.summary() if verdict is not None else "not verified (--no-verify)"
        text = render_alembic(result.plan, title=title, down_revision=down_revision, verdict=summary)
        write_output(output, text, force=force)
        if output not in (None, "-"):
            _print_human(result, verdict, title)
    else:
        from pgshape.migrate.render_sql import render, script

        summary = verdict.summary() if verdict is not None else "not verified (--no-verify)"
        text = render(result.plan, title=title, verdict=summary, after=after)
        write_output(output, text, force=force)
        if output not in (None, "-"):
            down = Path(output).with_suffix(".down.sql")
            write_output(str(down), script(result.plan.down, result.plan.options), force=force)
            _print_human(result, verdict, title)
    return 1


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


def _as_json(result: Migration, verdict: Verdict | None, source_from: str, source_to: str) -> dict[str, Any]:
    plan = result.plan
    return {
        "from": source_from,
        "to": source_to,
        "online": plan.options.online,
        "operations": [_operation(op, n) for n, op in enumerate(plan.up, start=1)],
        "down": [_operation(op, n) for n, op in enumerate(plan.down, start=1)],
        "notes": list(plan.notes),
        "rename_suggestions": [str(s) for s in result.suggestions],
        "verdict": None if verdict is None else {"proven": verdict.proven, "summary": verdict.summary()},
    }


def _print_human(result: Migration, verdict: Verdict | None, title: str) -> None:
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
    if verdict is None:
        out.print("[yellow]not verified[/] (--no-verify)")
    else:
        out.print(
            f"[green]{verdict.summary()}[/]" if verdict.proven else verdict.summary(), markup=verdict.proven
        )
