"""``pgshape inspect``: a summary of SOURCE's tables, columns, indexes and constraints."""

from __future__ import annotations

import json

import typer
from rich.table import Table as RichTable

from pgshape.cli.app import app
from pgshape.cli.options import EXAMPLE, SCHEMA, SCRATCH_URL, ReportFormat, load, resolve_source
from pgshape.cli.output import settings
from pgshape.model import Database
from pgshape.render.summary import counts_line, qualified_name, summary_document


@app.command()
def inspect(
    source: str = typer.Argument(None, help="What to inspect (URL, .sql, .py, pkg.module[:attr], .json)."),
    example: str = EXAMPLE,
    scratch_url: str = SCRATCH_URL,
    schema: list[str] = SCHEMA,
    format: ReportFormat = typer.Option(ReportFormat.human, "--format", "-f", help="human or json."),
) -> int:
    """Summarise SOURCE: per table its columns, keys, indexes, constraints and triggers."""
    database = load(resolve_source(source, example), scratch_url=scratch_url, schemas=schema)
    if format is ReportFormat.json:
        typer.echo(json.dumps(summary_document(database), indent=2, ensure_ascii=False))
    else:
        _print_human(database)
    return 0


def _print_human(database: Database) -> None:
    grid = RichTable(title=counts_line(database), title_justify="left", show_lines=False)
    # Table names never wrap: they are what people search the output for.
    grid.add_column("table", no_wrap=True)
    grid.add_column("cols", justify="right")
    grid.add_column("primary key", overflow="fold")
    for heading in ("FKs", "unique", "checks", "indexes", "triggers"):
        grid.add_column(heading, justify="right")
    for table in database.tables:
        name = qualified_name(table.schema, table.name)
        if table.is_partition:
            name += " (partition)"
        elif table.is_partitioned:
            name += " (partitioned)"
        grid.add_row(
            name,
            str(len(table.columns)),
            ", ".join(table.primary_key.columns) if table.primary_key else "[red]none[/]",
            str(len(table.foreign_keys)),
            str(len(table.unique_constraints)),
            str(len(table.check_constraints)),
            str(len(table.indexes)),
            str(len(table.triggers)),
        )
    settings.stdout.print(grid)
    if database.views:
        names = ", ".join(qualified_name(v.schema, v.name) for v in database.views)
        settings.stdout.print(f"views: {names}", markup=False)
