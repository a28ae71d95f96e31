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


def _python_target(option: str | None, output: str | None) -> tuple[int, int]:
    """``--python X.Y``, else the lower bound of the nearest pyproject's requires-python (looked
    up from where the models are written, as ruff would for that file), else 3.11."""
    from pgshape.cli.project_config import find_pyproject, python_lower_bound, read_toml
    from pgshape.render.sqlmodel.support import DEFAULT_PYTHON, PYTHON_VERSIONS

    known = ", ".join(f"{major}.{minor}" for major, minor in PYTHON_VERSIONS)
    if option is not None:
        major, _, minor = option.partition(".")
        wanted = (int(major), int(minor)) if major.isdigit() and minor.isdigit() else None
        if wanted not in PYTHON_VERSIONS:
            raise InputError(f"--python {option}: expected one of {known}")
        return wanted  # type: ignore[return-value]
    start = Path(output).resolve().parent if output else Path.cwd()
    pyproject = find_pyproject(start)
    found = python_lower_bound(read_toml(pyproject)) if pyproject else None
    if found is None:
        return DEFAULT_PYTHON
    # Older than pgshape's oldest target: the oldest one; newer than any known: the newest.
    return min(max(found, PYTHON_VERSIONS[0]), PYTHON_VERSIONS[-1])


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
    python: str = typer.Option(
        None,
        "--python",
        metavar="X.Y",
        help="Oldest Python the code must run on (default: the nearest pyproject.toml's "
        "requires-python, else 3.11). 3.10 spells UTC as datetime.timezone.utc.",
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
    target_python = _python_target(python, split or output)
    database = load(target, scratch_url=scratch_url, schemas=schema)
    from pgshape.render.sqlmodel import render, render_package

    if split is not None:
        files = render_package(database, source=shown, variants=variants, python=target_python)
        _write_package(split, files, force=force)
    else:
        text = render(database, source=shown, variants=variants, python=target_python)
        write_output(output, text, force=force)
    return 0
