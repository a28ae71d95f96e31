"""Options shared by several commands, and loading a SOURCE with progress and warnings."""

from __future__ import annotations

from enum import Enum

import typer

from pgshape.cli.output import progress, warn
from pgshape.errors import InputError
from pgshape.model import Database
from pgshape.sources.load import LoadOptions
from pgshape.sources.load import load as load_source


class FindingsFormat(str, Enum):
    """How ``lint`` and ``lint-migration`` report findings."""

    human = "human"
    json = "json"
    sarif = "sarif"
    github = "github"


class FailOn(str, Enum):
    """The lowest severity of a finding that makes ``lint`` and ``lint-migration`` exit 1."""

    error = "error"
    warning = "warning"
    info = "info"


SCRATCH_URL = typer.Option(
    None,
    "--scratch-url",
    envvar="PGSHAPE_SCRATCH_URL",
    help="Server for scratch databases (any PostgreSQL 13+). Default: the embedded PostgreSQL.",
    show_envvar=True,
)
SCHEMA = typer.Option(
    None, "--schema", "-s", help="Only these schemas (repeatable). Default: all non-system."
)
OUTPUT = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout.")
FORCE = typer.Option(False, "--force", help="Overwrite the output file if it exists.")
EXAMPLE = typer.Option(None, "--example", help="Use a bundled example schema instead of SOURCE: blog.")


class ReportFormat(str, Enum):
    human = "human"
    json = "json"


def resolve_source(source: str | None, example: str | None) -> str:
    if example is not None:
        if source is not None:
            raise InputError("give either SOURCE or --example, not both")
        from pgshape.examples import example_path

        return str(example_path(example))
    if source is None:
        raise InputError("missing SOURCE (a postgresql:// URL, a .sql/.py/.json file or pkg.module[:attr])")
    return source


def load(source: str, *, scratch_url: str | None, schemas: list[str] | None) -> Database:
    with progress(f"loading {source}") as report:
        options = LoadOptions(scratch_url=scratch_url, schemas=schemas or None, progress=report, warn=warn)
        return load_source(source, options)
