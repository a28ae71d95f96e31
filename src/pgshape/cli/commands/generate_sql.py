"""``pgshape generate sql``: SOURCE as DDL laid out like a reviewed migration file."""

from __future__ import annotations

from pathlib import Path

import typer

from pgshape import __version__
from pgshape.cli.commands.generate import generate_app
from pgshape.cli.options import EXAMPLE, FORCE, OUTPUT, SCHEMA, SCRATCH_URL, load, resolve_source
from pgshape.cli.output import write_output
from pgshape.pg.urls import mask


@generate_app.command("sql")
def generate_sql(
    source: str = typer.Argument(
        None, help="What to write DDL for (design file, URL, .sql, .py, pkg.module[:attr], .json)."
    ),
    output: str = OUTPUT,
    force: bool = FORCE,
    name: str = typer.Option(None, "--name", help="Migration name in the header (default: the file's stem)."),
    description: str = typer.Option(
        None, "--description", help="One-line description in the header (default: what it creates)."
    ),
    example: str = EXAMPLE,
    scratch_url: str = SCRATCH_URL,
    schema: list[str] = SCHEMA,
) -> int:
    """Write SOURCE's schema as one reviewed-migration-style SQL file.

    A header (name, description, date, source), then [bold]BEGIN;[/] extensions, types,
    tables, indexes, foreign keys, triggers, policies and comments in dependency order,
    [bold]COMMIT;[/], then a commented-out rollback (drops in reverse order) and commented
    verification queries that each return ok = true once the migration is applied.
    """
    target = resolve_source(source, example)
    database = load(target, scratch_url=scratch_url, schemas=schema)
    from pgshape.render.sql_migration import MigrationInfo, render_migration
    from pgshape.render.summary import counts_line

    stem = Path(output).stem if output and output != "-" else Path(target).stem
    info = MigrationInfo(
        name=name or stem,
        description=description or f"Creates {counts_line(database)}.",
        source=mask(target),  # a connection string is shown with its password masked
        generator=f"pgshape {__version__}",
    )
    write_output(output, render_migration(database, info), force=force)
    return 0
