"""``pgshape generate``: the group that writes artifacts (``generate sql``, ``generate models``).

The subcommands live in their own modules (``generate_sql``, ``generate_models``) and register
themselves on :data:`generate_app`.
"""

from __future__ import annotations

import typer

from pgshape.cli.app import app

generate_app = typer.Typer(
    name="generate",
    help="Write artifacts from a SOURCE: SQL DDL laid out as a migration file, or SQLModel models.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)
app.add_typer(generate_app, name="generate")
