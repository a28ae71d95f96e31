"""The Typer application and its global options; commands register themselves here."""

from __future__ import annotations

from enum import Enum

import typer

from pgshape import __version__
from pgshape.cli.output import settings

app = typer.Typer(
    name="pgshape",
    help=(
        "Design PostgreSQL schemas with SQLModel: define models, review table structures, "
        "draw ERDs, plan migrations — and prove every result on a real PostgreSQL that pgshape "
        "starts by itself.\n\n"
        "SOURCE is a postgresql:// URL, a .sql file, a SQLModel/SQLAlchemy module "
        "(models.py or pkg.module[:attr]), a .yaml/.toml design file, a Mermaid ERD (.mmd/.md), "
        "a .dbml file or a .json IR dump."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Color(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"pgshape {__version__}")
        raise typer.Exit(0)


@app.callback()
def main_options(
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks for errors."),
    color: Color = typer.Option(
        Color.auto, "--color", help="Colour output: auto (on a terminal), always, never."
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    settings.configure(debug=debug, color=color.value)
