"""``pgshape init``: start a design file from a bundled, commented example."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from pgshape.cli.app import app
from pgshape.cli.output import settings, write_output
from pgshape.design.examples import DEFAULT_EXAMPLE, EXAMPLES, example_text
from pgshape.errors import InputError

JSON_SCHEMA_FILE = "pgshape-design.schema.json"


@app.command()
def init(
    example: str = typer.Option(
        DEFAULT_EXAMPLE,
        "--example",
        "-e",
        help=f"Example to start from (see --list). Default: {DEFAULT_EXAMPLE}.",
    ),
    output: str = typer.Option("schema.yaml", "--output", "-o", help="Design file to write ('-': stdout)."),
    force: bool = typer.Option(False, "--force", help="Overwrite the file if it exists."),
    list_examples: bool = typer.Option(False, "--list", help="List the examples and exit."),
    with_json_schema: bool = typer.Option(
        False,
        "--with-json-schema",
        help=f"Also write {JSON_SCHEMA_FILE} (the JSON Schema the file points editors to) next to it.",
    ),
) -> int:
    """Write a commented design file (schema.yaml) to start from.

    The examples show the pattern library: [bold]blog[/] (the default), [bold]shop[/],
    [bold]saas[/], [bold]rbac[/], [bold]audit[/] and [bold]starter[/]. Then run
    [bold]pgshape verify schema.yaml[/] and [bold]pgshape generate sql schema.yaml[/].
    """
    if list_examples:
        width = max(map(len, EXAMPLES))
        for name, description in EXAMPLES.items():
            marker = " (default)" if name == DEFAULT_EXAMPLE else ""
            typer.echo(f"{name:<{width}}  {description}{marker}")
        return 0
    text = example_text(example)  # an unknown name is an error listing the choices
    if Path(output).suffix.lower() not in {".yaml", ".yml"} and output != "-":
        # The examples are commented YAML; a .toml name would hold YAML and fail to load.
        raise InputError("the examples are YAML design files: name the file *.yaml or *.yml", location=output)
    schema_target = None
    if with_json_schema and output != "-":
        schema_target = Path(output).parent / JSON_SCHEMA_FILE
        if schema_target.exists() and not force:
            # Checked before anything is written: either both files are written or neither.
            raise InputError("file exists; pass --force to overwrite it", location=str(schema_target))
    write_output(output, text, force=force)
    if schema_target is not None:
        from pgshape.design.spec import json_schema

        write_output(str(schema_target), json.dumps(json_schema(), indent=2) + "\n", force=True)
    if output != "-":
        settings.stderr.print(
            f"wrote {output} (example {example}); next: pgshape verify {output}",
            markup=False,
            highlight=False,
        )
    return 0
