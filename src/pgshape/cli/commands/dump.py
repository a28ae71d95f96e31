"""``pgshape dump``: write the model of SOURCE as JSON (the IR) or SQL DDL."""

from __future__ import annotations

from enum import Enum

import typer

from pgshape.cli.app import app
from pgshape.cli.options import EXAMPLE, FORCE, OUTPUT, SCHEMA, SCRATCH_URL, load, resolve_source
from pgshape.cli.output import write_output


class DumpFormat(str, Enum):
    json = "json"
    sql = "sql"
    yaml = "yaml"


@app.command()
def dump(
    source: str = typer.Argument(None, help="What to dump (URL, .sql, .py, pkg.module[:attr], .json)."),
    format: DumpFormat = typer.Option(
        DumpFormat.json, "--format", "-f", help="json (the IR), sql (DDL) or yaml (a design file)."
    ),
    output: str = OUTPUT,
    force: bool = FORCE,
    example: str = EXAMPLE,
    scratch_url: str = SCRATCH_URL,
    schema: list[str] = SCHEMA,
) -> int:
    """Write SOURCE's schema model as the JSON IR, as SQL DDL or as a design file.

    [bold]json[/] is the versioned IR document, which loads back identically as a SOURCE;
    [bold]sql[/] is dependency-ordered DDL that builds the schema on an empty database;
    [bold]yaml[/] is a design file that loads back to the same model (adopting a database).
    """
    database = load(resolve_source(source, example), scratch_url=scratch_url, schemas=schema)
    if format is DumpFormat.json:
        from pgshape.render.ir_json import render
    elif format is DumpFormat.yaml:
        from pgshape.render.design_yaml import render
    else:
        from pgshape.render.sql import render
    write_output(output, render(database), force=force)
    return 0
