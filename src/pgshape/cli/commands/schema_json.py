"""``pgshape schema-json``: the JSON Schema of design files, for editors and agents."""

from __future__ import annotations

import json

from pgshape.cli.app import app
from pgshape.cli.options import FORCE, OUTPUT
from pgshape.cli.output import write_output


@app.command("schema-json")
def schema_json(output: str = OUTPUT, force: bool = FORCE) -> int:
    """Print the JSON Schema of the design file (schema.yaml / schema.toml).

    Point your editor at it for completion and checking as you type, e.g. with
    [bold]# yaml-language-server: $schema=pgshape.schema.json[/] at the top of schema.yaml.
    """
    from pgshape.design.spec import json_schema

    write_output(output, json.dumps(json_schema(), indent=2) + "\n", force=force)
    return 0
