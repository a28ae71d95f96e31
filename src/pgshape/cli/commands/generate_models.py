"""``pgshape generate models``: SOURCE as SQLModel code that rebuilds the schema exactly."""

from __future__ import annotations

from pathlib import Path

import typer

from pgshape.cli.commands.generate import generate_app
from pgshape.cli.options import FORCE, OUTPUT, SCHEMA, SCRATCH_URL, load
from pgshape.cli.output import write_output
from pgshape.errors import InputError
from pgshape.pg.urls import mask

STARTER = "starter"


def _example_source() -> str:
    from pgshape.design.examples import example_path

    return str(example_path(STARTER))


def _write_package(directory: str, files: dict[str, str], *, force: bool) -> None:
    """Write every module of the package, refusing (before writing anything) to overwrite."""
    target = Path(directory)
    if target.exists() and not target.is_dir():
        raise InputError("not a directory", location=str(target))
    if not target.parent.exists():
        raise InputError("directory does not exist", location=str(target.parent))
    existing = [name for name in files if (target / name).exists()]
    if existing and not force:
        raise InputError("file exists; pass --force to overwrite it", location=str(target / existing[0]))
    target.mkdir(exist_ok=True)
    for name, text in sorted(files.items()):
        write_output(str(target / name), text, force=True)


@generate_app.command("models")
def generate_models(
    source: str = typer.Argument(
        None, help="What to write models for (design file, URL, .sql, .py, .mmd, .dbml, .json)."
    ),
    output: str = OUTPUT,
    force: bool = FORCE,
    variants: bool = typer.Option(
        False, "--variants", help="Also XBase, XCreate, XUpdate, XPublic and XsPublic models (FastAPI style)."
    ),
    split: str = typer.Option(
        None, "--split", metavar="DIR", help="Write a package: one module per table, and an __init__.py."
    ),
    example: bool = typer.Option(
        False, "--example", help="Use the seed design (User, Role, Post, Category tree) instead of SOURCE."
    ),
    scratch_url: str = SCRATCH_URL,
    schema: list[str] = SCHEMA,
) -> int:
    """Write SQLModel models for SOURCE.

    The module uses Field(...) and Relationship(...) idiomatically (both sides, with
    back_populates; link models for many-to-many), names every constraint and index as
    PostgreSQL has it, and attaches what SQLModel cannot declare (views, functions, triggers,
    policies, ...) as DDL, so [bold]SQLModel.metadata.create_all()[/] rebuilds the whole schema.
    """
    if example and source is not None:
        raise InputError("give either SOURCE or --example, not both")
    if split is not None and output is not None:
        raise InputError("give either --output or --split, not both")
    if example:
        target, shown = _example_source(), "--example"
    elif source is None:
        raise InputError("missing SOURCE (a design file, a postgresql:// URL, a .sql/.py/.json file, ...)")
    else:
        target, shown = source, mask(source)
    database = load(target, scratch_url=scratch_url, schemas=schema)
    from pgshape.render.sqlmodel import render, render_package

    if split is not None:
        _write_package(split, render_package(database, source=shown, variants=variants), force=force)
    else:
        write_output(output, render(database, source=shown, variants=variants), force=force)
    return 0
